from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from approdo.core.fields import staff_reference
from approdo.people.choices import FirstInterviewOutcome, Readiness


class InterviewMode(models.TextChoices):
    PRESENZA = "presenza", "In presenza"
    VIDEO = "video", "Videochiamata"
    TELEFONO = "telefono", "Telefono"


class InterviewKind(models.TextChoices):
    PRIMO = "primo colloquio", "Primo colloquio"
    MONITORAGGIO = "monitoraggio", "Monitoraggio"


class InterviewStatus(models.TextChoices):
    SCHEDULED = "fissato", "Fissato"
    HELD = "svolto", "Svolto"
    NO_SHOW = "assente", "Non presentato"
    RESCHEDULED = "spostato", "Spostato"
    CANCELLED = "annullato", "Annullato"


class AgendaSlot(models.Model):
    """A time an operator keeps free for interviews."""

    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agenda_slots",
        verbose_name="operatore",
    )
    starts_at = models.DateTimeField("inizio")
    ends_at = models.DateTimeField("fine")
    location = models.CharField("luogo", max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"
            ),
            models.UniqueConstraint(fields=["operator", "starts_at"], name="slot_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.operator} {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"


class Closure(models.Model):
    """Days without appointments: of the whole programme (operator empty) or of one
    operator (leave, training). Public holidays need no record: they come from the
    `holidays` package."""

    starts_on = models.DateField("dal")
    ends_on = models.DateField("al")
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agenda_closures",
        verbose_name="operatore",
    )
    reason = models.CharField("motivo", max_length=200)
    created_by = staff_reference("inserita da")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = "chiusura dell'agenda"
        verbose_name_plural = "chiusure dell'agenda"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="closure_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        who = self.operator or "tutto il programma"
        return f"{who}: {self.reason} ({self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y})"


class CalendarFeed(models.Model):
    """The private address from which an operator's calendar app reads their
    appointments. Only a hash of its token is kept: the address is shown once."""

    operator = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "calendario personale"
        verbose_name_plural = "calendari personali"

    def __str__(self) -> str:
        return f"Calendario di {self.operator}"


class Interview(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="interviews")
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="interviews",
        verbose_name="operatore",
    )
    slot = models.ForeignKey(
        AgendaSlot, null=True, blank=True, on_delete=models.SET_NULL, related_name="interviews"
    )
    kind = models.CharField("tipo", max_length=20, choices=InterviewKind.choices)
    mode = models.CharField("modalità", max_length=10, choices=InterviewMode.choices)
    scheduled_at = models.DateTimeField("data e ora")
    location = models.CharField("luogo o collegamento", max_length=200, blank=True)
    status = models.CharField(
        "stato", max_length=12, choices=InterviewStatus.choices, default=InterviewStatus.SCHEDULED
    )
    rescheduled_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rescheduled_to"
    )
    outcome = models.CharField(
        "esito", max_length=20, choices=FirstInterviewOutcome.choices, blank=True
    )
    readiness = models.CharField(
        "valutazione", max_length=20, choices=Readiness.choices, blank=True
    )
    notes = models.TextField("note", blank=True)
    # The calendar invitation's UID is shared along a chain of reschedulings.
    calendar_uid = models.CharField(max_length=80)
    calendar_sequence = models.PositiveIntegerField(default=0)
    created_by = staff_reference("registrato da")
    created_at = models.DateTimeField(auto_now_add=True)
    legacy_id = models.IntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "colloquio"
        verbose_name_plural = "colloqui"
        ordering = ["-scheduled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status="fissato") | Q(status="svolto"),
                name="interview_one_per_slot",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(kind="primo colloquio", status="fissato"),
                name="interview_one_pending_first",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(kind=InterviewKind.PRIMO, status=InterviewStatus.HELD),
                name="interview_one_first_held",
            ),
            models.CheckConstraint(
                condition=Q(readiness="") | Q(outcome="in target"),
                name="interview_readiness_only_in_target",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(status="svolto"),
                name="interview_outcome_only_when_held",
            ),
            models.UniqueConstraint(fields=["legacy_id"], name="interview_legacy_id_unique"),
        ]
        indexes = [
            models.Index(fields=["operator", "scheduled_at"], name="interview_operator"),
            # First interviews held, by date: the figures count them per period.
            models.Index(
                fields=["scheduled_at"],
                name="interview_first_held",
                include=["person", "outcome", "readiness"],
                condition=Q(kind=InterviewKind.PRIMO, status=InterviewStatus.HELD),
            ),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.scheduled_at)
        return f"{self.get_kind_display()} – {self.person} – {when:%d/%m/%Y %H:%M}"

    @property
    def where(self) -> str:
        """Where the person goes: the address when in person; otherwise how it happens."""
        if self.mode == InterviewMode.TELEFONO:
            return "al telefono: la chiameremo noi al numero che ci ha lasciato"
        if self.mode == InterviewMode.VIDEO:
            return "in videochiamata: il collegamento le arriverà per e-mail"
        return self.location

    # An outcome may be recorded from shortly before the time (an interview started early).
    OUTCOME_FROM_BEFORE = timedelta(hours=1)

    @property
    def outcome_can_be_recorded(self) -> bool:
        return (
            self.status == InterviewStatus.SCHEDULED
            and self.scheduled_at <= timezone.now() + self.OUTCOME_FROM_BEFORE
        )

    @property
    def name(self) -> str:
        """How e-mails and pages call it: "primo colloquio", "colloquio di monitoraggio"."""
        return (
            "primo colloquio" if self.kind == InterviewKind.PRIMO else "colloquio di monitoraggio"
        )

    @property
    def no_show_can_be_recorded(self) -> bool:
        return self.status == InterviewStatus.SCHEDULED and self.scheduled_at <= timezone.now()

    def get_additional_data(self):
        return {"person_id": self.person_id}
