from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from approdo.comms.models import OutboundEmail
from approdo.events.models import Registration, Session
from approdo.intake.models import AgendaSlot, Closure, Interview, InterviewKind, InterviewStatus
from approdo.intake.selectors import free_slots
from approdo.surveys.models import Invitation, Survey
from approdo.training.models import Course, Participation

from .models import AreaMessage, AreaSession
from .rules import CHANGE_NOTICE

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


def open_surveys(person) -> QuerySet[Invitation]:
    """The questionnaires the person was sent and has not answered yet, still open."""
    today = timezone.localdate()
    return (
        Invitation.objects.filter(
            person=person, submitted_at__isnull=True, survey__state=Survey.State.OPEN
        )
        .filter(Q(survey__closes_on__isnull=True) | Q(survey__closes_on__gte=today))
        .select_related("survey")
        .order_by("-created_at")
    )


def participations_of(person) -> QuerySet[Participation]:
    return (
        Participation.objects.filter(person=person)
        .select_related("course")
        .order_by("-course__start_on")
    )


def courses_to_join(person) -> QuerySet[Course]:
    """Editions that have not started yet, that the person is not in."""
    return (
        Course.objects.filter(closed_on__isnull=True, start_on__gt=timezone.localdate())
        .exclude(participations__person=person)
        .order_by("start_on", "title")
    )


def event_registrations_of(person) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(person=person, session__starts_at__gte=timezone.now())
        .select_related("session__event")
        .order_by("session__starts_at")
    )


def sessions_to_join(person) -> QuerySet[Session]:
    """Sessions still to come of published events, that the person is not registered for."""
    mine = Registration.objects.filter(
        session=OuterRef("pk"), person=person, cancelled_at__isnull=True
    )
    return (
        Session.objects.filter(
            cancelled_at__isnull=True, starts_at__gt=timezone.now(), event__published=True
        )
        .exclude(Exists(mine))
        .select_related("event")
        .order_by("starts_at")
    )
