from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from approdo.core.fields import staff_reference
from approdo.core.workflow import Workflow

from .terms import (
    CONTRACT_ONLY_FOR_HIRING_RULE,
    MINI_JOB_HOURS_RULE,
    MINI_JOB_MESSAGE,
    Contract,
    PlacementType,
)


class VacancyStatus(models.TextChoices):
    APERTA = "aperta", "Aperta"
    SOSPESA = "sospesa", "Sospesa"
    COPERTA = "coperta", "Coperta"
    ANNULLATA = "annullata", "Annullata"


VACANCY_WORKFLOW = Workflow(
    states=VacancyStatus,
    moves={
        VacancyStatus.APERTA: frozenset(
            {VacancyStatus.SOSPESA, VacancyStatus.COPERTA, VacancyStatus.ANNULLATA}
        ),
        VacancyStatus.SOSPESA: frozenset(
            {VacancyStatus.APERTA, VacancyStatus.COPERTA, VacancyStatus.ANNULLATA}
        ),
        VacancyStatus.COPERTA: frozenset({VacancyStatus.APERTA}),
    },
    refused="Una richiesta «{current}» non può diventare «{target}».",
)


class SalaryBand(models.TextChoices):
    FINO_1000 = "fino a 1000", "Fino a 1.000 € netti al mese"
    DA_1000 = "1000-1300", "1.000–1.300 €"
    DA_1300 = "1300-1600", "1.300–1.600 €"
    OLTRE_1600 = "oltre 1600", "Oltre 1.600 €"
    DA_DEFINIRE = "da definire", "Da definire / CCNL"


class Vacancy(models.Model):
    """A company's request for staff (richiesta di personale)."""

    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        related_name="vacancies",
        verbose_name="azienda",
    )
    # Empty only for requests imported with a job title the vocabulary does not know
    # (needs_review): the form requires it, and a request is ranked only with one.
    occupation = models.ForeignKey(
        "occupations.Occupation",
        null=True,
        on_delete=models.PROTECT,
        related_name="vacancies",
        verbose_name="professione",
    )
    job_title = models.CharField("mansione", max_length=150)
    description = models.TextField("descrizione e requisiti in parole", blank=True)
    positions = models.PositiveSmallIntegerField("posti", default=1)
    workplace = models.ForeignKey(
        "places.Comune",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="comune del luogo di lavoro",
    )
    placement_type = models.CharField("tipologia", max_length=20, choices=PlacementType.choices)
    contract = models.CharField("contratto", max_length=25, choices=Contract.choices, blank=True)
    weekly_hours = models.PositiveSmallIntegerField(
        "ore settimanali", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    shifts = models.BooleanField("turni", default=False)
    nights = models.BooleanField("notti", default=False)
    weekends = models.BooleanField("fine settimana", default=False)
    start_on = models.DateField("inizio previsto", null=True, blank=True)
    salary_band = models.CharField(
        "fascia retributiva", max_length=20, choices=SalaryBand.choices, blank=True
    )
    requested_on = models.DateField("data della richiesta")
    status = models.CharField(
        "stato", max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.APERTA
    )
    created_by = staff_reference("registrato da")
    legacy_id = models.IntegerField(null=True, blank=True)
    # History imported from the old system that today's rules would refuse (a mini job of
    # 24 hours, a job title outside the vocabulary): kept as it was, for a coordinator to check.
    needs_review = models.BooleanField("da verificare", default=False)
    review_note = models.CharField("cosa verificare", max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = "richiesta di personale"
        verbose_name_plural = "richieste di personale"
        constraints = [
            models.CheckConstraint(
                condition=Q(positions__gte=1), name="vacancy_positions_positive"
            ),
            models.CheckConstraint(
                condition=CONTRACT_ONLY_FOR_HIRING_RULE,
                name="vacancy_contract_only_for_hiring",
                violation_error_message="Il contratto si indica solo per le assunzioni.",
            ),
            models.CheckConstraint(
                condition=MINI_JOB_HOURS_RULE | Q(needs_review=True),
                name="vacancy_mini_job_under_20_hours",
                violation_error_message=MINI_JOB_MESSAGE,
            ),
            models.UniqueConstraint(fields=["legacy_id"], name="vacancy_legacy_id_unique"),
        ]
        indexes = [models.Index(fields=["status", "requested_on"], name="vacancy_status")]

    def __str__(self) -> str:
        return f"{self.job_title} – {self.company}"

    # Open requests take candidates.
    OPEN_STATUS = VacancyStatus.APERTA

    @property
    def is_open(self) -> bool:
        return self.status == self.OPEN_STATUS

    def get_additional_data(self):
        return {"company_id": self.company_id, "vacancy_id": self.pk}


class RequirementKind(models.TextChoices):
    LICENCE = "patente", "Patente o attestato"
    ITALIAN = "italiano", "Livello minimo di italiano"
    EDUCATION = "titolo di studio", "Titolo di studio minimo"
    SKILL = "competenza", "Competenza"
    EXPERIENCE = "esperienza", "Esperienza nella professione"
    TRANSPORT = "mezzo proprio", "Mezzo proprio"
    DISTANCE = "distanza", "Distanza massima da casa (km)"


class Requirement(models.Model):
    """A requirement of a vacancy: a must-have excludes, a nice-to-have adds to the score."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField("tipo", max_length=20, choices=RequirementKind.choices)
    value = models.CharField("valore", max_length=80, blank=True)
    is_must = models.BooleanField("indispensabile", default=True)

    class Meta:
        ordering = ["-is_must", "kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "kind", "value"], name="requirement_unique_per_vacancy"
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label}: {self.value}" if self.value else label

    def get_additional_data(self):
        return {"vacancy_id": self.vacancy_id}


class VacancyStatusChange(models.Model):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=VacancyStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=VacancyStatus.choices)
    note = models.CharField(max_length=300, blank=True)
    changed_by = staff_reference("modificato da")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"
