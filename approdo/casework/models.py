"""The operator's daily work on a file: notes and tasks (with their reminders)."""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from approdo.core.fields import staff_reference
from approdo.core.validators import validate_plain_text

# A note can be corrected by its author for this long; then it is locked (a correction is
# a new note), so that what was written stays as it was read.
NOTE_EDIT_MINUTES = 15


def about_one_thing(name: str) -> models.CheckConstraint:
    """A note or task is about exactly one of: a person's file, a company, a request."""
    return models.CheckConstraint(
        condition=Q(person__isnull=False, company=None, vacancy=None)
        | Q(person=None, company__isnull=False, vacancy=None)
        | Q(person=None, company=None, vacancy__isnull=False),
        name=name,
    )


class AboutSubject(models.Model):
    """What a note or a task is about: a person's file, a company or a personnel request."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="%(class)ss", null=True, blank=True
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.CASCADE,
        related_name="casework_%(class)ss",  # Company.notes is its own free-text field
        null=True,
        blank=True,
    )
    vacancy = models.ForeignKey(
        "vacancies.Vacancy",
        on_delete=models.CASCADE,
        related_name="%(class)ss",
        null=True,
        blank=True,
    )

    class Meta:
        abstract = True

    @property
    def subject(self):
        return self.person or self.company or self.vacancy

    @property
    def subject_url(self) -> str:
        if self.person_id:
            return reverse("people:detail", args=[self.person_id])
        if self.company_id:
            return reverse("companies:detail", args=[self.company_id])
        return reverse("vacancies:detail", args=[self.vacancy_id])

    def get_additional_data(self):
        return {
            "person_id": self.person_id,
            "company_id": self.company_id,
            "vacancy_id": self.vacancy_id,
        }


class Note(AboutSubject):
    """A dated, signed note on a person's file, a company or a request. A restricted one
    (only on a person's file) holds health or other special-category facts: only the roles
    that may read them see it, and every read is in the audit log."""

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
        constraints = [
            about_one_thing("note_about_one_thing"),
            models.CheckConstraint(
                condition=Q(is_restricted=False) | Q(person__isnull=False),
                name="note_restricted_only_on_people",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "created_at"], name="note_person"),
            models.Index(fields=["company", "created_at"], name="note_company"),
            models.Index(fields=["vacancy", "created_at"], name="note_vacancy"),
        ]

    def __str__(self) -> str:
        return f"Nota del {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    def editable_by(self, user, *, now=None) -> bool:
        now = now or timezone.now()
        return self.author_id == user.pk and now - self.created_at < timedelta(
            minutes=NOTE_EDIT_MINUTES
        )


class Task(AboutSubject):
    """Something to do by a date, on a person's file, a company or a request: written by
    staff or raised by Approdo (a placement to check, a stage about to end...)."""

    class Origin(models.TextChoices):
        MANUAL = "manuale", "Scritta da un operatore"
        PLACEMENT_CHECK = "verifica inserimento", "Verifica dell'inserimento"
        STAGE_ENDING = "fine stage", "Stage in scadenza"
        REGISTRATION = "iscrizione", "Iscrizione da verificare"
        NO_CANDIDATE = "richiesta senza candidati", "Richiesta senza candidati proposti"
        NO_ANSWER = "risposta non ricevuta", "Risposta non ricevuta"
        PERSON_AREA = "area personale", "Dall'area personale della persona"

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
            about_one_thing("task_about_one_thing"),
        ]
        indexes = [
            models.Index(fields=["vacancy", "due_on"], name="task_vacancy"),
            models.Index(fields=["company", "due_on"], name="task_company"),
            models.Index(
                fields=["assignee", "due_on"],
                name="task_open_by_assignee",
                condition=Q(done_at=None),
            ),
            models.Index(fields=["person", "due_on"], name="task_person"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (entro il {self.due_on:%d/%m/%Y})"

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()
