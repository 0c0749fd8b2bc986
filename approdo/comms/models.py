from django.db import models

from approdo.core.fields import staff_reference


class OutboundEmail(models.Model):
    """An e-mail Approdo sends; delivered by the worker, kept for the person's timeline."""

    class Status(models.TextChoices):
        QUEUED = "in coda", "In coda"
        # Claimed by a worker that is handing it to the mail server (see services.transmit).
        SENDING = "in invio", "In invio"
        SENT = "inviata", "Inviata"
        FAILED = "non inviata", "Non inviata"
        SKIPPED = "saltata", "Non inviata per scelta"

    class SkipReason(models.TextChoices):
        OPTED_OUT = "disiscritta", "Non vuole ricevere comunicazioni"
        NO_EMAIL = "senza e-mail", "Senza indirizzo e-mail"
        RESTRICTED = "trattamento limitato", "Trattamento limitato"
        FAILING = "indirizzo rifiutato", "Indirizzo rifiutato dal server di posta"

    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    # People an e-mail to someone else is about (a proposal to a company): erasing one of
    # them blanks it too.
    about_people = models.ManyToManyField(
        "people.Person", blank=True, related_name="emails_about", verbose_name="riguarda"
    )
    # The mailing this message is one of (None for a one-off e-mail).
    mailing = models.ForeignKey(
        "mailings.Mailing",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name="invio",
    )
    kind = models.CharField("tipo", max_length=40)
    to = models.EmailField("destinatario", blank=True)
    subject = models.CharField("oggetto", max_length=200)
    body = models.TextField("testo")
    attachment_name = models.CharField("allegato", max_length=100, blank=True)
    attachment_type = models.CharField("tipo di allegato", max_length=60, blank=True)
    attachment_content = models.TextField("contenuto dell'allegato", blank=True)
    status = models.CharField("stato", max_length=20, choices=Status.choices, default=Status.QUEUED)
    # The last delivery error; with status "in coda" a temporary one, retried at next_attempt_at.
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField("tentativi", default=0)
    skip_reason = models.CharField("motivo", max_length=30, choices=SkipReason.choices, blank=True)
    # The worker handing the message over: its claim (a random token) holds until
    # claimed_until; only the holder of the current claim may record it as sent.
    claim = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    # Kept across retries, so that a receiving server can recognise a repeat.
    message_id = models.CharField(max_length=200, blank=True)
    # A credential the body carries (a one-time login link): blanked from the kept body as
    # soon as the message is delivered, so that no one reading it afterwards can use it.
    secret = models.CharField(max_length=200, blank=True, editable=False)
    next_attempt_at = models.DateTimeField("prossimo tentativo", null=True, blank=True)
    requested_by = staff_reference("richiesta da")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField("inviata il", null=True, blank=True)

    class Meta:
        verbose_name = "e-mail in uscita"
        verbose_name_plural = "e-mail in uscita"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["person", "created_at"], name="email_person"),
            models.Index(
                fields=["mailing", "status", "id"],
                name="email_mailing_pending",
                condition=models.Q(mailing__isnull=False),
            ),
            models.Index(
                fields=["requested_by", "created_at"],
                name="email_failed_by_requester",
                condition=models.Q(status="non inviata"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class OutboundDocument(models.Model):
    """A person's document that goes with an e-mail (a CV proposed to a company). The file
    is read when the e-mail leaves, so the outbox keeps no copy, and a document erased or
    quarantined meanwhile is not sent."""

    email = models.ForeignKey(OutboundEmail, on_delete=models.CASCADE, related_name="documents")
    version = models.ForeignKey(
        "people.DocumentVersion",
        on_delete=models.SET_NULL,
        null=True,
        related_name="sent_with",
        verbose_name="documento",
    )
    file_name = models.CharField("nome dell'allegato", max_length=150)

    class Meta:
        verbose_name = "documento inviato"
        verbose_name_plural = "documenti inviati"

    def __str__(self) -> str:
        return self.file_name
