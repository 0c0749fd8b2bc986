from datetime import date, timedelta

import pytest
from django.utils import timezone

from approdo.intake.services import book_first_interview
from approdo.people.choices import AgeBand
from approdo.people.identity import age_band_on, age_on
from approdo.people.models import Person
from approdo.people.selectors import filter_people, intake_queue
from approdo.people.services import record_contact_attempt
from approdo.people.timeline import person_timeline
from approdo.reports.indicators import Scope
from tests.factories import PersonFactory, slot_for

# Birthdays at the end of months, in and out of leap years: where a rule written twice
# disagreed (one rounded the day down to the 28th).
MONTH_END_BIRTHS = [
    date(2001, 1, 29),
    date(2001, 1, 30),
    date(2001, 1, 31),
    date(2000, 2, 29),
    date(2001, 3, 31),
    date(1991, 5, 30),
    date(1991, 5, 31),
    date(1976, 12, 31),
]
MONTH_END_DAYS = [
    date(2026, 1, 29),
    date(2026, 1, 31),
    date(2026, 2, 28),
    date(2028, 2, 29),
    date(2026, 3, 30),
    date(2026, 5, 31),
    date(2026, 12, 31),
]


@pytest.mark.parametrize("day", MONTH_END_DAYS)
def test_age_bands_agree_on_month_end_birthdays_in_the_list_the_figures_and_the_rule(db, day):
    people = {
        birth: PersonFactory(birth_date=birth, fiscal_code=None) for birth in MONTH_END_BIRTHS
    }
    for band in AgeBand.values:
        expected = {p.pk for birth, p in people.items() if age_band_on(birth, day) == band}
        in_list = set(filter_people(age_band=band, today=day).values_list("pk", flat=True))
        scope = Scope(day - timedelta(days=30), day, age_band=band)
        in_figures = set(Person.objects.filter(scope.people()).values_list("pk", flat=True))
        assert in_list == expected == in_figures, (band, day)


def test_a_birthday_on_29_february_comes_on_1_march_in_other_years():
    assert age_on(date(2000, 2, 29), date(2025, 2, 28)) == 24
    assert age_on(date(2000, 2, 29), date(2025, 3, 1)) == 25
    assert age_band_on(date(2000, 2, 29), date(2025, 2, 28)) == AgeBand.UNDER_25
    assert age_band_on(date(2000, 2, 29), date(2025, 3, 1)) == AgeBand.FROM_25


def test_search_finds_names_with_typos_and_fiscal_codes_by_prefix(db):
    rossi = PersonFactory(first_name="Mario", last_name="Rossi")
    PersonFactory(first_name="Giulia", last_name="Bianchi")
    assert list(filter_people(search="Rosi Mario")) == [rossi]
    assert list(filter_people(search=rossi.fiscal_code[:8].lower())) == [rossi]


def test_the_intake_queue_puts_the_longest_wait_first_and_leaves_out_the_interviewed(db, operator):
    now = timezone.now()
    recent = PersonFactory(registered_at=now - timedelta(days=2))
    oldest = PersonFactory(registered_at=now - timedelta(days=20))
    interviewed = PersonFactory(registered_at=now - timedelta(days=30))
    interviewed.first_interview_at = now
    interviewed.save()
    assert list(intake_queue()) == [oldest, recent]


def test_the_timeline_gathers_what_every_app_registered_newest_first(db, operator):
    person = PersonFactory()
    book_first_interview(person=person, slot_id=slot_for(operator).pk, mode="presenza", by=operator)
    record_contact_attempt(person=person, answered=False, by=operator)
    events = person_timeline(person)
    assert {"colloquio", "telefonata", "e-mail"} <= {event.kind for event in events}
    times = [event.at for event in events]
    assert times == sorted(times, reverse=True)


def test_sensitive_notes_reach_the_timeline_only_when_allowed(db, ips_specialist):
    from approdo.people.services import add_sensitive_note

    person = PersonFactory(in_ips_path=True)
    add_sensitive_note(person=person, text="Colloquio con il CSM", by=ips_specialist)
    assert "nota riservata" not in {event.kind for event in person_timeline(person)}
    shown = person_timeline(person, include_sensitive=True)
    assert "Colloquio con il CSM" in {event.detail for event in shown}
