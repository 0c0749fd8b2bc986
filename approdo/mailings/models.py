from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from approdo.core.fields import staff_reference


class MailingTemplate(models.Model):
    """A subject and a text with merge fields, ready to start a mailing from."""

    name = models.CharField("nome", max_length=80, unique=True)
    subject = models.CharField("oggetto", max_length=200)
    body = models.TextField("testo")
    updated_by = staff_reference("modificato da")
    updated_at = models.DateTimeField("modificato il", auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "modello di comunicazione"
        verbose_name_plural = "modelli di comunicazione"

    def __str__(self) -> str:
        return self.name


def default_rate() -> int:
    return settings.MAILING_RATE_PER_MINUTE


class Mailing(models.Model):
    """One text sent to everyone a people search finds, one message each (comms'
    OutboundEmail rows, written when sending starts), by the worker at a set rate."""

    class State(models.TextChoices):
        DRAFT = "bozza", "Bozza"
        SENDING = "in invio", "In invio"
        PAUSED = "in pausa", "In pausa"
        DONE = "completato", "Completato"

    subject = models.CharField("oggetto", max_length=200)
    body = models.TextField("testo")
    # The people list's query string (its filters), and the saved search it came from.
    people_query = models.CharField("filtri delle persone", max_length=2000, blank=True)
    search_name = models.CharField("ricerca", max_length=80, blank=True)
    # Instead of a search: an audience another app registered (see audiences.py), about
    # one of its objects (a survey).
    audience = models.CharField("destinatari", max_length=40, blank=True)
    audience_object = models.PositiveIntegerField(null=True, blank=True)
    # Empty: replies go to APPRODO_PROGRAMME_EMAIL (or, without it, to the sender).
    reply_to = models.EmailField("rispondere a", blank=True)
    rate_per_minute = models.PositiveIntegerField(
        "messaggi al minuto",
        default=default_rate,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
    )
    state = models.CharField("stato", max_length=20, choices=State.choices, default=State.DRAFT)
    # Why the worker is waiting (the mail server unreachable), shown on the progress.
    waiting_reason = models.CharField(max_length=300, blank=True)
    server_failures = models.PositiveSmallIntegerField(default=0)
    created_by = staff_reference("creato da")
    created_at = models.DateTimeField("creato il", auto_now_add=True)
    started_at = models.DateTimeField("avviato il", null=True, blank=True)
    finished_at = models.DateTimeField("completato il", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "invio di massa"
        verbose_name_plural = "invii di massa"

    def __str__(self) -> str:
        return self.subject
