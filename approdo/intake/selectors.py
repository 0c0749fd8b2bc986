from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import AgendaSlot, CalendarFeed, Closure, Interview, InterviewKind, InterviewStatus

ACTIVE = [InterviewStatus.SCHEDULED, InterviewStatus.HELD]


def _free_future_slots(operator=None) -> QuerySet[AgendaSlot]:
    taken = Interview.objects.filter(slot=OuterRef("pk"), status__in=ACTIVE)
    slots = AgendaSlot.objects.filter(starts_at__gte=timezone.now()).exclude(Exists(taken))
    return slots if operator is None else slots.filter(operator=operator)


def free_slots(
    *, operator=None, day: date | None = None, days_ahead: int = 30
) -> QuerySet[AgendaSlot]:
    """Future slots nobody is booked in, soonest first; of one operator, of one day."""
    if day is not None:
        slots = free_slots_between(operator=operator, first=day, last=day)
    else:
        slots = _free_future_slots(operator).filter(
            starts_at__lte=timezone.now() + timedelta(days=days_ahead)
        )
    return slots.select_related("operator").order_by("starts_at", "operator__last_name")


def free_slots_between(*, operator, first: date, last: date) -> QuerySet[AgendaSlot]:
    """Free future slots from the start of `first` to the end of `last`, of one operator
    or (None) of everyone."""
    return _free_future_slots(operator).filter(
        starts_at__gte=midnight(first), starts_at__lt=midnight(last + timedelta(days=1))
    )


def midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


@lru_cache(maxsize=32)
def _public_holidays(year: int, province: str) -> dict[date, str]:
    found = holidays.country_holidays("IT", subdiv=province or None, years=year, language="it_IT")
    return dict(found.items())


def public_holidays(first: date, last: date) -> dict[date, str]:
    """National holidays and the province's patron saint between two days, by name."""
    found: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        found.update(
            (day, name)
            for day, name in _public_holidays(year, settings.HOLIDAYS_PROVINCE).items()
            if first <= day <= last
        )
    return found


def closures_of(operator) -> Q:
    """The closures that close an operator's agenda: their own and the programme's."""
    return Q(operator__isnull=True) | Q(operator=operator)


def closed_days(*, operator, first: date, last: date) -> dict[date, str]:
    """Every day between `first` and `last` with no appointments for the operator, with why:
    public holidays and the closures of the programme and of the operator."""
    closed = public_holidays(first, last)
    closures = Closure.objects.filter(
        closures_of(operator), starts_on__lte=last, ends_on__gte=first
    ).values_list("starts_on", "ends_on", "reason")
    for starts_on, ends_on, reason in closures:
        day = max(starts_on, first)
        while day <= min(ends_on, last):
            closed[day] = f"{closed[day]}; {reason}" if day in closed else reason
            day += timedelta(days=1)
    return closed


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class AgendaDay:
    day: date
    closed: str = ""
    slots: dict[time, AgendaSlot] = field(default_factory=dict)  # by local start time


@dataclass
class AgendaWeek:
    """An operator's week as a grid: a row for each start time, a column for each day."""

    monday: date
    days: list[AgendaDay]
    times: list[time]

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def rows(self) -> list[tuple[time, list[AgendaSlot | None]]]:
        return [(start, [day.slots.get(start) for day in self.days]) for start in self.times]


def week_agenda(*, operator, monday: date) -> AgendaWeek:
    """The operator's slots over a week, with who is booked in them and the closed days."""
    booked = Interview.objects.filter(status__in=ACTIVE).select_related("person")
    slots = (
        AgendaSlot.objects.filter(
            operator=operator,
            starts_at__gte=midnight(monday),
            starts_at__lt=midnight(monday + timedelta(days=7)),
        )
        .prefetch_related(Prefetch("interviews", queryset=booked, to_attr="booked"))
        .order_by("starts_at")
    )
    closed = closed_days(operator=operator, first=monday, last=monday + timedelta(days=6))
    days = [
        AgendaDay(
            day=monday + timedelta(days=offset), closed=closed.get(monday + timedelta(offset), "")
        )
        for offset in range(7)
    ]
    times = set()
    for slot in slots:
        local = timezone.localtime(slot.starts_at)
        days[local.weekday()].slots[local.time()] = slot
        times.add(local.time())
    return AgendaWeek(monday=monday, days=days, times=sorted(times))


def upcoming_closures(operator) -> QuerySet[Closure]:
    """The closures still to come (or under way) that close the operator's agenda."""
    return Closure.objects.filter(
        closures_of(operator), ends_on__gte=timezone.localdate()
    ).select_related("operator")


def interviews_on_closed_days(closure: Closure) -> QuerySet[Interview]:
    """Interviews still booked inside a closure: the operator has to move them."""
    interviews = Interview.objects.filter(
        status=InterviewStatus.SCHEDULED,
        scheduled_at__gte=midnight(closure.starts_on),
        scheduled_at__lt=midnight(closure.ends_on + timedelta(days=1)),
    )
    if closure.operator_id:
        interviews = interviews.filter(operator_id=closure.operator_id)
    return interviews.select_related("person", "operator").order_by("scheduled_at")


def feed_interviews(operator) -> QuerySet[Interview]:
    """What an operator's calendar app shows: their interviews from a month ago on."""
    return (
        Interview.objects.filter(
            operator=operator,
            status__in=ACTIVE,
            scheduled_at__gte=timezone.now() - timedelta(days=30),
        )
        .select_related("slot")
        .order_by("scheduled_at")
    )


def feed_for_token_hash(token_hash: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.select_related("operator")
        .filter(token_hash=token_hash, operator__is_active=True)
        .first()
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
