from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from approdo.comms.models import OutboundEmail
from approdo.intake.models import AgendaSlot, Closure, Interview, InterviewKind, InterviewStatus
from approdo.intake.selectors import free_slots

from .models import AreaMessage, AreaSession
from .services import CHANGE_NOTICE, IDLE_LIMIT

# How far ahead the area offers slots to move an appointment to.
MOVE_DAYS_AHEAD = 45


def appointments_of(person) -> QuerySet[Interview]:
    return (
        Interview.objects.filter(
            person=person, status=InterviewStatus.SCHEDULED, scheduled_at__gte=timezone.now()
        )
        .select_related("operator", "slot")
        .order_by("scheduled_at")
    )


def slots_for_moving(interview: Interview) -> QuerySet[AgendaSlot]:
    """The free slots an appointment may move to: of the same service (a follow-up stays
    with its operator; a first interview goes to any operator of the same team), at
    least 24 hours ahead, on days the agenda is open."""
    slots = free_slots(days_ahead=MOVE_DAYS_AHEAD).filter(
        starts_at__gte=timezone.now() + CHANGE_NOTICE
    )
    if interview.kind == InterviewKind.MONITORAGGIO:
        slots = slots.filter(operator=interview.operator_id)
    else:
        team = interview.operator.team_id
        slots = slots.filter(operator__team=team) if team else slots.filter(operator__team=None)
    day = TruncDate("starts_at", tzinfo=timezone.get_current_timezone())
    closed = Closure.objects.filter(
        Q(operator__isnull=True) | Q(operator=OuterRef("operator")),
        starts_on__lte=OuterRef("day"),
        ends_on__gte=OuterRef("day"),
    )
    return slots.annotate(day=day).exclude(Exists(closed))


def sent_messages(person) -> QuerySet[OutboundEmail]:
    return (
        OutboundEmail.objects.filter(person=person, status=OutboundEmail.Status.SENT)
        .only("pk", "subject", "body", "sent_at", "kind")
        .order_by("-sent_at", "-pk")
    )


def written_messages(person) -> QuerySet[AreaMessage]:
    return AreaMessage.objects.filter(person=person)


def access_history(person) -> QuerySet[AreaSession]:
    return AreaSession.objects.filter(person=person)


def open_sessions(person) -> int:
    return AreaSession.objects.filter(
        person=person,
        ended_at__isnull=True,
        last_seen_at__gte=timezone.now() - IDLE_LIMIT,
    ).count()
