"""Courses and their participants, and the special paths people follow: the Individual
Placement and Support (IPS) path run with the mental-health service."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from approdo.core.fields import staff_reference
from approdo.people.choices import ItalianLevel, Licence


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


class CatalogueCourse(models.Model):
    """A course of the catalogue, run in one or more editions."""

    title = models.CharField("titolo", max_length=200)
    category = models.CharField("categoria", max_length=30, choices=CourseCategory.choices)
    mode = models.CharField("modalità", max_length=10, choices=CourseMode.choices)
    hours = models.PositiveIntegerField("ore")
    description = models.TextField("contenuti", blank=True)
    qualification = models.CharField(
        "qualifica, patente o attestato rilasciato", max_length=200, blank=True
    )
    # What the course gives that a request may ask for: a ranking's "what is missing"
    # links to the courses that give it.
    gives_licence = models.CharField(
        "patente o certificazione che dà", max_length=20, choices=Licence.choices, blank=True
    )
    gives_italian_level = models.CharField(
        "livello di italiano che dà", max_length=12, choices=ItalianLevel.choices, blank=True
    )
    active = models.BooleanField("a catalogo", default=True)

    class Meta:
        verbose_name = "corso a catalogo"
        verbose_name_plural = "catalogo dei corsi"
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(Lower("title"), name="catalogue_title_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Course(models.Model):
    """An edition of a course: when and where it runs, who gives it, who takes part."""

    catalogue = models.ForeignKey(
        CatalogueCourse,
        verbose_name="corso a catalogo",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="editions",
    )
    title = models.CharField("titolo", max_length=200)
    provider = models.ForeignKey(
        "partners.Partner",
        verbose_name="ente di formazione",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
    )
    category = models.CharField("categoria", max_length=30, choices=CourseCategory.choices)
    start_on = models.DateField("inizio")
    end_on = models.DateField("fine", null=True, blank=True)
    mode = models.CharField("modalità", max_length=10, choices=CourseMode.choices)
    hours = models.PositiveIntegerField("ore")
    cost = models.DecimalField("costo (€)", max_digits=10, decimal_places=2, null=True, blank=True)
    place = models.CharField("sede", max_length=200, blank=True)
    seats = models.PositiveIntegerField(
        "posti", null=True, blank=True, help_text="Vuoto se non c'è un limite."
    )
    # The provider's share of the economic risk: that part of the cost is due in
    # proportion to the placements reached (see selectors.provider_due).
    risk_share = models.DecimalField(
        "quota di rischio dell'ente (%)", max_digits=5, decimal_places=2, default=30
    )
    placement_target = models.PositiveIntegerField(
        "inserimenti concordati con l'ente", null=True, blank=True
    )
    risk_window_months = models.PositiveSmallIntegerField(
        "mesi dopo la fine in cui contano gli inserimenti", default=6
    )
    committed_companies = models.ManyToManyField(
        "companies.Company",
        through="CourseCommitment",
        related_name="committed_courses",
        verbose_name="aziende che si impegnano ad assumere",
        blank=True,
    )
    closed_on = models.DateField("chiuso il", null=True, blank=True)
    created_by = staff_reference("creato da")
    legacy_id = models.IntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "edizione di un corso"
        verbose_name_plural = "edizioni dei corsi"
        ordering = ["-start_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="course_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(risk_share__gte=0) & Q(risk_share__lte=100),
                name="course_risk_share_percent",
            ),
            models.UniqueConstraint(fields=["legacy_id"], name="course_legacy_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_on:%d/%m/%Y})"

    @property
    def qualification(self) -> str:
        return self.catalogue.qualification if self.catalogue_id else ""


class CourseCommitment(models.Model):
    """A company's commitment to hire from a course edition at its end."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="commitments")
    company = models.ForeignKey(
        "companies.Company", verbose_name="azienda", on_delete=models.PROTECT, related_name="+"
    )
    positions = models.PositiveSmallIntegerField("assunzioni promesse", default=1)
    note = models.CharField("nota", max_length=200, blank=True)

    class Meta:
        verbose_name = "impegno ad assumere"
        verbose_name_plural = "impegni ad assumere"
        constraints = [
            models.UniqueConstraint(fields=["course", "company"], name="commitment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id} per il corso {self.course_id}"


class ParticipationOutcome(models.TextChoices):
    IN_ATTESA = "in lista d'attesa", "In lista d'attesa"
    IN_CORSO = "in corso", "Iscritto (in corso)"
    COMPLETATO = "completato", "Completato"
    RITIRATO = "ritirato", "Ritirato"


# Those who take part in a course: everyone enrolled except the waiting list.
TAKING_PART = (
    ParticipationOutcome.IN_CORSO,
    ParticipationOutcome.COMPLETATO,
    ParticipationOutcome.RITIRATO,
)


class EnrolmentSource(models.TextChoices):
    PERSON = "scheda della persona", "Dalla scheda della persona"
    COURSE = "pagina del corso", "Dalla pagina del corso"
    RANKING = "classifica", "Da una classifica (requisito mancante)"
    IMPORT = "importazione", "Importazione"
    AREA = "area personale", "Dall'area personale della persona"


class Participation(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="participations", verbose_name="corso"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="participations"
    )
    enrolled_on = models.DateField("iscrizione", null=True, blank=True)
    enrolled_at = models.DateTimeField(null=True, blank=True)  # orders the waiting list
    enrolled_by = staff_reference("iscritto da")
    source = models.CharField(
        "come è stata iscritta", max_length=30, choices=EnrolmentSource.choices, blank=True
    )
    vacancy = models.ForeignKey(
        "vacancies.Vacancy",
        verbose_name="richiesta da cui è stata proposta",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField("esito", max_length=20, choices=ParticipationOutcome.choices)
    withdrawn_on = models.DateField("ritiro il", null=True, blank=True)
    withdrawal_reason = models.TextField("motivo del ritiro", blank=True)
    completed_on = models.DateField("completato il", null=True, blank=True)
    qualification_obtained = models.BooleanField("qualifica ottenuta", default=False)
    fee_paid = models.DecimalField(
        "quota pagata dal programma (€)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    allowance = models.DecimalField(
        "indennità di frequenza (€)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    support_note = models.CharField("note sul sostegno economico", max_length=200, blank=True)

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


class CourseSession(models.Model):
    """A lesson of a course edition, for the attendance register."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    on = models.DateField("data")
    starts_at = models.TimeField("dalle", null=True, blank=True)
    ends_at = models.TimeField("alle", null=True, blank=True)
    hours = models.DecimalField("ore", max_digits=4, decimal_places=1)
    topic = models.CharField("argomento", max_length=200, blank=True)

    class Meta:
        verbose_name = "lezione"
        verbose_name_plural = "lezioni"
        ordering = ["on", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="session_has_hours"),
        ]

    def __str__(self) -> str:
        return f"Lezione del {self.on:%d/%m/%Y}"


class Attendance(models.Model):
    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="attendance")
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="attendance"
    )
    present = models.BooleanField("presente")
    recorded_by = staff_reference("registrato da")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "presenza"
        verbose_name_plural = "presenze"
        constraints = [
            models.UniqueConstraint(fields=["session", "participation"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{'presente' if self.present else 'assente'} alla lezione {self.session_id}"

    def get_additional_data(self):
        return {"participation_id": self.participation_id}


class IPSPhase(models.TextChoices):
    """The phases of the IPS model, in their order."""

    ENGAGEMENT = "aggancio", "Aggancio"
    PROFILE = "profilo professionale", "Profilo professionale"
    JOB_SEARCH = "ricerca del lavoro", "Ricerca del lavoro"
    JOB_START = "inizio del lavoro", "Inizio del lavoro"
    FOLLOW_ALONG = "sostegno al lavoro", "Sostegno nel lavoro"


class PathEndReason(models.TextChoices):
    GOAL_REACHED = "obiettivo raggiunto", "Obiettivo raggiunto (lavoro stabile)"
    PERSON_WITHDREW = "rinuncia", "Rinuncia della persona"
    SERVICE_ENDED = "dimissione dal servizio", "Dimissione dal servizio di salute mentale"
    MOVED = "trasferimento", "Trasferimento"
    UNREACHABLE = "irreperibile", "Persona irreperibile"
    OTHER = "altro", "Altro"


class ProgrammePath(models.Model):
    """A special path a person follows, such as Individual Placement and Support (IPS).

    Open while `end_on` is empty; the person's `in_ips_path` flag follows the open IPS path
    (see services.sync_ips_flag), it is never set by hand."""

    class Programme(models.TextChoices):
        IPS = "IPS", "Individual Placement and Support (IPS)"

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="programme_paths"
    )
    programme = models.CharField(max_length=10, choices=Programme.choices)
    start_on = models.DateField("inizio")
    end_on = models.DateField("fine", null=True, blank=True)
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ips_paths",
        verbose_name="specialista IPS",
    )
    phase = models.CharField(
        "fase", max_length=30, choices=IPSPhase.choices, default=IPSPhase.ENGAGEMENT
    )
    referred_by = models.CharField("inviata da", max_length=200, blank=True)
    # No reverse accessor: a partner's page must not list who it sent to IPS.
    referring_partner = models.ForeignKey(
        "partners.Partner",
        verbose_name="servizio partner che invia",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    referred_on = models.DateField("data dell'invio", null=True, blank=True)
    referral_reason = models.TextField("motivo dell'invio", blank=True)
    consent_at = models.DateTimeField("consenso al percorso raccolto il", null=True, blank=True)
    end_reason = models.CharField(
        "motivo della chiusura", max_length=30, choices=PathEndReason.choices, blank=True
    )
    end_note = models.TextField("note sulla chiusura", blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="aperto da",
    )

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
            # One open path of a kind per person: a second would split the caseload.
            models.UniqueConstraint(
                fields=["person", "programme"],
                condition=Q(end_on__isnull=True),
                name="path_open_once",
                violation_error_message="La persona ha già un percorso aperto di questo tipo.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["specialist"], condition=Q(end_on__isnull=True), name="path_open_caseload"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} dal {self.start_on:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.end_on is None

    def get_additional_data(self):
        return {"person_id": self.person_id}


class PathPhaseChange(models.Model):
    """A path's move to a phase: who, when, why (the path's history)."""

    path = models.ForeignKey(ProgrammePath, on_delete=models.CASCADE, related_name="phase_changes")
    phase = models.CharField("fase", max_length=30, choices=IPSPhase.choices)
    changed_on = models.DateField("dal")
    note = models.TextField("nota", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "cambio di fase del percorso"
        verbose_name_plural = "cambi di fase dei percorsi"
        ordering = ["changed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} dal {self.changed_on:%d/%m/%Y}"

    def get_additional_data(self):
        return {"person_id": self.path.person_id}


class EmployerContactKind(models.TextChoices):
    VISIT = "visita", "Visita in azienda"
    PHONE = "telefonata", "Telefonata"
    EMAIL = "e-mail", "E-mail"
    MEETING = "incontro", "Incontro con la persona e il datore di lavoro"


class EmployerContact(models.Model):
    """A specialist's contact with an employer for a person in IPS (the model asks for
    frequent ones: job development)."""

    path = models.ForeignKey(
        ProgrammePath, on_delete=models.CASCADE, related_name="employer_contacts"
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="azienda tra i partner",
    )
    employer = models.CharField("datore di lavoro", max_length=200, blank=True)
    contacted_on = models.DateField("data")
    kind = models.CharField("tipo di contatto", max_length=12, choices=EmployerContactKind.choices)
    outcome = models.TextField("esito", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "contatto con un datore di lavoro"
        verbose_name_plural = "contatti con i datori di lavoro"
        ordering = ["-contacted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(company__isnull=False) | ~Q(employer=""),
                name="employer_contact_names_employer",
                violation_error_message="Indichi l'azienda o il nome del datore di lavoro.",
            ),
        ]

    def __str__(self) -> str:
        return str(self.company or self.employer)

    def get_additional_data(self):
        return {"person_id": self.path.person_id}
