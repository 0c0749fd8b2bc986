from datetime import timedelta

from auditlog.models import LogEntry
from django.db import models
from django.utils import timezone

from approdo.core.fields import staff_reference


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


NOTIFICATION_HOURS = 72  # GDPR art. 33: to the supervisory authority within 72 hours


class Incident(models.Model):
    """A personal data breach (GDPR art. 33-34), recorded even when it need not be notified."""

    class Kind(models.TextChoices):
        CONFIDENTIALITY = "riservatezza", "Riservatezza (dati visti o diffusi da chi non doveva)"
        INTEGRITY = "integrita", "Integrità (dati alterati)"
        AVAILABILITY = "disponibilita", "Disponibilità (dati persi o inaccessibili)"

    discovered_at = models.DateTimeField("scoperta il")
    kind = models.CharField("tipo", max_length=20, choices=Kind.choices)
    description = models.TextField("cosa è successo", max_length=4000)
    data_categories = models.CharField("dati coinvolti", max_length=300)
    people_affected = models.PositiveIntegerField("persone coinvolte (stima)", default=0)
    measures = models.TextField("misure prese", max_length=4000, blank=True)
    must_notify = models.BooleanField(
        "va notificata al Garante",
        default=True,
        help_text="Lo è salvo che sia improbabile un rischio per i diritti delle persone.",
    )
    no_notification_reason = models.CharField(
        "perché non va notificata", max_length=500, blank=True
    )
    authority_notified_at = models.DateTimeField("notificata al Garante il", null=True, blank=True)
    people_informed_at = models.DateTimeField("persone informate il", null=True, blank=True)
    closed_at = models.DateTimeField("chiusa il", null=True, blank=True)
    recorded_by = staff_reference("registrata da")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-discovered_at"]
        verbose_name = "violazione di dati"
        verbose_name_plural = "violazioni di dati"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(must_notify=True) | ~models.Q(no_notification_reason=""),
                name="incident_reason_when_not_notified",
            )
        ]

    def __str__(self) -> str:
        day = timezone.localtime(self.discovered_at)
        return f"Violazione del {day:%d/%m/%Y}: {self.get_kind_display()}"

    @property
    def authority_deadline(self):
        return self.discovered_at + timedelta(hours=NOTIFICATION_HOURS)

    @property
    def notification_overdue(self) -> bool:
        return (
            self.must_notify
            and self.authority_notified_at is None
            and timezone.now() > self.authority_deadline
        )


class SecurityAlert(models.Model):
    """Unusual use of personal data (many files read in a few minutes, a large export):
    e-mailed to the administrators when raised, kept here until one of them has looked."""

    class Kind(models.TextChoices):
        READS = "letture", "Molte schede lette in poco tempo"
        EXPORT = "esportazione", "Esportazione di molte righe"
        MALWARE = "virus", "File infetto caricato"

    kind = models.CharField("tipo", max_length=20, choices=Kind.choices)
    user = staff_reference("utente")
    detail = models.CharField("dettaglio", max_length=300)
    raised_at = models.DateTimeField("segnalato il", auto_now_add=True)
    seen_by = staff_reference("visto da")
    seen_at = models.DateTimeField("visto il", null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = "allarme di sicurezza"
        verbose_name_plural = "allarmi di sicurezza"
        indexes = [models.Index(fields=["user", "kind", "raised_at"], name="alert_user_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({timezone.localtime(self.raised_at):%d/%m/%Y %H:%M})"
