import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from approdo.legacy.models import ImportJob
from approdo.people.models import Person
from conftest import login


def export_zip(export) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in export.folder.glob("*.csv"):
            archive.write(path, f"esportazione/{path.name}")
    return SimpleUploadedFile("esportazione.zip", buffer.getvalue(), "application/zip")


@pytest.mark.django_db
def test_coordinator_uploads_an_export_and_the_worker_checks_it(
    coordinator_client, run_tasks, legacy_export
):
    response = coordinator_client.post(
        reverse("legacy:start"), {"export": export_zip(legacy_export), "dry_run": "on"}
    )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("legacy:job", args=[job.pk])
    assert job.status == "in coda"  # the request only queues it
    run_tasks()
    job.refresh_from_db()
    assert (job.status, job.progress, job.written) == ("completata", 100, False)
    dirty = f"persone.csv, riga {legacy_export.lines['persone.csv', 'impossible']}"
    assert dirty in job.report
    assert not Person.objects.exists()
    # The page groups problems by file and kind, with counts and the first rows of each.
    page = coordinator_client.get(reverse("legacy:job", args=[job.pk])).content.decode()
    assert "persone.csv, colonna data_nascita: data inesistente — 1 riga" in page
    assert f"riga {legacy_export.lines['persone.csv', 'impossible']} «15/13/1990»" in page
    assert "Non è stato scritto nulla." in page


@pytest.mark.django_db
def test_the_report_and_the_rejects_download_from_the_page_and_are_audited(
    coordinator_client, operator, run_tasks, legacy_export
):
    from auditlog.models import LogEntry

    coordinator_client.post(
        reverse("legacy:start"), {"export": export_zip(legacy_export), "skip_invalid": "on"}
    )
    run_tasks()
    job = ImportJob.objects.get()
    page = coordinator_client.get(reverse("legacy:job", args=[job.pk])).content.decode()
    rejects = reverse("legacy:file", args=[job.pk, "scarti-persone.csv"])
    assert rejects in page and reverse("legacy:file", args=[job.pk, "problemi.csv"]) in page
    response = coordinator_client.get(rejects)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Gotham" in content and "riga;motivi" in content.splitlines()[0]
    assert LogEntry.objects.filter(
        object_pk=str(job.pk), changes_text="Scaricamento del file scarti-persone.csv"
    ).exists()
    # Only the report's own files, and only for those who import.
    assert (
        coordinator_client.get(
            reverse("legacy:file", args=[job.pk, "esportazione.zip"])
        ).status_code
        == 404
    )
    assert login(Client(), operator).get(rejects).status_code == 403


@pytest.mark.django_db
def test_an_import_that_writes_leaves_one_audit_entry_with_who_and_what(
    coordinator_client, coordinator, run_tasks, legacy_export
):
    from auditlog.models import LogEntry

    coordinator_client.post(
        reverse("legacy:start"), {"export": export_zip(legacy_export), "skip_invalid": "on"}
    )
    run_tasks()
    job = ImportJob.objects.get()
    assert job.written
    entry = LogEntry.objects.get(object_pk=str(job.pk))
    assert entry.actor == coordinator
    assert "Create: persone" in entry.changes_text
    # The rows themselves are not audited one by one (they carry their legacy ids).
    assert not LogEntry.objects.filter(object_repr__startswith="Shehu").exists()


@pytest.mark.django_db
def test_a_file_that_is_not_a_zip_is_refused(coordinator_client):
    response = coordinator_client.post(
        reverse("legacy:start"),
        {"export": SimpleUploadedFile("persone.csv", b"id;cognome\n1;Rossi\n", "text/csv")},
    )
    assert response.status_code == 400
    assert "non è un archivio ZIP" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_operators_cannot_import(operator_client):
    assert operator_client.get(reverse("legacy:start")).status_code == 403


@pytest.mark.django_db
def test_a_zip_bomb_of_empty_lines_is_refused_before_it_is_unpacked(coordinator_client):
    from approdo.legacy.importer import FILES

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in FILES:
            archive.writestr(name, "id\n" + "\n" * (20 * 1024 * 1024 if name == FILES[0] else 1))
    response = coordinator_client.post(
        reverse("legacy:start"),
        {"export": SimpleUploadedFile("bomba.zip", buffer.getvalue(), "application/zip")},
    )
    assert response.status_code == 400
    assert "compresso" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_an_unexpected_error_fails_the_job_with_a_reference_not_a_traceback(
    coordinator_client, run_tasks, legacy_export, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("bug in the importer")

    monkeypatch.setattr("approdo.legacy.services.LegacyImport.run", broken)
    coordinator_client.post(
        reverse("legacy:start"), {"export": export_zip(legacy_export), "dry_run": "on"}
    )
    run_tasks()
    job = ImportJob.objects.get()
    assert job.status == "non riuscita"
    assert job.message.startswith("Errore imprevisto (riferimento ")
    page = coordinator_client.get(reverse("legacy:job", args=[job.pk])).content.decode()
    assert "riferimento" in page and "Traceback" not in page and "bug in the importer" not in page


@pytest.mark.django_db
def test_a_strict_import_with_errors_is_listed_as_not_imported(
    coordinator_client, run_tasks, legacy_export
):
    coordinator_client.post(reverse("legacy:start"), {"export": export_zip(legacy_export)})
    run_tasks()
    job = ImportJob.objects.get()
    assert job.status == "non riuscita" and not job.written
    assert job.message.startswith("Non importata: ") and "errori" in job.message
