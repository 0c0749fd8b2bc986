import logging
import uuid

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import task

from .models import ImportJob
from .services import run_job

logger = logging.getLogger(__name__)


@task()
def run_import(job_id: str) -> bool:
    job = ImportJob.objects.get(pk=job_id)
    try:
        run_job(job)
    except ValidationError as error:  # the archive itself is refused
        _fail(job, " ".join(error.messages))
    except Exception:
        # The details go to the server's log under a reference; the page shows the reference.
        reference = uuid.uuid4().hex[:8].upper()
        logger.exception("Import %s failed (reference %s)", job.pk, reference)
        _fail(
            job,
            f"Errore imprevisto (riferimento {reference}): non è stato scritto nulla. "
            "L'amministratore trova i dettagli nel registro del server.",
        )
        raise
    return True


def _fail(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED,
        message=message[:200],
        report=message,
        finished_at=timezone.now(),
    )
