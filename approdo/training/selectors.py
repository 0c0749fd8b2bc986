"""Reads of the IPS service (the open paths, each specialist's caseload, the capacity) and
of the courses (seats, attendance, outcomes, the provider's risk share)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from statistics import median

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from approdo.accounts.models import User
from approdo.accounts.roles import VIEW_SENSITIVE_NOTES, roles_with
from approdo.people.choices import ItalianLevel
from approdo.placements.models import Placement

from .models import (
    TAKING_PART,
    Attendance,
    Course,
    EmployerContact,
    IPSPhase,
    Participation,
    ParticipationOutcome,
    PathPhaseChange,
    ProgrammePath,
)

IPS = ProgrammePath.Programme.IPS


def open_ips_paths():
    return ProgrammePath.objects.filter(programme=IPS, end_on__isnull=True)


def ips_specialists():
    return User.objects.filter(is_active=True, role__in=roles_with(VIEW_SENSITIVE_NOTES)).order_by(
        "last_name", "first_name"
    )


def caseload_paths(*, specialist=None, phase: str = ""):
    """The open paths (of one specialist, or those nobody follows when `specialist` is
    False), with the person and the date the current phase began."""
    paths = open_ips_paths().select_related("person", "specialist")
    if specialist is False:
        paths = paths.filter(specialist__isnull=True)
    elif specialist is not None:
        paths = paths.filter(specialist=specialist)
    if phase:
        paths = paths.filter(phase=phase)
    # Subqueries, not joins: evaluated only for the page's rows, and no GROUP BY over the
    # person's wide row.
    contacts = (
        EmployerContact.objects.filter(path=OuterRef("pk"))
        .order_by()
        .values("path")
        .annotate(n=Count("pk"))
        .values("n")
    )
    since = (
        PathPhaseChange.objects.filter(path=OuterRef("pk"))
        .order_by("-changed_on")
        .values("changed_on")[:1]
    )
    return paths.annotate(
        employer_contacts_count=Coalesce(Subquery(contacts), 0),
        phase_since=Subquery(since),
    ).order_by("start_on", "pk")


@dataclass(frozen=True)
class Capacity:
    active: int
    target: int
    unassigned: int
    median_open_days: int | None  # of the paths still open
    median_closed_days: int | None  # of the paths closed in the last twelve months


def _median_days(paths, end: date) -> int | None:
    """The median length in days (an open path counts up to `end`)."""
    lengths = [
        ((stop or end) - start).days for start, stop in paths.values_list("start_on", "end_on")
    ]
    return round(median(lengths)) if lengths else None


def service_capacity(*, today: date | None = None) -> Capacity:
    today = today or timezone.localdate()
    paths = open_ips_paths()
    counts = paths.aggregate(
        active=Count("pk"), unassigned=Count("pk", filter=Q(specialist__isnull=True))
    )
    year_ago = today - timedelta(days=365)
    closed = ProgrammePath.objects.filter(programme=IPS, end_on__gt=year_ago, end_on__lte=today)
    return Capacity(
        active=counts["active"],
        target=settings.IPS_ACTIVE_TARGET,
        unassigned=counts["unassigned"],
        median_open_days=_median_days(paths, today),
        median_closed_days=_median_days(closed, today),
    )


@dataclass(frozen=True)
class Caseload:
    specialist: User
    active: int
    limit: int
    by_phase: dict[str, int]

    @property
    def over_limit(self) -> bool:
        return self.active > self.limit

    @property
    def phase_counts(self) -> list[int]:
        """How many of the caseload are in each phase, in the model's order."""
        return [self.by_phase.get(phase, 0) for phase in IPSPhase.values]


def caseloads() -> list[Caseload]:
    """Each IPS specialist with the open paths they follow, by phase."""
    counts: dict[int, dict[str, int]] = {}
    for specialist_id, phase, count in (
        open_ips_paths()
        .filter(specialist__isnull=False)
        .values_list("specialist", "phase")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault(specialist_id, {})[phase] = count
    return [
        Caseload(
            specialist=user,
            active=sum(counts.get(user.pk, {}).values()),
            limit=settings.IPS_CASELOAD_LIMIT,
            by_phase=counts.get(user.pk, {}),
        )
        for user in ips_specialists()
    ]


def phase_history(path: ProgrammePath):
    return PathPhaseChange.objects.filter(path=path).select_related("by")


def placements_during(path: ProgrammePath):
    """The person's job starts while the path was open (the IPS placements)."""
    placements = Placement.objects.filter(person_id=path.person_id, start_on__gte=path.start_on)
    if path.end_on:
        placements = placements.filter(start_on__lte=path.end_on)
    return placements.select_related("company").order_by("start_on", "pk")


# Courses ----------------------------------------------------------------------------------

COURSE_OUTCOMES_DEFINITION = (
    "Partecipanti: le persone iscritte al corso (completato, ritirate o ancora in corso; non "
    "chi è in lista d'attesa). Inserimenti: gli inserimenti dei partecipanti iniziati dalla "
    "data di inizio del corso in poi (fino al giorno del calcolo). Occupati: i partecipanti "
    "con almeno uno di quegli inserimenti. Tasso di inserimento = inserimenti / partecipanti "
    "(può superare il 100%); tasso di occupazione = occupati / partecipanti. Le stesse "
    "misure si danno per chi ha ottenuto la qualifica del corso."
)


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


@dataclass
class Rates:
    participants: int = 0
    placements: int = 0
    employed: int = 0

    @property
    def placement_rate(self) -> float:
        return _rate(self.placements, self.participants)

    @property
    def employment_rate(self) -> float:
        return _rate(self.employed, self.participants)

    def add(self, other: "Rates") -> None:
        self.participants += other.participants
        self.placements += other.placements
        self.employed += other.employed


@dataclass
class CourseOutcome:
    everyone: Rates
    qualified: Rates


def course_outcomes(
    course_ids, *, today: date, people: Q | None = None
) -> dict[int, CourseOutcome]:
    """Each course's outcomes (COURSE_OUTCOMES_DEFINITION), for all its participants and for
    those who obtained the qualification; `people` narrows the participants (the figures'
    filters, prefixed `person__`)."""
    # Each participant's placements from the course's start, counted by a subquery per
    # participation: no join through the people table, no duplicated rows.
    placements = (
        Placement.objects.filter(
            person=OuterRef("person_id"),
            start_on__gte=OuterRef("course__start_on"),
            start_on__lte=today,
        )
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Participation.objects.filter(people or Q(), course__in=course_ids, outcome__in=TAKING_PART)
        .annotate(later=Coalesce(Subquery(placements), 0))
        .values_list("course_id", "qualification_obtained")
        .annotate(
            participants=Count("pk"),
            placements=Sum("later"),
            employed=Count("pk", filter=Q(later__gt=0)),
        )
        .order_by()
    )
    result: dict[int, CourseOutcome] = {}
    for course_id, qualified, participants, placements, employed in rows:
        outcome = result.setdefault(course_id, CourseOutcome(Rates(), Rates()))
        rates = Rates(participants, placements, employed)
        outcome.everyone.add(rates)
        if qualified:
            outcome.qualified.add(rates)
    return result


def outcomes_by_provider(courses, *, today: date) -> list[tuple[str, int, CourseOutcome]]:
    """The outcomes of `courses` summed per provider: (provider, editions, outcome), the
    provider with most participants first. A person in two courses counts in each."""
    providers = dict(courses.order_by().values_list("pk", "provider__name"))
    outcomes = course_outcomes(list(providers), today=today)
    totals: dict[str, list] = {}
    for course_id, provider in providers.items():
        entry = totals.setdefault(
            provider or "Ente non indicato", [0, CourseOutcome(Rates(), Rates())]
        )
        entry[0] += 1
        if course_id in outcomes:
            entry[1].everyone.add(outcomes[course_id].everyone)
            entry[1].qualified.add(outcomes[course_id].qualified)
    return sorted(
        ((name, editions, outcome) for name, (editions, outcome) in totals.items()),
        key=lambda row: (-row[2].everyone.participants, row[0]),
    )


def cohort_followup(course: Course, *, today: date) -> list[dict]:
    """A course's cohort year by year: the participants with a placement started in each year
    from the course's start, and those placements."""
    counts = {
        row["year"]: row
        for row in Placement.objects.filter(
            person__participations__course=course,
            person__participations__outcome__in=TAKING_PART,
            start_on__gte=course.start_on,
            start_on__lte=today,
        )
        .annotate(year=ExtractYear("start_on"))
        .values("year")
        .annotate(placements=Count("pk", distinct=True), people=Count("person", distinct=True))
        .order_by()
    }
    return [
        {"year": year, **{k: counts.get(year, {}).get(k, 0) for k in ("placements", "people")}}
        for year in range(course.start_on.year, today.year + 1)
    ]


PROVIDER_DUE_DEFINITION = (
    "Quota di rischio = costo del corso × quota di rischio dell'ente (per il programma di "
    "solito il 30%). Inserimenti raggiunti: gli inserimenti dei partecipanti iniziati "
    "dall'inizio del corso fino a N mesi dopo la sua fine (N concordato con l'ente). Dovuto "
    "all'ente = costo − quota di rischio + quota di rischio × il minore tra 1 e inserimenti "
    "raggiunti / inserimenti concordati; senza inserimenti concordati la quota di rischio "
    "non è dovuta."
)


@dataclass
class RiskShare:
    cost: Decimal
    at_risk: Decimal
    target: int | None
    achieved: int
    window_end: date | None
    due: Decimal

    @property
    def withheld(self) -> Decimal:
        return self.cost - self.due


def provider_due(course: Course, *, today: date) -> RiskShare | None:
    """What is due to the provider given the placements reached (PROVIDER_DUE_DEFINITION);
    None when the course has no cost."""
    if course.cost is None:
        return None
    window_end = None
    if course.end_on:
        month = course.end_on.month - 1 + course.risk_window_months
        year, month = course.end_on.year + month // 12, month % 12 + 1
        window_end = date(year, month, min(course.end_on.day, 28))
    until = min(window_end, today) if window_end else today
    achieved = Placement.objects.filter(
        person__participations__course=course,
        person__participations__outcome__in=TAKING_PART,
        start_on__gte=course.start_on,
        start_on__lte=until,
    ).count()
    at_risk = (course.cost * course.risk_share / 100).quantize(Decimal("0.01"))
    earned = Decimal(0)
    if course.placement_target:
        ratio = min(Decimal(1), Decimal(achieved) / Decimal(course.placement_target))
        earned = (at_risk * ratio).quantize(Decimal("0.01"))
    return RiskShare(
        cost=course.cost,
        at_risk=at_risk,
        target=course.placement_target,
        achieved=achieved,
        window_end=window_end,
        due=course.cost - at_risk + earned,
    )


def _participations_count(**filters):
    counted = (
        Participation.objects.filter(course=OuterRef("pk"), **filters)
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def courses_with_seats(courses=None):
    """Courses annotated with `enrolled` (taking part now) and `waiting`:
    subqueries, so that a page of a long list counts only its own rows."""
    courses = Course.objects.all() if courses is None else courses
    return courses.select_related("provider", "catalogue").annotate(
        enrolled=_participations_count(outcome=ParticipationOutcome.IN_CORSO),
        waiting=_participations_count(outcome=ParticipationOutcome.IN_ATTESA),
    )


def open_for_enrolment(*, today: date):
    return Course.objects.filter(closed_on__isnull=True).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=today)
    )


ITALIAN_LEVELS = list(ItalianLevel.values)


def courses_giving(*, licence: str = "", italian: str = "", today: date):
    """Editions open for enrolment whose course gives this licence or at least this level
    of Italian: where a ranking's "what is missing" leads."""
    courses = open_for_enrolment(today=today)
    if licence:
        courses = courses.filter(catalogue__gives_licence=licence)
    if italian in ITALIAN_LEVELS:
        courses = courses.filter(
            catalogue__gives_italian_level__in=ITALIAN_LEVELS[ITALIAN_LEVELS.index(italian) :]
        )
    return courses


def attendance_by_participation(course: Course) -> dict[int, dict]:
    """For each participation: lessons `recorded`, lessons `attended`, `hours` present."""
    return {
        row["participation_id"]: row
        for row in Attendance.objects.filter(session__course=course)
        .values("participation_id")
        .annotate(
            recorded=Count("pk"),
            attended=Count("pk", filter=Q(present=True)),
            hours=Sum("session__hours", filter=Q(present=True)),
        )
        .order_by()
    }
