"""Per-object rules on a person's file."""

from approdo.accounts.roles import EDIT_PEOPLE, VIEW_PEOPLE, VIEW_SENSITIVE_NOTES

from .models import Person


def can_view_person(user, person: Person) -> bool:
    return user.can(VIEW_PEOPLE)


def can_edit_person(user, person: Person) -> bool:
    return user.can(EDIT_PEOPLE)


def can_view_sensitive_notes(user, person: Person) -> bool:
    """Special-category notes: IPS specialists, and only for people in the IPS path."""
    return person.in_ips_path and user.can(VIEW_SENSITIVE_NOTES)
