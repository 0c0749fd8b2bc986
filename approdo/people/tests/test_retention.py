"""Requests about data with their deadline; erasure with a second approver; the nightly
anonymisation of files inactive for ten years, which leaves past figures as they were."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approdo.accounts.roles import Role
from approdo.people.models import CurriculumText, DocumentVersion, Person, RightsRequest
from approdo.people.retention import apply_retention
from approdo.people.services import (
    add_sensitive_note,
    close_rights_request,
    record_rights_request,
    set_cv_text,
    store_document,
)
from approdo.reports.indicators import annual_report
from approdo.reports.tests.test_indicators import at, first_interview, place
from conftest import login
from tests.documents import PDF
from tests.factories import PersonFactory, UserFactory, company


def _full_file(**fields) -> Person:
    person = PersonFactory(in_ips_path=True, **fields)
    store_document(
        person=person,
        kind="cv",
        uploaded_file=SimpleUploadedFile("cv.pdf", PDF, "application/pdf"),
        by=None,
    )
    set_cv_text(person=person, text="Magazziniere a Bologna")
    add_sensitive_note(person=person, text="Nota", by=None)
    return person


def _assert_anonymised(person: Person, files) -> None:
    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert person.fiscal_code is None and person.email == "" and person.phone == ""
    assert person.first_name == "Persona" and "anonimizzata" in person.last_name
    assert not DocumentVersion.objects.filter(document__person=person).exists()
    assert not CurriculumText.objects.filter(person=person).exists()
    assert not person.sensitive_notes.exists()
    assert not any(path.exists() for path in files)


def _files(person):
    from approdo.people.services import document_path

    return [
        document_path(version)
        for version in DocumentVersion.objects.filter(document__person=person)
    ]


@pytest.mark.django_db
def test_a_request_is_due_within_thirty_days_and_shows_when_overdue(coordinator_client):
    person = PersonFactory()
    request = record_rights_request(
        person=person, kind="accesso", received_on=timezone.localdate() - timedelta(days=31)
    )
    assert request.due_on == request.received_on + timedelta(days=30) and request.overdue
    page = coordinator_client.get(reverse("people:rights_requests")).content.decode()
    assert "(scaduta)" in page and str(person) in page
    with pytest.raises(Exception, match="futura"):
        record_rights_request(
            person=person, kind="accesso", received_on=timezone.localdate() + timedelta(days=1)
        )


@pytest.mark.django_db(transaction=True)
def test_erasure_needs_a_second_person_and_anonymises_the_file(reference_data):
    operator = UserFactory(role=Role.SPECIALISTA_IPS)  # the person is in the IPS path
    coordinator = UserFactory(role=Role.COORDINATORE)
    person = _full_file()
    files = _files(person)
    assert files and all(path.exists() for path in files)
    client = login(Client(), operator)
    client.post(
        reverse("people:rights_request_add", args=[person.pk]),
        {"kind": "cancellazione", "received_on": timezone.localdate().isoformat()},
    )
    request = RightsRequest.objects.get()
    assert request.recorded_by == operator
    close_url = reverse("people:rights_request_close", args=[person.pk, request.pk])
    # The operator may not approve an erasure; nor may the coordinator who recorded one.
    refused = client.post(close_url, {"status": "evasa"}, follow=True).content.decode()
    assert "la approva un coordinatore" in refused
    with pytest.raises(Exception, match="diversa da chi ha registrato"):
        own = record_rights_request(
            person=person, kind="cancellazione", received_on=date.today(), by=coordinator
        )
        close_rights_request(rights_request=own, status="evasa", outcome="", by=coordinator)
    login(Client(), coordinator).post(close_url, {"status": "evasa", "outcome": "Fatto"})
    _assert_anonymised(person, files)
    request.refresh_from_db()
    assert request.status == "evasa" and request.closed_by == coordinator


@pytest.mark.django_db(transaction=True)
def test_the_nightly_job_anonymises_inactive_files_and_past_figures_stay(reference_data):
    old_day = timezone.localdate().replace(year=timezone.localdate().year - 12)
    year = old_day.year
    employer = company()
    old = _full_file(registered_at=at(old_day.isoformat()), status="in carico")
    first_interview(old, old_day.isoformat())
    place(old, employer, (old_day + timedelta(days=30)).isoformat())
    recent = PersonFactory(registered_at=at(old_day.isoformat()))
    place(recent, employer, (timezone.localdate() - timedelta(days=400)).isoformat())
    files = _files(old)
    before = annual_report(year)
    call_command("apply_retention")
    _assert_anonymised(old, files)
    recent.refresh_from_db()
    assert recent.anonymised_at is None  # a placement two years ago is recent activity
    assert annual_report(year) == before
    assert apply_retention() == 0  # nothing twice
