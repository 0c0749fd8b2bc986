"""A full disk (a small tmpfs): an Italian message, no partial file, no row without its file."""

import os
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from approdo.exports.models import Export
from approdo.exports.services import request_export
from approdo.people.models import DocumentVersion
from approdo.people.services import store_document
from tests.documents import pdf_bytes
from tests.factories import PersonFactory


def _pdf(size: int) -> bytes:
    return pdf_bytes(padding=size)


@pytest.fixture
def small_disk(tmp_path):
    """A 64 KB file system, mounted for the test (needs root, as in CI)."""
    mount = tmp_path / "disco"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("a tmpfs can be mounted only as root: the disk-full case runs in CI")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode:
        pytest.skip(f"tmpfs could not be mounted here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.django_db
def test_a_document_too_big_for_the_disk_is_refused_and_leaves_nothing(small_disk, settings):
    settings.DOCUMENTS_DIR = small_disk / "documents"
    person = PersonFactory()
    with pytest.raises(ValidationError, match="Spazio su disco esaurito"):
        store_document(
            person=person,
            kind="cv",
            uploaded_file=SimpleUploadedFile("cv.pdf", _pdf(400_000), "application/pdf"),
        )
    assert not DocumentVersion.objects.exists()
    assert not [path for path in small_disk.rglob("*") if path.is_file()]
    # Nothing is left broken: the next, smaller upload is stored.
    store_document(
        person=person,
        kind="cv",
        uploaded_file=SimpleUploadedFile("cv.pdf", _pdf(1_000), "application/pdf"),
    )
    assert DocumentVersion.objects.count() == 1


@pytest.mark.django_db
def test_an_export_that_fills_the_disk_fails_in_italian_and_leaves_no_file(
    small_disk, settings, operator, run_tasks
):
    settings.EXPORTS_DIR = small_disk / "exports"
    PersonFactory.create_batch(800)
    export = request_export(user=operator, kind="persone", filters={}, file_format="csv")
    run_tasks()
    export.refresh_from_db()
    assert export.status == Export.Status.FAILED
    assert export.error.startswith("Spazio su disco esaurito")
    assert not [path for path in small_disk.rglob("*") if path.is_file()]
