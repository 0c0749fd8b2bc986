"""The smallest training model the figures need: courses and their participants,
and the special paths (IPS) people follow. The full training management comes later."""

from django.db import models
from django.db.models import F, Q


class CourseCategory(models.TextChoices):
    TECNICO = "tecnico-professionale", "Tecnico-professionale"
    LINGUA = "lingua italiana", "Lingua italiana"
    TRASVERSALI = "competenze trasversali", "Competenze trasversali"
    SICUREZZA = "sicurezza", "Sicurezza"
    HACCP = "HACCP", "HACCP"
    ORIENTAMENTO = "orientamento", "Orientamento"


class CourseMode(models.TextChoices):
    PRESENZA = "presenza", "In presenza"
    FAD = "FAD", "A distanza (FAD)"
    MISTA = "mista", "Mista"


class Course(models.Model):
    title = models.CharField("titolo", max_length=200)
    provider = models.CharField("ente", max_length=200)
    category = models.CharField("categoria", max_length=30, choices=CourseCategory.choices)
    start_on = models.DateField("inizio")
    end_on = models.DateField("fine", null=True, blank=True)
    mode = models.CharField("modalità", max_length=10, choices=CourseMode.choices)
    hours = models.PositiveIntegerField("ore")
    cost = models.DecimalField("costo (€)", max_digits=10, decimal_places=2, null=True, blank=True)
    legacy_id = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-start_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="course_ends_after_start",
            ),
            models.UniqueConstraint(fields=["legacy_id"], name="course_legacy_id_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class ParticipationOutcome(models.TextChoices):
    COMPLETATO = "completato", "Completato"
    RITIRATO = "ritirato", "Ritirato"
    IN_CORSO = "in corso", "In corso"


class Participation(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="participations", verbose_name="corso"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="participations"
    )
    enrolled_on = models.DateField("iscrizione", null=True, blank=True)
    outcome = models.CharField("esito", max_length=12, choices=ParticipationOutcome.choices)
    qualification_obtained = models.BooleanField("qualifica ottenuta", default=False)

    class Meta:
        verbose_name = "partecipazione a un corso"
        verbose_name_plural = "partecipazioni ai corsi"
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="participation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} al corso {self.course_id}"

    def get_additional_data(self):
        return {"person_id": self.person_id}


class ProgrammePath(models.Model):
    """A special path a person follows, such as Individual Placement and Support (IPS)."""

    class Programme(models.TextChoices):
        IPS = "IPS", "Individual Placement and Support (IPS)"

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="programme_paths"
    )
    programme = models.CharField(max_length=10, choices=Programme.choices)
    start_on = models.DateField("inizio")
    end_on = models.DateField("fine", null=True, blank=True)

    class Meta:
        verbose_name = "percorso"
        verbose_name_plural = "percorsi"
        ordering = ["-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="path_ends_after_start",
            ),
            models.UniqueConstraint(fields=["person", "programme", "start_on"], name="path_once"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} dal {self.start_on:%d/%m/%Y}"

    def get_additional_data(self):
        return {"person_id": self.person_id}
