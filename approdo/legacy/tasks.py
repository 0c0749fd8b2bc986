from django.utils import timezone
from django_tasks import task

from .models import ImportJob
from .services import run_job


@task()
def run_import(job_id: str) -> bool:
    job = ImportJob.objects.get(pk=job_id)
    try:
        run_job(job)
    except Exception as error:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            message=f"Errore imprevisto: {error}"[:200],
            finished_at=timezone.now(),
        )
        raise
    return True
