"""The rules of projects, the guarantee fund and the calls for grants."""

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from approdo.comms.services import queue_email
from approdo.core.antivirus import ScanStatus, initial_status
from approdo.partners.models import Partner, PartnerKind
from approdo.people.identity import age_on
from approdo.people.models import Person
from approdo.people.services import send_to_scanner, write_upload
from approdo.placements.models import Placement
from approdo.ui.numbers import euro

from .models import (
    ApplicationState,
    CallCriterion,
    CallScore,
    CommitteeDecision,
    CommitteeSession,
    Decision,
    FundMovement,
    FundMovementKind,
    FundSettings,
    GrantApplication,
    GrantCall,
    GrantDocument,
    GrantInstalment,
    GrantKind,
    Payment,
    PaymentKind,
    Project,
    ProjectCall,
    ProjectDocument,
    ProjectKind,
    ProjectMeeting,
    ProjectState,
    ProjectStateChange,
)
from .selectors import loan_positions, lowest_available_from

CENT = Decimal("0.01")
S = ProjectState

# The moves an operator makes by hand; the committee's decision moves a project out of
# coaching, and resuming from stand-by goes back to the state it left.
MOVES: dict[str, set[str]] = {
    S.CANDIDATO: {S.IN_ACCOMPAGNAMENTO, S.RIFIUTATO, S.STAND_BY, S.RITIRATO},
    S.IN_ACCOMPAGNAMENTO: {S.STAND_BY, S.RITIRATO},
    S.VALUTATO_POSITIVAMENTE: {S.FINANZIATO, S.STAND_BY, S.RITIRATO},
    S.FINANZIATO: {S.AVVIATO, S.CONCLUSO, S.STAND_BY, S.RITIRATO},
    S.AVVIATO: {S.RITIRATO},
    S.STAND_BY: {S.RITIRATO},
    S.RIFIUTATO: set(),
    S.RITIRATO: set(),
    S.CONCLUSO: set(),
}
NEEDS_REASON = {S.RIFIUTATO, S.STAND_BY, S.RITIRATO}
ONLY_FOR: dict[str, str] = {
    S.AVVIATO: ProjectKind.AUTOIMPIEGO,
    S.CONCLUSO: ProjectKind.INNOVAZIONE_SOCIALE,
}


def _not_in_future(day: date, field: str, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"{what} è nel futuro."})


# Projects


@transaction.atomic
def submit_project(
    *,
    kind: str,
    title: str,
    submitted_on: date,
    by,
    person: Person | None = None,
    organisation: Partner | None = None,
    call: ProjectCall | None = None,
    description: str = "",
    coach=None,
) -> Project:
    if kind == ProjectKind.AUTOIMPIEGO and person is None:
        raise ValidationError("Un progetto di autoimpiego è proposto da una persona del programma.")
    if kind == ProjectKind.INNOVAZIONE_SOCIALE and organisation is None:
        raise ValidationError({"organisation": "Indichi l'ente che propone il progetto."})
    _not_in_future(submitted_on, "submitted_on", "La data di candidatura")
    if call is not None and not (call.opens_on <= submitted_on <= call.closes_on):
        raise ValidationError(
            {
                "call": f"Il bando «{call}» era aperto dal {call.opens_on:%d/%m/%Y} al "
                f"{call.closes_on:%d/%m/%Y}: la candidatura è del {submitted_on:%d/%m/%Y}."
            }
        )
    project = Project.objects.create(
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        person=person if kind == ProjectKind.AUTOIMPIEGO else None,
        organisation=organisation if kind == ProjectKind.INNOVAZIONE_SOCIALE else None,
        call=call,
        submitted_on=submitted_on,
        state=S.CANDIDATO,
        state_on=submitted_on,
        coach=coach,
        created_by=by,
    )
    ProjectStateChange.objects.create(
        project=project, to_state=S.CANDIDATO, on=submitted_on, reason="Candidatura", by=by
    )
    return project


def allowed_moves(project: Project) -> list[str]:
    """The states an operator can move the project to, in the list's order."""
    allowed = set(MOVES[project.state])
    if project.state == S.STAND_BY and (previous := _state_before_stand_by(project)):
        allowed.add(previous)
    return [
        value
        for value in S.values
        if value in allowed and ONLY_FOR.get(value, project.kind) == project.kind
    ]


def _state_before_stand_by(project: Project) -> str | None:
    change = project.state_changes.filter(to_state=S.STAND_BY).order_by("-on", "-pk").first()
    return change.from_state if change and change.from_state else None


@transaction.atomic
def move_project(*, project: Project, to_state: str, on: date, reason: str, by) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    reason = reason.strip()
    if to_state not in allowed_moves(project):
        raise ValidationError(
            {
                "to_state": f"Un progetto «{project.get_state_display()}» non può passare a "
                f"«{S(to_state).label if to_state in S.values else to_state}»."
                + (
                    " L'approvazione la decide il comitato di valutazione."
                    if to_state in (S.VALUTATO_POSITIVAMENTE,)
                    else ""
                )
            }
        )
    if to_state in NEEDS_REASON and not reason:
        raise ValidationError({"reason": "Indichi il motivo."})
    _not_in_future(on, "on", "La data")
    if on < project.state_on:
        raise ValidationError(
            {"on": f"La data precede quella dello stato attuale ({project.state_on:%d/%m/%Y})."}
        )
    _change_state(project, to_state, on, reason, by)
    return project


def _change_state(project: Project, to_state: str, on: date, reason: str, by) -> None:
    ProjectStateChange.objects.create(
        project=project, from_state=project.state, to_state=to_state, on=on, reason=reason, by=by
    )
    project.state, project.state_on = to_state, on
    project.save(update_fields=["state", "state_on", "committee_on", "approved_amount"])


def add_meeting(*, project: Project, data: dict, by) -> ProjectMeeting:
    _not_in_future(data["held_on"], "held_on", "La data dell'incontro")
    return ProjectMeeting.objects.create(project=project, by=by, **data)


def store_project_document(*, project: Project, kind: str, uploaded_file, by) -> ProjectDocument:
    """Checked like a person's documents (real type, size), kept outside the web root and
    scanned by the antivirus before it is served."""
    relative, content_type, size, sha256 = write_upload(
        uploaded_file, Path("progetti") / str(project.pk)
    )
    return _stored(
        ProjectDocument,
        relative,
        project=project,
        kind=kind,
        original_name=Path(uploaded_file.name).name[:200],
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by=by,
    )


def _stored(model, relative: Path, **fields):
    """The row of a file `write_upload` wrote; the file goes if the row cannot be written."""
    try:
        with transaction.atomic():
            document = model.objects.create(
                scan_status=initial_status(), storage_path=str(relative), **fields
            )
    except Exception:
        (settings.DOCUMENTS_DIR / relative).unlink(missing_ok=True)
        raise
    if document.scan_status == ScanStatus.QUARANTINE:
        transaction.on_commit(lambda: send_to_scanner(document))
    return document


@transaction.atomic
def add_payment(*, project: Project, data: dict, by) -> Payment:
    """A grant, a microcredit or a loan, planned (no payment date) or paid. A guaranteed
    loan is recorded with its guarantee (`record_guaranteed_loan`)."""
    if data["kind"] == PaymentKind.FINANZIAMENTO_GARANTITO:
        raise ValidationError(
            {"kind": "Un finanziamento garantito si registra con la sua garanzia sul fondo."}
        )
    _check_payable(project)
    if data.get("paid_on"):
        _not_in_future(data["paid_on"], "paid_on", "La data di pagamento")
    return Payment.objects.create(project=project, recorded_by=by, **data)


def _check_payable(project: Project) -> None:
    if project.state not in (S.VALUTATO_POSITIVAMENTE, S.FINANZIATO, S.AVVIATO, S.CONCLUSO):
        raise ValidationError(
            "Si registrano erogazioni solo per i progetti approvati dal comitato "
            f"(questo è «{project.get_state_display()}»)."
        )


@transaction.atomic
def mark_paid(*, payment: Payment, paid_on: date) -> Payment:
    _not_in_future(paid_on, "paid_on", "La data di pagamento")
    payment.paid_on = paid_on
    payment.save(update_fields=["paid_on"])
    return payment


@transaction.atomic
def link_placement(*, project: Project, fiscal_code: str, start_on: date) -> Placement:
    """Link a job or stage the project created: the placement of that person from that day."""
    placement = find_placement(fiscal_code, start_on)
    project.placements.add(placement)
    return placement


def find_placement(fiscal_code: str, start_on: date) -> Placement:
    code = fiscal_code.replace(" ", "").upper()
    placement = (
        Placement.objects.filter(person__fiscal_code=code, start_on=start_on).order_by("pk").first()
    )
    if placement is None:
        raise ValidationError(
            {
                "fiscal_code": f"Nessun inserimento registrato per {code} con inizio il "
                f"{start_on:%d/%m/%Y}: lo registri prima nella scheda della persona."
            }
        )
    return placement


# The evaluation committee


@transaction.atomic
def hold_committee(
    *, held_on: date, members: str, notes: str, decisions: list[dict], by
) -> CommitteeSession:
    """A session with the projects it examined: approved ones (with their amount) go to
    "valutato positivamente", the others are rejected; each proposer is written to."""
    if not [line for line in members.splitlines() if line.strip()]:
        raise ValidationError({"members": "Indichi chi era presente alla seduta."})
    if not decisions:
        raise ValidationError("Il comitato deve esaminare almeno un progetto.")
    _not_in_future(held_on, "held_on", "La data della seduta")
    session = CommitteeSession.objects.create(
        held_on=held_on, members=members.strip(), notes=notes.strip(), created_by=by
    )
    for item in decisions:
        project = Project.objects.select_for_update().get(pk=item["project"].pk)
        if project.state != S.IN_ACCOMPAGNAMENTO:
            raise ValidationError(
                f"«{project}» è «{project.get_state_display()}»: il comitato esamina i progetti "
                "in accompagnamento."
            )
        approved = item["decision"] == Decision.APPROVATO
        amount = item.get("amount")
        if approved and not (amount and amount > 0):
            raise ValidationError(f"Indichi l'importo approvato per «{project}».")
        reason = (item.get("reason") or "").strip()
        if not approved and not reason:
            raise ValidationError(f"Indichi perché «{project}» non è approvato.")
        CommitteeDecision.objects.create(
            session=session,
            project=project,
            decision=item["decision"],
            amount=amount if approved else None,
            reason=reason,
        )
        if approved:
            project.committee_on, project.approved_amount = held_on, amount
        _change_state(
            project,
            S.VALUTATO_POSITIVAMENTE if approved else S.RIFIUTATO,
            held_on,
            f"Comitato del {held_on:%d/%m/%Y}" + (f": {reason}" if reason else ""),
            by,
        )
        _write_to_proposer(project, approved=approved, amount=amount, reason=reason, by=by)
    return session


def _write_to_proposer(project: Project, *, approved: bool, amount, reason: str, by) -> None:
    proposer = project.proposer
    queue_email(
        to=getattr(proposer, "email", "") or "",
        kind="project_decision",
        template="project_decision",
        context={
            "project": project,
            "approved": approved,
            "amount": euro(amount) if amount else "",
            "reason": reason,
        },
        person=project.person,
        requested_by=by,
    )


# Calls for projects


@transaction.atomic
def add_criterion(*, call: ProjectCall, name: str, weight: int) -> CallCriterion:
    if call.criteria.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": "Il bando ha già un criterio con questo nome."})
    return CallCriterion.objects.create(call=call, name=name.strip(), weight=weight)


@transaction.atomic
def score_project(*, project: Project, evaluator, scores: dict[int, int]) -> None:
    """One evaluator's scores of a project on every criterion of its call (0–10)."""
    call = project.call
    if call is None:
        raise ValidationError("Il progetto non partecipa a un bando.")
    criteria = {c.pk: c for c in call.criteria.all()}
    if set(scores) != set(criteria):
        raise ValidationError("Dia un punteggio a ogni criterio del bando.")
    for pk, score in scores.items():
        if not 0 <= score <= 10:
            raise ValidationError(f"Il punteggio di «{criteria[pk].name}» va da 0 a 10.")
        CallScore.objects.update_or_create(
            project=project, criterion=criteria[pk], evaluator=evaluator, defaults={"score": score}
        )


# The guarantee fund


def _lock_fund() -> None:
    """One movement at a time: two guarantees at once must not both fit the same room."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('approdo:fondo-garanzia'))")


@transaction.atomic
def record_movement(
    *, kind: str, on: date, amount: Decimal, by, loan: Payment | None = None, note: str = ""
) -> FundMovement:
    """A movement of the fund, checked against what it can bear on that day and after."""
    _lock_fund()
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "L'importo deve essere maggiore di zero."})
    _not_in_future(on, "on", "La data del movimento")
    if kind == FundMovementKind.VERSAMENTO:
        loan = None
    else:
        if loan is None or loan.kind != PaymentKind.FINANZIAMENTO_GARANTITO:
            raise ValidationError(
                {"loan": "Indichi il finanziamento garantito a cui si riferisce."}
            )
        check_movement(kind=kind, on=on, amount=amount, loan=loan)
    return FundMovement.objects.create(
        kind=kind, on=on, amount=amount, loan=loan, note=note.strip(), recorded_by=by
    )


def check_movement(*, kind: str, on: date, amount: Decimal, loan: Payment) -> None:
    """Refuse a guarantee beyond what the fund has available, a release or a call beyond
    what the loan still holds; the message gives the figures."""
    if kind == FundMovementKind.GARANZIA:
        lowest = lowest_available_from(on)
        if amount > lowest.available:
            raise ValidationError(
                {
                    "amount": f"La garanzia di {euro(amount)} supera la disponibilità del fondo: "
                    f"al {lowest.on:%d/%m/%Y} sono disponibili {euro(lowest.available)} "
                    f"(plafond {euro(lowest.ceiling)}, impegnati {euro(lowest.outstanding)})."
                }
            )
        already = sum((held.guaranteed for held in loan_positions(loan=loan)), Decimal(0))
        if already + amount > loan.amount:
            raise ValidationError(
                {
                    "amount": f"Le garanzie sul finanziamento ({euro(already + amount)}) "
                    f"supererebbero il finanziamento stesso ({euro(loan.amount)})."
                }
            )
        return
    outstanding = sum((held.outstanding for held in loan_positions(on=on, loan=loan)), Decimal(0))
    if amount > outstanding:
        what = "Lo svincolo" if kind == FundMovementKind.SVINCOLO else "L'escussione"
        raise ValidationError(
            {
                "amount": f"{what} di {euro(amount)} supera quanto il fondo garantisce ancora "
                f"su questo finanziamento al {on:%d/%m/%Y} ({euro(outstanding)})."
            }
        )


@transaction.atomic
def record_guaranteed_loan(
    *, project: Project, amount: Decimal, paid_on: date, guarantee: Decimal, by, note: str = ""
) -> Payment:
    """A bank loan to the project and the fund's guarantee on it, together or not at all."""
    _check_payable(project)
    _not_in_future(paid_on, "paid_on", "La data di erogazione")
    if guarantee > amount:
        raise ValidationError({"guarantee": "La garanzia non può superare il finanziamento."})
    loan = Payment.objects.create(
        project=project,
        kind=PaymentKind.FINANZIAMENTO_GARANTITO,
        amount=amount,
        due_on=paid_on,
        paid_on=paid_on,
        note=note,
        recorded_by=by,
    )
    try:
        record_movement(
            kind=FundMovementKind.GARANZIA, on=paid_on, amount=guarantee, loan=loan, by=by
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "amount" in error.error_dict:
            raise ValidationError({"guarantee": error.error_dict["amount"]}) from error
        raise
    return loan


def save_fund_settings(*, bank: str, warning_threshold: Decimal) -> FundSettings:
    settings_row = FundSettings.current()
    settings_row.bank, settings_row.warning_threshold = bank.strip(), warning_threshold
    settings_row.save()
    return settings_row


def fund_warning(position, threshold: Decimal) -> str:
    """A warning when what is available falls under the coordinators' threshold."""
    if position.available < threshold:
        return (
            f"Disponibilità del fondo sotto la soglia: {euro(position.available)} disponibili, "
            f"soglia di avviso {euro(threshold)}. Valuti un nuovo versamento."
        )
    return ""


# Calls for grants


def _check_open(call: GrantCall, day: date) -> None:
    if day < call.opens_on:
        raise ValidationError(
            f"Il bando «{call}» apre il {call.opens_on:%d/%m/%Y}: la domanda è del {day:%d/%m/%Y}."
        )
    if call.deadline and day > call.deadline:
        raise ValidationError(
            f"Le domande per «{call}» si presentavano entro il {call.deadline:%d/%m/%Y}: "
            f"questa è del {day:%d/%m/%Y}, fuori termine."
        )


def _check_organisation(call: GrantCall, organisation: Partner) -> None:
    if organisation.kind not in call.eligible_kinds:
        allowed = ", ".join(PartnerKind(kind).label for kind in call.eligible_kinds)
        raise ValidationError(
            f"«{organisation}» è di tipo «{organisation.get_kind_display()}»: il bando è "
            f"riservato a: {allowed}."
        )


def incentive_problems(call: GrantCall, *, fiscal_code: str, hired_on: date) -> list[str]:
    """Why a hire is not eligible for the over-55 incentive (none when it is)."""
    code = fiscal_code.replace(" ", "").upper()
    person = Person.objects.filter(fiscal_code=code).first()
    if person is None:
        return [f"Nessuna persona del programma ha il codice fiscale {code}."]
    problems = []
    if timezone.localdate(person.registered_at) > hired_on:
        problems.append(
            "La persona si è iscritta al programma il "
            f"{timezone.localdate(person.registered_at):%d/%m/%Y}, dopo l'assunzione."
        )
    age = age_on(person.birth_date, hired_on) if person.birth_date else None
    if call.minimum_age and (age is None or age < call.minimum_age):
        problems.append(
            f"Alla data dell'assunzione ({hired_on:%d/%m/%Y}) la persona aveva {age} anni: il "
            f"bando è per chi ne ha almeno {call.minimum_age}."
        )
    return problems


def covered_period(hired_on: date, contract_end: date | None) -> tuple[date, date]:
    """The year of the hire the incentive covers: the contract's first twelve months, or
    less when the contract is shorter."""
    year_end = _add_months(hired_on, 12) - timedelta(days=1)
    return hired_on, min(contract_end, year_end) if contract_end else year_end


def incentive_amount(call: GrantCall, hired_on: date, contract_end: date | None) -> Decimal:
    """The yearly cap, pro rata by the days of a contract shorter than a year."""
    start, end = covered_period(hired_on, contract_end)
    year_days = (_add_months(hired_on, 12) - hired_on).days
    days = (end - start).days + 1
    return (call.yearly_cap * days / year_days).quantize(CENT, rounding=ROUND_HALF_UP)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def instalments(amount: Decimal, start: date, end: date) -> list[tuple[date, Decimal]]:
    """The amount split over the calendar months of the period, by the days in each; the
    rounding goes to the last month."""
    days = (end - start).days + 1
    parts, month = [], date(start.year, start.month, 1)
    while month <= end:
        last = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
        covered = (min(last, end) - max(month, start)).days + 1
        parts.append((month, (amount * covered / days).quantize(CENT, rounding=ROUND_HALF_UP)))
        month = last + timedelta(days=1)
    difference = amount - sum(part for _, part in parts)
    parts[-1] = (parts[-1][0], parts[-1][1] + difference)
    return parts


@transaction.atomic
def submit_application(
    *,
    call: GrantCall,
    organisation: Partner,
    email: str,
    submitted_on: date,
    amount_requested: Decimal,
    by=None,
    from_public_form: bool = False,
    title: str = "",
    description: str = "",
    fiscal_code: str = "",
    hired_on: date | None = None,
    contract_end: date | None = None,
) -> GrantApplication:
    """An application, checked against the call: open on that day, an eligible body, the
    yearly cap; for the over-55 incentive, entered by staff, the hire's eligibility too
    (from the public form it is checked at the decision: the form must not tell a
    stranger whether someone is in the programme)."""
    _check_open(call, submitted_on)
    _check_organisation(call, organisation)
    if amount_requested > call.yearly_cap:
        raise ValidationError(
            {
                "amount_requested": f"L'importo richiesto ({euro(amount_requested)}) supera il "
                f"massimo del bando, {euro(call.yearly_cap)} all'anno."
            }
        )
    person = None
    if call.kind == GrantKind.OVER_55:
        if not fiscal_code or hired_on is None:
            raise ValidationError(
                "Indichi il codice fiscale della persona assunta e la data di assunzione."
            )
        if contract_end and contract_end < hired_on:
            raise ValidationError({"contract_end": "La fine del contratto precede l'assunzione."})
        fiscal_code = fiscal_code.replace(" ", "").upper()
        if not from_public_form:
            problems = incentive_problems(call, fiscal_code=fiscal_code, hired_on=hired_on)
            if problems:
                raise ValidationError(problems)
        person = Person.objects.filter(fiscal_code=fiscal_code).first()
    elif not title.strip():
        raise ValidationError({"title": "Indichi il titolo del progetto."})
    application = GrantApplication.objects.create(
        call=call,
        organisation=organisation,
        email=email,
        submitted_on=submitted_on,
        from_public_form=from_public_form,
        title=title.strip(),
        description=description.strip(),
        amount_requested=amount_requested,
        fiscal_code=fiscal_code,
        person=person,
        hired_on=hired_on,
        contract_end=contract_end,
        created_by=by,
    )
    queue_email(
        to=email,
        kind="grant_received",
        template="grant_received",
        context={"application": application},
        requested_by=by,
    )
    return application


@transaction.atomic
def submit_public_application(
    *, call: GrantCall, organisation_data: dict, documents: list, **fields
) -> GrantApplication:
    """From the public form: the body found by its fiscal code (or name), else recorded."""
    if not call.public:
        raise ValidationError("Questo bando non accetta domande dal modulo pubblico.")
    code = organisation_data["fiscal_code"].replace(" ", "").upper()
    name = organisation_data["name"].strip()
    organisation = (
        Partner.objects.filter(fiscal_code__iexact=code).first()
        or Partner.objects.filter(name__iexact=name).first()
    )
    if organisation is None:
        organisation = Partner.objects.create(
            name=name,
            kind=organisation_data["kind"],
            fiscal_code=code,
            email=fields["email"],
            notes="Registrato da una domanda di contributo presentata dal modulo pubblico.",
        )
    application = submit_application(
        call=call,
        organisation=organisation,
        submitted_on=timezone.localdate(),
        from_public_form=True,
        **fields,
    )
    for uploaded in documents:
        relative, content_type, size, sha256 = write_upload(
            uploaded, Path("contributi") / str(application.pk)
        )
        _stored(
            GrantDocument,
            relative,
            application=application,
            original_name=Path(uploaded.name).name[:200],
            content_type=content_type,
            size=size,
            sha256=sha256,
        )
    return application


@transaction.atomic
def decide_application(
    *,
    application: GrantApplication,
    admit: bool,
    reason: str,
    by,
    amount: Decimal | None = None,
    on: date | None = None,
) -> GrantApplication:
    """Admit (with the amount and, for the incentive, its monthly instalments) or refuse;
    the applicant is written to either way."""
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    if application.state != ApplicationState.PRESENTATA:
        raise ValidationError("La domanda è già stata decisa.")
    call = application.call
    reason = reason.strip()
    if admit and call.kind == GrantKind.OVER_55:
        hired_on = application.hired_on
        assert hired_on is not None  # an incentive application always has its hire
        problems = incentive_problems(call, fiscal_code=application.fiscal_code, hired_on=hired_on)
        if problems:
            raise ValidationError(["La domanda non può essere ammessa:", *problems])
        amount = min(
            application.amount_requested,
            incentive_amount(call, hired_on, application.contract_end),
        )
        start, end = covered_period(hired_on, application.contract_end)
        GrantInstalment.objects.bulk_create(
            GrantInstalment(application=application, month=month, amount=part)
            for month, part in instalments(amount, start, end)
        )
        application.person = Person.objects.filter(fiscal_code=application.fiscal_code).first()
    elif admit:
        if amount is None or amount <= 0:
            raise ValidationError({"amount": "Indichi l'importo concesso."})
        if amount > application.amount_requested:
            raise ValidationError({"amount": "L'importo concesso supera quello richiesto."})
    elif not reason:
        raise ValidationError({"reason": "Indichi perché la domanda non è ammessa."})
    application.state = ApplicationState.AMMESSA if admit else ApplicationState.NON_AMMESSA
    application.amount_granted = amount if admit else None
    application.decided_on = on or timezone.localdate()
    application.decided_by = by
    application.decision_reason = reason
    application.save()
    queue_email(
        to=application.email,
        kind="grant_decision",
        template="grant_decision",
        context={"application": application, "amount": euro(application.amount_granted)},
        requested_by=by,
    )
    return application


@transaction.atomic
def link_application_placement(
    *, application: GrantApplication, fiscal_code: str, start_on: date
) -> Placement:
    """A person the intermediary placed, linked to the programme's placement."""
    placement = find_placement(fiscal_code, start_on)
    application.placements.add(placement)
    return placement


@transaction.atomic
def pay_instalment(*, instalment: GrantInstalment, paid_on: date) -> GrantInstalment:
    _not_in_future(paid_on, "paid_on", "La data di pagamento")
    instalment.paid_on = paid_on
    instalment.save(update_fields=["paid_on"])
    return instalment
