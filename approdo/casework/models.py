"""The operator's daily work on a file: notes and tasks (with their reminders)."""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

from approdo.core.fields import staff_reference
from approdo.core.validators import validate_plain_text

# A note can be corrected by its author for this long; then it is locked (a correction is
# a new note), so that what was written stays as it was read.
NOTE_EDIT_MINUTES = 15


class Note(models.Model):
    """A dated, signed note on a person's file. A restricted one holds health or other
    special-category facts: only the roles that may read them see it, and every read is
    in the audit log."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="notes")
    text = models.TextField("nota", max_length=5000, validators=[validate_plain_text])
    is_restricted = models.BooleanField(
        "riservata",
        default=False,
        help_text="Salute o altri dati particolari: la leggono solo gli specialisti IPS.",
    )
    author = staff_reference("autore")
    created_at = models.DateTimeField("scritta il", default=timezone.now)
    edited_at = models.DateTimeField("corretta il", null=True, blank=True)

    class Meta:
        verbose_name = "nota"
        verbose_name_plural = "note"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "created_at"], name="note_person")]

    def __str__(self) -> str:
        return f"Nota del {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    def get_additional_data(self):
        return {"person_id": self.person_id}

    def editable_by(self, user, *, now=None) -> bool:
        now = now or timezone.now()
        return self.author_id == user.pk and now - self.created_at < timedelta(
            minutes=NOTE_EDIT_MINUTES
        )


class Task(models.Model):
    """Something to do by a date, on a person's file: written by staff or raised by Approdo
    (a placement to check, a stage about to end...)."""

    class Origin(models.TextChoices):
        MANUAL = "manuale", "Scritta da un operatore"
        PLACEMENT_CHECK = "verifica inserimento", "Verifica dell'inserimento"
        STAGE_ENDING = "fine stage", "Stage in scadenza"
        REGISTRATION = "iscrizione", "Iscrizione da verificare"

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField("cosa fare", max_length=200, validators=[validate_plain_text])
    due_on = models.DateField("entro il")
    assignee = staff_reference("a chi")
    origin = models.CharField("origine", max_length=25, choices=Origin.choices)
    # What raised an automatic task ("placement:12:3m"): never raised twice.
    source_key = models.CharField(max_length=80, null=True, blank=True, editable=False)
    created_by = staff_reference("creata da")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField("fatta il", null=True, blank=True)
    done_by = staff_reference("fatta da")

    class Meta:
        verbose_name = "attività"
        verbose_name_plural = "attività"
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source_key"], name="task_source_once"),
        ]
        indexes = [
            models.Index(
                fields=["assignee", "due_on"],
                name="task_open_by_assignee",
                condition=Q(done_at=None),
            ),
            models.Index(fields=["person", "due_on"], name="task_person"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (entro il {self.due_on:%d/%m/%Y})"

    def get_additional_data(self):
        return {"person_id": self.person_id}

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()
