from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from approdo.core.fields import staff_reference
from approdo.vacancies.terms import (
    CONTRACT_ONLY_FOR_HIRING_RULE,
    MINI_JOB_HOURS_RULE,
    Contract,
    PlacementType,
)

from .choices import Continuation, EndReason


class StageOutcome(models.TextChoices):
    IN_CORSO = "in corso", "In corso"
    CONCLUSO = "concluso", "Concluso regolarmente"
    ASSUNTO = "assunto", "Concluso con assunzione"
    INTERROTTO = "interrotto", "Interrotto"


class Placement(models.Model):
    """A job start (inserimento): renewals, extensions and transformations are new placements."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="placements", verbose_name="persona"
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name="azienda",
    )
    vacancy = models.ForeignKey(
        "vacancies.Vacancy",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
        verbose_name="richiesta",
    )
    candidacy = models.OneToOneField(
        "matching.Candidacy",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placement",
    )
    placement_type = models.CharField("tipologia", max_length=20, choices=PlacementType.choices)
    contract = models.CharField("contratto", max_length=25, choices=Contract.choices, blank=True)
    start_on = models.DateField("inizio")
    end_on = models.DateField("fine", null=True, blank=True)
    weekly_hours = models.PositiveSmallIntegerField(
        "ore settimanali", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    job_title = models.CharField("mansione", max_length=150)
    occupation = models.ForeignKey(
        "occupations.Occupation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="professione",
    )
    is_ips = models.BooleanField("ottenuto nel percorso IPS", default=False)
    continues = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="continuations",
        verbose_name="continua l'inserimento",
    )
    continuation = models.CharField(
        "tipo di continuazione", max_length=20, choices=Continuation.choices, blank=True
    )
    monthly_stipend = models.DecimalField(
        "indennità mensile (€)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    tutor = models.CharField("tutor", max_length=150, blank=True)
    stage_outcome = models.CharField(
        "esito dello stage", max_length=12, choices=StageOutcome.choices, blank=True
    )
    # Ended before its term: the day and why (the planned end stays in end_on).
    ended_early_on = models.DateField("concluso in anticipo il", null=True, blank=True)
    end_reason = models.CharField(
        "motivo della conclusione anticipata", max_length=20, choices=EndReason.choices, blank=True
    )
    end_note = models.CharField("note sulla conclusione", max_length=300, blank=True)
    created_by = staff_reference("registrato da")
    created_at = models.DateTimeField(auto_now_add=True)
    legacy_id = models.IntegerField(null=True, blank=True)
    # History imported from the old system that today's rules would refuse: see Vacancy.
    needs_review = models.BooleanField("da verificare", default=False)
    review_note = models.CharField("cosa verificare", max_length=300, blank=True)

    class Meta:
        ordering = ["-start_on", "-pk"]
        verbose_name = "inserimento"
        verbose_name_plural = "inserimenti"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="placement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=CONTRACT_ONLY_FOR_HIRING_RULE,
                name="placement_contract_only_for_hiring",
            ),
            models.CheckConstraint(
                condition=MINI_JOB_HOURS_RULE | Q(needs_review=True),
                name="placement_mini_job_under_20_hours",
            ),
            models.CheckConstraint(
                condition=(Q(continues__isnull=True) & Q(continuation=""))
                | (Q(continues__isnull=False) & ~Q(continuation="")),
                name="placement_continuation_has_kind",
            ),
            models.CheckConstraint(
                condition=Q(monthly_stipend__isnull=True)
                | Q(placement_type__in=["stage", "tirocinio"]),
                name="placement_stipend_only_for_stages",
            ),
            models.CheckConstraint(
                condition=Q(monthly_stipend__isnull=True) | Q(monthly_stipend__gte=0),
                name="placement_stipend_not_negative",
                violation_error_message="L'indennità non può essere negativa.",
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__isnull=True) | Q(weekly_hours__gte=1),
                name="placement_hours_at_least_one",
                violation_error_message="Le ore settimanali sono almeno una.",
            ),
            models.UniqueConstraint(fields=["legacy_id"], name="placement_legacy_id_unique"),
            models.CheckConstraint(
                condition=(Q(ended_early_on__isnull=True) & Q(end_reason=""))
                | (Q(ended_early_on__gte=F("start_on")) & ~Q(end_reason="")),
                name="placement_early_end_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["start_on"], name="placement_start"),
            models.Index(fields=["person", "start_on"], name="placement_person"),
        ]

    def __str__(self) -> str:
        return f"{self.get_placement_type_display()} – {self.job_title} – {self.company}"

    def get_additional_data(self):
        return {"person_id": self.person_id, "company_id": self.company_id}


class StipendPayment(models.Model):
    """The stipend of a stage or traineeship actually paid for one month: it may differ
    from the agreed one (absences, a late start) and may be kept during a suspension of
    the stage as income support."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="stipend_payments"
    )
    month = models.DateField("mese")  # the first day of the month
    amount = models.DecimalField(
        "importo pagato (€)", max_digits=7, decimal_places=2, validators=[MinValueValidator(0)]
    )
    during_suspension = models.BooleanField(
        "mantenuta come sostegno al reddito durante una sospensione", default=False
    )
    note = models.CharField("note", max_length=300, blank=True)
    recorded_by = staff_reference("registrata da")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["month"]
        verbose_name = "indennità pagata"
        verbose_name_plural = "indennità pagate"
        constraints = [
            models.UniqueConstraint(fields=["placement", "month"], name="stipend_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="stipend_month_first_day"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="stipend_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Indennità di {self.month:%m/%Y}: {self.amount} €"

    def get_additional_data(self):
        return {"person_id": self.placement.person_id, "placement_id": self.placement_id}
