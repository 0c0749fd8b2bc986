from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone

from approdo.people import services
from approdo.people.choices import DocumentKind, ExitReason, Status
from approdo.people.models import DocumentVersion, Person
from tests.documents import PDF
from tests.factories import PersonFactory


@pytest.mark.django_db
def test_leaving_the_programme_emails_the_person_about_readmission(operator, mailbox, run_tasks):
    person = PersonFactory(status=Status.IN_CARICO)
    services.change_status(
        person=person,
        to_status=Status.FUORI_PROTOCOLLO,
        reason=ExitReason.IRREPERIBILE,
        by=operator,
    )
    run_tasks()
    person.refresh_from_db()
    assert person.status == Status.FUORI_PROTOCOLLO
    assert person.exit_reason == ExitReason.IRREPERIBILE
    [message] = mailbox
    assert message["To"] == person.email
    body = message.get_content()
    assert "irreperibile" in body
    assert "riammesso/a in qualsiasi momento" in body


@pytest.mark.django_db
def test_readmission_is_logged_as_such(operator, run_tasks, mailbox):
    person = PersonFactory(status=Status.FUORI_PROTOCOLLO, exit_reason=ExitReason.LAVORA)
    change = services.change_status(person=person, to_status=Status.IN_CARICO, by=operator)
    assert change.is_readmission
    person.refresh_from_db()
    assert person.exit_reason == ""
    run_tasks()
    assert "bentornato" in mailbox[0]["Subject"]


@pytest.mark.django_db
def test_leaving_without_a_reason_is_refused_and_nothing_changes(operator):
    person = PersonFactory(status=Status.IN_CARICO)
    with pytest.raises(ValidationError):
        services.change_status(person=person, to_status=Status.FUORI_PROTOCOLLO, by=operator)
    person.refresh_from_db()
    assert person.status == Status.IN_CARICO
    assert not person.status_changes.exists()


@pytest.mark.django_db
def test_database_refuses_an_exit_reason_for_someone_in_charge():
    person = PersonFactory(status=Status.IN_CARICO)
    with pytest.raises(IntegrityError):
        Person.objects.filter(pk=person.pk).update(exit_reason=ExitReason.LAVORA)


@pytest.mark.django_db
def test_unreachable_needs_three_unanswered_calls_at_different_times(operator):
    person = PersonFactory()
    base = timezone.localtime(timezone.now()).replace(hour=9, minute=0) - timedelta(days=3)
    for minutes in (0, 30, 60):  # same morning: counts once
        services.record_contact_attempt(
            person=person, answered=False, by=operator, called_at=base + timedelta(minutes=minutes)
        )
    assert not services.is_unreachable(person)
    services.record_contact_attempt(
        person=person, answered=False, by=operator, called_at=base + timedelta(hours=5)
    )
    assert not services.is_unreachable(person)
    services.record_contact_attempt(
        person=person, answered=False, by=operator, called_at=base + timedelta(days=1, hours=9)
    )
    assert services.is_unreachable(person)


@pytest.mark.django_db
def test_documents_keep_their_versions(operator, settings):
    person = PersonFactory()
    first = services.store_document(
        person=person,
        kind=DocumentKind.CV,
        by=operator,
        uploaded_file=SimpleUploadedFile("cv.pdf", PDF),
    )
    second = services.store_document(
        person=person,
        kind=DocumentKind.CV,
        by=operator,
        uploaded_file=SimpleUploadedFile("cv-2026.pdf", PDF),
    )
    assert (first.number, second.number) == (1, 2)
    assert person.documents.get().current_version == second
    stored = services.document_path(second)
    assert stored.read_bytes() == PDF
    assert settings.DOCUMENTS_DIR in stored.parents


@pytest.mark.django_db
def test_a_file_that_is_not_really_a_pdf_is_refused_and_nothing_is_stored(settings):
    person = PersonFactory()
    fake = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 this is an executable", "application/pdf")
    with pytest.raises(ValidationError, match="non è un PDF, un JPEG o un PNG"):
        services.store_document(person=person, kind=DocumentKind.CV, uploaded_file=fake)
    assert not DocumentVersion.objects.exists()
    assert not settings.DOCUMENTS_DIR.exists() or not any(settings.DOCUMENTS_DIR.rglob("*.*"))


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    person = PersonFactory()
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="troppo grande"):
        services.store_document(person=person, kind=DocumentKind.IDENTITY, uploaded_file=big)


@pytest.mark.django_db
def test_sensitive_notes_only_for_people_in_the_ips_path(ips_specialist):
    person = PersonFactory(in_ips_path=False)
    with pytest.raises(ValidationError):
        services.add_sensitive_note(person=person, text="diagnosi", by=ips_specialist)
