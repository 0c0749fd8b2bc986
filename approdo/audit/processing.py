"""The records of processing (GDPR art. 30): every field of every table that holds personal
data, with its category, the purpose, the legal basis and how long it is kept.

Declared once here, by table; `approdo privacy_inventory` prints it and
docs/registro-dei-trattamenti.md is generated from it. A test fails when a table of a
person gains a field that is not listed.
"""

from dataclasses import dataclass, field

from django.apps import apps

# Categories of data
IDENTITY = "dati anagrafici e identificativi"
CONTACTS = "recapiti"
PATH = "percorso nel programma"
WORK = "istruzione, competenze e lavoro"
HEALTH = "dati relativi alla salute (categoria particolare, art. 9)"
DOCUMENTS = "documenti caricati"
MESSAGES = "comunicazioni"
MATCHING = "valutazioni e abbinamenti"
ACCOUNT = "dati degli operatori"

# Purposes, legal bases, retention
SUPPORT = "Accoglienza, orientamento e accompagnamento al lavoro"
PROPOSING = "Proposta alle aziende (abbinamento e selezione)"
COMPANIES = "Rapporti con le aziende partner"
PARTNERS = "Rapporti con gli enti partner (formazione, servizi che inviano persone)"
PROJECTS = (
    "Sostegno all'autoimpiego e all'innovazione sociale (progetti, contributi, fondo di "
    "garanzia, bandi)"
)
EVENTS = (
    "Eventi, webinar e fiera del lavoro (iscrizioni, promemoria, presenze, attestati, "
    "incontri con le aziende)"
)
SECURITY = "Sicurezza degli accessi e registro attività"
RIGHTS = "Gestione delle richieste degli interessati (artt. 15-22 GDPR)"
LEGAL_OBLIGATION = "Art. 6.1.c GDPR: obbligo di legge (rispondere entro un mese, art. 12.3)"
PUBLIC_TASK = "Art. 6.1.e GDPR: compito di interesse pubblico (servizi per il lavoro)"
CONSENT = "Art. 6.1.a GDPR: consenso a essere proposto/a alle aziende"
HEALTH_BASIS = "Art. 9.2.b e 9.2.h GDPR: servizi sociali e sanitari, sotto segreto professionale"
LEGITIMATE = "Art. 6.1.f GDPR: legittimo interesse del programma"
EVENT_BASIS = (
    "Art. 6.1.b GDPR: richiesta dell'interessato di partecipare; art. 6.1.e per le persone "
    "del programma"
)
EVENT_RETENTION = (
    "per chi non è del programma, 24 mesi dopo l'evento (restano i conteggi); per le persone "
    "del programma, come la scheda"
)
TEN_YEARS = "10 anni dall'ultima attività, poi anonimizzazione (informativa privacy)"
WHILE_ACTIVE = "finché l'account è attivo; le voci del registro almeno 6 mesi"
WHILE_PARTNER = "finché l'azienda collabora con il programma"


@dataclass(frozen=True)
class Record:
    table: str  # app_label.Model
    purpose: str
    basis: str
    retention: str
    categories: dict[str, tuple[str, ...]]
    # Fields that are not about the person (keys, bookkeeping, derived indexes).
    technical: tuple[str, ...] = field(default=())

    @property
    def model(self):
        return apps.get_model(self.table)


RECORDS = (
    Record(
        "people.Person",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {
            IDENTITY: (
                "first_name",
                "last_name",
                "fiscal_code",
                "sex",
                "birth_date",
                "birth_comune",
                "birth_country",
                "citizenship",
            ),
            CONTACTS: (
                "residence_comune",
                "domicile_comune",
                "address",
                "postcode",
                "email",
                "phone",
                "mailing_opt_out_at",
                "email_failing_since",
                "email_failure",
            ),
            WORK: (
                "education",
                "italian_level",
                "licences",
                "desired_jobs",
                "desired_occupations",
                "experienced_occupations",
                "skills",
                "weekly_hours",
                "shifts",
                "own_transport",
            ),
            PATH: (
                "registered_at",
                "channel",
                "status",
                "exit_reason",
                "status_changed_at",
                "first_interview_at",
                "first_interview_outcome",
                "readiness",
                "privacy_accepted_at",
                "privacy_notice_version",
                "needs_review",
                "processing_restricted_at",
                "processing_restriction_reason",
                "consent_proposal_at",
                "consent_cv_at",
                "team",
                "case_manager",
                "second_case_manager",
            ),
            HEALTH: ("in_ips_path",),
        },
        technical=(
            "search_name",
            "italian_rank",
            "education_rank",
            "licence_mask",
            "shift_mask",
            "all_occupations",
            "legacy_id",
            "anonymised_at",
            "created_at",
            "updated_at",
        ),
    ),
    Record(
        "people.Consent",
        PROPOSING,
        CONSENT,
        TEN_YEARS,
        {PATH: ("purpose", "given", "notice_version", "channel", "recorded_at")},
        technical=("person", "recorded_by"),
    ),
    Record(
        "people.RightsRequest",
        RIGHTS,
        LEGAL_OBLIGATION,
        TEN_YEARS,
        {
            PATH: (
                "kind",
                "received_on",
                "due_on",
                "detail",
                "status",
                "closed_on",
                "outcome",
            )
        },
        technical=("person", "recorded_by", "closed_by"),
    ),
    Record(
        "people.BreakGlassAccess",
        SECURITY,
        LEGITIMATE,
        WHILE_ACTIVE,
        {ACCOUNT: ("reason", "created_at", "expires_at")},
        technical=("person", "user"),
    ),
    Record(
        "people.Reassessment",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {PATH: ("from_readiness", "to_readiness", "reason", "assessed_at")},
        technical=("person", "assessed_by"),
    ),
    Record(
        "casework.Note",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {PATH: ("text", "is_restricted", "created_at", "edited_at")},
        technical=("person", "company", "vacancy", "author"),
    ),
    Record(
        "casework.Task",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {PATH: ("title", "due_on", "origin", "done_at")},
        technical=(
            "person",
            "company",
            "vacancy",
            "assignee",
            "source_key",
            "created_by",
            "created_at",
            "done_by",
        ),
    ),
    Record(
        "people.WorkExperience",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {WORK: ("job_title", "occupation", "employer", "started_on", "ended_on", "description")},
        technical=("person",),
    ),
    Record(
        "people.StatusChange",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {PATH: ("from_status", "to_status", "reason", "is_readmission", "note", "changed_at")},
        technical=("person", "changed_by"),
    ),
    Record(
        "people.ContactAttempt",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {PATH: ("called_at", "answered", "note")},
        technical=("person", "operator"),
    ),
    Record(
        "people.SensitiveNote",
        SUPPORT,
        HEALTH_BASIS,
        TEN_YEARS,
        {HEALTH: ("text",)},
        technical=("person", "author", "created_at"),
    ),
    Record(
        "people.Document",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {DOCUMENTS: ("kind",)},
        technical=("person",),
    ),
    Record(
        "people.DocumentVersion",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {DOCUMENTS: ("storage_path", "original_name", "content_type", "size")},
        technical=(
            "document",
            "number",
            "sha256",
            "uploaded_at",
            "uploaded_by",
            "scan_status",
            "scan_signature",
        ),
    ),
    Record(
        "people.CurriculumText",
        PROPOSING,
        CONSENT,
        TEN_YEARS,
        {WORK: ("text",)},
        technical=("search", "updated_at"),
    ),
    Record(
        "portal.PortalRegistration",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {
            IDENTITY: ("submitted_data",),
            PATH: (
                "submitted_at",
                "privacy_notice_version",
                "privacy_accepted_at",
                "matched_existing",
                "matched_by",
                "reviewed_at",
            ),
        },
        technical=("person", "submission_token", "reviewed_by"),
    ),
    Record(
        "portal.PendingDocument",
        SUPPORT,
        PUBLIC_TASK,
        "fino alla decisione dell'operatore (poi il file è rimosso)",
        {DOCUMENTS: ("kind", "storage_path", "original_name", "content_type", "size")},
        technical=(
            "registration",
            "decision",
            "decided_at",
            "decided_by",
            "scan_status",
            "scan_signature",
        ),
    ),
    Record(
        "intake.Interview",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {
            PATH: (
                "kind",
                "mode",
                "scheduled_at",
                "location",
                "status",
                "outcome",
                "readiness",
                "notes",
            )
        },
        technical=(
            "person",
            "operator",
            "slot",
            "rescheduled_from",
            "calendar_uid",
            "calendar_sequence",
            "created_by",
            "created_at",
            "legacy_id",
        ),
    ),
    Record(
        "comms.OutboundEmail",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {
            CONTACTS: ("to",),
            MESSAGES: (
                "kind",
                "subject",
                "body",
                "attachment_name",
                "attachment_type",
                "attachment_content",
                "status",
                "skip_reason",
                "sent_at",
            ),
        },
        technical=(
            "person",
            "mailing",
            "error",
            "attempts",
            "next_attempt_at",
            "claim",
            "claimed_until",
            "message_id",
            "secret",
            "requested_by",
            "created_at",
        ),
    ),
    Record(
        "comms.OutboundDocument",
        PROPOSING,
        CONSENT,
        TEN_YEARS,
        {DOCUMENTS: ("file_name",)},
        technical=("email", "version"),
    ),
    Record(
        "matching.MatchingResult",
        PROPOSING,
        CONSENT,
        TEN_YEARS,
        {MATCHING: ("rank", "score", "parts", "missing", "reasons", "reason_keys")},
        technical=("run", "person"),
    ),
    Record(
        # Which person changed, for the ranking's pool in each server process to read
        # again (matching/pool.py): the id only, nothing of the change itself.
        "matching.PoolChange",
        PROPOSING,
        CONSENT,
        "un giorno",
        {},
        technical=("person_id", "xid", "recorded_at"),
    ),
    Record(
        "matching.Candidacy",
        PROPOSING,
        CONSENT,
        TEN_YEARS,
        {
            MATCHING: (
                "rank_at_shortlist",
                "score_at_shortlist",
                "override_reason",
                "stage",
                "refusal",
                "refusal_reason",
                "cv_sent_at",
                "company_interview_on",
            )
        },
        technical=("vacancy", "person", "run", "created_by", "created_at", "updated_at"),
    ),
    Record(
        "placements.Placement",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {
            WORK: (
                "company",
                "placement_type",
                "contract",
                "start_on",
                "end_on",
                "weekly_hours",
                "job_title",
                "occupation",
                "monthly_stipend",
                "tutor",
                "stage_outcome",
                "continuation",
                "ended_early_on",
                "end_reason",
                "end_note",
            ),
            HEALTH: ("is_ips",),
        },
        technical=(
            "person",
            "vacancy",
            "candidacy",
            "continues",
            "created_by",
            "created_at",
            "legacy_id",
            "needs_review",
            "review_note",
        ),
    ),
    Record(
        "placements.StipendPayment",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {WORK: ("month", "amount", "during_suspension", "note")},
        technical=("placement", "recorded_by", "recorded_at"),
    ),
    Record(
        "training.Participation",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {
            WORK: (
                "course",
                "enrolled_on",
                "source",
                "vacancy",
                "outcome",
                "withdrawn_on",
                "withdrawal_reason",
                "completed_on",
                "qualification_obtained",
                "fee_paid",
                "allowance",
                "support_note",
            )
        },
        technical=("person", "enrolled_at", "enrolled_by"),
    ),
    Record(
        "training.Attendance",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {WORK: ("session", "present")},
        technical=("participation", "recorded_by", "recorded_at"),
    ),
    Record(
        "partners.Referral",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {PATH: ("partner", "contact", "referred_on", "reason", "confirmation_to")},
        technical=("person", "recorded_by", "recorded_at"),
    ),
    Record(
        "projects.Project",
        PROJECTS,
        PUBLIC_TASK,
        TEN_YEARS,
        {
            PATH: (
                "kind",
                "title",
                "description",
                "submitted_on",
                "state",
                "state_on",
                "committee_on",
                "approved_amount",
                "unlinked_jobs",
                "unlinked_stages",
            )
        },
        technical=(
            "person",
            "organisation",
            "call",
            "coach",
            "legacy_id",
            "created_by",
            "created_at",
        ),
    ),
    Record(
        "projects.ProjectStateChange",
        PROJECTS,
        PUBLIC_TASK,
        TEN_YEARS,
        {PATH: ("from_state", "to_state", "on", "reason")},
        technical=("project", "by", "at"),
    ),
    Record(
        "projects.ProjectMeeting",
        PROJECTS,
        PUBLIC_TASK,
        TEN_YEARS,
        {PATH: ("held_on", "kind", "notes")},
        technical=("project", "by"),
    ),
    Record(
        "surveys.Invitation",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {PATH: ("answers", "saved_at", "submitted_at", "reviewed_at")},
        technical=("survey", "person", "mailing", "token", "created_at", "reviewed_by"),
    ),
    Record(
        "events.Registration",
        EVENTS,
        EVENT_BASIS,
        EVENT_RETENTION,
        {
            IDENTITY: ("first_name", "last_name", "organisation"),
            CONTACTS: ("email",),
            PATH: ("registered_at", "cancelled_at", "attended", "attended_minutes"),
        },
        technical=(
            "session",
            "person",
            "source",
            "privacy_version",
            "token",
            "reminder_sent_at",
            "link_sent_at",
            "certificate_sent_at",
            "recorded_by",
        ),
    ),
    Record(
        "jobfair.Booking",
        EVENTS,
        EVENT_BASIS,
        EVENT_RETENTION,
        {
            IDENTITY: ("first_name", "last_name"),
            CONTACTS: ("email",),
            PATH: ("vacancy", "note", "created_at", "cancelled_at", "held", "candidacy"),
        },
        technical=("slot", "person", "privacy_version", "token", "created_by"),
    ),
    Record(
        "area.AreaSession",
        SECURITY,
        LEGITIMATE,
        "12 mesi per indirizzo IP e dispositivo (poi cancellati); la data dell'accesso come "
        "la scheda",
        {
            PATH: ("method", "started_at", "last_seen_at", "ended_at", "end_reason"),
            CONTACTS: ("ip_address", "user_agent"),
        },
        technical=("person", "token_hash"),
    ),
    Record(
        # SPID/CIE: the provider's tokens carry name, fiscal code and e-mail; they are read
        # once to find the file and deleted with the login (area/federation.py).
        "spid_cie_oidc_relying_party.OidcAuthenticationToken",
        SECURITY,
        PUBLIC_TASK,
        "cancellati appena la persona è entrata; un accesso interrotto dopo un giorno",
        {IDENTITY: ("id_token", "access_token")},
        technical=(
            "user",
            "authz_request",
            "code",
            "refresh_token",
            "scope",
            "token_type",
            "expires_in",
            "created",
            "modified",
            "revoked",
        ),
    ),
    Record(
        "area.LoginLink",
        SECURITY,
        LEGITIMATE,
        "12 mesi, poi cancellati",
        {PATH: ("created_at", "expires_at", "used_at")},
        technical=("person", "token_hash"),
    ),
    Record(
        "area.ProfileChange",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {PATH: ("proposed", "previous", "submitted_at", "decided_at", "accepted")},
        technical=("person", "decided_by", "task"),
    ),
    Record(
        "area.DataDownload",
        RIGHTS,
        LEGAL_OBLIGATION,
        "il file 7 giorni; la richiesta come la scheda",
        {PATH: ("status", "requested_at", "finished_at", "downloaded_at")},
        technical=("person", "file_name"),
    ),
    Record(
        "area.AreaMessage",
        SUPPORT,
        PUBLIC_TASK,
        TEN_YEARS,
        {MESSAGES: ("text", "sent_at")},
        technical=("person", "task"),
    ),
    Record(
        "projects.GrantApplication",
        PROJECTS,
        PUBLIC_TASK,
        TEN_YEARS,
        {
            IDENTITY: ("fiscal_code",),
            WORK: ("hired_on", "contract_end"),
            PATH: (
                "submitted_on",
                "amount_requested",
                "state",
                "amount_granted",
                "decided_on",
                "decision_reason",
            ),
        },
        technical=(
            "call",
            "organisation",
            "email",
            "from_public_form",
            "title",
            "description",
            "person",
            "decided_by",
            "created_by",
            "created_at",
        ),
    ),
    Record(
        "training.ProgrammePath",
        SUPPORT,
        HEALTH_BASIS,
        TEN_YEARS,
        {
            HEALTH: (
                "programme",
                "start_on",
                "end_on",
                "phase",
                "referred_by",
                "referring_partner",
                "referred_on",
                "referral_reason",
                "consent_at",
                "end_reason",
                "end_note",
            )
        },
        technical=("person", "specialist", "opened_by"),
    ),
    Record(
        "training.PathPhaseChange",
        SUPPORT,
        HEALTH_BASIS,
        TEN_YEARS,
        {HEALTH: ("phase", "changed_on", "note")},
        technical=("path", "by", "recorded_at"),
    ),
    Record(
        "training.EmployerContact",
        SUPPORT,
        HEALTH_BASIS,
        TEN_YEARS,
        {HEALTH: ("company", "employer", "contacted_on", "kind", "outcome")},
        technical=("path", "by", "recorded_at"),
    ),
    Record(
        "companies.CompanyContact",
        COMPANIES,
        LEGITIMATE,
        WHILE_PARTNER,
        {CONTACTS: ("name", "role", "email", "phone")},
        technical=("company",),
    ),
    Record(
        "partners.PartnerContact",
        PARTNERS,
        LEGITIMATE,
        WHILE_PARTNER,
        {CONTACTS: ("name", "role", "email", "phone")},
        technical=("partner",),
    ),
    Record(
        "accounts.User",
        SECURITY,
        LEGITIMATE,
        WHILE_ACTIVE,
        {
            ACCOUNT: (
                "username",
                "first_name",
                "last_name",
                "email",
                "role",
                "team",
                "is_active",
                "daily_digest",
                "last_login",
                "date_joined",
            )
        },
        technical=(
            "password",
            "is_superuser",
            "is_staff",
            "session_epoch",
            "enrolment_code",
            "must_change_password",
            "daily_digest_sent_on",
        ),
    ),
)


def inventory_markdown() -> str:
    """The records as the DPO reads them (docs/registro-dei-trattamenti.md)."""
    lines = [
        "# Registro dei trattamenti (art. 30 GDPR)",
        "",
        "Generato da `approdo privacy_inventory` a partire da `approdo/audit/processing.py`: "
        "ogni campo di ogni tabella con dati personali, con categoria, finalità, base "
        "giuridica e conservazione. I campi tecnici (chiavi, indici, date di sistema) sono "
        "elencati a parte.",
        "",
    ]
    for record in RECORDS:
        model = record.model
        lines += [
            f"## {str(model._meta.verbose_name).capitalize()} (`{record.table}`)",
            "",
            f"- Finalità: {record.purpose}",
            f"- Base giuridica: {record.basis}",
            f"- Conservazione: {record.retention}",
            "",
            "| categoria | campi |",
            "|---|---|",
        ]
        for category, names in record.categories.items():
            labels = ", ".join(str(model._meta.get_field(name).verbose_name) for name in names)
            lines.append(f"| {category} | {labels} |")
        if record.technical:
            lines.append(f"| campi tecnici | {', '.join(record.technical)} |")
        lines.append("")
    return "\n".join(lines)
