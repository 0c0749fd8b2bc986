"""The person's own area: how they get in (a link by e-mail, SPID, CIE), the sessions that
follow (their access history), and what they write to their case manager."""

from django.db import models
from django.utils import timezone

from approdo.core.fields import staff_reference
from approdo.core.validators import validate_plain_text


class AccessMethod(models.TextChoices):
    LINK = "link", "Collegamento via e-mail"
    SPID = "spid", "SPID"
    CIE = "cie", "CIE"


class LoginLink(models.Model):
    """A one-time link to the area, sent to the address on file. Only its hash is kept."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="area_login_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "collegamento di accesso"
        verbose_name_plural = "collegamenti di accesso"
        indexes = [models.Index(fields=["person", "created_at"], name="login_link_person")]

    def __str__(self) -> str:
        return f"Collegamento per {self.person_id} del {self.created_at:%d/%m/%Y %H:%M}"


class AreaSession(models.Model):
    """One visit to the area, from the login to its end: the person's access history."""

    class EndReason(models.TextChoices):
        LOGOUT = "uscita", "Uscita"
        IDLE = "inattività", "Scaduta per inattività"
        EVERYWHERE = "ovunque", "Chiusa da «esci ovunque»"

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="area_sessions"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    method = models.CharField("accesso con", max_length=10, choices=AccessMethod.choices)
    started_at = models.DateTimeField("entrata", default=timezone.now)
    last_seen_at = models.DateTimeField("ultima attività", default=timezone.now)
    ended_at = models.DateTimeField("fine", null=True, blank=True)
    end_reason = models.CharField(
        "come è finita", max_length=12, choices=EndReason.choices, blank=True
    )
    ip_address = models.GenericIPAddressField("indirizzo IP", null=True, blank=True)
    user_agent = models.CharField("dispositivo", max_length=200, blank=True)

    class Meta:
        verbose_name = "accesso all'area personale"
        verbose_name_plural = "accessi all'area personale"
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["person", "started_at"], name="area_session_person")]

    def __str__(self) -> str:
        return f"Accesso di {self.person_id} del {self.started_at:%d/%m/%Y %H:%M}"


class AreaMessage(models.Model):
    """What a person wrote to their case manager from the area: a task on the operator's
    day points to it."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="area_messages"
    )
    text = models.TextField("messaggio", max_length=2000, validators=[validate_plain_text])
    sent_at = models.DateTimeField("inviato il", default=timezone.now)
    task = models.ForeignKey(
        "casework.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "messaggio dall'area personale"
        verbose_name_plural = "messaggi dall'area personale"
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["person", "sent_at"], name="area_message_person")]

    def __str__(self) -> str:
        return f"Messaggio di {self.person_id} del {self.sent_at:%d/%m/%Y %H:%M}"


class ProfileChange(models.Model):
    """Data the person changed from the area that the ranking reads (where they live, the
    licences, the work they look for...): it waits for the case manager to confirm it.
    One in waiting per person; a new one replaces it."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="area_profile_changes"
    )
    # Field name -> value, as stored by the form (a comune by its ISTAT code).
    proposed = models.JSONField("modifiche proposte")
    previous = models.JSONField("valori di prima")
    submitted_at = models.DateTimeField("proposte il", default=timezone.now)
    decided_at = models.DateTimeField("decise il", null=True, blank=True)
    decided_by = staff_reference("decise da")
    accepted = models.BooleanField("confermate", null=True)
    task = models.ForeignKey(
        "casework.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "modifica dei dati dall'area personale"
        verbose_name_plural = "modifiche dei dati dall'area personale"
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(decided_at__isnull=True),
                name="profile_change_one_waiting",
            )
        ]

    def __str__(self) -> str:
        return f"Modifica di {self.person_id} del {self.submitted_at:%d/%m/%Y %H:%M}"


class DataDownload(models.Model):
    """A copy of all the person's data (the right of access, GDPR art. 15 and 20), asked
    for from the area and written by the worker; downloadable for a week."""

    class Status(models.TextChoices):
        QUEUED = "in coda", "In preparazione"
        DONE = "pronta", "Pronta"
        FAILED = "non riuscita", "Non riuscita"

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="area_downloads"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    file_name = models.CharField(max_length=200, blank=True)
    requested_at = models.DateTimeField("chiesta il", default=timezone.now)
    finished_at = models.DateTimeField("pronta il", null=True, blank=True)
    downloaded_at = models.DateTimeField("scaricata il", null=True, blank=True)

    class Meta:
        verbose_name = "copia dei dati chiesta dall'area personale"
        verbose_name_plural = "copie dei dati chieste dall'area personale"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Copia dei dati di {self.person_id} del {self.requested_at:%d/%m/%Y}"
