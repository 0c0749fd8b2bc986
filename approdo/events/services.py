"""Events and webinar cycles: sessions, registration (public page or operator) with the
capacity held under a lock, the confirmation with its calendar entry, the reminder and the
room link sent before the start, attendance (by hand or from the video platform's report),
certificates of attendance."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from approdo.comms.services import contacts_footer, queue_text_email
from approdo.people.models import Person
from approdo.ui.pdf import render_pdf

from .calendar import sessions_ics
from .models import Event, Registration, Session
from .platform_reports import read_platform_report

REMINDER_BEFORE = timedelta(hours=24)
LINK_BEFORE = timedelta(minutes=30)
EMAIL_KIND = "evento"


def local(moment) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y alle %H:%M}"


def registrant_link(registration: Registration) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse(
        "events:registrant", args=[registration.token]
    )


# -- Sessions ---------------------------------------------------------------------------------


def check_session(session: Session) -> None:
    errors = {}
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors["ends_at"] = "La fine deve venire dopo l'inizio."
    if session.is_online and not session.room_url:
        errors["room_url"] = (
            "Indichi il collegamento alla stanza online: lo ricevono gli iscritti poco prima "
            "dell'inizio."
        )
    if session.mode != Session.Mode.ONLINE and not session.place.strip():
        errors["place"] = "Indichi il luogo dell'incontro."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_session(session: Session, *, speakers: Iterable = (), by=None) -> Session:
    """Save a session; a change of time, place or room tells the people registered, with the
    calendar entry updated (same UID, SEQUENCE + 1), and moves the reminders."""
    check_session(session)
    before = Session.objects.select_for_update().filter(pk=session.pk).first()
    moved = before is not None and (
        (before.starts_at, before.ends_at, before.place, before.room_url, before.mode)
        != (session.starts_at, session.ends_at, session.place, session.room_url, session.mode)
    )
    if before is not None and before.cancelled_at:
        raise ValidationError("La sessione è annullata.")
    if moved and before is not None:
        session.calendar_sequence = before.calendar_sequence + 1
    session.full_clean()
    session.save()
    session.speakers.set(speakers)
    retimed = before is None or before.starts_at != session.starts_at
    if moved:
        if retimed:
            active(session).update(reminder_sent_at=None, link_sent_at=None)
        calendar = sessions_ics([session])
        for registration in active(session).select_related("person"):
            _send(
                registration,
                subject=f"Cambiamento: {session.event.title}",
                text=(
                    f"Gentile {registration.first_name},\nla sessione «{session.title}» a cui è "
                    f"iscritto/a è cambiata: ora è il {local(session.starts_at)}"
                    f"{where_text(session)}.\nIn allegato il calendario aggiornato."
                ),
                ics=calendar,
                by=by,
            )
    if retimed:
        schedule_messages(session)
    return session


@transaction.atomic
def cancel_session(session: Session, *, reason: str, by=None) -> int:
    """Cancel a session and tell the people registered (the calendar entry is removed)."""
    session = Session.objects.select_for_update().select_related("event").get(pk=session.pk)
    if session.cancelled_at:
        raise ValidationError("La sessione è già annullata.")
    if not reason.strip():
        raise ValidationError({"reason": "Scriva il motivo: lo leggono gli iscritti."})
    session.cancelled_at = timezone.now()
    session.calendar_sequence += 1
    session.save(update_fields=["cancelled_at", "calendar_sequence"])
    registrations = list(active(session).select_related("person"))
    calendar = sessions_ics([session], method="CANCEL")
    for registration in registrations:
        _send(
            registration,
            subject=f"Annullato: {session.title}",
            text=(
                f"Gentile {registration.first_name},\nla sessione «{session.title}» del "
                f"{local(session.starts_at)} è annullata: {reason.strip()}\n"
                "Ci scusiamo per il disagio."
            ),
            ics=calendar,
            method="CANCEL",
            by=by,
        )
    return len(registrations)


def schedule_messages(session: Session) -> None:
    """The reminder the day before and the room link shortly before the start, as jobs for
    the worker; each checks the session still starts when it was planned."""
    from .tasks import send_room_links, send_session_reminders

    now = timezone.now()
    planned = session.starts_at.isoformat()
    for task, before in ((send_session_reminders, REMINDER_BEFORE), (send_room_links, LINK_BEFORE)):
        if task is send_room_links and not session.is_online:
            continue
        if session.starts_at > now:
            # In the same transaction: a session not saved leaves no job behind.
            task.using(run_after=max(session.starts_at - before, now)).enqueue(
                session_id=session.pk, starts_at=planned
            )


def where_text(session: Session) -> str:
    if session.mode == Session.Mode.ONLINE:
        return ", online"
    if session.mode == Session.Mode.HYBRID:
        return f", a {session.place} e online"
    return f", a {session.place}"


# -- Registration -----------------------------------------------------------------------------


def active(session: Session):
    return Registration.objects.filter(session=session, cancelled_at__isnull=True)


def programme_person(email: str) -> Person | None:
    """The person of the programme whose file has this address, when exactly one has it."""
    found = list(
        Person.objects.filter(
            email__iexact=email, anonymised_at__isnull=True, processing_restricted_at__isnull=True
        ).only("pk")[:2]
    )
    return found[0] if len(found) == 1 else None


@transaction.atomic
def register(
    *,
    event: Event,
    session_ids: Iterable[int],
    first_name: str,
    last_name: str,
    email: str,
    organisation: str = "",
    person: Person | None = None,
    by=None,
) -> list[Registration]:
    """Register someone for sessions of an event: all of them or none (a full or started
    session, or one they are already registered for, is named in the error). Sends one
    confirmation with the calendar entries."""
    session_ids = sorted(set(session_ids))
    if not session_ids:
        raise ValidationError({"sessions": "Scelga almeno una sessione."})
    if by is None and not event.published:
        raise ValidationError("Le iscrizioni a questo evento sono chiuse.")
    email = email.strip().lower()
    # Locked in the order of their keys: two registrations never wait for each other.
    sessions = list(
        Session.objects.select_for_update().filter(event=event, pk__in=session_ids).order_by("pk")
    )
    if len(sessions) != len(session_ids):
        raise ValidationError({"sessions": "Una delle sessioni scelte non è di questo evento."})
    problems = []
    now = timezone.now()
    for session in sessions:
        taken = active(session)
        if session.cancelled_at:
            problems.append(f"«{session.title}» è annullata")
        elif session.starts_at <= now:
            problems.append(f"«{session.title}» è già iniziata")
        elif taken.filter(email=email).exists():
            problems.append(f"con questo indirizzo c'è già un'iscrizione a «{session.title}»")
        elif session.capacity is not None and taken.count() >= session.capacity:
            problems.append(f"«{session.title}» non ha più posti")
    if problems:
        raise ValidationError(
            {"sessions": "Nessuna iscrizione registrata: " + "; ".join(problems) + "."}
        )
    if person is None and by is None:
        person = programme_person(email)
    registrations = [
        Registration.objects.create(
            session=session,
            person=person,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=email,
            organisation=organisation.strip(),
            source=Registration.Source.OPERATOR if by else Registration.Source.PUBLIC,
            privacy_version="" if by else settings.PRIVACY_NOTICE_VERSION,
        )
        for session in sessions
    ]
    _send_confirmation(event, registrations, by=by)
    return registrations


def _send_confirmation(event: Event, registrations: list[Registration], *, by=None) -> None:
    first = registrations[0]
    lines = []
    for registration in registrations:
        session = registration.session
        line = f"- {session.title}: {local(session.starts_at)}{where_text(session)}"
        if session.is_online and session.starts_at - LINK_BEFORE <= timezone.now():
            line += f"\n  Collegamento: {session.room_url}"
            registration.link_sent_at = timezone.now()
            registration.save(update_fields=["link_sent_at"])
        lines.append(line)
    online = any(r.session.is_online for r in registrations)
    _send(
        first,
        subject=f"Iscrizione confermata: {event.title}",
        text=(
            f"Gentile {first.first_name},\nla sua iscrizione a «{event.title}» è confermata:\n"
            + "\n".join(lines)
            + "\n\nIn allegato gli appuntamenti per il calendario."
            + (
                f"\nIl collegamento alla stanza online le arriverà per e-mail "
                f"{int(LINK_BEFORE / timedelta(minutes=1))} minuti prima dell'inizio."
                if online
                else ""
            )
        ),
        ics=sessions_ics([r.session for r in registrations]),
        by=by,
    )


def _send(
    registration: Registration,
    *,
    subject: str,
    text: str,
    ics: str = "",
    method: str = "PUBLISH",
    by=None,
):
    footer = (
        f"\n\nLe sue iscrizioni, per annullarle o scaricare l'attestato: "
        f"{registrant_link(registration)}\n\n{contacts_footer()}"
    )
    if registration.person is not None and registration.person.processing_restricted_at:
        return None
    return queue_text_email(
        to=registration.email,
        kind=EMAIL_KIND,
        subject=subject,
        body=text + footer,
        person=registration.person,
        requested_by=by,
        attachment_name="evento.ics" if ics else "",
        attachment_type=f"text/calendar; method={method}" if ics else "",
        attachment_content=ics,
    )


def registrations_of(registration: Registration):
    """Everything the same address registered for in the same event (the registrant's page)."""
    return (
        Registration.objects.filter(
            session__event_id=registration.session.event_id,
            email=registration.email,
        )
        .select_related("session")
        .order_by("session__starts_at", "pk")
    )


@transaction.atomic
def cancel_registration(registration: Registration) -> None:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.cancelled_at:
        return
    if registration.session.starts_at <= timezone.now():
        raise ValidationError("La sessione è già iniziata: l'iscrizione non si annulla più.")
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["cancelled_at"])


# -- Before the start -------------------------------------------------------------------------


def _due(session_id: int, starts_at: str) -> Session | None:
    """The session, if it still starts when the job was planned and has not started."""
    session = Session.objects.select_related("event").filter(pk=session_id).first()
    if (
        session is None
        or session.cancelled_at
        or session.starts_at.isoformat() != starts_at
        or session.ends_at <= timezone.now()
    ):
        return None
    return session


def _send_once(registrations, *, marker: str, subject: str, text_of, by=None):
    """Write to each of `registrations` not yet marked with `marker` (a "sent at" field),
    and mark it: a job run twice, or a button pressed twice, writes once."""
    sent = 0
    with transaction.atomic():
        waiting = (
            registrations.filter(**{f"{marker}__isnull": True})
            .select_related("person")
            .select_for_update(of=("self",), skip_locked=True)
        )
        for registration in waiting:
            _send(registration, subject=subject, text=text_of(registration), by=by)
            setattr(registration, marker, timezone.now())
            registration.save(update_fields=[marker])
            sent += 1
    return sent


def send_reminders(session_id: int, starts_at: str) -> int:
    """Remind the people registered who have not been reminded yet."""
    session = _due(session_id, starts_at)
    if session is None:
        return 0
    later = (
        "\nIl collegamento alla stanza online le arriverà poco prima dell'inizio."
        if session.is_online
        else ""
    )
    return _send_once(
        active(session),
        marker="reminder_sent_at",
        subject=f"Promemoria: {session.title}",
        text_of=lambda registration: (
            f"Gentile {registration.first_name},\nle ricordiamo «{session.title}» "
            f"({session.event.title}), il {local(session.starts_at)}{where_text(session)}." + later
        ),
    )


def send_room_links(session_id: int, starts_at: str) -> int:
    """Send the online room's link to the people registered who do not have it yet."""
    session = _due(session_id, starts_at)
    if session is None or not session.is_online:
        return 0
    return _send_once(
        active(session),
        marker="link_sent_at",
        subject=f"Il collegamento per «{session.title}»",
        text_of=lambda registration: (
            f"Gentile {registration.first_name},\n«{session.title}» inizia il "
            f"{local(session.starts_at)}. Si colleghi da qui:\n{session.room_url}\n\n"
            "Entri con il nome e cognome dati all'iscrizione: servono per registrare "
            "la presenza e l'attestato."
        ),
    )


# -- Attendance and certificates --------------------------------------------------------------


def _check_held(session: Session) -> None:
    if session.starts_at > timezone.now():
        raise ValidationError("La sessione non è ancora iniziata: le presenze si segnano dopo.")
    if session.cancelled_at:
        raise ValidationError("La sessione è annullata.")


@transaction.atomic
def record_attendance(
    *, session: Session, shown_ids: Iterable[int], present_ids: Iterable[int], by
) -> int:
    """Mark who was there among the registrations shown (one page of the list): those
    ticked present, the others absent. Returns how many were present."""
    _check_held(session)
    shown = active(session).filter(pk__in=set(shown_ids))
    present_ids = set(present_ids)
    if not present_ids <= set(shown.values_list("pk", flat=True)):
        raise ValidationError("Una delle persone segnate non è iscritta a questa sessione.")
    shown.filter(pk__in=present_ids).update(attended=True, recorded_by=by)
    shown.exclude(pk__in=present_ids).update(attended=False, recorded_by=by)
    return len(present_ids)


@transaction.atomic
def import_attendance(*, session: Session, content: bytes, by) -> dict:
    """Attendance from the video platform's participants report: each address's minutes
    (summed over its connections) against the minutes that count. Checked whole first."""
    _check_held(session)
    report = read_platform_report(content)
    registrations = dict(active(session).select_for_update().values_list("email", "pk"))
    needed = session.attendance_minutes
    # One UPDATE per number of minutes (a few dozen), not one per person.
    by_minutes: dict[int | None, list[int]] = defaultdict(list)
    for email, pk in registrations.items():
        by_minutes[report.minutes.get(email)].append(pk)
    for minutes, ids in by_minutes.items():
        Registration.objects.filter(pk__in=ids).update(
            attended_minutes=minutes,
            attended=minutes is not None and minutes >= needed,
            recorded_by=by,
        )
    present = sum(
        len(ids) for minutes, ids in by_minutes.items() if minutes is not None and minutes >= needed
    )
    not_registered = sorted(set(report.minutes) - set(registrations))
    return {
        "rows": report.rows,
        "present": present,
        "absent": len(registrations) - present,
        "not_registered": not_registered,
        "without_address": report.without_address,
        "minutes_needed": needed,
    }


def certificate_pdf(registration: Registration) -> bytes:
    if not registration.attended or registration.cancelled_at:
        raise ValidationError("L'attestato è solo per chi ha partecipato.")
    session = registration.session
    return render_pdf(
        "events/certificate.html",
        {
            "registration": registration,
            "session": session,
            "event": session.event,
            "speakers": list(session.speakers.all()),
            "code": registration.token[:12].upper(),
        },
    )


def send_certificates(*, session: Session, by) -> int:
    """Tell each person present where to download their certificate."""
    _check_held(session)
    return _send_once(
        active(session).filter(attended=True),
        marker="certificate_sent_at",
        subject=f"Attestato di partecipazione: {session.title}",
        text_of=lambda registration: (
            f"Gentile {registration.first_name},\ngrazie per aver partecipato a "
            f"«{session.title}» ({session.event.title}). L'attestato di partecipazione si "
            f"scarica dalla pagina delle sue iscrizioni:\n{registrant_link(registration)}"
        ),
        by=by,
    )


VISITOR_RETENTION = timedelta(days=730)


def forget_visitors(*, now=None) -> int:
    """Erase who registered from outside the programme, 24 months after the session: the
    rows stay (the event's figures do not change), the names and addresses go."""
    cutoff = (now or timezone.now()) - VISITOR_RETENTION
    return (
        Registration.objects.filter(person__isnull=True, session__ends_at__lt=cutoff)
        .exclude(email="")
        .update(first_name="", last_name="", email="", organisation="")
    )
