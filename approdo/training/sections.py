"""What the IPS path adds to the person's file: for IPS specialists, the path and a way to
open one; for the others who read the file, at most that a specialised service follows
the person (special-category data)."""

from approdo.accounts.roles import EDIT_PEOPLE, VIEW_SENSITIVE_NOTES
from approdo.ui.sections import page_section

from .models import ProgrammePath


@page_section("person", template="training/_person_ips.html", order=3)
def person_ips(request, person) -> dict:
    if not request.user.can(VIEW_SENSITIVE_NOTES):
        return {"show": person.in_ips_path, "specialised_only": True}
    paths = list(
        ProgrammePath.objects.filter(person=person, programme=ProgrammePath.Programme.IPS)
        .select_related("specialist")
        .order_by("-start_on")
    )
    return {
        "show": True,
        "specialised_only": False,
        "person": person,
        "paths": paths,
        "open_path": next((path for path in paths if path.is_open), None),
        "can_open": request.user.can(EDIT_PEOPLE) and not person.anonymised_at,
    }
