"""Unusual volumes raise an alert to the administrators, by e-mail, once per window."""

import pytest
from django.test import Client
from django.urls import reverse

from approdo.accounts.roles import Role
from approdo.audit.models import SecurityAlert
from conftest import login
from tests.factories import PersonFactory, UserFactory


@pytest.fixture
def low_thresholds(settings):
    settings.READ_ALERT_COUNT = 3
    settings.READ_ALERT_MINUTES = 10
    settings.EXPORT_ALERT_ROWS = 2


@pytest.mark.django_db
def test_many_files_read_in_minutes_alert_the_administrators(low_thresholds, run_tasks, mailbox):
    admin = UserFactory(role=Role.AMMINISTRATORE, email="admin@approdo.test")
    operator = UserFactory()
    client = login(Client(), operator)
    people = PersonFactory.create_batch(6)
    for person in people[:3]:
        client.get(reverse("people:detail", args=[person.pk]))
    assert not SecurityAlert.objects.exists()
    for person in people[3:]:
        client.get(reverse("people:detail", args=[person.pk]))
    alert = SecurityAlert.objects.get()  # once, however many reads follow
    assert alert.user == operator and alert.kind == SecurityAlert.Kind.READS
    run_tasks()
    assert [message["To"] for message in mailbox] == [admin.email]
    assert "più di 3 schede" in mailbox[0].get_content()
    page = login(Client(), admin).get(reverse("audit:alerts")).content.decode()
    assert "più di 3 schede" in page
    login(Client(), admin).post(reverse("audit:alerts"), {"allarme": alert.pk})
    alert.refresh_from_db()
    assert alert.seen_by == admin


@pytest.mark.django_db
def test_a_large_export_alerts_the_administrators(low_thresholds, run_tasks):
    UserFactory(role=Role.AMMINISTRATORE)
    operator = UserFactory()
    PersonFactory.create_batch(3)
    login(Client(), operator).post(reverse("exports:request", args=["persone"]), {})
    run_tasks()
    alert = SecurityAlert.objects.get()
    assert alert.kind == SecurityAlert.Kind.EXPORT and "3 righe" in alert.detail


@pytest.mark.django_db
def test_only_administrators_see_the_alerts(operator_client):
    assert operator_client.get(reverse("audit:alerts")).status_code == 403
