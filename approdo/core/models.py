from django.db import models


class WorkerHeartbeat(models.Model):
    """A job worker says it is alive every few seconds; a worker silent for a minute is gone,
    and the jobs it was running are given back to the queue."""

    worker_id = models.CharField(max_length=100, primary_key=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "worker attivo"
        verbose_name_plural = "worker attivi"

    def __str__(self) -> str:
        return self.worker_id
