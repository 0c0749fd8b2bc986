"""A full disk: an Italian message, no partial file, no row without its file."""

import os
import resource
import signal
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


SMALL = 64 * 1024


@pytest.fixture
def small_disk(tmp_path):
    """A folder where no more than 64 KB fit. As root (CI), a 64 KB tmpfs mounted for the
    test: the kernel answers "no space left". Otherwise a 64 KB file size limit on this
    process: the kernel answers "file too large". Approdo must handle both the same way."""
    mount = tmp_path / "disco"
    mount.mkdir()
    mounted = (
        os.geteuid() == 0
        and not subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={SMALL}", "tmpfs", str(mount)],
            capture_output=True,
        ).returncode
    )
    if mounted:
        yield mount
        subprocess.run(["umount", str(mount)], check=False)
        return
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    # Past the limit the kernel sends SIGXFSZ, which would end the process: ignored, the
    # write fails with EFBIG instead.
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (SMALL, limits[1]))
    try:
        yield mount
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, previous)


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
