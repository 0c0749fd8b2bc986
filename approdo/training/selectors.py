"""Reads of the IPS service: the open paths, each specialist's caseload, the capacity."""

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from approdo.accounts.models import User
from approdo.accounts.roles import VIEW_SENSITIVE_NOTES, roles_with
from approdo.placements.models import Placement

from .models import IPSPhase, PathPhaseChange, ProgrammePath

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
    return paths.annotate(
        employer_contacts_count=Count("employer_contacts", distinct=True),
        phase_since=Max("phase_changes__changed_on"),
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
