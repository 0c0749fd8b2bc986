"""Every upload waits in quarantine until a real clamd (with a test signature) says it is
clean; infected files are removed; with the scanner down a file waits, never passes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from approdo.audit.models import SecurityAlert
from approdo.core.antivirus import ScanStatus, scan_file
from approdo.people.services import document_path
from approdo.people.tasks import scan_upload
from conftest import login
from tests.documents import INFECTED_PDF, PDF
from tests.factories import PersonFactory, UserFactory


@pytest.fixture
def scanner(settings, clamd_address):
    settings.CLAMD_ADDRESS = clamd_address
    return clamd_address


def _upload(client, person, content: bytes):
    client.post(
        reverse("people:document_upload", args=[person.pk]),
        {"kind": "cv", "file": SimpleUploadedFile("cv.pdf", content, "application/pdf")},
    )
    return person.documents.get().versions.get()


def _download(client, person, version):
    return client.get(reverse("people:document_download", args=[person.pk, version.pk]))


def test_the_scanner_tells_clean_from_infected(scanner, tmp_path):
    clean, infected = tmp_path / "clean.pdf", tmp_path / "infected.pdf"
    clean.write_bytes(PDF)
    infected.write_bytes(INFECTED_PDF)
    assert scan_file(clean).clean
    verdict = scan_file(infected)
    assert not verdict.clean and "Approdo.Test.Signature" in verdict.signature


@pytest.mark.django_db
def test_a_clean_upload_is_served_only_after_the_scan(scanner, run_tasks):
    person = PersonFactory()
    client = login(Client(), UserFactory())
    version = _upload(client, person, PDF)
    assert version.scan_status == ScanStatus.QUARANTINE
    waiting = _download(client, person, version)
    assert waiting.status_code == 302
    assert "in quarantena" in client.get(waiting["Location"]).content.decode()
    run_tasks()
    version.refresh_from_db()
    assert version.scan_status == ScanStatus.CLEAN
    served = _download(client, person, version)
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF


@pytest.mark.django_db
def test_an_infected_upload_is_removed_and_alerts_the_administrators(
    scanner, run_tasks, django_capture_on_commit_callbacks
):
    UserFactory(role="amministratore")
    person = PersonFactory()
    client = login(Client(), UserFactory())
    version = _upload(client, person, INFECTED_PDF)
    path = document_path(version)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once committed
        run_tasks()
    version.refresh_from_db()
    assert version.scan_status == ScanStatus.INFECTED
    assert "Approdo.Test.Signature" in version.scan_signature
    assert not path.exists()
    refused = client.get(_download(client, person, version)["Location"]).content.decode()
    assert "conteneva un virus" in refused
    assert SecurityAlert.objects.get().kind == SecurityAlert.Kind.MALWARE


@pytest.mark.django_db
def test_with_the_scanner_down_a_file_waits_and_is_scanned_later(settings, scanner, run_tasks):
    settings.CLAMD_ADDRESS = scanner + ".spento"  # nobody listens there
    person = PersonFactory()
    client = login(Client(), UserFactory())
    version = _upload(client, person, PDF)
    run_tasks()
    version.refresh_from_db()
    assert version.scan_status == ScanStatus.QUARANTINE
    assert _download(client, person, version).status_code == 302
    retry = DBTaskResult.objects.filter(status="READY", run_after__isnull=False).get()
    assert retry.args_kwargs["kwargs"]["pk"] == version.pk
    settings.CLAMD_ADDRESS = scanner  # back up: the retry scans it
    assert scan_upload.call(**retry.args_kwargs["kwargs"]) == ScanStatus.CLEAN
    assert _download(client, person, version).status_code == 200
