from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from approdo.area import services
from approdo.intake import services as intake
from approdo.intake.models import AgendaSlot


def enter_area(client, person):
    """A client inside the person's area (as after using a link)."""
    _, token = services.start_session(
        person=person,
        method="link",
        visitor=services.Visitor(ip_address="192.0.2.1", user_agent="test"),
    )
    client.cookies[settings.AREA_COOKIE_NAME] = token
    return client


def booked(person, operator, slot, *, kind="primo colloquio"):
    book = intake.book_first_interview if kind == "primo colloquio" else intake.book_follow_up
    return book(person=person, slot_id=slot.pk, mode="presenza", by=operator)


def slot_in(operator, *, hours: float) -> AgendaSlot:
    start = (timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0)
    return AgendaSlot.objects.create(
        operator=operator, starts_at=start, ends_at=start + timedelta(minutes=45)
    )
