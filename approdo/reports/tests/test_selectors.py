"""Reads about the figures: the years with a report, the fairness comparison."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from approdo.matching.services import run_matching, shortlist
from approdo.reports.fairness import fairness_report
from approdo.reports.selectors import report_years
from tests.factories import PersonFactory, company, ready_person, vacancy

from .test_indicators import at, place

pytestmark = pytest.mark.django_db


def test_report_years_start_with_the_first_registration():
    this_year = timezone.localdate().year
    assert report_years() == range(this_year - 1, this_year + 1)
    PersonFactory(registered_at=at("2019-05-02"))
    assert report_years() == range(2019, this_year + 1)


def test_fairness_counts_ranked_proposed_and_hired_by_group(operator):
    today = timezone.localdate()
    woman = ready_person(first_name="Giulia", sex="F", birth_date=date(1990, 6, 1))
    man = ready_person(first_name="Mario", sex="M", birth_date=date(2004, 6, 1))
    request = vacancy()
    run, _ = run_matching(vacancy=request, by=operator)
    shortlist(vacancy=request, person=woman, run=run, by=operator, override_reason="Scelta")
    hire = place(woman, company(), today.isoformat())
    hire.vacancy = request
    hire.save()

    report = fairness_report(since=today - timedelta(days=30), until=today)

    by_sex = report["sesso"]
    assert by_sex["Femmina"]["ranked"] == (1, 0.5)
    assert by_sex["Femmina"]["proposed"] == (1, 1.0)
    assert by_sex["Femmina"]["hired"] == (1, 1.0)
    assert by_sex["Maschio"]["ranked"] == (1, 0.5)
    assert by_sex["Maschio"]["hired"] == (0, 0)
    assert set(report["fascia d'età"]) == {"16–24 anni", "35–49 anni"}
    assert man.pk


@pytest.mark.parametrize("days", ["x", "0", "-5", "99999", ""])
def test_a_bad_period_on_the_fairness_page_is_a_clear_error_not_a_crash(coordinator_client, days):
    response = coordinator_client.get(reverse("reports:fairness"), {"giorni": days})
    assert response.status_code == 400
    assert "giorni" in response.content.decode() or "Il periodo" in response.content.decode()
