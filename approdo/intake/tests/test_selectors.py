import pytest

from approdo.intake.selectors import free_slots, pending_interview
from approdo.intake.services import book_first_interview, record_no_show
from tests.factories import PersonFactory, UserFactory, slot_for

pytestmark = pytest.mark.django_db


def test_free_slots_leave_out_booked_and_past_ones_soonest_first(operator):
    later, sooner = slot_for(operator, days_ahead=3), slot_for(operator, days_ahead=1)
    booked = slot_for(operator, days_ahead=2)
    slot_for(operator, days_ahead=-1)
    book_first_interview(person=PersonFactory(), slot_id=booked.pk, mode="presenza", by=operator)
    assert list(free_slots()) == [sooner, later]


def test_free_slots_of_one_operator(operator):
    mine = slot_for(operator)
    slot_for(UserFactory())
    assert list(free_slots(operator=operator)) == [mine]


def test_the_pending_interview_is_the_booked_one_not_a_missed_one(operator):
    from approdo.intake.tests.test_services import held_an_hour_ago

    person = PersonFactory()
    missed = held_an_hour_ago(person, operator)
    assert pending_interview(person) == missed
    record_no_show(interview=missed, by=operator)
    assert pending_interview(person) is None
    booked = book_first_interview(
        person=person, slot_id=slot_for(operator).pk, mode="presenza", by=operator
    )
    assert pending_interview(person) == booked


def test_the_file_offers_the_outcome_only_when_the_interview_is_due(operator_client, operator):
    from datetime import timedelta

    from django.utils import timezone

    from approdo.intake.tests.test_services import held_an_hour_ago

    person = PersonFactory()
    tomorrow = book_first_interview(
        person=person, slot_id=slot_for(operator).pk, mode="presenza", by=operator
    )
    page = operator_client.get(f"/lavoro/persone/{person.pk}/").content.decode()
    assert "Registra l'esito" not in page and "Non presentato" not in page
    assert not tomorrow.outcome_can_be_recorded
    tomorrow.scheduled_at = timezone.now() + timedelta(minutes=30)
    assert tomorrow.outcome_can_be_recorded and not tomorrow.no_show_can_be_recorded
    other = PersonFactory()
    held_an_hour_ago(other, operator)
    page = operator_client.get(f"/lavoro/persone/{other.pk}/").content.decode()
    assert "Registra l'esito" in page and "Non presentato" in page
