"""What the portal adds to the person's file (see approdo/ui/sections.py): repeated online
registrations, side by side with the file, and the documents they brought, waiting."""

from approdo.people.permissions import can_edit_person
from approdo.ui.sections import page_section

from .forms import RegistrationForm


def _shown(value) -> str:
    if value in (None, "", [], False):
        return "—"
    if value is True:
        return "sì"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def comparison(registration, person) -> list[dict]:
    """(label, on the file, sent now, different?) for every field the registration has."""
    fields = RegistrationForm.base_fields
    rows = []
    for name, sent in registration.submitted_data.items():
        if name not in fields or sent in (None, "", []):
            continue
        on_file = getattr(person, name, None)
        if hasattr(on_file, "isoformat"):
            on_file = on_file.isoformat()
        rows.append(
            {
                "label": fields[name].label,
                "on_file": _shown(on_file),
                "sent": _shown(sent),
                "different": _shown(on_file) != _shown(sent),
            }
        )
    return rows


@page_section("person", template="portal/_repeat_registrations.html", order=1)
def repeat_registrations(request, person) -> dict:
    registrations = list(
        person.portal_registrations.filter(matched_existing=True, reviewed_at__isnull=True)
        .prefetch_related("pending_documents")
        .order_by("submitted_at")
    )
    return {
        "repeat_registrations": [
            {
                "registration": registration,
                "rows": comparison(registration, person),
                "documents": list(registration.pending_documents.all()),
            }
            for registration in registrations
        ],
        "can_decide": can_edit_person(request.user, person),
    }
