"""Reads of mailings."""

from django.db.models import Count, Q, QuerySet

from approdo.comms.models import OutboundEmail

from .models import Mailing
from .services import recipients_of

PREVIEW_CHOICES = 50


def mailings_with_counts() -> QuerySet[Mailing]:
    """The mailings, newest first, with how many messages each has sent, failed and pending."""
    status = OutboundEmail.Status
    return (
        Mailing.objects.select_related("created_by")
        .order_by("-created_at", "-pk")
        .annotate(
            message_count=Count("messages"),
            sent_count=Count("messages", filter=Q(messages__status=status.SENT)),
            failed_count=Count("messages", filter=Q(messages__status=status.FAILED)),
        )
    )


def preview_choices(mailing: Mailing) -> list[tuple[int, str]]:
    """The first recipients by name, to preview the text as each of them gets it."""
    people = recipients_of(mailing).order_by("last_name", "first_name", "pk")
    return [
        (pk, f"{last_name} {first_name}")
        for pk, first_name, last_name in people.values_list("pk", "first_name", "last_name")[
            :PREVIEW_CHOICES
        ]
    ]


def failed_messages(mailing: Mailing) -> QuerySet[OutboundEmail]:
    return (
        OutboundEmail.objects.filter(mailing=mailing, status=OutboundEmail.Status.FAILED)
        .select_related("person")
        .order_by("person__last_name", "pk")
    )
