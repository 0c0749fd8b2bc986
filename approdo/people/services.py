"""Writes on a person's file: registration, changes, status, calls, documents."""

import hashlib
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from approdo.audit.models import SecurityAlert
from approdo.audit.services import raise_alert, record_access
from approdo.comms.services import queue_email
from approdo.core.antivirus import ScanStatus, initial_status, scan_file
from approdo.core.files import DiskFull, atomic_path, stored_document_path
from approdo.core.services import assign_fields, model_update

from .choices import (
    Channel,
    ConsentChannel,
    DocumentKind,
    ExitReason,
    Readiness,
    RightsRequestKind,
    RightsRequestStatus,
    Status,
)
from .consents import PURPOSES
from .models import (
    BREAK_GLASS_HOURS,
    PERSON_STATUS_WORKFLOW,
    RIGHTS_REQUEST_DAYS,
    BreakGlassAccess,
    Consent,
    ContactAttempt,
    CurriculumText,
    Document,
    DocumentVersion,
    Person,
    Reassessment,
    RightsRequest,
    SensitiveNote,
    StatusChange,
    WorkExperience,
)
from .uploads import clean_image, sniff_upload

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "fiscal_code",
    "sex",
    "birth_date",
    "birth_comune",
    "birth_country",
    "citizenship",
    "residence_comune",
    "domicile_comune",
    "address",
    "postcode",
    "email",
    "phone",
    "education",
    "italian_level",
    "licences",
    "desired_jobs",
    "weekly_hours",
    "shifts",
    "own_transport",
    "desired_occupations",
    "skills",
    "team",
    "case_manager",
    "second_case_manager",
)

EXIT_EXPLANATIONS = {
    ExitReason.LAVORA: "Siamo felici che abbia trovato lavoro: le auguriamo buon lavoro.",
    ExitReason.IRREPERIBILE: (
        "Abbiamo provato a contattarla più volte, in orari diversi, senza ricevere risposta."
    ),
    ExitReason.NON_COLLABORATIVO: (
        "Negli ultimi tempi non è stato possibile proseguire insieme il percorso concordato."
    ),
    ExitReason.NON_IN_TARGET: (
        "Dal primo colloquio è emerso che il programma non è lo strumento più adatto alla sua "
        "situazione; l'operatore le ha indicato i servizi a cui rivolgersi."
    ),
    ExitReason.ALTRO: "Per i dettagli può rivolgersi all'operatore che l'ha seguita.",
}

# "Irreperibile" needs more than two unanswered calls at different times of day.
UNREACHABLE_MIN_CALLS = 3
UNREACHABLE_MIN_HOURS_APART = 2


@transaction.atomic
def create_person(
    *,
    data: dict,
    channel: str,
    registered_at: datetime | None = None,
    privacy_accepted: bool = False,
    consents: tuple[str, ...] | list[str] = (),
    created_by=None,
) -> Person:
    """Create a person's file (desk or portal) and log the first status; `consents` are the
    purposes the person agreed to (people/consents.py), each recorded on its own."""
    now = timezone.now()
    person = Person(
        channel=channel,
        registered_at=registered_at or now,
        status=Status.REGISTRATO,
        status_changed_at=now,
    )
    assign_fields(instance=person, fields=PERSON_FIELDS, data=data)
    if privacy_accepted:
        person.privacy_accepted_at = now
        person.privacy_notice_version = settings.PRIVACY_NOTICE_VERSION
    person.full_clean(exclude=["search_name"])
    person.save()
    if data.get("cv_text"):
        set_cv_text(person=person, text=data["cv_text"])
    StatusChange.objects.create(
        person=person,
        to_status=Status.REGISTRATO,
        changed_by=created_by,
        changed_at=now,
        note=f"Iscrizione ({person.get_channel_display()})",
    )
    consent_channel = (
        ConsentChannel.PORTALE if channel == Channel.PORTALE else ConsentChannel.SPORTELLO
    )
    for purpose in consents:
        set_consent(
            person=person, purpose=purpose, given=True, channel=consent_channel, by=created_by
        )
    return person


@transaction.atomic
def set_consent(*, person: Person, purpose: str, given: bool, channel: str, by=None) -> Consent:
    """Record a consent given or withdrawn; the file keeps the one in force. Withdrawing
    takes effect at once: the person leaves the rankings, the CV stops leaving."""
    if purpose not in PURPOSES:
        raise ValidationError(f"Finalità di consenso sconosciuta: «{purpose}».")
    now = timezone.now()
    field = PURPOSES[purpose].field
    person = Person.objects.select_for_update().get(pk=person.pk)
    in_force = getattr(person, field)
    if given and in_force is None:
        setattr(person, field, now)
    elif not given and in_force is not None:
        setattr(person, field, None)
    person.save(update_fields=[field, "updated_at"])
    return Consent.objects.create(
        person=person,
        purpose=purpose,
        given=given,
        notice_version=settings.PRIVACY_NOTICE_VERSION,
        channel=channel,
        recorded_at=now,
        recorded_by=by,
    )


@transaction.atomic
def update_person(*, person: Person, data: dict) -> Person:
    """Change the registry data of a person's file: only the fields that changed are written."""
    changed = model_update(instance=person, fields=PERSON_FIELDS, data=data)
    if "email" in changed:
        # A new address has not failed yet.
        Person.objects.filter(pk=person.pk).update(email_failing_since=None, email_failure="")
    if "cv_text" in data:
        set_cv_text(person=person, text=data["cv_text"])
    return person


class EditConflict(Exception):
    """Someone changed, since the form was shown, fields this user changed too."""

    def __init__(self, fields: list[str], current: Person):
        super().__init__(", ".join(fields))
        self.fields, self.current = fields, current


@transaction.atomic
def update_person_from_form(*, person: Person, form) -> Person:
    """Save what the operator changed in the edit form (a ConcurrentEditMixin form); a field
    someone else changed meanwhile is not overwritten without the operator's confirmation."""
    current = Person.objects.select_for_update().get(pk=person.pk)
    stale = form.changed_meanwhile(current)
    if stale:
        raise EditConflict(stale, current)
    return update_person(person=current, data=form.edited_data())


@transaction.atomic
def stop_mailings(*, person: Person, stop: bool = True) -> None:
    """The person's choice about the programme's mailings (one click in any of them, or at
    the desk); a stop takes effect on mailings already being sent too."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if stop == bool(person.mailing_opt_out_at):
        return
    person.mailing_opt_out_at = timezone.now() if stop else None
    person.save(update_fields=["mailing_opt_out_at", "updated_at"])


def set_cv_text(*, person: Person, text: str) -> None:
    """Keep the CV text that the matching searches (typed, or read from the PDF)."""
    CurriculumText.objects.update_or_create(person=person, defaults={"text": text.strip()})


@transaction.atomic
def change_status(
    *,
    person: Person,
    to_status: str,
    by,
    reason: str = "",
    note: str = "",
    notify: bool = True,
) -> StatusChange:
    """Move a person along the lifecycle; leaving or coming back e-mails them."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    from_status = person.status
    if to_status == Status.FUORI_PROTOCOLLO and not reason:
        raise ValidationError({"reason": "Indichi il motivo dell'uscita dal programma."})
    PERSON_STATUS_WORKFLOW.check(from_status, to_status)
    is_readmission = from_status == Status.FUORI_PROTOCOLLO and to_status == Status.IN_CARICO
    now = timezone.now()
    person.status = to_status
    person.exit_reason = reason if to_status == Status.FUORI_PROTOCOLLO else ""
    person.status_changed_at = now
    person.save(update_fields=["status", "exit_reason", "status_changed_at", "updated_at"])
    change = StatusChange.objects.create(
        person=person,
        from_status=from_status,
        to_status=to_status,
        reason=person.exit_reason,
        is_readmission=is_readmission,
        note=note,
        changed_by=by,
        changed_at=now,
    )
    if notify and to_status == Status.FUORI_PROTOCOLLO:
        queue_email(
            to=person.email,
            kind="uscita",
            template="exit_notice",
            person=person,
            context={
                "person": person,
                "changed_at": now,
                "reason_text": ExitReason(reason).label.lower(),
                "explanation": EXIT_EXPLANATIONS[ExitReason(reason)],
            },
            requested_by=by,
        )
    elif notify and is_readmission:
        queue_email(
            to=person.email,
            kind="riammissione",
            template="readmission",
            person=person,
            context={"person": person, "changed_at": now},
            requested_by=by,
        )
    return change


def unanswered_calls_at_different_times(person: Person) -> int:
    """How many unanswered calls were made at least two hours apart from each other."""
    times = sorted(
        person.contact_attempts.filter(answered=False).values_list("called_at", flat=True)
    )
    distinct_times: list[datetime] = []
    for called_at in times:
        local = timezone.localtime(called_at)
        minutes = local.hour * 60 + local.minute
        if all(
            abs(minutes - (other.hour * 60 + other.minute)) >= UNREACHABLE_MIN_HOURS_APART * 60
            for other in distinct_times
        ):
            distinct_times.append(local)
    return len(distinct_times)


def is_unreachable(person: Person) -> bool:
    return unanswered_calls_at_different_times(person) >= UNREACHABLE_MIN_CALLS


@transaction.atomic
def record_contact_attempt(
    *, person: Person, answered: bool, by, note: str = "", called_at: datetime | None = None
) -> ContactAttempt:
    """Log a phone call to the person."""
    called_at = called_at or timezone.now()
    if called_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"called_at": "La data della telefonata è nel futuro."})
    return ContactAttempt.objects.create(
        person=person, answered=answered, note=note, operator=by, called_at=called_at
    )


@transaction.atomic
def add_sensitive_note(*, person: Person, text: str, by) -> SensitiveNote:
    if not person.in_ips_path:
        raise ValidationError(
            "Le note riservate si registrano solo per le persone nel percorso IPS."
        )
    return SensitiveNote.objects.create(person=person, text=text.strip(), author=by)


def write_upload(uploaded_file, folder: Path) -> tuple[Path, str, int, str]:
    """Check an upload (type, size, structure), keep only the picture of an image, and
    write it whole under DOCUMENTS_DIR/folder (temporary name, then renamed); returns the
    path relative to DOCUMENTS_DIR, the content type, the size and the SHA-256."""
    content_type, extension = sniff_upload(uploaded_file)
    relative = folder / f"{uuid.uuid4().hex}.{extension}"
    digest = hashlib.sha256()
    chunks = (
        [clean_image(uploaded_file, content_type)]
        if content_type.startswith("image/")
        else uploaded_file.chunks()
    )
    size = 0
    try:
        with atomic_path(settings.DOCUMENTS_DIR / relative) as part, open(part, "wb") as out:
            part.chmod(0o600)
            for chunk in chunks:
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
    except DiskFull as error:
        raise ValidationError(str(error)) from error
    return relative, content_type, size, digest.hexdigest()


def store_document(*, person: Person, kind: str, uploaded_file, by=None) -> DocumentVersion:
    """Check the upload's real type and size, write it outside the web root, add a version.

    The file is written whole first (a temporary name, then renamed) and removed again if
    the database write fails, so neither a row without a file nor a partial file is left.
    """
    if kind not in DocumentKind.values:
        raise ValidationError("Tipo di documento sconosciuto.")
    relative, content_type, size, sha256 = write_upload(uploaded_file, Path(str(person.pk)))
    target = settings.DOCUMENTS_DIR / relative
    try:
        with transaction.atomic():
            document, _ = Document.objects.select_for_update().get_or_create(
                person=person, kind=kind
            )
            number = (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1
            version = DocumentVersion.objects.create(
                scan_status=initial_status(),
                document=document,
                number=number,
                storage_path=str(relative),
                original_name=Path(uploaded_file.name).name[:200],
                content_type=content_type,
                size=size,
                sha256=sha256,
                uploaded_at=timezone.now(),
                uploaded_by=by,
            )
    except Exception:
        target.unlink(missing_ok=True)
        raise
    if version.scan_status == ScanStatus.QUARANTINE:
        send_to_scanner(version)
    else:
        _read_cv_text(version)
    return version


def _read_cv_text(version: DocumentVersion) -> None:
    if version.document.kind == DocumentKind.CV and version.content_type == "application/pdf":
        from .tasks import extract_cv_text

        extract_cv_text.enqueue(version_id=version.pk)


def send_to_scanner(upload) -> None:
    """Have the worker scan a stored upload (a document version, a portal document in
    waiting); it stays in quarantine until then."""
    from .tasks import scan_upload

    scan_upload.enqueue(label=upload._meta.label, pk=upload.pk)


def scan_stored_upload(*, label: str, pk: int) -> str:
    """Scan an upload in quarantine: clean, it is served; infected, its file is removed and
    the administrators alerted. Raises ScannerUnavailable (the caller tries again later)."""
    model = apps.get_model(label)
    upload = model.objects.get(pk=pk)
    if upload.scan_status != ScanStatus.QUARANTINE:
        return upload.scan_status
    path = settings.DOCUMENTS_DIR / upload.storage_path
    result = scan_file(path)
    with transaction.atomic():
        upload = model.objects.select_for_update().get(pk=pk)
        if result.clean:
            upload.scan_status = ScanStatus.CLEAN
            upload.save(update_fields=["scan_status"])
        else:
            upload.scan_status = ScanStatus.INFECTED
            upload.scan_signature = result.signature[:200]
            upload.save(update_fields=["scan_status", "scan_signature"])
            raise_alert(
                kind=SecurityAlert.Kind.MALWARE,
                user=getattr(upload, "uploaded_by", None),
                detail=f"«{upload.original_name}» ({result.signature}): file rimosso.",
            )
            transaction.on_commit(lambda: path.unlink(missing_ok=True))
    if result.clean and isinstance(upload, DocumentVersion):
        _read_cv_text(upload)
    return upload.scan_status


MAX_CV_TEXT = 20_000


def fill_cv_text_from_document(*, version_id: int) -> int:
    """Put the text of a PDF CV in the person's file (for matching); returns its length."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    version = DocumentVersion.objects.select_related("document__person").get(pk=version_id)
    if version.content_type != "application/pdf":
        return 0
    try:
        reader = PdfReader(document_path(version))
        text = " ".join((page.extract_text() or "") for page in reader.pages[:10])
    except (PdfReadError, ValueError, OSError):
        return 0
    text = " ".join(text.split())[:MAX_CV_TEXT]
    if text:
        set_cv_text(person=version.document.person, text=text)
    return len(text)


def document_path(version: DocumentVersion) -> Path:
    return stored_document_path(version.storage_path)


@transaction.atomic
def mark_registrations_reviewed(*, person: Person, by) -> int:
    """An operator checked the repeated online registrations attached to the file."""
    reviewed = person.portal_registrations.filter(
        matched_existing=True, reviewed_at__isnull=True
    ).update(reviewed_at=timezone.now(), reviewed_by=by)
    Person.objects.filter(pk=person.pk).update(needs_review=False)
    # The tasks that asked for this review are done.
    apps.get_model("casework", "Task").objects.filter(
        person=person, origin="iscrizione", done_at__isnull=True
    ).update(done_at=timezone.now())
    return reviewed


@transaction.atomic
def add_work_experience(*, person: Person, data: dict) -> WorkExperience:
    """Add a past job; its occupation (named or recognised in the title) counts for matching."""
    from approdo.occupations.services import occupations_in_text

    experience = WorkExperience(person=person, **data)
    if experience.occupation is None:
        found = occupations_in_text(experience.job_title)
        experience.occupation = found[0] if found else None
    experience.full_clean()
    experience.save()
    if experience.occupation_id and experience.occupation_id not in person.experienced_occupations:
        person.experienced_occupations = [*person.experienced_occupations, experience.occupation_id]
        person.save(update_fields=["experienced_occupations", "updated_at"])
    return experience


@transaction.atomic
def restrict_processing(*, person: Person, reason: str) -> None:
    """GDPR art. 18: keep the file but stop using it (ranking, e-mails) until lifted."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Scriva il motivo della limitazione (la richiesta)."})
    person = Person.objects.select_for_update().get(pk=person.pk)
    person.processing_restricted_at = timezone.now()
    person.processing_restriction_reason = reason[:300]
    person.save(update_fields=["processing_restricted_at", "processing_restriction_reason"])


@transaction.atomic
def lift_processing_restriction(*, person: Person) -> None:
    person = Person.objects.select_for_update().get(pk=person.pk)
    person.processing_restricted_at = None
    person.processing_restriction_reason = ""
    person.save(update_fields=["processing_restricted_at", "processing_restriction_reason"])


@transaction.atomic
def break_glass(*, request, person: Person, reason: str) -> BreakGlassAccess:
    """Open `person`'s file outside the user's team for BREAK_GLASS_HOURS, with the reason
    in the log (and the coordinators' report)."""
    now = timezone.now()
    access = BreakGlassAccess.objects.create(
        person=person,
        user=request.user,
        reason=reason,
        created_at=now,
        expires_at=now + timedelta(hours=BREAK_GLASS_HOURS),
    )
    record_access(
        request=request,
        instance=person,
        detail=f"Accesso straordinario (scheda di un altro gruppo): {reason}",
        person_id=person.pk,
    )
    return access


@transaction.atomic
def record_rights_request(
    *, person: Person, kind: str, received_on, detail: str = "", by=None
) -> RightsRequest:
    """A request of the person about their data, due within RIGHTS_REQUEST_DAYS."""
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "La data di ricezione non può essere futura."})
    return RightsRequest.objects.create(
        person=person,
        kind=kind,
        received_on=received_on,
        due_on=received_on + timedelta(days=RIGHTS_REQUEST_DAYS),
        detail=detail,
        recorded_by=by,
    )


@transaction.atomic
def close_rights_request(
    *, rights_request: RightsRequest, status: str, outcome: str, by
) -> RightsRequest:
    """Close a request as served or refused. Serving an erasure anonymises the file: it needs
    a second member of staff, not who recorded it, with the right to restrict processing."""
    from approdo.accounts.roles import RESTRICT_PROCESSING

    from .retention import anonymise_person

    rights_request = RightsRequest.objects.select_for_update().get(pk=rights_request.pk)
    if rights_request.status != RightsRequestStatus.APERTA:
        raise ValidationError("La richiesta è già chiusa.")
    if status not in (RightsRequestStatus.EVASA, RightsRequestStatus.RESPINTA):
        raise ValidationError("Scelga se la richiesta è evasa o respinta.")
    if status == RightsRequestStatus.RESPINTA and not outcome.strip():
        raise ValidationError({"outcome": "Indichi perché la richiesta è respinta."})
    erasing = (
        rights_request.kind == RightsRequestKind.CANCELLAZIONE
        and status == RightsRequestStatus.EVASA
    )
    if erasing:
        if not by.can(RESTRICT_PROCESSING):
            raise ValidationError("La cancellazione la approva un coordinatore.")
        if rights_request.recorded_by_id == by.pk:
            raise ValidationError(
                "La cancellazione va approvata da una persona diversa da chi ha registrato "
                "la richiesta."
            )
    rights_request.status = status
    rights_request.outcome = outcome.strip()
    rights_request.closed_on = timezone.localdate()
    rights_request.closed_by = by
    rights_request.save()
    if erasing:
        anonymise_person(rights_request.person)
    return rights_request


@transaction.atomic
def reassess_readiness(*, person: Person, readiness: str, reason: str, by) -> Reassessment:
    """Rate the readiness for work again (a person in charge): the ranking uses it at once."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != Status.IN_CARICO:
        raise ValidationError("Si rivaluta chi è in carico: riammetta prima la persona.")
    if readiness not in Readiness.values:
        raise ValidationError({"readiness": "Scelga pronto, non pronto o profilo fragile."})
    if readiness == person.readiness:
        raise ValidationError({"readiness": "La valutazione è già questa."})
    if not reason.strip():
        raise ValidationError({"reason": "Scriva perché la valutazione cambia."})
    reassessment = Reassessment.objects.create(
        person=person,
        from_readiness=person.readiness,
        to_readiness=readiness,
        reason=reason.strip(),
        assessed_by=by,
        assessed_at=timezone.now(),
    )
    person.readiness = readiness
    person.save(update_fields=["readiness", "updated_at"])
    return reassessment
