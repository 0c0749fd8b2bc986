import pytest

from approdo.demo.management.commands.demo import _area_demo_person
from approdo.intake.services import book_first_interview
from tests.factories import PersonFactory, slot_for


@pytest.mark.django_db
def test_the_demo_offers_someone_with_an_appointment_to_try_the_area(operator):
    PersonFactory(email="senza.appuntamento@esempio.it")
    with_one = PersonFactory(email="con.appuntamento@esempio.it")
    book_first_interview(
        person=with_one, slot_id=slot_for(operator, days_ahead=4).pk, mode="presenza", by=operator
    )
    assert _area_demo_person() == with_one
