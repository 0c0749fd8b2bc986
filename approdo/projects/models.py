"""Self-employment and social-innovation projects, the money they receive, the guarantee
fund at the partner bank that backs their loans, and the calls for grants (the over-55
hiring incentive, the intermediaries' projects)."""

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from approdo.core.antivirus import ScannedUpload
from approdo.core.fields import staff_reference
from approdo.partners.models import PartnerKind

MONEY = {"max_digits": 12, "decimal_places": 2}


class ProjectKind(models.TextChoices):
    AUTOIMPIEGO = "autoimpiego", "Autoimpiego"
    INNOVAZIONE_SOCIALE = "innovazione sociale", "Innovazione sociale"


class ProjectState(models.TextChoices):
    """The states as the legacy export writes them, and "finanziato" between the committee's
    approval and the start (Approdo's own step; the old spreadsheets skipped it)."""

    CANDIDATO = "candidato", "Candidato"
    RIFIUTATO = "rifiutato", "Rifiutato"
    IN_ACCOMPAGNAMENTO = "in accompagnamento", "In accompagnamento"
    STAND_BY = "stand by", "In stand by"
    RITIRATO = "ritirato", "Ritirato"
    VALUTATO_POSITIVAMENTE = "valutato positivamente", "Approvato dal comitato"
    FINANZIATO = "finanziato", "Finanziato"
    AVVIATO = "avviato", "Avviato (impresa in attività)"
    CONCLUSO = "concluso e finanziato", "Concluso e finanziato"


class ProjectCall(models.Model):
    """A periodic call for social-innovation projects, with its weighted criteria."""

    title = models.CharField("titolo", max_length=200)
    opens_on = models.DateField("apertura")
    closes_on = models.DateField("chiusura")
    description = models.TextField("descrizione", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bando per progetti"
        verbose_name_plural = "bandi per progetti"
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="project_call_dates"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CallCriterion(models.Model):
    call = models.ForeignKey(ProjectCall, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField("criterio", max_length=150)
    weight = models.PositiveSmallIntegerField(
        "peso", validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = "criterio del bando"
        verbose_name_plural = "criteri del bando"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="call_criterion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} (peso {self.weight})"


class Project(models.Model):
    kind = models.CharField("tipo", max_length=20, choices=ProjectKind.choices)
    title = models.CharField("titolo", max_length=200)
    description = models.TextField("descrizione", blank=True)
    person = models.ForeignKey(
        "people.Person",
        verbose_name="proponente",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    organisation = models.ForeignKey(
        "partners.Partner",
        verbose_name="ente proponente",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    call = models.ForeignKey(
        ProjectCall,
        verbose_name="bando",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    submitted_on = models.DateField("data di candidatura")
    state = models.CharField(
        "stato", max_length=25, choices=ProjectState.choices, default=ProjectState.CANDIDATO
    )
    state_on = models.DateField("data dello stato")
    coach = staff_reference("accompagnatore")
    committee_on = models.DateField("data della decisione del comitato", null=True, blank=True)
    approved_amount = models.DecimalField(
        "importo approvato (euro)", null=True, blank=True, **MONEY
    )
    # Jobs and stages the old spreadsheets counted without naming the placements; those
    # recorded in Approdo are linked placements (`placements`).
    unlinked_jobs = models.PositiveIntegerField("posti di lavoro (storico)", default=0)
    unlinked_stages = models.PositiveIntegerField("stage attivati (storico)", default=0)
    placements = models.ManyToManyField(
        "placements.Placement", blank=True, related_name="projects", verbose_name="inserimenti"
    )
    legacy_id = models.IntegerField(null=True, blank=True)
    created_by = staff_reference("registrato da")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "progetto"
        verbose_name_plural = "progetti"
        ordering = ["-submitted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["legacy_id"], name="project_legacy_id_unique"),
            models.CheckConstraint(
                condition=(
                    Q(kind=ProjectKind.AUTOIMPIEGO, person__isnull=False)
                    | Q(kind=ProjectKind.INNOVAZIONE_SOCIALE, organisation__isnull=False)
                ),
                name="project_has_its_proposer",
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gte=0),
                name="project_amount_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "state"]),
            models.Index(fields=["submitted_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def proposer(self):
        return self.person if self.kind == ProjectKind.AUTOIMPIEGO else self.organisation

    @property
    def proposer_name(self) -> str:
        """The proposer as lists name it; a person by name (the list is staff-only)."""
        proposer = self.proposer
        return str(proposer) if proposer is not None else "—"


class ProjectRelated:
    def get_additional_data(self):
        return {"project_id": self.project_id}


class ProjectStateChange(ProjectRelated, models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="state_changes")
    from_state = models.CharField("da", max_length=25, choices=ProjectState.choices, blank=True)
    to_state = models.CharField("a", max_length=25, choices=ProjectState.choices)
    on = models.DateField("data")
    reason = models.CharField("motivo", max_length=300, blank=True)
    by = staff_reference("registrato da")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state or 'nuovo'} → {self.to_state}"


class MeetingKind(models.TextChoices):
    BUSINESS_PLAN = "business plan", "Lavoro sul business plan"
    ACCOMPAGNAMENTO = "incontro", "Incontro di accompagnamento"
    FORMAZIONE = "formazione", "Formazione (es. webinar sull'autoimpiego)"
    MONITORAGGIO = "monitoraggio", "Monitoraggio dopo l'avvio"


class ProjectMeeting(ProjectRelated, models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField("data")
    kind = models.CharField("tipo", max_length=20, choices=MeetingKind.choices)
    notes = models.TextField("note", blank=True)
    by = staff_reference("registrato da")

    class Meta:
        verbose_name = "incontro del progetto"
        verbose_name_plural = "incontri del progetto"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} del {self.held_on:%d/%m/%Y}"


class ProjectDocumentKind(models.TextChoices):
    BUSINESS_PLAN = "business plan", "Business plan"
    BUDGET = "budget", "Piano economico (budget)"
    ALTRO = "altro", "Altro"


class StoredFile(ScannedUpload):
    """An upload kept outside the web root (under DOCUMENTS_DIR) and served by a view."""

    storage_path = models.CharField("percorso del file", max_length=300)
    original_name = models.CharField("nome del file", max_length=200)
    content_type = models.CharField("tipo di file", max_length=50)
    size = models.PositiveIntegerField("dimensione (byte)")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = staff_reference("caricato da")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class ProjectDocument(ProjectRelated, StoredFile):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("tipo", max_length=20, choices=ProjectDocumentKind.choices)

    class Meta:
        verbose_name = "documento del progetto"
        verbose_name_plural = "documenti del progetto"
        ordering = ["-uploaded_at"]


class PaymentKind(models.TextChoices):
    CONTRIBUTO = "contributo", "Contributo del programma"
    FINANZIAMENTO_GARANTITO = "finanziamento garantito", "Finanziamento garantito dal fondo"
    MICROCREDITO = "microcredito", "Microcredito sociale"


class Payment(ProjectRelated, models.Model):
    """Money to a project: planned (no payment date yet) or paid."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField("tipo", max_length=25, choices=PaymentKind.choices)
    amount = models.DecimalField("importo (euro)", **MONEY)
    due_on = models.DateField("data prevista")
    paid_on = models.DateField("data di pagamento", null=True, blank=True)
    note = models.CharField("note", max_length=200, blank=True)
    legacy_id = models.IntegerField(null=True, blank=True)
    recorded_by = staff_reference("registrato da")

    class Meta:
        verbose_name = "erogazione"
        verbose_name_plural = "erogazioni"
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["legacy_id"], name="payment_legacy_id_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} di {self.amount} euro ({self.project})"


class FundMovementKind(models.TextChoices):
    VERSAMENTO = "versamento", "Versamento (alza il plafond)"
    GARANZIA = "garanzia", "Garanzia su un finanziamento (impegna il plafond)"
    SVINCOLO = "svincolo", "Svincolo per rimborso (libera il plafond)"
    ESCUSSIONE = "escussione", "Escussione da parte della banca (perdita)"


class FundMovement(models.Model):
    on = models.DateField("data")
    kind = models.CharField("movimento", max_length=12, choices=FundMovementKind.choices)
    amount = models.DecimalField("importo (euro)", **MONEY)
    loan = models.ForeignKey(
        Payment,
        verbose_name="finanziamento",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_movements",
    )
    note = models.CharField("note", max_length=200, blank=True)
    legacy_id = models.IntegerField(null=True, blank=True)
    recorded_by = staff_reference("registrato da")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "movimento del fondo di garanzia"
        verbose_name_plural = "movimenti del fondo di garanzia"
        ordering = ["on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["legacy_id"], name="fund_movement_legacy_id_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_movement_positive"),
            models.CheckConstraint(
                condition=Q(kind=FundMovementKind.VERSAMENTO, loan__isnull=True)
                | (~Q(kind=FundMovementKind.VERSAMENTO) & Q(loan__isnull=False)),
                name="fund_movement_loan_unless_deposit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} di {self.amount} euro del {self.on:%d/%m/%Y}"


class FundSettings(models.Model):
    """The fund's one row of settings (the bank, the coordinators' warning threshold)."""

    bank = models.CharField("banca", max_length=200, blank=True)
    warning_threshold = models.DecimalField(
        "soglia di avviso (euro)",
        default=20000,
        help_text="La pagina del fondo avvisa quando la disponibilità scende sotto questa cifra.",
        **MONEY,
    )

    class Meta:
        verbose_name = "impostazioni del fondo di garanzia"

    def __str__(self) -> str:
        return "Impostazioni del fondo di garanzia"

    @classmethod
    def current(cls) -> "FundSettings":
        return cls.objects.get_or_create(pk=1)[0]


class CommitteeSession(models.Model):
    held_on = models.DateField("data della seduta")
    members = models.TextField("componenti presenti", help_text="Uno per riga, con il ruolo.")
    notes = models.TextField("note al verbale", blank=True)
    created_by = staff_reference("registrata da")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "seduta del comitato di valutazione"
        verbose_name_plural = "sedute del comitato di valutazione"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Comitato di valutazione del {self.held_on:%d/%m/%Y}"

    @property
    def member_list(self) -> list[str]:
        return [line.strip() for line in self.members.splitlines() if line.strip()]


class Decision(models.TextChoices):
    APPROVATO = "approvato", "Approvato"
    NON_APPROVATO = "non approvato", "Non approvato"


class CommitteeDecision(ProjectRelated, models.Model):
    session = models.ForeignKey(
        CommitteeSession, on_delete=models.CASCADE, related_name="decisions"
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="committee_decisions"
    )
    decision = models.CharField("decisione", max_length=15, choices=Decision.choices)
    amount = models.DecimalField("importo approvato (euro)", null=True, blank=True, **MONEY)
    reason = models.CharField("motivazione", max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "project"], name="one_decision_a_session"),
            models.CheckConstraint(
                condition=Q(decision=Decision.NON_APPROVATO, amount__isnull=True)
                | Q(decision=Decision.APPROVATO, amount__gt=0),
                name="decision_amount_when_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.decision}"


class CallScore(ProjectRelated, models.Model):
    """One evaluator's score of one project on one criterion of its call (0–10)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(CallCriterion, on_delete=models.CASCADE, related_name="scores")
    evaluator = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="valutatore"
    )
    score = models.PositiveSmallIntegerField("punteggio", validators=[MaxValueValidator(10)])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "criterion", "evaluator"], name="one_score_each"
            ),
            models.CheckConstraint(condition=Q(score__lte=10), name="score_at_most_ten"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.name}: {self.score}"


class GrantKind(models.TextChoices):
    OVER_55 = "incentivo over 55", "Incentivo per l'assunzione di persone dai 55 anni"
    INTERMEDIARI = "progetti intermediari", "Progetti degli intermediari del lavoro"


class GrantCall(models.Model):
    """A call for grants: who may apply, until when, and the yearly cap per grant."""

    kind = models.CharField("tipo", max_length=25, choices=GrantKind.choices)
    title = models.CharField("titolo", max_length=200)
    year = models.PositiveSmallIntegerField("anno")
    opens_on = models.DateField("apertura")
    deadline = models.DateField(
        "scadenza", null=True, blank=True, help_text="Vuota per un bando sempre aperto."
    )
    yearly_cap = models.DecimalField("importo massimo all'anno (euro)", **MONEY)
    minimum_age = models.PositiveSmallIntegerField(
        "età minima all'assunzione", null=True, blank=True
    )
    eligible_kinds = ArrayField(
        models.CharField(max_length=30, choices=PartnerKind.choices),
        verbose_name="enti ammessi",
    )
    public = models.BooleanField(
        "domande anche dal modulo pubblico",
        default=True,
        help_text="Gli enti possono presentare la domanda da una pagina pubblica.",
    )
    description = models.TextField("descrizione", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bando per contributi"
        verbose_name_plural = "bandi per contributi"
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day and (self.deadline is None or day <= self.deadline)


class ApplicationState(models.TextChoices):
    PRESENTATA = "presentata", "Presentata, da valutare"
    AMMESSA = "ammessa", "Ammessa"
    NON_AMMESSA = "non ammessa", "Non ammessa"


class GrantApplication(models.Model):
    call = models.ForeignKey(GrantCall, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        "partners.Partner", verbose_name="ente", on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField("e-mail per le comunicazioni")
    submitted_on = models.DateField("data di presentazione")
    from_public_form = models.BooleanField("dal modulo pubblico", default=False)
    title = models.CharField("titolo del progetto", max_length=200, blank=True)
    description = models.TextField("descrizione", blank=True)
    amount_requested = models.DecimalField("importo richiesto (euro)", **MONEY)
    # The over-55 incentive: the hire it is about.
    fiscal_code = models.CharField(
        "codice fiscale della persona assunta", max_length=16, blank=True
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name="persona assunta",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    hired_on = models.DateField("data di assunzione", null=True, blank=True)
    contract_end = models.DateField(
        "fine del contratto", null=True, blank=True, help_text="Vuota per il tempo indeterminato."
    )
    state = models.CharField(
        "stato",
        max_length=12,
        choices=ApplicationState.choices,
        default=ApplicationState.PRESENTATA,
    )
    amount_granted = models.DecimalField("importo concesso (euro)", null=True, blank=True, **MONEY)
    decided_on = models.DateField("data della decisione", null=True, blank=True)
    decided_by = staff_reference("deciso da")
    decision_reason = models.TextField("motivazione", blank=True)
    placements = models.ManyToManyField(
        "placements.Placement", blank=True, related_name="+", verbose_name="inserimenti"
    )
    created_by = staff_reference("registrata da")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "domanda di contributo"
        verbose_name_plural = "domande di contributo"
        ordering = ["-submitted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__gt=0), name="application_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Domanda n. {self.pk} di {self.organisation}"


class GrantInstalment(models.Model):
    """A monthly instalment of a granted incentive, following the contract's months."""

    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="instalments"
    )
    month = models.DateField("mese")
    amount = models.DecimalField("importo (euro)", **MONEY)
    paid_on = models.DateField("pagata il", null=True, blank=True)

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["application", "month"], name="one_instalment_a_month")
        ]

    def __str__(self) -> str:
        return f"Rata di {self.month:%m/%Y}: {self.amount} euro"


class GrantDocument(StoredFile):
    application = models.ForeignKey(
        GrantApplication, on_delete=models.CASCADE, related_name="documents"
    )

    class Meta:
        verbose_name = "documento della domanda"
        verbose_name_plural = "documenti della domanda"
        ordering = ["uploaded_at"]
