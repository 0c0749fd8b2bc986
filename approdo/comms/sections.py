"""What the outbox adds to other apps' pages (see approdo/ui/sections.py): e-mails that could
not be delivered, with a resend action, on the person's file and on the sender's desk."""

from approdo.ui.sections import page_section

from .selectors import failed_emails


@page_section("person", template="comms/_failed_emails.html", order=5)
def person_failed_emails(request, person) -> dict:
    return {"failed_emails": list(failed_emails(person=person)[:20]), "show_person": False}


@page_section("desk", template="comms/_failed_emails.html", order=5)
def desk_failed_emails(request, user) -> dict:
    return {"failed_emails": list(failed_emails(requested_by=user)[:20]), "show_person": True}
