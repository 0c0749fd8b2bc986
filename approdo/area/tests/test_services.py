import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from approdo.area import services
from approdo.area.models import AreaMessage, AreaSession, LoginLink
from approdo.casework.models import Task
from approdo.comms.models import OutboundEmail
from approdo.intake.models import InterviewStatus
from approdo.people.choices import Status
from tests.factories import PersonFactory, UserFactory, slot_for

from .helpers import booked, slot_in

pytestmark = pytest.mark.django_db

VISITOR = services.Visitor(ip_address="192.0.2.7", user_agent="Telefono di prova")


def _link_from(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"/area/accesso/([\w-]+)/", body).group(1)


def test_a_link_goes_to_the_address_on_file_and_opens_the_area_once(mailbox, run_tasks):
    person = PersonFactory(email="Maria.Rossi@Esempio.it")
    assert services.request_login_link(email="maria.rossi@esempio.it ", connection_key="k") == 1
    run_tasks()
    [message] = mailbox
    assert message["To"] == "Maria.Rossi@Esempio.it"
    token = _link_from(message)
    assert not LoginLink.objects.filter(token_hash=token).exists()  # only its hash is kept
    kept = OutboundEmail.objects.get(kind="accesso area personale")
    assert token not in kept.body and kept.secret == ""  # nor in the copy of the e-mail
    session, session_token = services.redeem_login_link(token=token, visitor=VISITOR)
    assert session.person == person and session.method == "link"
    assert services.session_of(session_token).pk == session.pk
    assert services.redeem_login_link(token=token, visitor=VISITOR) is None  # single use


def test_an_unknown_address_gets_nothing_and_the_same_answer(mailbox, run_tasks):
    assert services.request_login_link(email="nessuno@esempio.it", connection_key="k") == 0
    run_tasks()
    assert mailbox == []
    assert not LoginLink.objects.exists()


def test_a_link_expires_after_fifteen_minutes():
    person = PersonFactory()
    LoginLink.objects.create(
        person=person,
        token_hash=services.token_hash("vecchio"),
        created_at=timezone.now() - timedelta(minutes=16),
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    assert not services.link_is_usable("vecchio")
    assert services.redeem_login_link(token="vecchio", visitor=VISITOR) is None


def test_links_are_rate_limited_per_address_and_per_connection(mailbox):
    PersonFactory(email="uno@esempio.it")
    sent = [
        services.request_login_link(email="uno@esempio.it", connection_key=f"c{n}")
        for n in range(services.LINKS_PER_ADDRESS + 2)
    ]
    assert sent == [1] * services.LINKS_PER_ADDRESS + [0, 0]
    for _ in range(services.LINKS_PER_CONNECTION):
        services.request_login_link(email="altro@esempio.it", connection_key="stessa")
    with pytest.raises(services.TooManyRequests):
        services.request_login_link(email="altro@esempio.it", connection_key="stessa")


def test_an_idle_session_ends_after_fifteen_minutes():
    session, token = services.start_session(person=PersonFactory(), method="link", visitor=VISITOR)
    AreaSession.objects.filter(pk=session.pk).update(
        last_seen_at=timezone.now() - timedelta(minutes=16)
    )
    assert services.session_of(token) is None
    session.refresh_from_db()
    assert session.end_reason == AreaSession.EndReason.IDLE


def test_logging_out_everywhere_ends_every_session_of_the_person_only():
    person, other = PersonFactory(), PersonFactory()
    tokens = [services.start_session(person=person, method="link", visitor=VISITOR)[1]]
    tokens.append(services.start_session(person=person, method="link", visitor=VISITOR)[1])
    _, others = services.start_session(person=other, method="link", visitor=VISITOR)
    assert services.end_every_session(person) == 2
    assert [services.session_of(token) for token in tokens] == [None, None]
    assert services.session_of(others) is not None


def _ics(message):
    [attachment] = list(message.iter_attachments())
    return Calendar.from_ical(attachment.get_content()).walk("VEVENT")[0]


def test_moving_an_appointment_keeps_the_invitation_and_tells_the_operator(
    operator, mailbox, run_tasks
):
    person = PersonFactory()
    first = booked(person, operator, slot_for(operator, days_ahead=3))
    later = slot_for(operator, days_ahead=5, hour=11)
    moved = services.move_appointment(person=person, interview_id=first.pk, slot_id=later.pk)
    run_tasks()
    event = _ics(mailbox[-1])
    assert str(event["uid"]) == first.calendar_uid and event["sequence"] == 1
    assert moved.scheduled_at == later.starts_at
    task = Task.objects.get(person=person, origin=Task.Origin.PERSON_AREA)
    assert task.assignee == operator and "spostato" in task.title


def test_an_appointment_within_24_hours_cannot_be_changed(operator):
    person = PersonFactory()
    interview = booked(person, operator, slot_in(operator, hours=3))
    with pytest.raises(ValidationError, match="24 ore"):
        services.cancel_appointment(person=person, interview_id=interview.pk, reason="malata")


def test_only_free_slots_of_the_same_service_are_offered(operator):
    person = PersonFactory(status=Status.IN_CARICO, case_manager=operator)
    follow_up = booked(person, operator, slot_for(operator, days_ahead=3), kind="monitoraggio")
    colleague = UserFactory()
    mine = slot_for(operator, days_ahead=6)
    theirs = slot_for(colleague, days_ahead=6)
    too_soon = slot_in(operator, hours=3)
    from approdo.area.selectors import slots_for_moving

    offered = set(slots_for_moving(follow_up).values_list("pk", flat=True))
    assert mine.pk in offered and theirs.pk not in offered and too_soon.pk not in offered
    with pytest.raises(ValidationError):
        services.move_appointment(person=person, interview_id=follow_up.pk, slot_id=theirs.pk)


def test_cancelling_withdraws_the_calendar_entry(operator, mailbox, run_tasks):
    person = PersonFactory()
    interview = booked(person, operator, slot_for(operator, days_ahead=3))
    services.cancel_appointment(person=person, interview_id=interview.pk, reason="Ho un lavoro")
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CANCELLED
    run_tasks()
    assert "annullato" in mailbox[-1]["Subject"]
    event = _ics(mailbox[-1])
    assert event["sequence"] == 1 and str(event["status"]) == "CANCELLED"
    assert "Ho un lavoro" in Task.objects.get(origin=Task.Origin.PERSON_AREA).title


def test_someone_elses_appointment_is_not_found(operator):
    interview = booked(PersonFactory(), operator, slot_for(operator, days_ahead=3))
    with pytest.raises(ValidationError, match="non trovato"):
        services.cancel_appointment(person=PersonFactory(), interview_id=interview.pk, reason="x")


def test_a_message_lands_as_a_task_for_the_case_manager(operator):
    person = PersonFactory(case_manager=operator)
    message = services.write_to_case_manager(person=person, text="  Ho trovato lavoro!  ")
    assert message.text == "Ho trovato lavoro!"
    assert message.task.assignee == operator and message.task.due_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.write_to_case_manager(person=person, text="   ")
    assert AreaMessage.objects.count() == 1


def test_withdrawing_a_consent_takes_effect_at_once():
    person = PersonFactory(consent_cv_at=timezone.now())
    services.change_consent(person=person, purpose="invio_cv", given=False)
    person.refresh_from_db()
    assert person.consent_cv_at is None
    assert person.consents.get().channel == "area"


def test_old_accesses_lose_their_address_and_device():
    session, _ = services.start_session(person=PersonFactory(), method="link", visitor=VISITOR)
    AreaSession.objects.filter(pk=session.pk).update(
        started_at=timezone.now() - timedelta(days=400)
    )
    assert services.forget_old_accesses() == (1, 0)
    session.refresh_from_db()
    assert session.ip_address is None and session.user_agent == ""
