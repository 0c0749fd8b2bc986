from auditlog.models import LogEntry
from django.db import models


class LogSeal(models.Model):
    """The seal of one audit entry, written by the database itself when the entry is (see
    migration 0001): the hash of the entry and of the previous seal, so that an entry
    changed, removed or slipped in later breaks the chain (`approdo verify_audit`)."""

    position = models.BigAutoField(primary_key=True)
    entry = models.OneToOneField(
        LogEntry, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    previous = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.position}: {self.hash[:12]}"
