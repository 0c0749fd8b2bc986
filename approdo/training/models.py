"""Courses and their participants, and the special paths people follow: the Individual
Placement and Support (IPS) path run with the mental-health service."""

from django.conf import settings
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
