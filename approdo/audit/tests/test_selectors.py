from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.test import Client, RequestFactory
from django.utils import timezone

from approdo.audit.selectors import audit_entries
from approdo.audit.services import record_access
from approdo.people.services import update_person
from conftest import login
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _read(person, user):
    request = RequestFactory().get("/")
    request.user = user
    return record_access(
        request=request, instance=person, detail="Consultazione della scheda", person_id=person.pk
    )


def test_a_read_is_recorded_with_who_and_which_person(operator):
    person = PersonFactory()
    entry = _read(person, operator)
    assert entry.action == LogEntry.Action.ACCESS
    assert (entry.actor, entry.additional_data["person_id"]) == (operator, person.pk)


def test_entries_are_filtered_by_person_actor_action_and_day(operator):
    person, other = PersonFactory(), PersonFactory()
    _read(person, operator)
    _read(other, UserFactory())
    update_person(person=person, data={"phone": "3479998877"})

    assert {e.additional_data["person_id"] for e in audit_entries(person_id=person.pk)} == {
        person.pk
    }
    assert [e.actor for e in audit_entries(actor_id=operator.pk)] == [operator]
    changes = audit_entries(person_id=person.pk, action=LogEntry.Action.UPDATE)
    assert [e.changes_dict.get("phone", [None, None])[1] for e in changes] == ["3479998877"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert not audit_entries(day_from=tomorrow).exists()


def test_the_log_page_lists_entries_for_who_may_read_it(coordinator_client, operator):
    _read(PersonFactory(), UserFactory())
    assert coordinator_client.get("/registro/").status_code == 200
    assert login(Client(), operator).get("/registro/").status_code == 403


def test_changes_read_in_italian_with_labels_and_no_none(
    coordinator_client, django_assert_max_num_queries
):
    person = PersonFactory(phone="")
    update_person(person=person, data={"phone": "3479998877"})
    for _ in range(5):
        update_person(person=PersonFactory(), data={"phone": "3470000000"})
    with django_assert_max_num_queries(12):
        page = coordinator_client.get("/registro/").content.decode()
    assert "Telefono: vuoto → 3479998877" in page
    assert "None" not in page and "phone:" not in page
    assert "Stato: vuoto → Registrato" in page  # a choice by its label
