from django.db import models
from django.db.models.functions import Now


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


class RateLimitHit(models.Model):
    """One counted action (an online registration, ...) under a key, for rate limits."""

    key = models.CharField(max_length=100)
    at = models.DateTimeField(db_default=Now())

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="ratelimit_key_at")]

    def __str__(self) -> str:
        return f"{self.key} {self.at:%Y-%m-%d %H:%M:%S}"
