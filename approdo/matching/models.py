from django.db import models
from django.utils import timezone

from approdo.core.fields import staff_reference
from approdo.core.workflow import Workflow


class MatchingWeights(models.Model):
    """The weight of each criterion in the score; coordinators change it, every run keeps a copy."""

    occupation = models.PositiveSmallIntegerField("professione", default=30)
    skills = models.PositiveSmallIntegerField("competenze", default=10)
    licences = models.PositiveSmallIntegerField("patenti e attestati", default=10)
    language = models.PositiveSmallIntegerField("italiano", default=10)
    education = models.PositiveSmallIntegerField("titolo di studio", default=5)
    distance = models.PositiveSmallIntegerField("distanza", default=15)
    recency = models.PositiveSmallIntegerField("colloquio recente", default=10)
    cv_text = models.PositiveSmallIntegerField("curriculum", default=10)
    updated_by = staff_reference("aggiornato da")
    updated_at = models.DateTimeField(auto_now=True)

    CRITERIA = (
        "occupation",
        "skills",
        "licences",
        "language",
        "education",
        "distance",
        "recency",
        "cv_text",
    )

    class Meta:
        verbose_name = "pesi dell'abbinamento"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(occupation__gt=0)
                | models.Q(skills__gt=0)
                | models.Q(licences__gt=0)
                | models.Q(language__gt=0)
                | models.Q(education__gt=0)
                | models.Q(distance__gt=0)
                | models.Q(recency__gt=0)
                | models.Q(cv_text__gt=0),
                name="weights_not_all_zero",
            )
        ]

    def __str__(self) -> str:
        return "Pesi dell'abbinamento"

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.CRITERIA}


class MatchingRun(models.Model):
    """One ranking of people for a vacancy, kept with its weights, inputs and result (AI Act)."""

    vacancy = models.ForeignKey(
        "vacancies.Vacancy", on_delete=models.CASCADE, related_name="matching_runs"
    )
    run_by = staff_reference("eseguito da")
    created_at = models.DateTimeField(auto_now_add=True)
    weights = models.JSONField()
    inputs = models.JSONField(help_text="The vacancy and its requirements as they were.")
    pool_size = models.PositiveIntegerField()
    ranked_count = models.PositiveIntegerField()
    excluded_count = models.PositiveIntegerField()
    excluded_by_reason = models.JSONField(default=dict)
    duration_ms = models.PositiveIntegerField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Abbinamento del {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"


class MatchingResult(models.Model):
    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="results")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField("posizione", null=True, blank=True)  # None when excluded
    score = models.FloatField("punteggio")
    parts = models.JSONField("punti per criterio", default=dict)
    missing = models.JSONField("cosa manca", default=list)
    reasons = models.JSONField("motivi di esclusione", default=list)
    # The exclusions by the keys of MatchingRun.excluded_by_reason (the page's groups).
    reason_keys = models.JSONField("motivi di esclusione (chiavi)", default=list)

    class Meta:
        verbose_name = "risultato di un abbinamento"
        verbose_name_plural = "risultati degli abbinamenti"
        ordering = ["rank", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["run", "person"], name="result_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.score}"


class CandidacyStage(models.TextChoices):
    SHORTLISTED = "selezionato", "Selezionato"
    PROPOSED = "proposto", "Proposto alla persona"
    ACCEPTED = "accettato", "Ha accettato"
    REFUSED = "rifiutato", "Ha rifiutato"
    CV_SENT = "cv inviato", "CV inviato all'azienda"
    INTERVIEW = "colloquio", "Colloquio in azienda"
    HIRED = "assunto", "Assunto"
    NOT_CHOSEN = "non scelto", "Non scelto dall'azienda"
    WITHDRAWN = "ritirato", "Ritirato"


class RefusalReason(models.Model):
    """Why a candidacy ended in a refusal, from a list coordinators keep (counted in the
    figures): the person refused (a proposal) or the company did (not chosen)."""

    class Side(models.TextChoices):
        PERSON = "persona", "Ha rifiutato la persona"
        COMPANY = "azienda", "Ha rifiutato l'azienda"

    side = models.CharField("chi ha rifiutato", max_length=10, choices=Side.choices)
    label = models.CharField("motivo", max_length=100)
    active = models.BooleanField("in uso", default=True)

    class Meta:
        verbose_name = "motivo di rifiuto"
        verbose_name_plural = "motivi di rifiuto"
        ordering = ["side", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["side", "label"],
                name="refusal_reason_once",
                violation_error_message="Questo motivo c'è già.",
            )
        ]

    def __str__(self) -> str:
        return self.label


CANDIDACY_WORKFLOW = Workflow(
    states=CandidacyStage,
    moves={
        CandidacyStage.SHORTLISTED: frozenset({CandidacyStage.PROPOSED, CandidacyStage.WITHDRAWN}),
        CandidacyStage.PROPOSED: frozenset(
            {CandidacyStage.ACCEPTED, CandidacyStage.REFUSED, CandidacyStage.WITHDRAWN}
        ),
        CandidacyStage.ACCEPTED: frozenset({CandidacyStage.CV_SENT, CandidacyStage.WITHDRAWN}),
        CandidacyStage.CV_SENT: frozenset(
            {
                CandidacyStage.INTERVIEW,
                CandidacyStage.NOT_CHOSEN,
                CandidacyStage.WITHDRAWN,
                CandidacyStage.HIRED,
            }
        ),
        CandidacyStage.INTERVIEW: frozenset(
            {CandidacyStage.HIRED, CandidacyStage.NOT_CHOSEN, CandidacyStage.WITHDRAWN}
        ),
    },
    refused="Dalla fase «{current}» non si passa a «{target}».",
)


class Candidacy(models.Model):
    """A person in the selection for a vacancy, from the shortlist to the outcome."""

    vacancy = models.ForeignKey(
        "vacancies.Vacancy", on_delete=models.CASCADE, related_name="candidacies"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="candidacies"
    )
    run = models.ForeignKey(
        MatchingRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidacies"
    )
    rank_at_shortlist = models.PositiveIntegerField(
        "posizione alla selezione", null=True, blank=True
    )
    score_at_shortlist = models.FloatField("punteggio alla selezione", null=True, blank=True)
    # Human oversight: why the operator departed from the machine's ranking.
    override_reason = models.TextField("motivo della scelta", blank=True)
    stage = models.CharField(
        "fase", max_length=12, choices=CandidacyStage.choices, default=CandidacyStage.SHORTLISTED
    )
    refusal = models.ForeignKey(
        RefusalReason,
        verbose_name="motivo del rifiuto",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A comment on the refusal, beside the reason from the list.
    refusal_reason = models.CharField("commento sul rifiuto", max_length=200, blank=True)
    cv_sent_at = models.DateTimeField("CV inviato il", null=True, blank=True)
    company_interview_on = models.DateField("colloquio in azienda", null=True, blank=True)
    created_by = staff_reference("registrato da")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "candidatura"
        verbose_name_plural = "candidature"
        ordering = ["rank_at_shortlist", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "person"], name="candidacy_once"),
            models.CheckConstraint(
                condition=~models.Q(stage__in=["rifiutato", "non scelto"])
                | models.Q(refusal__isnull=False),
                name="candidacy_refusal_has_reason",
            ),
        ]
        # The candidacies list, latest first, walks this instead of sorting them all.
        indexes = [models.Index(fields=["-created_at", "-id"], name="candidacy_latest")]

    def __str__(self) -> str:
        return f"{self.person} per {self.vacancy}"

    @property
    def is_open(self) -> bool:
        """Still in progress: it can move to another stage."""
        return not CANDIDACY_WORKFLOW.is_final(self.stage)

    @property
    def can_record_hire(self) -> bool:
        return CANDIDACY_WORKFLOW.allows(self.stage, CandidacyStage.HIRED)

    def get_additional_data(self):
        return {"person_id": self.person_id, "vacancy_id": self.vacancy_id}


class CandidacyEvent(models.Model):
    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="events")
    stage = models.CharField(max_length=12, choices=CandidacyStage.choices)
    note = models.CharField(max_length=300, blank=True)
    by = staff_reference("eseguito da")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({self.at:%d/%m/%Y})"


class PoolChange(models.Model):
    """A person whose row the ranking's pool must read again (matching/pool.py).

    Written by PostgreSQL triggers on people and placements (migration 0009), so that no
    path that changes a person (forms, imports, raw SQL) can forget it. `xid` is the
    writing transaction: a process reads the rows of transactions it may not have seen
    yet (see pool.py), never a bare sequence, which commits out of order.
    """

    person_id = models.BigIntegerField()
    xid = models.BigIntegerField()
    recorded_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["xid"], name="pool_change_xid")]

    def __str__(self):
        return f"persona {self.person_id} (transazione {self.xid})"
