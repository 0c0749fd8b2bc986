"""Imports started from the page: the upload is kept outside the web root, the worker runs it."""

import shutil
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .importer import FILES, OPTIONAL_FILES, LegacyImport, report_text
from .models import ImportJob

MAX_EXPORT_BYTES = 200 * 1024 * 1024
# Unpacked, an export of two million people is about 1 GB; CSV compresses about 5 to 10
# times. Anything beyond is not an export (a "ZIP bomb" of empty lines, for instance).
MAX_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 50


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse an archive whose files would unpack to more than an export can be."""
    entries = [info for info in archive.infolist() if Path(info.filename).name in FILES]
    total = sum(info.file_size for info in entries)
    if total > MAX_UNPACKED_BYTES:
        raise ValidationError(
            f"Una volta estratto l'archivio occuperebbe {total // (1024 * 1024)} MB: più di "
            f"quanto un'esportazione possa essere ({MAX_UNPACKED_BYTES // (1024 * 1024)} MB)."
        )
    for info in entries:
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
            raise ValidationError(
                f"Il file {Path(info.filename).name} è compresso {ratio} volte: non è "
                "un'esportazione del gestionale."
            )


def job_folder(job: ImportJob) -> Path:
    return settings.DATA_DIR / "importazioni" / str(job.pk)


def report_files(job: ImportJob) -> dict[str, Path]:
    """The files of a finished job's report that exist, by the name they download as."""
    folder = job_folder(job) / "rapporto"
    candidates = {"rapporto.txt": folder / "rapporto.txt", "problemi.csv": folder / "problemi.csv"}
    candidates.update((f"scarti-{name}", folder / "scarti" / name) for name in FILES)
    return {name: path for name, path in candidates.items() if path.is_file()}


@transaction.atomic
def start_import(*, uploaded_file, dry_run: bool, skip_invalid: bool, by) -> ImportJob:
    """Check the ZIP, keep it, and queue the import for the worker."""
    from .tasks import run_import

    uploaded_file.seek(0)
    if uploaded_file.read(4) != b"PK\x03\x04":
        raise ValidationError("Il file non è un archivio ZIP: comprima la cartella esportata.")
    if uploaded_file.size > MAX_EXPORT_BYTES:
        raise ValidationError("L'archivio supera i 200 MB.")
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            names = {Path(name).name for name in archive.namelist()}
            check_archive(archive)
    except zipfile.BadZipFile as error:
        raise ValidationError("L'archivio ZIP è danneggiato.") from error
    missing = [name for name in FILES if name not in names and name not in OPTIONAL_FILES]
    if missing:
        raise ValidationError("Nell'archivio mancano: " + ", ".join(missing) + ".")
    job = ImportJob.objects.create(requested_by=by, dry_run=dry_run, skip_invalid=skip_invalid)
    folder = job_folder(job)
    folder.mkdir(parents=True)
    uploaded_file.seek(0)
    with open(folder / "esportazione.zip", "wb") as target:
        for chunk in uploaded_file.chunks():
            target.write(chunk)
    run_import.enqueue(job_id=str(job.pk))
    return job


def run_job(job: ImportJob) -> None:
    """Unpack the expected files only (no paths from the archive are trusted) and import."""
    folder = job_folder(job)
    source = folder / "esportazione"
    source.mkdir(exist_ok=True)
    with zipfile.ZipFile(folder / "esportazione.zip") as archive:
        check_archive(archive)
        for info in archive.infolist():
            if Path(info.filename).name in FILES and not info.is_dir():
                with (
                    archive.open(info) as packed,
                    open(source / Path(info.filename).name, "wb") as unpacked,
                ):
                    shutil.copyfileobj(packed, unpacked, 1024 * 1024)

    def progress(percent: int, message: str) -> None:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.RUNNING, progress=percent, message=message
        )

    result = LegacyImport(source, progress=progress).run(
        dry_run=job.dry_run,
        skip_invalid=job.skip_invalid,
        report_dir=folder / "rapporto",
        actor=job.requested_by,
        job_id=str(job.pk),
    )
    refused = bool(result.error_count) and not result.written and not job.dry_run
    if result.written:
        message = "Importazione completata"
    elif refused:
        message = f"Non importata: {result.error_count} errori, nulla è stato scritto"
    else:
        message = "Controllo completato: nulla è stato scritto"
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED if refused else ImportJob.Status.DONE,
        progress=100,
        written=result.written,
        report=report_text(result),
        summary=result.summary(),
        finished_at=timezone.now(),
        message=message,
    )
