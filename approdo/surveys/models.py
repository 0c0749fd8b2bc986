import json
import secrets

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from approdo.core.fields import staff_reference


class Survey(models.Model):
    """A questionnaire sent to people through a mailing, each with a personal link."""

    class State(models.TextChoices):
        DRAFT = "bozza", "In preparazione"
        OPEN = "aperto", "Aperto"
        CLOSED = "chiuso", "Chiuso"

    title = models.CharField("titolo", max_length=200)
    intro = models.TextField("presentazione", help_text="Quello che la persona legge prima.")
    thanks = models.TextField(
        "ringraziamento", blank=True, help_text="Quello che legge dopo aver inviato le risposte."
    )
    state = models.CharField("stato", max_length=10, choices=State.choices, default=State.DRAFT)
    closes_on = models.DateField("si chiude il", null=True, blank=True)
    created_by = staff_reference("creato da")
    created_at = models.DateTimeField("creato il", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "questionario"
        verbose_name_plural = "questionari"

    def __str__(self) -> str:
        return self.title


class Fact(models.TextChoices):
    """What an answer tells the programme about the person, offered to the case manager."""

    WORKING = "lavora", "Lavora (la risposta indicata vuol dire sì)"
    CONTRACT = "contratto", "Tipo di contratto"
    THROUGH_PROGRAMME = "tramite programma", "Lavoro trovato tramite il programma"


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "scelta singola", "Scelta singola"
        MULTIPLE = "scelta multipla", "Scelta multipla"
        SCALE = "scala", "Scala da 1 a N"
        SHORT = "risposta breve", "Risposta breve"
        LONG = "risposta lunga", "Risposta lunga"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField("posizione", default=0)
    kind = models.CharField("tipo", max_length=20, choices=Kind.choices)
    text = models.CharField("domanda", max_length=300)
    help_text = models.CharField("spiegazione", max_length=300, blank=True)
    choices = ArrayField(
        models.CharField(max_length=150),
        verbose_name="risposte possibili",
        default=list,
        blank=True,
    )
    scale_max = models.PositiveSmallIntegerField(
        "massimo della scala", default=5, validators=[MinValueValidator(2), MaxValueValidator(10)]
    )
    required = models.BooleanField("obbligatoria", default=True)
    # Asked only when an earlier question got one of these answers.
    show_if = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="solo se alla domanda",
    )
    show_if_answers = ArrayField(
        models.CharField(max_length=150),
        verbose_name="si è risposto",
        default=list,
        blank=True,
    )
    fact = models.CharField(
        "cosa dice della persona", max_length=20, choices=Fact.choices, blank=True
    )
    fact_answer = models.CharField("risposta che vuol dire sì", max_length=150, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "domanda"
        verbose_name_plural = "domande"

    def __str__(self) -> str:
        return self.text

    @property
    def show_if_json(self) -> str:
        """The answers that show it, for the page's script."""
        return json.dumps(self.show_if_answers)

    @property
    def options(self) -> list[str]:
        if self.kind == self.Kind.SCALE:
            return [str(value) for value in range(1, self.scale_max + 1)]
        return list(self.choices)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """One person's link to a survey, and their answers ({question id: text or list})."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="survey_invitations"
    )
    mailing = models.ForeignKey(
        "mailings.Mailing", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.CharField(max_length=40, unique=True, default=new_token)
    answers = models.JSONField("risposte", default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField("salvato il", null=True, blank=True)
    submitted_at = models.DateTimeField("risposto il", null=True, blank=True)
    # The case manager's look at what the answers say about the person.
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = staff_reference("verificato da")

    class Meta:
        verbose_name = "invito al questionario"
        verbose_name_plural = "inviti ai questionari"
        constraints = [models.UniqueConstraint(fields=["survey", "person"], name="invitation_once")]
        indexes = [models.Index(fields=["person", "submitted_at"], name="invitation_person")]

    def __str__(self) -> str:
        return f"{self.survey} – {self.person}"
