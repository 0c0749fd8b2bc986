"""Files are written whole or not at all; a full disk is said in Italian."""

import errno
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from approdo.core.files import DiskFull, atomic_path, free_space_warning
from approdo.exports.models import Export
from approdo.exports.services import request_export
from approdo.people.models import DocumentVersion
from approdo.people.services import store_document
from tests.documents import PDF
from tests.factories import PersonFactory


def test_a_file_appears_only_when_whole(tmp_path):
    target = tmp_path / "rapporto.csv"
    with pytest.raises(RuntimeError), atomic_path(target) as part:
        part.write_text("metà")
        raise RuntimeError("the worker was killed")
    assert list(tmp_path.iterdir()) == []
    with atomic_path(target) as part:
        part.write_text("tutto")
    assert [p.name for p in tmp_path.iterdir()] == ["rapporto.csv"]


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EFBIG])
def test_a_full_disk_becomes_a_message_for_people(tmp_path, code):
    # A full disk, a used-up quota and a size limit are the same to the person saving.
    with (
        pytest.raises(DiskFull, match="Spazio su disco esaurito"),
        atomic_path(tmp_path / "x") as part,
    ):
        part.write_text("x")
        raise OSError(code, os.strerror(code))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_an_export_that_fails_midway_leaves_no_partial_file(
    operator, run_tasks, settings, monkeypatch
):
    PersonFactory.create_batch(3)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("approdo.exports.services.csv.writer", full_disk)
    export = request_export(user=operator, kind="persone", filters={}, file_format="csv")
    run_tasks()
    export.refresh_from_db()
    assert export.status == Export.Status.FAILED
    assert export.error.startswith("Spazio su disco esaurito")
    assert not settings.EXPORTS_DIR.exists() or not any(settings.EXPORTS_DIR.iterdir())


@pytest.mark.django_db
def test_a_document_on_a_full_disk_is_refused_and_nothing_is_left(settings):
    class FullDisk(SimpleUploadedFile):
        def chunks(self, chunk_size=None):
            yield PDF[:10]
            raise OSError(errno.ENOSPC, "No space left on device")

    person = PersonFactory()
    with pytest.raises(ValidationError, match="Spazio su disco esaurito"):
        store_document(
            person=person, kind="cv", uploaded_file=FullDisk("cv.pdf", PDF, "application/pdf")
        )
    assert not DocumentVersion.objects.exists()
    assert not any(path.is_file() for path in settings.DOCUMENTS_DIR.rglob("*"))


@pytest.mark.django_db
def test_low_free_space_is_shown_to_coordinators(settings, coordinator_client):
    assert free_space_warning() == ""
    settings.MIN_FREE_DISK_BYTES = 10**18
    assert "Spazio su disco quasi esaurito" in free_space_warning()
    assert "Spazio su disco quasi esaurito" in coordinator_client.get("/lavoro/").content.decode()
