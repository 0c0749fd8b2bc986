"""The IPS path: opened on a referral with the person's consent, moved through the model's
phases, closed with a reason. The person's IPS flag follows the open path."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone

from approdo.accounts.roles import VIEW_SENSITIVE_NOTES
from approdo.partners.models import PartnerKind
from approdo.partners.services import partners_by_name
from approdo.people.models import Person
from approdo.placements.services import refresh_ips_placements

from .models import (
    TAKING_PART,
    Attendance,
    CatalogueCourse,
    Course,
    CourseCommitment,
    CourseSession,
    EmployerContact,
    EnrolmentSource,
    IPSPhase,
    Participation,
    ParticipationOutcome,
    PathPhaseChange,
    ProgrammePath,
)

IPS = ProgrammePath.Programme.IPS
PHASE_ORDER = list(IPSPhase.values)


def sync_ips_flag(person_ids=None) -> int:
    """Set `in_ips_path` from the open IPS paths (of everyone, or of these people): the
    flag decides who reads the file, so it must never disagree with the paths."""
    people = Person.objects.all()
    if person_ids is not None:
        people = people.filter(pk__in=list(person_ids))
    open_path = Exists(
        ProgrammePath.objects.filter(person=OuterRef("pk"), programme=IPS, end_on__isnull=True)
    )
    changed = people.filter(open_path, in_ips_path=False).update(in_ips_path=True)
    return changed + people.filter(~open_path, in_ips_path=True).update(in_ips_path=False)


def open_path(person: Person):
    return ProgrammePath.objects.filter(person=person, programme=IPS, end_on__isnull=True).first()


@transaction.atomic
def open_ips_path(
    *,
    person: Person,
    specialist,
    referred_by: str = "",
    referred_on: date,
    referral_reason: str = "",
    referring_partner=None,
    consent_given: bool,
    start_on: date | None = None,
    by,
) -> ProgrammePath:
    """Open an IPS path on the mental-health service's referral, with the person's consent.

    The referring service is a partner or, when it is not one, a name. Unlike other
    referrals it gets no confirmation e-mail: who sends a person to IPS is health data,
    and the outbox is read by roles that must not learn it."""
    start_on = start_on or timezone.localdate()
    referred_by = referred_by.strip() or (referring_partner.name if referring_partner else "")
    person = Person.objects.select_for_update().get(pk=person.pk)
    errors = {}
    if not consent_given:
        errors["consent_given"] = (
            "Senza il consenso della persona al percorso IPS (dati sulla salute) il percorso "
            "non si apre."
        )
    if not referred_by.strip():
        errors["referred_by"] = "Indichi il servizio che invia la persona."
    if referred_on > start_on:
        errors["referred_on"] = "L'invio non può essere successivo all'inizio del percorso."
    if start_on > timezone.localdate():
        errors["start_on"] = "Il percorso si apre dal giorno in cui inizia: non nel futuro."
    if specialist is not None and not specialist.can(VIEW_SENSITIVE_NOTES):
        errors["specialist"] = f"{specialist} non è uno specialista IPS."
    if open_path(person) is not None:
        errors["__all__"] = "La persona ha già un percorso IPS aperto."
    if person.anonymised_at or person.processing_restricted_at:
        errors["__all__"] = "La scheda è anonimizzata o con trattamento limitato."
    if errors:
        raise ValidationError(errors)
    path = ProgrammePath.objects.create(
        person=person,
        programme=IPS,
        start_on=start_on,
        specialist=specialist,
        referred_by=referred_by,
        referring_partner=referring_partner,
        referred_on=referred_on,
        referral_reason=referral_reason.strip(),
        consent_at=timezone.now(),
        opened_by=by,
    )
    PathPhaseChange.objects.create(
        path=path, phase=path.phase, changed_on=start_on, note="Apertura del percorso", by=by
    )
    sync_ips_flag([person.pk])
    refresh_ips_placements([person.pk])
    return path


def _locked_open(path: ProgrammePath) -> ProgrammePath:
    path = ProgrammePath.objects.select_for_update().get(pk=path.pk)
    if not path.is_open:
        raise ValidationError(f"Il percorso è chiuso dal {path.end_on:%d/%m/%Y}.")
    return path


@transaction.atomic
def move_phase(
    *, path: ProgrammePath, phase: str, on: date | None = None, note: str = "", by
) -> PathPhaseChange:
    """Move the path to a phase (forwards or back: the model lets a person return to job
    search after a job ends); each move is kept with who, when and why."""
    path = _locked_open(path)
    on = on or timezone.localdate()
    if phase not in PHASE_ORDER:
        raise ValidationError({"phase": "Fase sconosciuta."})
    if phase == path.phase:
        current = path.get_phase_display()
        raise ValidationError({"phase": f"Il percorso è già nella fase «{current}»."})
    latest = path.phase_changes.order_by("-changed_on", "-pk").first()
    if on < path.start_on or (latest and on < latest.changed_on):
        raise ValidationError(
            {"on": "La data precede l'ultimo cambio di fase o l'inizio del percorso."}
        )
    if on > timezone.localdate():
        raise ValidationError({"on": "La data del cambio di fase è nel futuro."})
    if PHASE_ORDER.index(phase) < PHASE_ORDER.index(path.phase) and not note.strip():
        raise ValidationError({"note": "Per tornare a una fase precedente scriva il perché."})
    path.phase = phase
    path.save(update_fields=["phase"])
    return PathPhaseChange.objects.create(
        path=path, phase=phase, changed_on=on, note=note.strip(), by=by
    )


@transaction.atomic
def record_employer_contact(*, path: ProgrammePath, data: dict, by) -> EmployerContact:
    path = _locked_open(path)
    contact = EmployerContact(path=path, by=by, **data)
    if contact.contacted_on and contact.contacted_on > timezone.localdate():
        raise ValidationError({"contacted_on": "La data del contatto è nel futuro."})
    if contact.contacted_on and contact.contacted_on < path.start_on:
        raise ValidationError({"contacted_on": "La data precede l'inizio del percorso."})
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def close_path(
    *, path: ProgrammePath, end_on: date, reason: str, note: str = "", by
) -> ProgrammePath:
    """Close the path: the person leaves the IPS caseload (and the IPS service's reading of
    the file returns to the person's team)."""
    path = _locked_open(path)
    errors = {}
    if end_on < path.start_on:
        errors["end_on"] = "La chiusura non può precedere l'inizio del percorso."
    if end_on > timezone.localdate():
        errors["end_on"] = "La chiusura non può essere nel futuro."
    if not reason:
        errors["reason"] = "Indichi il motivo della chiusura."
    if errors:
        raise ValidationError(errors)
    path.end_on, path.end_reason, path.end_note = end_on, reason, note.strip()
    path.full_clean()
    path.save(update_fields=["end_on", "end_reason", "end_note"])
    sync_ips_flag([path.person_id])
    refresh_ips_placements([path.person_id])
    return path


# Courses ----------------------------------------------------------------------------------


def training_providers_by_name(names) -> dict[str, int]:
    """Partners for these provider names (lowercased), created as training providers when
    missing: an import names providers, Approdo keeps them as partners."""
    return partners_by_name(names, kind_if_new=PartnerKind.ENTE_FORMAZIONE)


def catalogue_by_title(records) -> dict[str, int]:
    """Catalogue entries for these courses (dicts with title, category, mode, hours), by
    lowercased title, created from the first course of each title when missing."""
    first: dict[str, dict] = {}
    for record in records:
        first.setdefault(record["title"].strip().lower(), record)
    found = dict(
        CatalogueCourse.objects.annotate(lowered=Lower("title"))
        .filter(lowered__in=list(first))
        .values_list("lowered", "pk")
    )
    for title, record in first.items():
        if title not in found:
            found[title] = CatalogueCourse.objects.create(
                title=record["title"].strip(),
                category=record["category"],
                mode=record["mode"],
                hours=record["hours"],
            ).pk
    return found


CATALOGUE_FIELDS = (
    "title",
    "category",
    "mode",
    "hours",
    "description",
    "qualification",
    "gives_licence",
    "gives_italian_level",
    "active",
)


@transaction.atomic
def save_catalogue_course(*, entry: CatalogueCourse | None = None, data: dict) -> CatalogueCourse:
    title = data["title"].strip()
    same_title = CatalogueCourse.objects.filter(title__iexact=title)
    if entry is not None:
        same_title = same_title.exclude(pk=entry.pk)
    if same_title.exists():
        raise ValidationError({"title": f"Il catalogo ha già un corso «{title}»."})
    entry = entry or CatalogueCourse()
    for name in CATALOGUE_FIELDS:
        setattr(entry, name, data[name])
    entry.title = title
    entry.save()
    return entry


COURSE_FIELDS = (
    "provider",
    "start_on",
    "end_on",
    "mode",
    "hours",
    "cost",
    "place",
    "seats",
    "risk_share",
    "placement_target",
    "risk_window_months",
)


# What an edition gets when the form leaves these empty.
COURSE_DEFAULTS = {"place": "", "risk_share": Decimal(30), "risk_window_months": 6}


@transaction.atomic
def save_course(*, course: Course | None = None, catalogue: CatalogueCourse, data: dict, by=None):
    """Create or change an edition of `catalogue`; its title and category come from it."""
    if data.get("end_on") and data["end_on"] < data["start_on"]:
        raise ValidationError({"end_on": "La fine del corso precede il suo inizio."})
    if course is not None and course.closed_on:
        raise ValidationError("Il corso è chiuso: non si modifica più.")
    if course is not None and data.get("seats") is not None:
        # Seats hold those enrolled now; who withdrew or completed holds none.
        enrolled = course.participations.filter(outcome=ParticipationOutcome.IN_CORSO).count()
        if data["seats"] < enrolled:
            raise ValidationError(
                {"seats": f"Gli iscritti sono già {enrolled}: i posti non possono essere meno."}
            )
    course = course or Course(created_by=by)
    course.catalogue = catalogue
    course.title = data.get("title") or catalogue.title
    course.category = catalogue.category
    for name in COURSE_FIELDS:
        value = data.get(name)
        setattr(course, name, COURSE_DEFAULTS.get(name) if value in (None, "") else value)
    course.save()
    if data.get("seats") is not None:
        promote_from_waiting_list(course)
    return course


def add_commitment(*, course: Course, company, positions: int, note: str = ""):
    if course.commitments.filter(company=company).exists():
        raise ValidationError({"company": f"{company} si è già impegnata per questo corso."})
    return CourseCommitment.objects.create(
        course=course, company=company, positions=positions, note=note
    )


def _locked(course: Course) -> Course:
    """The course row locked, so that two enrolments cannot both take the last seat."""
    return Course.objects.select_for_update().get(pk=course.pk)


@transaction.atomic
def enrol(
    *,
    course: Course,
    person: Person,
    by=None,
    source: str = EnrolmentSource.COURSE,
    vacancy=None,
    on: date | None = None,
) -> Participation:
    """Enrol `person`; when the seats are taken, on the waiting list."""
    course = _locked(course)
    today = timezone.localdate()
    if course.closed_on:
        raise ValidationError("Il corso è chiuso: non accetta più iscrizioni.")
    if course.end_on and course.end_on < today:
        raise ValidationError(f"Il corso è finito il {course.end_on:%d/%m/%Y}.")
    if person.anonymised_at:
        raise ValidationError("La scheda è stata anonimizzata.")
    existing = Participation.objects.filter(course=course, person=person).first()
    if existing:
        raise ValidationError(
            f"{person} è già iscritta a questo corso ({existing.get_outcome_display().lower()})."
        )
    full = course.seats is not None and (
        Participation.objects.filter(course=course, outcome=ParticipationOutcome.IN_CORSO).count()
        >= course.seats
    )
    return Participation.objects.create(
        course=course,
        person=person,
        enrolled_on=on or today,
        enrolled_at=timezone.now(),
        enrolled_by=by,
        source=source,
        vacancy=vacancy,
        outcome=ParticipationOutcome.IN_ATTESA if full else ParticipationOutcome.IN_CORSO,
    )


def promote_from_waiting_list(course: Course) -> list[Participation]:
    """Move people from the waiting list into the free seats, first come first served."""
    if course.closed_on:
        return []
    enrolled = Participation.objects.filter(course=course, outcome=ParticipationOutcome.IN_CORSO)
    free = None if course.seats is None else max(course.seats - enrolled.count(), 0)
    waiting = Participation.objects.filter(
        course=course, outcome=ParticipationOutcome.IN_ATTESA
    ).order_by("enrolled_at", "pk")
    promoted = list(waiting if free is None else waiting[:free])
    for participation in promoted:
        participation.outcome = ParticipationOutcome.IN_CORSO
        participation.save(update_fields=["outcome"])
    return promoted


@transaction.atomic
def withdraw(*, participation: Participation, on: date, reason: str, by=None):
    """Record a withdrawal; a seat it frees goes to the first on the waiting list.
    Returns the participations promoted."""
    course = _locked(participation.course)
    if participation.outcome not in (ParticipationOutcome.IN_CORSO, ParticipationOutcome.IN_ATTESA):
        raise ValidationError(
            f"La partecipazione è già {participation.get_outcome_display().lower()}."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Indichi il motivo del ritiro."})
    if on > timezone.localdate():
        raise ValidationError({"on": "La data del ritiro non può essere futura."})
    if participation.outcome == ParticipationOutcome.IN_ATTESA:
        # Leaving the waiting list is not a withdrawal from the course: no trace in figures.
        participation.delete()
        return []
    participation.outcome = ParticipationOutcome.RITIRATO
    participation.withdrawn_on = on
    participation.withdrawal_reason = reason.strip()
    participation.save(update_fields=["outcome", "withdrawn_on", "withdrawal_reason"])
    return promote_from_waiting_list(course)


def record_support(*, participation: Participation, data: dict) -> Participation:
    for name in ("fee_paid", "allowance"):
        if data.get(name) is not None and data[name] < 0:
            raise ValidationError({name: "L'importo non può essere negativo."})
        setattr(participation, name, data.get(name))
    participation.support_note = data.get("support_note", "")
    participation.save(update_fields=["fee_paid", "allowance", "support_note"])
    return participation


def add_session(*, course: Course, data: dict) -> CourseSession:
    if course.closed_on:
        raise ValidationError("Il corso è chiuso: non si aggiungono lezioni.")
    on = data["on"]
    if on < course.start_on or (course.end_on and on > course.end_on):
        end = f" al {course.end_on:%d/%m/%Y}" if course.end_on else ""
        raise ValidationError(
            {"on": f"La lezione cade fuori dal corso (dal {course.start_on:%d/%m/%Y}{end})."}
        )
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts and ends and ends <= starts:
        raise ValidationError({"ends_at": "La lezione finisce prima di cominciare."})
    return CourseSession.objects.create(course=course, **data)


def attendees(session: CourseSession):
    """Who is on the session's register: those enrolled by its day and not withdrawn
    before it."""
    return (
        Participation.objects.filter(course_id=session.course_id, outcome__in=TAKING_PART)
        .exclude(withdrawn_on__lt=session.on)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )


@transaction.atomic
def record_attendance(*, session: CourseSession, present_ids, by=None) -> int:
    """Fill the session's register: those in `present_ids` (participation ids) present,
    the others on the register absent. Returns how many are present."""
    if session.course.closed_on:
        raise ValidationError("Il corso è chiuso: il registro non si modifica più.")
    if session.on > timezone.localdate():
        raise ValidationError("La lezione non c'è ancora stata: le presenze si registrano dopo.")
    on_register = {p.pk for p in attendees(session)}
    present = {int(pk) for pk in present_ids}
    unknown = present - on_register
    if unknown:
        raise ValidationError("Alcune persone segnate presenti non sono iscritte a questa lezione.")
    Attendance.objects.bulk_create(
        [
            Attendance(session=session, participation_id=pk, present=pk in present, recorded_by=by)
            for pk in sorted(on_register)
        ],
        update_conflicts=True,
        unique_fields=["session", "participation"],
        update_fields=["present", "recorded_by", "recorded_at"],
    )
    return len(present)


@transaction.atomic
def close_course(*, course: Course, on: date, qualified_ids, by=None) -> int:
    """Close the edition: those still enrolled complete it, those in `qualified_ids`
    (participation ids) with the qualification; the waiting list is dropped."""
    course = _locked(course)
    if course.closed_on:
        raise ValidationError(f"Il corso è già chiuso dal {course.closed_on:%d/%m/%Y}.")
    if on < course.start_on:
        raise ValidationError({"on": "La chiusura precede l'inizio del corso."})
    if on > timezone.localdate():
        raise ValidationError({"on": "La data di chiusura non può essere futura."})
    qualified = {int(pk) for pk in qualified_ids}
    completing = Participation.objects.filter(course=course, outcome=ParticipationOutcome.IN_CORSO)
    if qualified - set(completing.values_list("pk", flat=True)):
        raise ValidationError("La qualifica si dà solo a chi completa il corso.")
    completing.filter(pk__in=qualified).update(
        outcome=ParticipationOutcome.COMPLETATO, completed_on=on, qualification_obtained=True
    )
    completed = completing.update(outcome=ParticipationOutcome.COMPLETATO, completed_on=on)
    Participation.objects.filter(course=course, outcome=ParticipationOutcome.IN_ATTESA).delete()
    course.closed_on = on
    if course.end_on is None or course.end_on > on:
        course.end_on = on
    course.save(update_fields=["closed_on", "end_on"])
    return completed + len(qualified)


def _read_day(text: str) -> date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


YES = {"sì", "si", "s", "x", "1", "presente", "p", "true"}
NO = {"no", "n", "0", "", "assente", "a", "false"}


@transaction.atomic
def import_attendance(*, course: Course, content: bytes, by=None) -> int:
    """Fill the registers of `course` from a CSV (data, codice_fiscale, presente), checked
    whole before anything is written. Returns the rows recorded."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("Il file non è un CSV in UTF-8.") from None
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    columns = {name.strip().lower() for name in reader.fieldnames or []}
    missing = {"data", "codice_fiscale", "presente"} - columns
    if missing:
        raise ValidationError(f"Mancano le colonne: {', '.join(sorted(missing))}.")
    sessions = {session.on: session for session in course.sessions.all()}
    enrolled = {
        p.person.fiscal_code: p
        for p in course.participations.filter(outcome__in=TAKING_PART).select_related("person")
        if p.person.fiscal_code
    }
    errors: list[str] = []
    marks: dict[tuple[int, int], bool] = {}
    for line, raw in enumerate(reader, start=2):
        row = {(key or "").strip().lower(): (value or "").strip() for key, value in raw.items()}
        day = _read_day(row["data"])
        code = row["codice_fiscale"].upper()
        answer = row["presente"].lower()
        problems: list[str] = []
        if day is None:
            problems.append(f"data «{row['data']}» non valida")
        elif day not in sessions:
            problems.append(f"il {day:%d/%m/%Y} non c'è una lezione del corso")
        elif day > timezone.localdate():
            problems.append(f"la lezione del {day:%d/%m/%Y} non c'è ancora stata")
        if code not in enrolled:
            problems.append(f"{code or 'codice fiscale vuoto'} non è iscritto al corso")
        if answer not in YES | NO:
            problems.append(f"«{row['presente']}» non è sì o no")
        if problems or day is None:
            errors.extend(f"riga {line}: {problem}" for problem in problems)
        else:
            marks[(sessions[day].pk, enrolled[code].pk)] = answer in YES
    if errors:
        shown = "; ".join(errors[:20]) + ("; …" if len(errors) > 20 else "")
        raise ValidationError(f"Nessuna presenza registrata. {len(errors)} errori: {shown}.")
    if not marks:
        raise ValidationError("Il file non ha righe.")
    Attendance.objects.bulk_create(
        [
            Attendance(
                session_id=session, participation_id=participation, present=present, recorded_by=by
            )
            for (session, participation), present in marks.items()
        ],
        update_conflicts=True,
        unique_fields=["session", "participation"],
        update_fields=["present", "recorded_by", "recorded_at"],
    )
    return len(marks)
