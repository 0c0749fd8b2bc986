"""Getting into the area and what the person does there.

A person is identified by a one-time link sent to the address on file (or by SPID/CIE).
A visit is an `AreaSession` of its own, apart from the staff's logins: its token lives in a
cookie scoped to the area, only its hash in the database; 15 idle minutes end it."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from spid_cie_oidc.relying_party.models import OidcAuthentication

from approdo.casework.models import Task
from approdo.casework.services import raise_task
from approdo.comms.services import queue_email
from approdo.core import ratelimit
from approdo.core.files import atomic_path
from approdo.events.services import register as register_for_event
from approdo.intake.models import Interview, InterviewStatus
from approdo.intake.services import cancel_interview, reschedule_interview
from approdo.people.choices import ConsentChannel, DocumentKind
from approdo.people.consents import PURPOSES
from approdo.people.dossier import write_person_dossier
from approdo.people.models import Person
from approdo.people.services import set_consent, store_document
from approdo.training.models import EnrolmentSource
from approdo.training.services import enrol

from .models import AccessMethod, AreaMessage, AreaSession, DataDownload, LoginLink
from .rules import CHANGE_NOTICE, DOWNLOAD_KEPT, IDLE_LIMIT, LINK_VALIDITY
from .selectors import courses_to_join, sessions_to_join, slots_for_moving

# Links asked for one address, and from one connection, in a window: beyond, nothing is
# sent (and the answer stays the same, so that it tells nothing about the address).
LINKS_PER_ADDRESS = 3
LINKS_PER_CONNECTION = 10
LINK_WINDOW = timedelta(hours=1)
MESSAGES_PER_DAY = 10
# Several files with one address (duplicates not yet merged): a link for each, at most.
FILES_PER_ADDRESS = 3
ABANDONED_FEDERATION_LOGIN = timedelta(days=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def people_with_address(email: str):
    """The files an area link may open for `email`: its owners', unless anonymised."""
    return Person.objects.filter(email__iexact=email.strip(), anonymised_at__isnull=True)


class TooManyRequests(Exception):
    """Too many links asked for from one connection."""


def request_login_link(*, email: str, connection_key: str) -> int:
    """Send a one-time link to each file with this address; returns how many were sent.

    Whoever asks is told the same whether the address is known or not; the count is for
    the logs and the tests only."""
    address_key = f"area-link:address:{token_hash(email.strip().lower())}"
    if not ratelimit.allow(connection_key, limit=LINKS_PER_CONNECTION, window=LINK_WINDOW):
        raise TooManyRequests
    if not ratelimit.allow(address_key, limit=LINKS_PER_ADDRESS, window=LINK_WINDOW):
        return 0
    sent = 0
    for person in people_with_address(email)[:FILES_PER_ADDRESS]:
        _send_link(person)
        sent += 1
    return sent


@transaction.atomic
def _send_link(person: Person) -> None:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    LoginLink.objects.create(
        person=person,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + LINK_VALIDITY,
    )
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    link = f"{base}/area/accesso/{token}/"
    queue_email(
        to=person.email,
        kind="accesso area personale",
        template="area_login_link",
        person=person,
        context={
            "person": person,
            "link": link,
            "minutes": int(LINK_VALIDITY.total_seconds() // 60),
        },
        secret=link,
    )


def link_is_usable(token: str) -> bool:
    return LoginLink.objects.filter(
        token_hash=token_hash(token), used_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


@dataclass(frozen=True)
class Visitor:
    """Where a login comes from, kept in the access history."""

    ip_address: str | None
    user_agent: str


@transaction.atomic
def redeem_login_link(*, token: str, visitor: Visitor) -> tuple[AreaSession, str] | None:
    """Use a link once: a new session and its token, or None if it is unknown, used or
    expired (the same answer for all three)."""
    link = (
        LoginLink.objects.select_for_update()
        .select_related("person")
        .filter(token_hash=token_hash(token))
        .first()
    )
    now = timezone.now()
    if link is None or link.used_at or link.expires_at <= now or link.person.anonymised_at:
        return None
    link.used_at = now
    link.save(update_fields=["used_at"])
    return start_session(person=link.person, method=AccessMethod.LINK, visitor=visitor)


def start_session(*, person: Person, method: str, visitor: Visitor) -> tuple[AreaSession, str]:
    token = secrets.token_urlsafe(32)
    session = AreaSession.objects.create(
        person=person,
        token_hash=token_hash(token),
        method=method,
        ip_address=visitor.ip_address,
        user_agent=visitor.user_agent[:200],
    )
    return session, token


def session_of(token: str) -> AreaSession | None:
    """The open session with this token, its last activity now; None when there is none
    or it was idle too long (then it is closed)."""
    if not token:
        return None
    session = (
        AreaSession.objects.select_related("person")
        .filter(token_hash=token_hash(token), ended_at__isnull=True)
        .first()
    )
    if session is None:
        return None
    now = timezone.now()
    if now - session.last_seen_at > IDLE_LIMIT or session.person.anonymised_at:
        end_session(session, reason=AreaSession.EndReason.IDLE, at=session.last_seen_at)
        return None
    AreaSession.objects.filter(pk=session.pk).update(last_seen_at=now)
    session.last_seen_at = now
    return session


def end_session(session: AreaSession, *, reason: str, at=None) -> None:
    AreaSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
        ended_at=at or timezone.now(), end_reason=reason
    )


def end_every_session(person: Person) -> int:
    """ "Esci ovunque": every open session of the person ends now."""
    return AreaSession.objects.filter(person=person, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=AreaSession.EndReason.EVERYWHERE
    )


# Appointments


def may_change(interview: Interview, *, now=None) -> bool:
    """Still in programme and far enough ahead to be moved or cancelled from the area."""
    now = now or timezone.now()
    return (
        interview.status == InterviewStatus.SCHEDULED
        and interview.scheduled_at - now >= CHANGE_NOTICE
    )


def _own_interview(person: Person, interview_id: int) -> Interview:
    interview = (
        Interview.objects.select_related("operator", "slot")
        .filter(pk=interview_id, person=person)
        .first()
    )
    if interview is None:
        raise ValidationError("Appuntamento non trovato.")
    if not may_change(interview):
        raise ValidationError(
            "Questo appuntamento non si può più cambiare da qui: mancano meno di 24 ore o "
            "non è più in programma. Se non può venire, chiami lo sportello."
        )
    return interview


@transaction.atomic
def move_appointment(*, person: Person, interview_id: int, slot_id: int) -> Interview:
    """Move an appointment to a free slot of the same service; the operator gets a task
    and the person the updated invitation (same UID, SEQUENCE + 1)."""
    interview = _own_interview(person, interview_id)
    if not slots_for_moving(interview).filter(pk=slot_id).exists():
        raise ValidationError(
            {"slot": "L'orario scelto non è più libero o non è adatto: ne scelga un altro."}
        )
    moved = reschedule_interview(interview=interview, slot_id=slot_id, mode=interview.mode, by=None)
    when = timezone.localtime(moved.scheduled_at)
    _tell_operator(
        moved,
        key=f"area:moved:{moved.pk}",
        title=f"La persona ha spostato il colloquio al {when:%d/%m/%Y %H:%M}",
    )
    return moved


@transaction.atomic
def cancel_appointment(*, person: Person, interview_id: int, reason: str) -> Interview:
    interview = _own_interview(person, interview_id)
    if not reason.strip():
        raise ValidationError({"reason": "Scriva perché non può venire."})
    cancelled = cancel_interview(interview=interview, reason=reason.strip()[:500])
    when = timezone.localtime(cancelled.scheduled_at)
    _tell_operator(
        cancelled,
        key=f"area:cancelled:{cancelled.pk}",
        title=f"La persona ha annullato il colloquio del {when:%d/%m/%Y %H:%M}: {reason.strip()}"[
            :200
        ],
    )
    return cancelled


def _tell_operator(interview: Interview, *, key: str, title: str) -> None:
    raise_task(
        subject=interview.person,
        key=key,
        title=title,
        due_on=timezone.localdate(),
        origin=Task.Origin.PERSON_AREA,
        assignee_id=interview.operator_id,
    )


# The CV


@transaction.atomic
def upload_cv(*, person: Person, uploaded_file):
    """A new version of the person's CV, checked and scanned as any upload; its text
    reaches the ranking once clean, and the case manager is told."""
    version = store_document(person=person, kind=DocumentKind.CV, uploaded_file=uploaded_file)
    raise_task(
        subject=person,
        key=f"area:cv:{version.pk}",
        title="Nuovo curriculum caricato dalla persona nell'area personale",
        due_on=timezone.localdate(),
        origin=Task.Origin.PERSON_AREA,
        assignee_id=person.case_manager_id,
    )
    return version


# Courses and events


def join_course(*, person: Person, course_id: int):
    """Enrol in a course that has not started (on the waiting list when it is full)."""
    course = courses_to_join(person).filter(pk=course_id).first()
    if course is None:
        raise ValidationError("Il corso non accetta più iscrizioni da qui.")
    return enrol(course=course, person=person, source=EnrolmentSource.AREA)


def join_session(*, person: Person, session_id: int):
    """Register for an event's session, with the confirmation and calendar entry."""
    session = sessions_to_join(person).filter(pk=session_id).select_related("event").first()
    if session is None:
        raise ValidationError("Non ci si può più iscrivere a questa sessione.")
    if not person.email:
        raise ValidationError(
            "Per iscriversi serve un indirizzo e-mail: lo chieda al suo operatore."
        )
    return register_for_event(
        event=session.event,
        session_ids=[session.pk],
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        person=person,
    )


# Consents and messages


def change_consent(*, person: Person, purpose: str, given: bool):
    if purpose not in PURPOSES:
        raise ValidationError("Finalità di consenso sconosciuta.")
    return set_consent(person=person, purpose=purpose, given=given, channel=ConsentChannel.AREA)


@transaction.atomic
def write_to_case_manager(*, person: Person, text: str) -> AreaMessage:
    """A message to the case manager: kept, and a task on their day (due today)."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Scriva il messaggio."})
    if len(text) > 2000:
        raise ValidationError({"text": "Il messaggio è troppo lungo: al massimo 2.000 caratteri."})
    day_ago = timezone.now() - timedelta(days=1)
    if AreaMessage.objects.filter(person=person, sent_at__gte=day_ago).count() >= MESSAGES_PER_DAY:
        raise ValidationError(
            "Ha già scritto molti messaggi oggi: il suo operatore li leggerà. Per un'urgenza "
            "chiami lo sportello."
        )
    message = AreaMessage(person=person, text=text)
    message.full_clean()
    message.save()
    task = Task.objects.create(
        person=person,
        title=f"Messaggio dall'area personale: {text}"[:200],
        due_on=timezone.localdate(),
        assignee_id=person.case_manager_id,
        origin=Task.Origin.PERSON_AREA,
    )
    message.task = task
    message.save(update_fields=["task"])
    return message


# A copy of one's data


DOWNLOADS_PER_DAY = 3


def download_path(download: DataDownload) -> Path:
    return settings.EXPORTS_DIR / f"area-{download.pk}.zip"


def ask_for_data(*, person: Person) -> DataDownload:
    """Queue a copy of all the person's data for the worker (a few a day at most)."""
    from .tasks import write_data_download

    day_ago = timezone.now() - timedelta(days=1)
    if DataDownload.objects.filter(person=person, requested_at__gte=day_ago).count() >= (
        DOWNLOADS_PER_DAY
    ):
        raise ValidationError(
            "Ha già chiesto più copie dei suoi dati oggi: scarichi quella pronta o riprovi domani."
        )
    download = DataDownload.objects.create(person=person)
    write_data_download.enqueue(download_id=download.pk)  # queued in the same transaction
    return download


def write_download(download_id: int) -> None:
    """The same archive as the right of access, with every category (it is their own)."""
    download = DataDownload.objects.select_related("person").get(pk=download_id)
    try:
        with atomic_path(download_path(download)) as part:
            name = write_person_dossier(download.person, part, include_health=True)
    except Exception:
        DataDownload.objects.filter(pk=download.pk).update(status=DataDownload.Status.FAILED)
        raise
    DataDownload.objects.filter(pk=download.pk).update(
        status=DataDownload.Status.DONE, file_name=name, finished_at=timezone.now()
    )


def usable_download(person: Person, download_id: int) -> DataDownload | None:
    download = DataDownload.objects.filter(
        pk=download_id,
        person=person,
        status=DataDownload.Status.DONE,
        finished_at__gte=timezone.now() - DOWNLOAD_KEPT,
    ).first()
    return download if download and download_path(download).exists() else None


# Where and from what device a person came in, and the links sent: kept this long.
ACCESS_DETAILS_KEPT = timedelta(days=365)


@transaction.atomic
def forget_old_accesses(*, now=None) -> tuple[int, int]:
    """Blank the address and device of accesses older than a year, delete old links (the
    access itself stays in the history) and copies of data older than a week. Returns
    (accesses blanked, links deleted)."""
    cutoff = (now or timezone.now()) - ACCESS_DETAILS_KEPT
    blanked = (
        AreaSession.objects.filter(started_at__lt=cutoff)
        .exclude(ip_address__isnull=True, user_agent="")
        .update(ip_address=None, user_agent="")
    )
    deleted, _ = LoginLink.objects.filter(created_at__lt=cutoff).delete()
    # SPID/CIE logins abandoned halfway (a finished one is deleted at once): a day is plenty.
    OidcAuthentication.objects.filter(
        created__lt=(now or timezone.now()) - ABANDONED_FEDERATION_LOGIN
    ).delete()
    expired = DataDownload.objects.filter(
        status=DataDownload.Status.DONE, finished_at__lt=timezone.now() - DOWNLOAD_KEPT
    )
    for download in expired:
        download_path(download).unlink(missing_ok=True)
    expired.update(status=DataDownload.Status.FAILED, file_name="")
    return blanked, deleted
