"""Reads of the outbox."""

from django.db.models import QuerySet

from .models import OutboundEmail


def failed_emails(*, person=None, requested_by=None) -> QuerySet[OutboundEmail]:
    """E-mails that could not be delivered, newest first: of a person, or asked by someone."""
    emails = OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED)
    if person is not None:
        emails = emails.filter(person=person)
    if requested_by is not None:
        emails = emails.filter(requested_by=requested_by)
    return emails.select_related("person").order_by("-created_at")
