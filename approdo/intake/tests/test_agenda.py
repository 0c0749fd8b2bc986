"""Agendas: the week calendar, recurring slots, holidays and closures, the booking picker
and the operator's private calendar feed."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from approdo.intake import selectors, services
from approdo.intake.models import AgendaSlot, CalendarFeed, Closure
from approdo.intake.selectors import monday_of
from conftest import login
from tests.factories import PersonFactory, UserFactory, slot_for, working_day


def _christmas_next_year() -> date:
    return date(timezone.localdate().year + 1, 12, 25)


def _open(operator, day, **kwargs):
    return services.create_slots(
        operator=operator, day=day, first_start=time(9), last_end=time(11), minutes=60, **kwargs
    )


@pytest.mark.django_db
def test_weekly_slots_skip_public_holidays_and_closures(operator):
    christmas = _christmas_next_year()
    Closure.objects.create(
        starts_on=christmas - timedelta(days=7),
        ends_on=christmas - timedelta(days=7),
        operator=operator,
        reason="Ferie",
    )
    opened = _open(operator, christmas - timedelta(days=14), repeat_until=christmas)
    assert {timezone.localtime(s.starts_at).date() for s in opened.slots} == {
        christmas - timedelta(days=14)
    }
    assert len(opened.slots) == 2
    assert opened.closed_days == {christmas: "Natale", christmas - timedelta(days=7): "Ferie"}


@pytest.mark.django_db
def test_slots_repeat_on_the_chosen_weekdays(operator):
    monday = monday_of(working_day(days_ahead=60)) + timedelta(days=7)
    opened = _open(operator, monday, repeat_until=monday + timedelta(days=13), weekdays=[0, 2])
    days = {timezone.localtime(s.starts_at).date() for s in opened.slots}
    expected = {monday + timedelta(days=n) for n in (0, 2, 7, 9)} - set(opened.closed_days)
    assert days == expected


@pytest.mark.django_db
def test_slot_rules_are_explained(operator):
    christmas = _christmas_next_year()
    with pytest.raises(ValidationError, match="chiusa \\(Natale\\)"):
        _open(operator, christmas)
    with pytest.raises(ValidationError, match="al massimo 26 settimane"):
        _open(operator, christmas - timedelta(days=300), repeat_until=christmas)
    with pytest.raises(ValidationError, match="prima del primo giorno"):
        _open(operator, christmas - timedelta(days=7), repeat_until=christmas - timedelta(14))
    with pytest.raises(ValidationError, match="nel passato"):
        _open(operator, timezone.localdate() - timedelta(days=1))


@pytest.mark.django_db
def test_a_closure_removes_free_slots_keeps_booked_ones_and_refuses_bookings(operator):
    free = slot_for(operator, days_ahead=3, hour=9)
    booked = slot_for(operator, days_ahead=3, hour=10)
    late = slot_for(operator, days_ahead=3, hour=11)
    interview = services.book_first_interview(
        person=PersonFactory(), slot_id=booked.pk, mode="presenza", by=operator
    )
    day = timezone.localdate() + timedelta(days=3)
    added = services.add_closure(
        starts_on=day, ends_on=day, operator=operator, reason="Formazione", by=operator
    )
    assert added.removed_slots == 2
    assert added.interviews_to_move == [interview]
    assert not AgendaSlot.objects.filter(pk__in=[free.pk, late.pk]).exists()
    reopened = slot_for(operator, days_ahead=3, hour=12)  # opened by hand despite the closure
    with pytest.raises(ValidationError, match="chiusa \\(Formazione\\)"):
        services.book_first_interview(
            person=PersonFactory(), slot_id=reopened.pk, mode="presenza", by=operator
        )
    # Someone else's agenda stays open.
    other = slot_for(UserFactory(role="operatore"), days_ahead=3)
    services.book_first_interview(
        person=PersonFactory(), slot_id=other.pk, mode="presenza", by=operator
    )


@pytest.mark.django_db
def test_closure_rules_are_explained(operator):
    today = timezone.localdate()
    cases = [
        (today + timedelta(5), today + timedelta(2), "Ferie", "prima di quella iniziale"),
        (today - timedelta(9), today - timedelta(2), "Ferie", "nel passato"),
        (today, today + timedelta(400), "Ferie", "al massimo un anno"),
        (today, today, "  ", "Indichi il motivo"),
    ]
    for starts_on, ends_on, reason, message in cases:
        with pytest.raises(ValidationError, match=message):
            services.add_closure(
                starts_on=starts_on, ends_on=ends_on, operator=operator, reason=reason, by=operator
            )
    assert not Closure.objects.exists()


@pytest.mark.django_db
def test_only_a_coordinator_closes_the_whole_programme(
    client, operator, coordinator, operator_client
):
    day = working_day(days_ahead=4)
    form = {"starts_on": day, "ends_on": day, "reason": "Ufficio chiuso", "whole_programme": "on"}
    operator_client.post(reverse("intake:add_closure"), form)
    assert Closure.objects.get().operator == operator  # the tick is not offered, nor obeyed
    login(client, coordinator)
    client.post(reverse("intake:add_closure"), form)
    assert Closure.objects.filter(operator=None).count() == 1
    programme_closure = Closure.objects.get(operator=None)
    login(client, operator)
    response = client.post(reverse("intake:remove_closure", args=[programme_closure.pk]))
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_closure_in_the_wrong_order_keeps_the_input(operator_client):
    day = working_day(days_ahead=4)
    response = operator_client.post(
        reverse("intake:add_closure"),
        {"starts_on": day, "ends_on": day - timedelta(days=1), "reason": "Ferie di agosto"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "prima di quella iniziale" in page and "Ferie di agosto" in page


@pytest.mark.django_db
def test_the_week_shows_slots_bookings_and_closed_days(
    operator_client, operator, django_assert_max_num_queries
):
    day = working_day(days_ahead=8)
    monday = monday_of(day)
    for hour in range(8, 18):
        slot_for(operator, days_ahead=(day - timezone.localdate()).days, hour=hour)
    for offset in range(5):
        for hour in (9, 10):
            start = datetime.combine(
                monday + timedelta(offset), time(hour), tzinfo=timezone.get_current_timezone()
            )
            AgendaSlot.objects.get_or_create(
                operator=operator, starts_at=start, defaults={"ends_at": start + timedelta(1 / 24)}
            )
    person = PersonFactory(first_name="Ginevra", last_name="Tassoni")
    taken = AgendaSlot.objects.filter(operator=operator).order_by("starts_at").first()
    services.book_first_interview(person=person, slot_id=taken.pk, mode="presenza", by=operator)
    Closure.objects.create(
        starts_on=monday + timedelta(5), ends_on=monday + timedelta(5), reason="Inventario"
    )
    url = reverse("intake:agenda") + f"?settimana={day.isoformat()}"
    with django_assert_max_num_queries(20):
        response = operator_client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tassoni" in page and "libero" in page and "Chiuso: Inventario" in page
    assert f"?settimana={(monday + timedelta(7)).isoformat()}" in page
    assert "17:00" in page  # local time, not UTC
    assert operator_client.get(reverse("intake:agenda") + "?settimana=ieri").status_code == 400


@pytest.mark.django_db
def test_the_booking_picker_narrows_to_an_operator_and_a_day(operator_client, operator):
    colleague = UserFactory(role="operatore", last_name="Zanardi")
    mine = slot_for(operator, days_ahead=2)
    later = slot_for(operator, days_ahead=3)
    theirs = slot_for(colleague, days_ahead=2)
    person = PersonFactory()
    url = reverse("intake:book", args=[person.pk])
    page = operator_client.get(url).content.decode()
    assert all(f'value="{s.pk}"' in page for s in (mine, later, theirs))
    day = (timezone.localdate() + timedelta(days=2)).isoformat()
    page = operator_client.get(f"{url}?operator={colleague.pk}&day={day}").content.decode()
    assert f'value="{theirs.pk}"' in page
    assert f'value="{mine.pk}"' not in page and f'value="{later.pk}"' not in page


@pytest.mark.django_db
def test_the_calendar_feed_shows_appointments_without_names_until_revoked(
    operator_client, operator
):
    calendar_app = Client()  # never logged in: the address is its only credential
    slot = slot_for(operator, days_ahead=2)
    person = PersonFactory(first_name="Ottavio", last_name="Brizzi")
    interview = services.book_first_interview(
        person=person, slot_id=slot.pk, mode="presenza", by=operator
    )
    operator_client.post(reverse("intake:calendar_feed"))
    page = operator_client.get(reverse("intake:agenda")).content.decode()
    feed_url = page.split('id="feed-url" type="text" class="form-control" readonly value="')[1]
    feed_url = feed_url.split('"')[0]
    assert feed_url.endswith(".ics")
    assert 'id="feed-url"' not in operator_client.get(reverse("intake:agenda")).content.decode()
    response = calendar_app.get(feed_url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "Brizzi" not in body and "Ottavio" not in body
    [event] = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["uid"]) == interview.calendar_uid
    assert event.decoded("dtstart") == slot.starts_at
    assert CalendarFeed.objects.get().last_read_at is not None
    # A new address replaces the old one; revoking ends it; so does deactivating the account.
    operator_client.post(reverse("intake:calendar_feed"))
    assert calendar_app.get(feed_url).status_code == 404
    new_page = operator_client.get(reverse("intake:agenda")).content.decode()
    new_url = new_page.split('readonly value="')[1].split('"')[0]
    assert calendar_app.get(new_url).status_code == 200
    operator.is_active = False
    operator.save()
    assert calendar_app.get(new_url).status_code == 404


@pytest.mark.django_db
def test_a_coordinator_revokes_but_never_creates_someone_elses_feed(client, coordinator, operator):
    services.create_calendar_feed(operator)
    login(client, coordinator)
    url = reverse("intake:calendar_feed_of", args=[operator.pk])
    assert client.post(url).status_code == 403
    client.post(url, {"azione": "revoca"})
    assert not CalendarFeed.objects.exists()
    colleague = UserFactory(role="operatore")
    login(client, colleague)
    assert client.post(url, {"azione": "revoca"}).status_code == 403


def test_public_holidays_include_the_patron_saint(settings):
    settings.HOLIDAYS_PROVINCE = "BO"
    assert "San Petronio" in selectors.public_holidays(date(2027, 10, 4), date(2027, 10, 4)).get(
        date(2027, 10, 4), ""
    )
    settings.HOLIDAYS_PROVINCE = "MI"
    assert date(2027, 12, 7) in selectors.public_holidays(date(2027, 12, 1), date(2027, 12, 31))
