from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from .models import Event, Registration, Session

FIGURES_DEFINITION = (
    "Iscritti: le iscrizioni non annullate a una sessione (chi si iscrive a tre sessioni di un "
    "ciclo conta in ciascuna). Persone diverse: gli indirizzi e-mail distinti tra gli iscritti "
    "dell'evento. Partecipanti: gli iscritti segnati presenti (a mano, o dal rapporto della "
    "piattaforma con almeno i minuti richiesti dalla sessione). Tasso di partecipazione = "
    "partecipanti / iscritti, per le sessioni di cui sono state registrate le presenze. Del "
    "programma: gli iscritti legati alla scheda di una persona del programma."
)


def events_with_counts() -> QuerySet[Event]:
    now = timezone.now()
    return Event.objects.annotate(
        session_count=Count(
            "sessions", filter=Q(sessions__cancelled_at__isnull=True), distinct=True
        ),
        next_start=Min("sessions__starts_at", filter=Q(sessions__starts_at__gt=now)),
        first_start=Min("sessions__starts_at"),
    ).order_by("-first_start", "-pk")


@dataclass(frozen=True)
class SessionFigures:
    session: Session
    registered: int
    cancelled: int
    attended: int
    recorded: int  # registrations with attendance recorded (present or absent)
    from_programme: int

    @property
    def attendance_rate(self) -> float | None:
        return round(self.attended / self.registered, 3) if self.recorded else None


@dataclass(frozen=True)
class EventFigures:
    sessions: list[SessionFigures]
    registered: int
    people: int
    attended: int
    attendance_rate: float | None
    from_programme: int
    definition: str = FIGURES_DEFINITION


COUNTS = ("registered", "cancelled", "attended", "recorded", "from_programme")


def event_figures(event: Event) -> EventFigures:
    active = Q(cancelled_at__isnull=True)
    # Counted under other names: "attended" is also the field the filters read.
    counts = {
        row["session_id"]: {name: row[f"n_{name}"] for name in COUNTS}
        for row in Registration.objects.filter(session__event=event)
        .values("session_id")
        .annotate(
            n_registered=Count("pk", filter=active),
            n_cancelled=Count("pk", filter=~active),
            n_attended=Count("pk", filter=active & Q(attended=True)),
            n_recorded=Count("pk", filter=active & Q(attended__isnull=False)),
            n_from_programme=Count("pk", filter=active & Q(person__isnull=False)),
        )
        .order_by()
    }
    empty = dict.fromkeys(COUNTS, 0)
    rows = [
        SessionFigures(session=session, **counts.get(session.pk, empty))
        for session in event.sessions.prefetch_related("speakers").order_by("starts_at")
    ]
    recorded = [row for row in rows if row.recorded]
    registered_where_recorded = sum(row.registered for row in recorded)
    registrations = Registration.objects.filter(session__event=event, cancelled_at__isnull=True)
    return EventFigures(
        sessions=rows,
        registered=sum(row.registered for row in rows),
        people=registrations.values("email").distinct().count(),
        attended=sum(row.attended for row in rows),
        attendance_rate=(
            round(sum(row.attended for row in recorded) / registered_where_recorded, 3)
            if registered_where_recorded
            else None
        ),
        from_programme=sum(row.from_programme for row in rows),
    )


def open_sessions(event: Event):
    """The sessions one can still register for, with the places taken."""
    return (
        event.sessions.filter(cancelled_at__isnull=True, starts_at__gt=timezone.now())
        .annotate(taken=Count("registrations", filter=Q(registrations__cancelled_at__isnull=True)))
        .prefetch_related("speakers")
    )


def upcoming_sessions() -> QuerySet[Session]:
    """Sessions still to come of published events (to register a person from their file)."""
    return (
        Session.objects.filter(
            cancelled_at__isnull=True, starts_at__gt=timezone.now(), event__published=True
        )
        .select_related("event")
        .order_by("starts_at")
    )
