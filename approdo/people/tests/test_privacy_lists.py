"""The lists of the privacy pages read a fixed number of queries, however long they are."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from approdo.accounts.models import Team
from approdo.audit.models import SecurityAlert
from approdo.people.models import BreakGlassAccess
from approdo.people.services import record_rights_request
from tests.factories import PersonFactory, UserFactory


@pytest.fixture
def many(db):
    team = Team.objects.create(name="Sportello Centro")
    now = timezone.now()
    for _ in range(12):  # twelve rows: one query more per row would show
        user = UserFactory(team=team)
        person = PersonFactory(team=team)
        BreakGlassAccess.objects.create(
            person=person,
            user=user,
            reason="Motivo sufficientemente lungo",
            created_at=now,
            expires_at=now + timedelta(hours=8),
        )
        record_rights_request(person=person, kind="accesso", received_on=now.date(), by=user)
        SecurityAlert.objects.create(kind="letture", user=user, detail="Molte letture")


@pytest.mark.parametrize(
    "url_name, queries",
    [
        ("people:break_glass_report", 9),
        ("people:rights_requests", 9),
        ("audit:alerts", 9),
        ("accounts:teams", 8),
    ],
)
def test_privacy_lists_read_a_fixed_number_of_queries(
    many, url_name, queries, django_assert_num_queries
):
    from django.test import Client

    from conftest import login

    client = login(Client(), UserFactory(role="amministratore"))
    with django_assert_num_queries(queries):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
