from django.db import models
from django.utils import timezone

from approdo.core.antivirus import ScannedUpload
from approdo.core.fields import staff_reference


class PortalRegistration(models.Model):
    """One online registration form as submitted, attached to the person it concerns."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="portal_registrations"
    )
    # One token per rendered form: a double submit finds the first registration.
    submission_token = models.UUIDField(unique=True)
    submitted_at = models.DateTimeField("inviata il")
    submitted_data = models.JSONField("dati inviati")
    privacy_notice_version = models.CharField("versione informativa", max_length=20)
    privacy_accepted_at = models.DateTimeField("informativa accettata il")
    # Matched an existing person by fiscal code or e-mail: attached, not duplicated.
    matched_existing = models.BooleanField("già iscritta", default=False)
    matched_by = models.CharField("riconosciuta per", max_length=20, blank=True)
    reviewed_at = models.DateTimeField("verificata il", null=True, blank=True)
    reviewed_by = staff_reference("verificato da")

    class Meta:
        verbose_name = "iscrizione online"
        verbose_name_plural = "iscrizioni online"
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"Iscrizione online del {timezone.localtime(self.submitted_at):%d/%m/%Y}"

    def get_additional_data(self):
        return {"person_id": self.person_id}


class PendingDocument(ScannedUpload):
    """A document sent with a repeated registration: kept apart, not on the person's file,
    until an operator compares and adds it or discards it (someone may have used another
    person's fiscal code)."""

    class Decision(models.TextChoices):
        ADDED = "aggiunto", "Aggiunto alla scheda"
        DISCARDED = "scartato", "Scartato"

    registration = models.ForeignKey(
        PortalRegistration, on_delete=models.CASCADE, related_name="pending_documents"
    )
    kind = models.CharField("tipo", max_length=30)
    storage_path = models.CharField("percorso del file", max_length=300, blank=True)
    original_name = models.CharField("nome del file", max_length=200)
    content_type = models.CharField("tipo di file", max_length=50)
    size = models.PositiveIntegerField("dimensione (byte)")
    decision = models.CharField("decisione", max_length=10, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = staff_reference("deciso da")

    class Meta:
        verbose_name = "documento in attesa"
        verbose_name_plural = "documenti in attesa"

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_decision_display() or 'da verificare'})"
