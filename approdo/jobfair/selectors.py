from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import Booking, JobFair, Slot, Stand

FIGURES_DEFINITION = (
    "Stand: le aziende del Board presenti alla fiera. Incontri prenotati: le prenotazioni non "
    "annullate (una per orario di uno stand). Del programma: quelle legate alla scheda di una "
    "persona del programma; visitatori: le altre. Svolti: gli incontri segnati come avvenuti. "
    "Candidature: gli incontri diventati candidature sulla richiesta di cui si è parlato."
)

_ACTIVE = Q(slots__bookings__cancelled_at__isnull=True)


def fairs_with_counts() -> QuerySet[JobFair]:
    return JobFair.objects.annotate(
        stand_count=Count("stands", distinct=True),
        booking_count=Count(
            "stands__slots__bookings",
            filter=Q(stands__slots__bookings__cancelled_at__isnull=True),
        ),
    ).order_by("-day", "-pk")


def stands_with_counts(fair: JobFair) -> QuerySet[Stand]:
    return (
        fair.stands.select_related("company", "contact")
        .annotate(
            slot_count=Count("slots", distinct=True),
            booked=Count("slots__bookings", filter=_ACTIVE),
            held=Count("slots__bookings", filter=_ACTIVE & Q(slots__bookings__held=True)),
            candidacies=Count(
                "slots__bookings", filter=_ACTIVE & Q(slots__bookings__candidacy__isnull=False)
            ),
        )
        .order_by("company__name")
    )


@dataclass(frozen=True)
class AgendaRow:
    slot: Slot
    booking: Booking | None  # None when the slot is free


def agenda(stand: Stand) -> list[AgendaRow]:
    """The stand's slots, each with its booking."""
    slots = list(
        stand.slots.prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.filter(cancelled_at__isnull=True).select_related(
                    "vacancy", "person", "candidacy"
                ),
                to_attr="active_bookings",
            )
        )
    )
    return [
        AgendaRow(slot, slot.active_bookings[0] if slot.active_bookings else None) for slot in slots
    ]


@dataclass
class FairFigures:
    stands: int
    slots: int
    booked: int
    from_programme: int
    visitors: int
    held: int
    candidacies: int
    definition: str = FIGURES_DEFINITION


def fair_figures(fair: JobFair) -> FairFigures:
    bookings = Booking.objects.filter(slot__stand__fair=fair, cancelled_at__isnull=True)
    counts = bookings.aggregate(
        booked=Count("pk"),
        from_programme=Count("pk", filter=Q(person__isnull=False)),
        held=Count("pk", filter=Q(held=True)),
        candidacies=Count("pk", filter=Q(candidacy__isnull=False)),
    )
    return FairFigures(
        stands=fair.stands.count(),
        slots=Slot.objects.filter(stand__fair=fair).count(),
        visitors=counts["booked"] - counts["from_programme"],
        **counts,
    )


def taken() -> Exists:
    """A slot someone holds (a booking not cancelled)."""
    return Exists(Booking.objects.filter(slot=OuterRef("pk"), cancelled_at__isnull=True))


def free_slots(stand: Stand) -> QuerySet[Slot]:
    return stand.slots.filter(~taken(), starts_at__gt=timezone.now())


def free_slot_counts(fair: JobFair) -> dict[int, int]:
    """Each stand's slots still free to book ({stand id: count}), in one query."""
    return dict(
        Slot.objects.filter(~taken(), stand__fair=fair, starts_at__gt=timezone.now())
        .values("stand_id")
        .annotate(free=Count("pk"))
        .order_by()
        .values_list("stand_id", "free")
    )
