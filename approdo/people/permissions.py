"""Per-object rules on a person's file.

Scope: coordinators, administrators and auditors read every file. Operators and IPS
specialists read the people their team follows and those not yet assigned (the common
intake queue); people in the IPS path only the IPS service reads. Anybody else's file opens
with a recorded reason, for some hours (`BreakGlassAccess`).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from approdo.accounts.roles import (
    EDIT_PEOPLE,
    VIEW_PEOPLE,
    VIEW_SENSITIVE_NOTES,
    VIEW_WHOLE_PROGRAMME,
)

from .models import BreakGlassAccess, Person


def scope_q(user) -> Q | None:
    """The people `user` reads without a reason, as a filter; None when they read everyone."""
    if user.can(VIEW_WHOLE_PROGRAMME):
        return None
    own = Q(team__isnull=True)
    team = user.team
    if team is not None:
        own |= Q(team=team)
    scope = own & Q(in_ips_path=False)
    if team is not None and team.is_ips_service:
        scope |= Q(in_ips_path=True)
    # Files opened with a reason: a handful at most, read first so that the list's query
    # stays a plain filter on the scope index.
    opened = list(
        BreakGlassAccess.objects.filter(user=user, expires_at__gt=timezone.now()).values_list(
            "person_id", flat=True
        )
    )
    return scope | Q(pk__in=opened) if opened else scope


def visible_people(user, people=None):
    """`people` (all by default) narrowed to those `user` reads."""
    people = Person.objects.all() if people is None else people
    scope = scope_q(user)
    return people if scope is None else people.filter(scope)


def in_scope(user, person: Person) -> bool:
    if user.can(VIEW_WHOLE_PROGRAMME):
        return True
    team = user.team
    if person.in_ips_path:
        if team is not None and team.is_ips_service:
            return True
    elif person.team_id is None or (team is not None and person.team_id == team.pk):
        return True
    return BreakGlassAccess.objects.filter(
        user=user, person=person, expires_at__gt=timezone.now()
    ).exists()


def can_view_person(user, person: Person) -> bool:
    return user.can(VIEW_PEOPLE) and in_scope(user, person)


def can_edit_person(user, person: Person) -> bool:
    return user.can(EDIT_PEOPLE) and in_scope(user, person)


def can_view_sensitive_notes(user, person: Person) -> bool:
    """Special-category notes: IPS specialists, and only for people in the IPS path."""
    return person.in_ips_path and user.can(VIEW_SENSITIVE_NOTES)


class OutOfScope(PermissionDenied):
    """The file exists and the role may read files, but not this one without a reason: a
    read (GET) is sent to the page that asks for it (people/middleware.py)."""

    def __init__(self, person: Person):
        super().__init__(
            "Questa scheda è seguita da un altro gruppo: per aprirla indichi il motivo."
        )
        self.person = person


def person_or_403(user, pk: int, *, edit: bool = False, queryset=None) -> Person:
    """The person `pk` if `user` may read it (or edit it); 404 when there is none."""
    person = get_object_or_404(Person.objects.all() if queryset is None else queryset, pk=pk)
    if not user.can(EDIT_PEOPLE if edit else VIEW_PEOPLE):
        raise PermissionDenied("Il suo ruolo non consente di accedere a questa scheda.")
    if not in_scope(user, person):
        raise OutOfScope(person)
    return person
