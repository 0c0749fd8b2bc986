"""Online self-registration: one person per human, whatever they submit twice."""

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from approdo.comms.services import queue_email
from approdo.core.antivirus import ScanStatus, initial_status
from approdo.core.files import stored_document_path
from approdo.occupations.services import occupations_in_text
from approdo.people.choices import Channel, DocumentKind
from approdo.people.forms import consents_given
from approdo.people.models import Person
from approdo.people.services import (
    PERSON_FIELDS,
    add_work_experience,
    create_person,
    send_to_scanner,
    store_document,
    write_upload,
)
from approdo.people.uploads import unservable_message

from .models import PendingDocument, PortalRegistration
from .signals import registration_repeated


def _snapshot(cleaned: dict) -> dict:
    """What the person typed, as JSON, kept with the registration for operators to review."""
    snapshot = {}
    for field in PERSON_FIELDS + ("last_job_title", "last_employer"):
        value = cleaned.get(field)
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, models.Model):
            value = str(value)
        snapshot[field] = value
    return snapshot


def _keep_pending(registration: PortalRegistration, kind: str, uploaded_file) -> None:
    relative, content_type, size, _ = write_upload(
        uploaded_file, Path("in-attesa") / str(registration.pk)
    )
    pending = PendingDocument.objects.create(
        scan_status=initial_status(),
        registration=registration,
        kind=kind,
        storage_path=str(relative),
        original_name=Path(uploaded_file.name).name[:200],
        content_type=content_type,
        size=size,
    )
    if pending.scan_status == ScanStatus.QUARANTINE:
        send_to_scanner(pending)


def pending_path(document: PendingDocument) -> Path:
    return stored_document_path(document.storage_path)


@transaction.atomic
def decide_pending_document(*, document: PendingDocument, add: bool, by) -> None:
    """Add a pending document to the person's file (checked again, as any upload) or
    discard it; either way the file in waiting is removed."""
    document = PendingDocument.objects.select_for_update().get(pk=document.pk)
    if document.decision:
        raise ValidationError("Su questo documento si è già deciso.")
    path = pending_path(document)
    if add and not document.servable:
        raise ValidationError(unservable_message(document))
    if add:
        with open(path, "rb") as handle:
            store_document(
                person=document.registration.person,
                kind=document.kind,
                uploaded_file=File(handle, name=document.original_name),
                by=by,
            )
    document.decision = (
        PendingDocument.Decision.ADDED if add else PendingDocument.Decision.DISCARDED
    )
    document.decided_at, document.decided_by = timezone.now(), by
    document.storage_path = ""
    document.save(update_fields=["decision", "decided_at", "decided_by", "storage_path"])
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


def find_existing_person(*, fiscal_code: str | None, email: str) -> tuple[Person | None, str]:
    """The person a registration belongs to, by fiscal code first, then by e-mail."""
    if fiscal_code:
        person = Person.objects.filter(fiscal_code=fiscal_code).first()
        if person:
            return person, "codice fiscale"
    if email:
        person = Person.objects.filter(email__iexact=email).order_by("pk").first()
        if person:
            return person, "e-mail"
    return None, ""


def register_online(*, cleaned: dict) -> PortalRegistration:
    """Register from the portal; a repeat (same fiscal code or e-mail) is attached and flagged.

    A double submit of the same form returns the registration made the first time.
    """
    token = cleaned["submission_token"]
    if existing := PortalRegistration.objects.filter(submission_token=token).first():
        return existing
    try:
        return _register(cleaned)
    except IntegrityError:
        # Two submits of one form raced; the other one won.
        if existing := PortalRegistration.objects.filter(submission_token=token).first():
            return existing
        # The same person was just registered at the desk: attach to that file instead.
        if find_existing_person(fiscal_code=cleaned.get("fiscal_code"), email=cleaned["email"])[0]:
            return _register(cleaned)
        raise


def _lock_identity(*, fiscal_code: str | None, email: str) -> None:
    """Serialise registrations of the same fiscal code or e-mail until the transaction ends, so
    that simultaneous submissions of one person make one file (the others attach to it)."""
    keys = sorted(
        {f"codice fiscale:{fiscal_code}" if fiscal_code else "", f"e-mail:{email.lower()}"} - {""}
    )
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


@transaction.atomic
def _register(cleaned: dict) -> PortalRegistration:
    _lock_identity(fiscal_code=cleaned.get("fiscal_code"), email=cleaned["email"])
    now = timezone.now()
    person, matched_by = find_existing_person(
        fiscal_code=cleaned.get("fiscal_code"), email=cleaned["email"]
    )
    matched = person is not None
    if person is not None:
        person = Person.objects.select_for_update().get(pk=person.pk)
        person.needs_review = True
        person.save(update_fields=["needs_review", "updated_at"])
    else:
        data = {
            field: cleaned.get(field) for field in PERSON_FIELDS if cleaned.get(field) is not None
        }
        data["desired_occupations"] = [
            occupation.pk
            for occupation in occupations_in_text(", ".join(cleaned.get("desired_jobs") or []))
        ]
        person = create_person(
            data=data,
            channel=Channel.PORTALE,
            registered_at=now,
            privacy_accepted=True,
            consents=consents_given(cleaned),
        )
        if cleaned.get("last_job_title"):
            add_work_experience(
                person=person,
                data={
                    "job_title": cleaned["last_job_title"],
                    "employer": cleaned.get("last_employer", ""),
                },
            )
    registration = PortalRegistration.objects.create(
        person=person,
        submission_token=cleaned["submission_token"],
        submitted_at=now,
        submitted_data=_snapshot(cleaned),
        privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
        privacy_accepted_at=now,
        matched_existing=matched,
        matched_by=matched_by,
    )
    if matched:
        registration_repeated.send(sender=PortalRegistration, registration=registration)
    uploads = [(DocumentKind.IDENTITY, cleaned["identity_document"])]
    if cleaned.get("cv"):
        uploads.append((DocumentKind.CV, cleaned["cv"]))
    for kind, uploaded_file in uploads:
        if matched:  # kept apart until an operator has compared (see PendingDocument)
            _keep_pending(registration, kind, uploaded_file)
        else:
            store_document(person=person, kind=kind, uploaded_file=uploaded_file)
    # The same answer as for a new registration, to the address typed, in the names typed:
    # whoever submitted cannot tell whether the fiscal code or e-mail was already known.
    # Tied to the file only when the address is the file's own: an e-mail to a person
    # carries the link that withdraws their consents, which a stranger must not get.
    own_address = not matched or (person.email or "").lower() == cleaned["email"].lower()
    queue_email(
        to=cleaned["email"],
        kind="iscrizione",
        person=person if own_address else None,
        template="registration_confirmation",
        context={
            "person": {"first_name": cleaned["first_name"], "last_name": cleaned["last_name"]},
            "registered_at": now,
            "promise_days": settings.FIRST_INTERVIEW_PROMISE_DAYS,
            "privacy_version": settings.PRIVACY_NOTICE_VERSION,
        },
    )
    # The person on file hears of it at the address on file, never at the new one.
    if matched and person.email and person.email.lower() != cleaned["email"].lower():
        queue_email(
            to=person.email,
            kind="iscrizione",
            person=person,
            template="registration_again",
            context={"person": person, "registered_at": now},
        )
    return registration
