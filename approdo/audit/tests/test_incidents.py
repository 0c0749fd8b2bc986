"""The register of personal data breaches, with the 72-hour clock."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approdo.accounts.roles import Role
from approdo.audit.models import Incident
from conftest import login
from tests.factories import UserFactory


@pytest.fixture
def admin_client(db):
    return login(Client(), UserFactory(role=Role.AMMINISTRATORE))


def _form(**overrides) -> dict:
    data = {
        "discovered_at": (timezone.localtime() - timedelta(hours=80)).strftime("%Y-%m-%dT%H:%M"),
        "kind": "riservatezza",
        "description": "Un elenco esportato è stato inviato per errore a un'azienda.",
        "data_categories": "nomi, telefoni",
        "people_affected": "40",
        "must_notify": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_breach_is_recorded_and_its_notification_deadline_shown(
    admin_client, django_assert_max_num_queries
):
    response = admin_client.post(reverse("audit:incident_create"), _form())
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.recorded_by is not None and incident.notification_overdue
    with django_assert_max_num_queries(8):
        page = admin_client.get(reverse("audit:incidents")).content.decode()
    assert "termine scaduto il" in page
    admin_client.post(
        reverse("audit:incident_edit", args=[incident.pk]),
        _form(authority_notified_at=timezone.localtime().strftime("%Y-%m-%dT%H:%M")),
    )
    incident.refresh_from_db()
    assert not incident.notification_overdue
    assert "fatta il" in admin_client.get(reverse("audit:incidents")).content.decode()


@pytest.mark.django_db
def test_not_notifying_needs_a_reason(admin_client):
    response = admin_client.post(reverse("audit:incident_create"), _form(must_notify=""))
    assert response.status_code == 400
    assert "scriva perché" in response.content.decode()
    assert not Incident.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OPERATORE, Role.COORDINATORE, Role.SOLA_LETTURA])
def test_only_administrators_keep_the_register(role):
    client = login(Client(), UserFactory(role=role))
    assert client.get(reverse("audit:incidents")).status_code == 403
