import secrets
import uuid
from datetime import timedelta

from django.db import models

from approdo.core.fields import staff_reference


def new_token() -> str:
    return secrets.token_urlsafe(24)


def new_code() -> str:
    return secrets.token_urlsafe(8)


class Speaker(models.Model):
    """Who speaks at sessions: a person or an organisation, with a short bio."""

    name = models.CharField("nome", max_length=150)
    organisation = models.CharField(
        "ente o azienda", max_length=150, blank=True, help_text="Per un relatore: per chi parla."
    )
    is_organisation = models.BooleanField("è un'organizzazione", default=False)
    bio = models.TextField("breve biografia", max_length=1000, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "relatore"
        verbose_name_plural = "relatori"

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class Event(models.Model):
    """An event with its public registration page: one session, or a series (a webinar
    cycle) whose sessions people register for one by one."""

    title = models.CharField("titolo", max_length=200)
    description = models.TextField("descrizione", max_length=4000)
    is_series = models.BooleanField(
        "ciclo di incontri",
        default=False,
        help_text="Più sessioni, ciascuna con le sue iscrizioni.",
    )
    published = models.BooleanField(
        "iscrizioni aperte",
        default=False,
        help_text="La pagina pubblica accetta iscrizioni (alle sessioni non ancora iniziate).",
    )
    # The public page's address: not guessable, so a draft is not found by counting.
    code = models.CharField(max_length=20, unique=True, default=new_code, editable=False)
    created_by = staff_reference("creato da")
    created_at = models.DateTimeField("creato il", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "evento"
        verbose_name_plural = "eventi"

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    class Mode(models.TextChoices):
        ONLINE = "online", "Online"
        IN_PERSON = "in presenza", "In presenza"
        HYBRID = "mista", "In presenza e online"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField("titolo della sessione", max_length=200)
    starts_at = models.DateTimeField("inizio")
    ends_at = models.DateTimeField("fine")
    mode = models.CharField("modalità", max_length=12, choices=Mode.choices, default=Mode.ONLINE)
    # Sent to the registered people only, shortly before the start (never on the public page).
    room_url = models.URLField("collegamento alla stanza online", blank=True)
    place = models.CharField("luogo", max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        "posti", null=True, blank=True, help_text="Vuoto: senza limite."
    )
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="sessions")
    min_minutes = models.PositiveSmallIntegerField(
        "minuti di presenza per l'attestato",
        null=True,
        blank=True,
        help_text="Vuoto: tre quarti della durata.",
    )
    # The calendar entry's version: a change of time or place sends it again, one higher.
    calendar_uid = models.UUIDField(default=uuid.uuid4, editable=False)
    calendar_sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField("annullata il", null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = "sessione"
        verbose_name_plural = "sessioni"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after"
            )
        ]
        indexes = [models.Index(fields=["starts_at"], name="session_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at) / timedelta(minutes=1))

    @property
    def attendance_minutes(self) -> int:
        """The minutes of presence that count as attending (and give a certificate)."""
        return self.min_minutes if self.min_minutes is not None else (self.minutes * 3 + 3) // 4

    @property
    def is_online(self) -> bool:
        return self.mode in (self.Mode.ONLINE, self.Mode.HYBRID)


class Registration(models.Model):
    """One person's place at one session: someone from the public page (a person of the
    programme when their address is the one on their file) or registered by an operator."""

    class Source(models.TextChoices):
        PUBLIC = "pagina pubblica", "Pagina pubblica"
        OPERATOR = "operatore", "Iscrizione da un operatore"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    first_name = models.CharField("nome", max_length=100)
    last_name = models.CharField("cognome", max_length=100)
    email = models.EmailField("e-mail")  # stored in lower case: one address, one place
    organisation = models.CharField("ente o azienda", max_length=150, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.PUBLIC)
    privacy_version = models.CharField("informativa accettata", max_length=20, blank=True)
    # The registrant's own page (their sessions, cancel, certificate), from the e-mails.
    token = models.CharField(max_length=40, unique=True, default=new_token)
    registered_at = models.DateTimeField("iscritto il", auto_now_add=True)
    cancelled_at = models.DateTimeField("annullata il", null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    link_sent_at = models.DateTimeField(null=True, blank=True)
    certificate_sent_at = models.DateTimeField(null=True, blank=True)
    # Attendance: None until recorded; minutes from the video platform's report.
    attended = models.BooleanField("presente", null=True, blank=True)
    attended_minutes = models.PositiveSmallIntegerField("minuti di presenza", null=True, blank=True)
    recorded_by = staff_reference("presenza registrata da")

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = "iscrizione a un evento"
        verbose_name_plural = "iscrizioni agli eventi"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "email"],
                # An erased registration keeps no address (see forget_visitors).
                condition=models.Q(cancelled_at__isnull=True) & ~models.Q(email=""),
                name="registration_once_per_address",
            )
        ]
        indexes = [
            models.Index(fields=["session", "cancelled_at"], name="registration_session"),
            models.Index(fields=["email"], name="registration_email"),
            models.Index(fields=["person", "registered_at"], name="registration_person"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} – {self.session}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
