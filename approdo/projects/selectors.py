"""Reading projects, the guarantee fund and the calls."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, ExtractYear

from approdo.placements.models import Placement
from approdo.vacancies.terms import PlacementType

from .models import (
    CallScore,
    FundMovement,
    FundMovementKind,
    Payment,
    PaymentKind,
    Project,
    ProjectCall,
    ProjectKind,
    ProjectState,
)

ZERO = Decimal("0.00")

FUND_DEFINITION = (
    "A una data: plafond = versamenti − escussioni; impegnato = garanzie − svincoli − "
    "escussioni; disponibile = plafond − impegnato. Le garanzie date sono la somma delle "
    "garanzie concesse fino a quella data."
)


@dataclass(frozen=True)
class FundPosition:
    on: date | None
    deposits: Decimal = ZERO
    guaranteed: Decimal = ZERO
    released: Decimal = ZERO
    called: Decimal = ZERO

    @property
    def ceiling(self) -> Decimal:
        return self.deposits - self.called

    @property
    def outstanding(self) -> Decimal:
        return self.guaranteed - self.released - self.called

    @property
    def available(self) -> Decimal:
        return self.ceiling - self.outstanding

    def after(self, kind: str, amount: Decimal, on: date) -> "FundPosition":
        field: str = {
            FundMovementKind.VERSAMENTO.value: "deposits",
            FundMovementKind.GARANZIA.value: "guaranteed",
            FundMovementKind.SVINCOLO.value: "released",
            FundMovementKind.ESCUSSIONE.value: "called",
        }[kind]
        values = {
            name: getattr(self, name) for name in ("deposits", "guaranteed", "released", "called")
        }
        values[field] += amount
        return FundPosition(on=on, **values)


def _money_sum(field: str, condition: Q) -> Coalesce:
    return Coalesce(Sum(field, filter=condition), Value(ZERO), output_field=DecimalField())


def fund_position(on: date | None = None) -> FundPosition:
    """The fund at the end of day `on` (today's movements included), or after every one."""
    movements = FundMovement.objects.all()
    if on is not None:
        movements = movements.filter(on__lte=on)
    totals = movements.aggregate(
        deposits=_money_sum("amount", Q(kind=FundMovementKind.VERSAMENTO)),
        guaranteed=_money_sum("amount", Q(kind=FundMovementKind.GARANZIA)),
        released=_money_sum("amount", Q(kind=FundMovementKind.SVINCOLO)),
        called=_money_sum("amount", Q(kind=FundMovementKind.ESCUSSIONE)),
    )
    return FundPosition(on=on, **totals)


def fund_history():
    """Every movement, latest first, with the fund's position after it (the ceiling over
    time): running sums in the database, so that a page of it reads only its rows."""
    order = [F("on").asc(), F("pk").asc()]

    def running(*kinds):
        return Window(
            Sum(Case(When(kind__in=kinds, then="amount"), default=Value(ZERO))),
            order_by=order,
        )

    return (
        FundMovement.objects.select_related("loan__project")
        .annotate(
            ceiling_after=running(FundMovementKind.VERSAMENTO)
            - running(FundMovementKind.ESCUSSIONE),
            outstanding_after=running(FundMovementKind.GARANZIA)
            - running(FundMovementKind.SVINCOLO, FundMovementKind.ESCUSSIONE),
        )
        .annotate(available_after=F("ceiling_after") - F("outstanding_after"))
        .order_by("-on", "-pk")
    )


def lowest_available_from(day: date) -> FundPosition:
    """The position with the least available from `day` on (a movement dated in the past
    must leave every later position possible), the position at `day` when none is lower."""
    lowest = fund_position(day)
    position = lowest
    for kind, amount, on in (
        FundMovement.objects.filter(on__gt=day)
        .order_by("on", "pk")
        .values_list("kind", "amount", "on")
    ):
        position = position.after(kind, amount, on)
        if position.available < lowest.available:
            lowest = position
    return lowest


@dataclass(frozen=True)
class LoanPosition:
    loan: Payment
    guaranteed: Decimal
    released: Decimal
    called: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.guaranteed - self.released - self.called


def loan_positions(
    *,
    project: Project | None = None,
    on: date | None = None,
    loan: Payment | None = None,
    held_only: bool = False,
    limit: int | None = None,
) -> list[LoanPosition]:
    """Each guaranteed loan with what the fund still holds for it (only those it still
    holds, latest first, when asked)."""
    movements = Q() if on is None else Q(fund_movements__on__lte=on)

    def total(kind):
        return _money_sum("fund_movements__amount", movements & Q(fund_movements__kind=kind))

    loans = Payment.objects.filter(kind=PaymentKind.FINANZIAMENTO_GARANTITO).select_related(
        "project"
    )
    if project is not None:
        loans = loans.filter(project=project)
    if loan is not None:
        loans = loans.filter(pk=loan.pk)
    loans = loans.annotate(
        guaranteed=total(FundMovementKind.GARANZIA),
        released=total(FundMovementKind.SVINCOLO),
        called=total(FundMovementKind.ESCUSSIONE),
    )
    if held_only:
        loans = (
            loans.annotate(held=F("guaranteed") - F("released") - F("called"))
            .filter(held__gt=0)
            .order_by("-due_on", "-pk")
        )
    else:
        loans = loans.order_by("due_on", "pk")
    if limit is not None:
        loans = loans[:limit]
    return [LoanPosition(loan, loan.guaranteed, loan.released, loan.called) for loan in loans]


def projects_list(projects, *, kind: str = "", state: str = "", search: str = ""):
    """The list's projects, with what each was paid (counted for the page's rows only)."""
    projects = projects.select_related("person", "organisation")
    if kind:
        projects = projects.filter(kind=kind)
    if state:
        projects = projects.filter(state=state)
    if search:
        projects = projects.filter(
            Q(title__icontains=search)
            | Q(organisation__name__icontains=search)
            | Q(person__last_name__icontains=search)
        )
    paid = (
        Payment.objects.filter(project=OuterRef("pk"), paid_on__isnull=False)
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return projects.annotate(
        paid=Coalesce(Subquery(paid), Value(ZERO), output_field=DecimalField())
    ).order_by("-submitted_on", "-pk")


@dataclass(frozen=True)
class RankedProject:
    project_id: int
    title: str
    score: float | None  # weighted average of the evaluators' scores, 0–10
    evaluators: int


def call_ranking(call: ProjectCall) -> list[RankedProject]:
    """The call's projects by their weighted score: for each criterion the average of the
    evaluators' scores, weighted by the criterion's weight; projects not yet scored on
    every criterion last. Plain rows: a page loads its own projects."""
    weights = dict(call.criteria.values_list("pk", "weight"))
    total_weight = sum(weights.values())
    averages: dict[int, dict[int, float]] = {}
    for project_id, criterion_id, average in (
        CallScore.objects.filter(project__call=call)
        .values_list("project_id", "criterion_id")
        .annotate(average=Avg("score"))
        .order_by()
    ):
        averages.setdefault(project_id, {})[criterion_id] = float(average)
    evaluators = dict(
        CallScore.objects.filter(project__call=call)
        .values_list("project_id")
        .annotate(n=Count("evaluator", distinct=True))
        .order_by()
    )
    ranked = []
    for project_id, title in call.projects.values_list("pk", "title"):
        scores = averages.get(project_id, {})
        score = None
        if total_weight and weights.keys() <= scores.keys():
            score = round(
                sum(scores[pk] * weight for pk, weight in weights.items()) / total_weight, 2
            )
        ranked.append(RankedProject(project_id, title, score, evaluators.get(project_id, 0)))
    ranked.sort(key=lambda item: (item.score is None, -(item.score or 0), item.title))
    return ranked


# What a social-innovation project creates for the programme's people: jobs with a
# contract, and stages (traineeships included).
JOB_TYPES = (PlacementType.ASSUNZIONE, PlacementType.MINI_JOB)
STAGE_TYPES = (PlacementType.STAGE, PlacementType.TIROCINIO)


def project_jobs(project: Project) -> dict[str, int]:
    """Jobs and stages the project created: its linked placements and the old counts."""
    linked = project.placements.aggregate(
        jobs=Count("pk", filter=Q(placement_type__in=JOB_TYPES)),
        stages=Count("pk", filter=Q(placement_type__in=STAGE_TYPES)),
    )
    return {
        "jobs": project.unlinked_jobs + linked["jobs"],
        "stages": project.unlinked_stages + linked["stages"],
    }


def _euro_number(amount: Decimal) -> int | float:
    """Money as a JSON number: whole euros as integers."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def counts_by_state(projects) -> dict[str, int]:
    """Projects per state, in the states' order; states with none left out."""
    counts = dict(projects.values_list("state").annotate(n=Count("pk")).order_by())
    return {state: counts[state] for state in ProjectState.values if counts.get(state)}


GRANTS_AND_LOANS = (PaymentKind.CONTRIBUTO, PaymentKind.FINANZIAMENTO_GARANTITO)


def self_employment_figures(start: date, end: date) -> dict:
    """Self-employment projects submitted up to `end` (by their current state), their
    proposers, submissions per year, and grants and guaranteed loans paid up to `end`."""
    projects = Project.objects.filter(kind=ProjectKind.AUTOIMPIEGO, submitted_on__lte=end)
    totals = projects.aggregate(submitted=Count("pk"), proposers=Count("person", distinct=True))
    by_year = dict(
        projects.annotate(year=ExtractYear("submitted_on"))
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    first = min(by_year, default=end.year)
    paid = Payment.objects.filter(
        project__kind=ProjectKind.AUTOIMPIEGO,
        kind__in=GRANTS_AND_LOANS,
        paid_on__lte=end,
    ).aggregate(total=_money_sum("amount", Q()))["total"]
    return {
        "submitted_to_date": totals["submitted"],
        "submitted_by_year": {str(y): by_year.get(y, 0) for y in range(first, end.year + 1)},
        "proposers_to_date": totals["proposers"],
        "by_state": counts_by_state(projects),
        "paid_to_date": _euro_number(paid),
    }


def social_innovation_figures(start: date, end: date) -> dict:
    """Social-innovation projects assessed up to `end` (submitted and no longer just
    submitted), by current state; those selected; approved and paid in the period; jobs
    and stages created."""
    submitted = Project.objects.filter(kind=ProjectKind.INNOVAZIONE_SOCIALE, submitted_on__lte=end)
    assessed = ~Q(state=ProjectState.CANDIDATO)
    totals = submitted.aggregate(
        assessed=Count("pk", filter=assessed),
        selected=Count("pk", filter=assessed & ~Q(state=ProjectState.RIFIUTATO)),
        approved=_money_sum("approved_amount", Q(committee_on__gte=start, committee_on__lte=end)),
        jobs=Coalesce(Sum("unlinked_jobs"), 0),
        stages=Coalesce(Sum("unlinked_stages"), 0),
    )
    paid = Payment.objects.filter(
        project__kind=ProjectKind.INNOVAZIONE_SOCIALE, paid_on__gte=start, paid_on__lte=end
    ).aggregate(
        grants_and_loans=_money_sum("amount", Q(kind__in=GRANTS_AND_LOANS)),
        microcredit=_money_sum("amount", Q(kind=PaymentKind.MICROCREDITO)),
    )
    linked = Placement.objects.filter(projects__in=submitted, start_on__lte=end).aggregate(
        jobs=Count("pk", filter=Q(placement_type__in=JOB_TYPES)),
        stages=Count("pk", filter=Q(placement_type__in=STAGE_TYPES)),
    )
    return {
        "assessed_to_date": totals["assessed"],
        "by_state": counts_by_state(submitted.filter(assessed)),
        "selected_to_date": totals["selected"],
        "approved": _euro_number(totals["approved"]),
        "paid": _euro_number(paid["grants_and_loans"]),
        "microcredit": _euro_number(paid["microcredit"]),
        "jobs_to_date": totals["jobs"] + linked["jobs"],
        "stages_to_date": totals["stages"] + linked["stages"],
    }


def guarantee_fund_figures(end: date) -> dict:
    position = fund_position(end)
    return {
        "ceiling": _euro_number(position.ceiling),
        "guaranteed_to_date": _euro_number(position.guaranteed),
        "outstanding": _euro_number(position.outstanding),
        "available": _euro_number(position.available),
        "called_to_date": _euro_number(position.called),
    }
