from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from approdo.core.antivirus import ScannerUnavailable, ScanStatus

from .services import fill_cv_text_from_document, scan_stored_upload


@task()
def extract_cv_text(version_id: int) -> int:
    """Read the text of an uploaded PDF CV for matching (the worker runs this)."""
    return fill_cv_text_from_document(version_id=version_id)


@task()
def scan_upload(label: str, pk: int) -> str:
    """Scan an upload in quarantine; with the scanner unreachable, try again later (the file
    keeps waiting, it never passes unscanned)."""
    try:
        return scan_stored_upload(label=label, pk=pk)
    except ScannerUnavailable:
        retry_at = timezone.now() + timedelta(seconds=settings.CLAMD_RETRY_SECONDS)
        scan_upload.using(run_after=retry_at).enqueue(label=label, pk=pk)
        return ScanStatus.QUARANTINE
