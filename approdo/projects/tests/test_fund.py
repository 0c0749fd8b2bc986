"""The guarantee fund: its position at any date, what each loan holds, and the refusals."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from approdo.projects import services
from approdo.projects.models import FundSettings, Payment
from approdo.projects.selectors import fund_position, loan_positions

from .test_projects import approved, self_employment

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = timedelta(days=1)


def deposit(amount, on=TODAY - 100 * DAY):
    return services.record_movement(kind="versamento", on=on, amount=Decimal(amount), by=None)


def loan(amount, guarantee, on=TODAY - 50 * DAY) -> Payment:
    project = approved(self_employment(submitted_on=TODAY - 90 * DAY))
    return services.record_guaranteed_loan(
        project=project, amount=Decimal(amount), guarantee=Decimal(guarantee), paid_on=on, by=None
    )


def test_ceiling_outstanding_and_available_follow_the_movements_at_any_date():
    deposit(100000, on=TODAY - 200 * DAY)
    deposit(50000, on=TODAY - 20 * DAY)
    first = loan(20000, 20000, on=TODAY - 60 * DAY)
    services.record_movement(
        kind="svincolo", on=TODAY - 30 * DAY, amount=Decimal(5000), loan=first, by=None
    )
    services.record_movement(
        kind="escussione", on=TODAY - 10 * DAY, amount=Decimal(3000), loan=first, by=None
    )
    before = fund_position(TODAY - 40 * DAY)
    assert (before.ceiling, before.outstanding, before.available) == (100000, 20000, 80000)
    now = fund_position()
    assert now.ceiling == 147000  # deposits − called
    assert now.outstanding == 12000  # guarantees − released − called
    assert now.available == 135000
    assert now.called == 3000
    [held] = loan_positions()
    assert (held.guaranteed, held.released, held.called, held.outstanding) == (
        20000,
        5000,
        3000,
        12000,
    )


def test_a_guarantee_beyond_what_is_available_is_refused_with_the_figures():
    deposit(30000)
    loan(20000, 20000)
    with pytest.raises(ValidationError) as refused:
        loan(15000, 15000, on=TODAY)
    message = " ".join(refused.value.messages)
    assert "15.000,00 €" in message and "10.000,00 €" in message
    assert fund_position().outstanding == 20000


def test_a_guarantee_in_the_past_must_fit_every_later_position():
    deposit(30000, on=TODAY - 100 * DAY)
    loan(25000, 25000, on=TODAY - 10 * DAY)
    # On day -60 the fund had 30,000 available, but from day -10 only 5,000 are left.
    with pytest.raises(ValidationError, match="5.000,00 €"):
        loan(8000, 8000, on=TODAY - 60 * DAY)


def test_a_release_or_a_call_cannot_exceed_what_the_loan_still_holds():
    deposit(30000)
    held = loan(10000, 8000)
    services.record_movement(kind="svincolo", on=TODAY, amount=Decimal(6000), loan=held, by=None)
    with pytest.raises(ValidationError, match="2.000,00 €"):
        services.record_movement(
            kind="escussione", on=TODAY, amount=Decimal(2500), loan=held, by=None
        )
    with pytest.raises(ValidationError, match="finanziamento garantito"):
        services.record_movement(kind="svincolo", on=TODAY, amount=Decimal(10), by=None)


def test_the_fund_page_warns_under_the_threshold_and_shows_each_loan(
    coordinator_client, django_assert_max_num_queries
):
    deposit(30000)
    loan(20000, 15000)
    loan(10000, 8000)
    FundSettings.objects.update_or_create(pk=1, defaults={"warning_threshold": 10000})
    with django_assert_max_num_queries(14):
        response = coordinator_client.get(reverse("projects:fund"))
    page = response.content.decode()
    assert "Disponibilità del fondo sotto la soglia" in page
    assert "7.000,00 €" in page  # available
    assert page.count("Forno di quartiere") >= 2


def test_a_coordinator_records_a_repayment_and_bad_input_keeps_the_form(coordinator_client):
    deposit(30000)
    held = loan(10000, 10000)
    response = coordinator_client.post(
        reverse("projects:fund_movement"),
        {"kind": "svincolo", "on": TODAY.isoformat(), "amount": "12000", "loan": held.pk},
    )
    assert response.status_code == 400
    assert "supera quanto il fondo garantisce ancora" in response.content.decode()
    assert 'value="12000"' in response.content.decode()
    response = coordinator_client.post(
        reverse("projects:fund_movement"),
        {"kind": "svincolo", "on": TODAY.isoformat(), "amount": "4000", "loan": held.pk},
    )
    assert response.status_code == 302
    assert fund_position().available == 24000


def test_an_operator_reads_the_fund_but_cannot_move_it(operator_client):
    assert operator_client.get(reverse("projects:fund")).status_code == 200
    response = operator_client.post(
        reverse("projects:fund_movement"),
        {"kind": "versamento", "on": TODAY.isoformat(), "amount": "1000"},
    )
    assert response.status_code == 403
