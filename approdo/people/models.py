from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone

from approdo.core.antivirus import ScannedUpload
from approdo.core.fields import staff_reference
from approdo.core.validators import validate_plain_text
from approdo.core.workflow import Workflow
from approdo.places.models import Comune

from .choices import (
    Channel,
    ConsentChannel,
    ConsentPurpose,
    DocumentKind,
    Education,
    ExitReason,
    FirstInterviewOutcome,
    ItalianLevel,
    Licence,
    Readiness,
    RightsRequestKind,
    RightsRequestStatus,
    Sex,
    Shift,
    Status,
)

# Leaving is possible at any time (again, to correct the reason); coming back is a
# readmission; nobody goes back to "registrato".
PERSON_STATUS_WORKFLOW = Workflow(
    states=Status,
    moves={
        Status.REGISTRATO: frozenset({Status.IN_CARICO, Status.FUORI_PROTOCOLLO}),
        Status.IN_CARICO: frozenset({Status.FUORI_PROTOCOLLO}),
        Status.FUORI_PROTOCOLLO: frozenset({Status.IN_CARICO, Status.FUORI_PROTOCOLLO}),
    },
    refused="La persona è «{current}»: non può passare allo stato «{target}».",
    refused_to={
        Status.REGISTRATO: "Una persona già iscritta non torna allo stato «registrato».",
    },
)

# The people the ranking considers (its pool): in charge and rated ready for work.
# One definition for the ranking, its covering index and the pages.
RANKABLE_STATUS = Status.IN_CARICO
RANKABLE_READINESS = Readiness.PRONTO
# A person whose processing is restricted (GDPR art. 18) is kept but not proposed.
RANKABLE = Q(
    status=RANKABLE_STATUS, readiness=RANKABLE_READINESS, processing_restricted_at__isnull=True
)


class Person(models.Model):
    """Someone registered in the programme: the file operators work on."""

    first_name = models.CharField("nome", max_length=100, validators=[validate_plain_text])
    last_name = models.CharField("cognome", max_length=100, validators=[validate_plain_text])
    # Lower case, unaccented "cognome nome": what the trigram index searches.
    search_name = models.CharField(max_length=201, editable=False)
    fiscal_code = models.CharField("codice fiscale", max_length=16, null=True, blank=True)
    sex = models.CharField("sesso", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("data di nascita")
    birth_comune = models.ForeignKey(
        Comune,
        verbose_name="comune di nascita",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    birth_country = models.CharField("stato di nascita", max_length=80, default="Italia")
    citizenship = models.CharField("cittadinanza", max_length=80, default="Italia")

    residence_comune = models.ForeignKey(
        Comune, verbose_name="comune di residenza", on_delete=models.PROTECT, related_name="+"
    )
    domicile_comune = models.ForeignKey(
        Comune,
        verbose_name="comune di domicilio",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Solo se diverso dalla residenza.",
    )
    address = models.CharField("indirizzo", max_length=200, blank=True)
    postcode = models.CharField("CAP", max_length=5, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("telefono", max_length=30, blank=True)

    education = models.CharField(
        "titolo di studio", max_length=30, choices=Education.choices, blank=True
    )
    italian_level = models.CharField(
        "livello di italiano", max_length=12, choices=ItalianLevel.choices, blank=True
    )
    # Ordinal ranks of the two levels, kept by PostgreSQL, so that matching compares integers.
    italian_rank = models.GeneratedField(
        expression=models.Case(
            *[
                models.When(italian_level=level, then=rank)
                for rank, level in enumerate(ItalianLevel.values, start=1)
            ],
            default=0,
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )
    education_rank = models.GeneratedField(
        expression=models.Case(
            *[
                models.When(education=level, then=rank)
                for rank, level in enumerate(Education.values)
            ],
            default=-1,
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )
    licences = ArrayField(
        models.CharField(max_length=20),
        verbose_name="patenti e attestati",
        default=list,
        blank=True,
    )
    desired_jobs = ArrayField(
        models.CharField(max_length=100),
        verbose_name="lavori desiderati",
        default=list,
        blank=True,
    )
    # Vocabulary ids (approdo.occupations), kept as arrays so that matching reads them
    # without joins: desired jobs, and jobs done (from the work experiences).
    desired_occupations = ArrayField(
        models.IntegerField(), verbose_name="professioni cercate", default=list, blank=True
    )
    experienced_occupations = ArrayField(
        models.IntegerField(),
        verbose_name="professioni svolte",
        default=list,
        blank=True,
        editable=False,
    )
    skills = ArrayField(
        models.CharField(max_length=80), verbose_name="competenze", default=list, blank=True
    )
    weekly_hours = models.PositiveSmallIntegerField(
        "ore settimanali disponibili", null=True, blank=True
    )
    shifts = ArrayField(
        models.CharField(max_length=12),
        verbose_name="turni disponibili",
        default=list,
        blank=True,
    )
    own_transport = models.BooleanField("mezzo proprio", default=False)

    # Bit masks and the union of the occupation arrays, kept by PostgreSQL, so that the
    # matching tests integers instead of unpacking arrays for every person.
    licence_mask = models.GeneratedField(
        expression=sum(
            (
                models.Case(models.When(licences__contains=[code], then=1 << bit), default=0)
                for bit, code in enumerate(Licence.values)
            ),
            models.Value(0),
        ),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    shift_mask = models.GeneratedField(
        expression=sum(
            (
                models.Case(models.When(shifts__contains=[code], then=1 << bit), default=0)
                for bit, code in enumerate(Shift.values)
            ),
            models.Value(0),
        ),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    all_occupations = models.GeneratedField(
        expression=models.Func(
            models.F("desired_occupations"),
            models.F("experienced_occupations"),
            function="array_cat",
        ),
        output_field=ArrayField(models.IntegerField()),
        db_persist=True,
    )

    registered_at = models.DateTimeField("data di iscrizione")
    channel = models.CharField("canale", max_length=20, choices=Channel.choices)
    status = models.CharField(
        "stato", max_length=20, choices=Status.choices, default=Status.REGISTRATO
    )
    exit_reason = models.CharField(
        "motivo fuori protocollo", max_length=20, choices=ExitReason.choices, blank=True
    )
    status_changed_at = models.DateTimeField("ultimo cambio di stato", null=True, blank=True)

    first_interview_at = models.DateTimeField("primo colloquio", null=True, blank=True)
    first_interview_outcome = models.CharField(
        "esito primo colloquio", max_length=20, choices=FirstInterviewOutcome.choices, blank=True
    )
    readiness = models.CharField(
        "valutazione", max_length=20, choices=Readiness.choices, blank=True
    )

    privacy_accepted_at = models.DateTimeField("informativa privacy accettata il", null=True)
    privacy_notice_version = models.CharField("versione informativa", max_length=20, blank=True)
    # The consents in force (history in Consent): when each was given, None if not.
    consent_proposal_at = models.DateTimeField(
        "consenso alla proposta alle aziende dal", null=True, blank=True
    )
    consent_cv_at = models.DateTimeField("consenso all'invio del CV dal", null=True, blank=True)
    in_ips_path = models.BooleanField("percorso IPS", default=False)
    # Bulk communications (mailings, surveys): the person asked for none (one-click
    # unsubscribe). Service e-mails (appointments) still reach them.
    mailing_opt_out_at = models.DateTimeField(
        "non vuole ricevere comunicazioni dal", null=True, blank=True
    )
    # The mail server refused the address for good: shown on the file until it is changed.
    email_failing_since = models.DateTimeField(
        "indirizzo e-mail rifiutato dal", null=True, blank=True
    )
    email_failure = models.CharField("motivo del rifiuto", max_length=300, blank=True)
    # Who follows the person day to day (set at the first interview), and optionally a
    # second member of staff (the IPS specialist, say).
    case_manager = staff_reference("operatore di riferimento")
    second_case_manager = staff_reference("secondo operatore di riferimento")
    # The desk that follows the person (set at the first interview); None while in the
    # common intake queue. Whose operators read the file: see people/permissions.py.
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name="gruppo",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # GDPR art. 18: the data are kept but not used (no ranking, no e-mails) until lifted.
    processing_restricted_at = models.DateTimeField(
        "trattamento limitato dal", null=True, blank=True
    )
    processing_restriction_reason = models.CharField(
        "motivo della limitazione", max_length=300, blank=True
    )
    # Names, contacts, documents and notes removed (retention or erasure): only what the
    # figures count is left.
    anonymised_at = models.DateTimeField("anonimizzata il", null=True, blank=True)
    # A later registration was attached to this person: an operator should look.
    needs_review = models.BooleanField("da verificare", default=False)
    legacy_id = models.IntegerField("id gestionale precedente", null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "persona"
        verbose_name_plural = "persone"
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_code"],
                name="person_fiscal_code_unique",
                violation_error_message="Una persona con questo codice fiscale è già iscritta: "
                "la cerchi nell'elenco.",
            ),
            models.UniqueConstraint(fields=["legacy_id"], name="person_legacy_id_unique"),
            models.CheckConstraint(
                condition=Q(status=Status.FUORI_PROTOCOLLO, exit_reason__gt="")
                | (~Q(status=Status.FUORI_PROTOCOLLO) & Q(exit_reason="")),
                name="person_exit_reason_only_when_out",
            ),
            models.CheckConstraint(
                condition=Q(readiness="")
                | Q(first_interview_outcome=FirstInterviewOutcome.IN_TARGET),
                name="person_readiness_only_in_target",
            ),
            models.CheckConstraint(
                condition=Q(fiscal_code__isnull=True) | Q(fiscal_code__regex=r"^[A-Z0-9]{16}$"),
                name="person_fiscal_code_format",
            ),
        ]
        indexes = [
            GinIndex(
                fields=["search_name"],
                name="person_search_name_trgm",
                opclasses=["gin_trgm_ops"],
            ),
            GinIndex(fields=["licences"], name="person_licences_gin"),
            # The matching reads the pool from this index alone (index-only scan).
            models.Index(
                fields=["id"],
                name="person_matching_pool",
                include=[
                    "residence_comune",
                    "licence_mask",
                    "shift_mask",
                    "italian_rank",
                    "education_rank",
                    "weekly_hours",
                    "own_transport",
                    "first_interview_at",
                    "consent_proposal_at",
                    "all_occupations",
                    "experienced_occupations",
                    "skills",
                ],
                condition=RANKABLE,
            ),
            # The figures join placements and interviews to the person's few attributes the
            # filters and breakdowns use: read from this narrow index, not the wide table.
            models.Index(
                fields=["id"],
                name="person_figures",
                include=["registered_at", "sex", "birth_date", "citizenship", "residence_comune"],
            ),
            models.Index(fields=["status", "registered_at"], name="person_status_registered"),
            # Whose file it is (people/permissions.py): the operators' lists count on it.
            models.Index(fields=["team", "in_ips_path"], name="person_scope"),
            # An operator's scope read from the index alone: their list by state is counted
            # in 12 ms, not 60, and other lists (placements, candidacies) join the ids of
            # their people without reading the table (bench_casework.py).
            models.Index(
                fields=["team", "status"],
                # With the two dates, the longest-wait order is sorted from the index too.
                include=["id", "registered_at", "first_interview_at"],
                name="person_scope_status",
                condition=Q(in_ips_path=False),
            ),
            models.Index(fields=["registered_at"], name="person_registered_at"),
            # The few files to check (repeated registrations, imports): counted on every desk.
            models.Index(fields=["id"], name="person_needs_review", condition=Q(needs_review=True)),
            models.Index(fields=["birth_date"], name="person_birth_date"),
            models.Index(fields=["citizenship"], name="person_citizenship"),
            models.Index(fields=["last_name", "first_name"], name="person_name"),
            models.Index(fields=["email"], name="person_email"),
            # Addresses compared whatever their case (email__iexact: a repeated online
            # registration, the file an event registration or a fair booking belongs to).
            models.Index(Upper("email"), name="person_email_any_case"),
        ]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name}"

    def save(self, *args, **kwargs):
        from approdo.places.geography import normalise

        self.search_name = normalise(f"{self.last_name} {self.first_name}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = [*update_fields, "search_name"]
        super().save(*args, **kwargs)

    @property
    def is_rankable(self) -> bool:
        """In the ranking's pool (see RANKABLE)."""
        return (
            self.status == RANKABLE_STATUS
            and self.readiness == RANKABLE_READINESS
            and self.processing_restricted_at is None
        )

    @property
    def has_fiscal_code(self) -> bool:
        return bool(self.fiscal_code)

    @property
    def age(self) -> int:
        from .identity import age_on

        return age_on(self.birth_date, timezone.localdate())

    def get_additional_data(self):
        return {"person_id": self.pk}


class PersonRelated:
    """Audit entries of a person's related rows carry the person's id."""

    def get_additional_data(self):
        return {"person_id": self.person_id}


class WorkExperience(PersonRelated, models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="experiences")
    job_title = models.CharField("mansione", max_length=120)
    occupation = models.ForeignKey(
        "occupations.Occupation",
        verbose_name="professione",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    employer = models.CharField("datore di lavoro", max_length=160, blank=True)
    started_on = models.DateField("dal", null=True, blank=True)
    ended_on = models.DateField("al", null=True, blank=True)
    description = models.TextField("descrizione", blank=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = "esperienza lavorativa"
        verbose_name_plural = "esperienze lavorative"
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="experience_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.job_title


class StatusChange(PersonRelated, models.Model):
    """One step of the person's lifecycle, kept for the timeline and the figures."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField("da stato", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("a stato", max_length=20, choices=Status.choices)
    reason = models.CharField("motivo", max_length=20, choices=ExitReason.choices, blank=True)
    is_readmission = models.BooleanField("riammissione", default=False)
    note = models.TextField("nota", blank=True)
    changed_by = staff_reference("modificato da")
    changed_at = models.DateTimeField("data del cambio")

    class Meta:
        verbose_name = "cambio di stato"
        verbose_name_plural = "cambi di stato"
        ordering = ["-changed_at"]
        indexes = [models.Index(fields=["person", "changed_at"], name="statuschange_person")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.from_status or '—'} → {self.to_status}"


class ContactAttempt(PersonRelated, models.Model):
    """A phone call to the person, answered or not."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_attempts")
    called_at = models.DateTimeField("data e ora")
    answered = models.BooleanField("ha risposto")
    note = models.CharField("nota", max_length=300, blank=True)
    operator = staff_reference("operatore")

    class Meta:
        verbose_name = "tentativo di contatto"
        verbose_name_plural = "tentativi di contatto"
        ordering = ["-called_at"]

    def __str__(self) -> str:
        return f"Telefonata del {timezone.localtime(self.called_at):%d/%m/%Y %H:%M}"


class SensitiveNote(PersonRelated, models.Model):
    """Special-category notes (health, GDPR art. 9) of IPS people: IPS specialists only."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sensitive_notes")
    text = models.TextField("nota")
    author = staff_reference("autore")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "nota riservata"
        verbose_name_plural = "note riservate"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Nota riservata del {timezone.localtime(self.created_at):%d/%m/%Y}"


class Document(PersonRelated, models.Model):
    """A kind of document of a person; its file changes over time as versions."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("tipo", max_length=30, choices=DocumentKind.choices)

    class Meta:
        verbose_name = "documento"
        verbose_name_plural = "documenti"
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="document_one_per_kind")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def current_version(self):
        versions = list(self.versions.all())
        return versions[0] if versions else None


class DocumentVersion(ScannedUpload):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    # Relative to settings.DOCUMENTS_DIR, never under the web root.
    storage_path = models.CharField("percorso del file", max_length=300)
    original_name = models.CharField("nome del file", max_length=200)
    content_type = models.CharField("tipo di file", max_length=50)
    size = models.PositiveIntegerField("dimensione (byte)")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    uploaded_by = staff_reference("caricato da")

    class Meta:
        verbose_name = "versione di un documento"
        verbose_name_plural = "versioni dei documenti"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (versione {self.number})"

    def get_additional_data(self):
        return {"person_id": self.document.person_id}


class CurriculumText(PersonRelated, models.Model):
    """The text of the person's CV (from the PDF or typed), searched by the matching.

    Kept apart from the person's row so that the rows the matching scans stay narrow.
    """

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="curriculum"
    )
    text = models.TextField("testo del curriculum", blank=True)
    search = models.GeneratedField(
        expression=SearchVector("text", config="italian"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "testo del curriculum"
        verbose_name_plural = "testi dei curriculum"
        indexes = [GinIndex(fields=["search"], name="curriculum_search")]

    def __str__(self) -> str:
        return f"CV di {self.person_id}"


# How long opening a file outside one's team, with a reason, lasts.
BREAK_GLASS_HOURS = 8


class BreakGlassAccess(PersonRelated, models.Model):
    """A member of staff opened a file outside their team, giving a reason ("break the
    glass"): allowed for some hours, in the log and in the coordinators' report."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    user = staff_reference("utente")
    reason = models.CharField("motivo", max_length=300, validators=[validate_plain_text])
    created_at = models.DateTimeField("aperto il")
    expires_at = models.DateTimeField("valido fino al")

    class Meta:
        verbose_name = "accesso straordinario"
        verbose_name_plural = "accessi straordinari"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "expires_at"], name="breakglass_user")]

    def __str__(self) -> str:
        return f"Accesso straordinario del {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"


class Consent(PersonRelated, models.Model):
    """A consent given or withdrawn, for one purpose (people/consents.py): the history; the
    person's file keeps the consents in force."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField("finalità", max_length=20, choices=ConsentPurpose.choices)
    given = models.BooleanField("dato")  # False: withdrawn
    notice_version = models.CharField("versione dell'informativa", max_length=20, blank=True)
    channel = models.CharField("come", max_length=20, choices=ConsentChannel.choices)
    recorded_at = models.DateTimeField("registrato il")
    recorded_by = staff_reference("registrato da")

    class Meta:
        verbose_name = "consenso"
        verbose_name_plural = "consensi"
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["person", "recorded_at"], name="consent_person")]

    def __str__(self) -> str:
        verb = "dato" if self.given else "revocato"
        return f"Consenso {verb}: {self.get_purpose_display()}"


# GDPR art. 12.3: a request is answered within a month.
RIGHTS_REQUEST_DAYS = 30


class RightsRequest(PersonRelated, models.Model):
    """A request of the person about their data, tracked to its deadline. Erasure needs a
    second member of staff to approve it; approving it anonymises the file."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="rights_requests")
    kind = models.CharField("diritto", max_length=20, choices=RightsRequestKind.choices)
    received_on = models.DateField("ricevuta il")
    due_on = models.DateField("da evadere entro il")
    detail = models.CharField("dettagli", max_length=500, blank=True)
    status = models.CharField(
        "stato",
        max_length=10,
        choices=RightsRequestStatus.choices,
        default=RightsRequestStatus.APERTA,
    )
    recorded_by = staff_reference("registrata da")
    closed_on = models.DateField("chiusa il", null=True, blank=True)
    closed_by = staff_reference("chiusa da")
    outcome = models.CharField("esito", max_length=500, blank=True)

    class Meta:
        verbose_name = "richiesta dell'interessato"
        verbose_name_plural = "richieste degli interessati"
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="rightsrequest_open")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} del {self.received_on:%d/%m/%Y}"

    @property
    def overdue(self) -> bool:
        return self.status == RightsRequestStatus.APERTA and self.due_on < timezone.localdate()


class Reassessment(PersonRelated, models.Model):
    """The readiness for work rated again after the first interview: who, when and why. The
    file keeps the current rating (what the ranking uses); the first interview keeps its own
    (what the figures of first interviews count)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reassessments")
    from_readiness = models.CharField("da", max_length=20, choices=Readiness.choices, blank=True)
    to_readiness = models.CharField("a", max_length=20, choices=Readiness.choices)
    reason = models.CharField("perché", max_length=500, validators=[validate_plain_text])
    assessed_by = staff_reference("valutato da")
    assessed_at = models.DateTimeField("valutato il")

    class Meta:
        verbose_name = "nuova valutazione"
        verbose_name_plural = "nuove valutazioni"
        ordering = ["-assessed_at"]

    def __str__(self) -> str:
        day = timezone.localtime(self.assessed_at)
        return f"Valutazione del {day:%d/%m/%Y}: {self.get_to_readiness_display()}"


class SavedSearch(models.Model):
    """A set of filters of the people list kept under a name, private to its owner or
    shared with their team (with everyone when the owner has no team)."""

    owner = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField("nome", max_length=80)
    query = models.CharField("filtri", max_length=2000)  # the list's query string
    shared = models.BooleanField("condivisa con il gruppo", default=False)
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "ricerca salvata"
        verbose_name_plural = "ricerche salvate"
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="savedsearch_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
