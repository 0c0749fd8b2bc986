import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportJob(models.Model):
    """An import of a legacy export uploaded from the page, run by the worker."""

    class Status(models.TextChoices):
        QUEUED = "in coda", "In coda"
        RUNNING = "in corso", "In corso"
        DONE = "completata", "Completata"
        FAILED = "non riuscita", "Non riuscita"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dry_run = models.BooleanField("solo controllo", default=False)
    skip_invalid = models.BooleanField("salta le righe con errori", default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    report = models.TextField(blank=True)
    # Counts and problem groups for the page (ImportResult.summary()).
    summary = models.JSONField(default=dict, blank=True)
    written = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Importazione del {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
