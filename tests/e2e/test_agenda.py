"""An operator's agenda in a real browser: recurring slots on the week calendar, a
closure, and the private calendar address read by a calendar app."""

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar

from approdo.accounts.roles import Role
from approdo.intake.models import AgendaSlot, Closure
from approdo.intake.selectors import monday_of
from tests.e2e.conftest import assert_accessible, log_in, open_menu, tick
from tests.factories import UserFactory, working_day


def test_open_recurring_slots_close_a_day_and_subscribe_a_calendar(page, browser, live_server):
    operator = UserFactory(role=Role.OPERATORE, username="marta")
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, operator)
    open_menu(page, "Persone", "Agenda")
    assert_accessible(page)

    # Every Monday and Wednesday for two weeks, from a working day two weeks ahead.
    first = monday_of(working_day(days_ahead=14))
    page.locator("#id_day").fill(first.isoformat())
    page.locator("#id_first_start").fill("09:00")
    page.locator("#id_last_end").fill("11:00")
    page.locator("#id_minutes").fill("60")
    page.locator("#id_repeat_until").fill((first + timedelta(days=13)).isoformat())
    tick(page.get_by_label("lunedì"))
    tick(page.get_by_label("mercoledì"))
    page.get_by_role("button", name="Apri", exact=True).click()
    page.get_by_text("Aperti").wait_for()
    assert_accessible(page)
    opened = AgendaSlot.objects.filter(operator=operator)
    days = {timezone.localtime(slot.starts_at).weekday() for slot in opened}
    assert days <= {0, 2} and opened.count() >= 2

    # The week of the first slots shows them free, in Italian time.
    page.goto(f"/accoglienza/agenda/?settimana={first.isoformat()}")
    grid = page.locator("table.agenda-week")
    assert "libero" in grid.inner_text() and "09:00" in grid.inner_text()
    page.get_by_role("link", name="Settimana successiva").click()
    assert_accessible(page)

    # Leave on the first Monday: its free slots go, and the day shows closed.
    page.goto(f"/accoglienza/agenda/?settimana={first.isoformat()}")
    page.locator("#id_starts_on").fill(first.isoformat())
    page.locator("#id_ends_on").fill(first.isoformat())
    page.locator("#id_reason").fill("Ferie")
    page.get_by_role("button", name="Registra la chiusura").click()
    page.get_by_text("Chiusura registrata").wait_for()
    assert_accessible(page)
    assert Closure.objects.get(operator=operator).reason == "Ferie"
    page.goto(f"/accoglienza/agenda/?settimana={first.isoformat()}")
    assert "Chiuso: Ferie" in page.locator("table.agenda-week").inner_text()

    # The calendar address, shown once, works without logging in.
    page.get_by_role("button", name="Crea l'indirizzo").click()
    address = page.locator("#feed-url").input_value()
    assert_accessible(page)
    calendar_app = browser.new_context()
    response = calendar_app.request.get(address)
    assert response.status == 200
    summaries = [
        str(event["summary"]) for event in Calendar.from_ical(response.text()).walk("VEVENT")
    ]
    assert "Agenda chiusa: Ferie" in summaries
    calendar_app.close()
