from datetime import date, timedelta

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from .models import AgendaSlot, Interview, InterviewKind, InterviewStatus


def free_slots(*, operator=None, days_ahead: int = 30) -> QuerySet[AgendaSlot]:
    """Future slots nobody is booked in, soonest first."""
    now = timezone.now()
    taken = Interview.objects.filter(
        slot=OuterRef("pk"), status__in=[InterviewStatus.SCHEDULED, InterviewStatus.HELD]
    )
    slots = (
        AgendaSlot.objects.select_related("operator")
        .filter(starts_at__gte=now, starts_at__lte=now + timedelta(days=days_ahead))
        .exclude(Exists(taken))
    )
    if operator is not None:
        slots = slots.filter(operator=operator)
    return slots.order_by("starts_at")


def agenda(*, operator, day_from: date, days: int = 7) -> QuerySet[AgendaSlot]:
    """An operator's slots over some days, with the interviews booked in them."""
    zone = timezone.get_current_timezone()
    from datetime import datetime, time

    start = datetime.combine(day_from, time.min, tzinfo=zone)
    return (
        AgendaSlot.objects.filter(
            operator=operator, starts_at__gte=start, starts_at__lt=start + timedelta(days=days)
        )
        .prefetch_related("interviews__person")
        .order_by("starts_at")
    )


def pending_interview(person) -> Interview | None:
    return (
        person.interviews.filter(status=InterviewStatus.SCHEDULED, kind=InterviewKind.PRIMO)
        .select_related("operator", "slot")
        .order_by("scheduled_at")
        .first()
    )


def follow_ups(person) -> list[Interview]:
    """The person's follow-up interviews, the coming ones first, then the past ones."""
    return list(
        person.interviews.filter(kind=InterviewKind.MONITORAGGIO)
        .exclude(status=InterviewStatus.RESCHEDULED)
        .select_related("operator")
        .order_by("-scheduled_at")[:20]
    )
