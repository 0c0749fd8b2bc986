import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Export(models.Model):
    """A file written by the worker for the user who asked: a filtered list (CSV, XLSX) or
    the yearly report (PDF, XLSX)."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"
        PDF = "pdf", "PDF"
        ZIP = "zip", "Archivio ZIP"

    class Status(models.TextChoices):
        QUEUED = "in coda", "In coda"
        RUNNING = "in corso", "In preparazione"
        DONE = "pronta", "Pronta"
        FAILED = "non riuscita", "Non riuscita"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    kind = models.CharField(max_length=30, default="persone")
    filters = models.JSONField(default=dict)
    file_format = models.CharField(max_length=4, choices=Format.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Esportazione {self.kind} del {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"
