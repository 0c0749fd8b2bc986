"""The yearly figures of projects and the fund, as the board's JSON names them."""

from datetime import date
from decimal import Decimal

import pytest

from approdo.companies.models import Company
from approdo.partners.models import Partner
from approdo.placements.models import Placement
from approdo.projects.models import FundMovement, Payment, Project
from approdo.reports.indicators import annual_report
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def project(kind, submitted, state, **fields) -> Project:
    if kind == "autoimpiego":
        fields.setdefault("person", PersonFactory())
    else:
        fields.setdefault(
            "organisation",
            Partner.objects.get_or_create(name="Coop", defaults={"kind": "terzo settore"})[0],
        )
    return Project.objects.create(
        kind=kind, title="P", submitted_on=submitted, state=state, state_on=submitted, **fields
    )


def pay(target, kind, amount, on):
    return Payment.objects.create(
        project=target, kind=kind, amount=Decimal(amount), due_on=on, paid_on=on
    )


def test_the_three_sections_of_the_yearly_report():
    amina = PersonFactory()
    started = project("autoimpiego", date(2023, 5, 1), "avviato", person=amina)
    project("autoimpiego", date(2025, 2, 1), "rifiutato", person=amina)  # same proposer
    project("autoimpiego", date(2025, 3, 1), "candidato")
    project("autoimpiego", date(2026, 1, 10), "candidato")  # after the year: not counted
    loan = pay(started, "finanziamento garantito", 9000, date(2023, 9, 1))
    pay(started, "contributo", 1500, date(2025, 4, 1))
    pay(started, "microcredito", 700, date(2025, 4, 1))  # not a grant nor a loan
    Payment.objects.create(
        project=started, kind="contributo", amount=999, due_on=date(2025, 12, 1)
    )  # planned, not paid

    project("innovazione sociale", date(2025, 1, 5), "candidato")
    project("innovazione sociale", date(2024, 1, 5), "rifiutato")
    approved = project(
        "innovazione sociale",
        date(2024, 6, 1),
        "concluso e finanziato",
        committee_on=date(2025, 2, 1),
        approved_amount=Decimal("6500.50"),
        unlinked_jobs=2,
    )
    project(
        "innovazione sociale",
        date(2024, 6, 1),
        "valutato positivamente",
        committee_on=date(2024, 11, 1),
        approved_amount=Decimal(3000),
    )
    pay(approved, "contributo", 2500, date(2025, 3, 1))
    pay(approved, "microcredito", 800, date(2025, 5, 1))
    pay(approved, "contributo", 100, date(2024, 12, 31))  # the year before
    approved.placements.add(
        Placement.objects.create(
            person=PersonFactory(),
            company=Company.objects.create(name="Riuso"),
            placement_type="stage",
            start_on=date(2025, 6, 1),
            job_title="Addetto",
        )
    )

    FundMovement.objects.create(on=date(2022, 1, 1), kind="versamento", amount=30000)
    FundMovement.objects.create(on=date(2023, 9, 1), kind="garanzia", amount=8000, loan=loan)
    FundMovement.objects.create(on=date(2024, 9, 1), kind="svincolo", amount=2000, loan=loan)
    FundMovement.objects.create(on=date(2025, 9, 1), kind="escussione", amount=1000, loan=loan)
    FundMovement.objects.create(on=date(2026, 2, 1), kind="versamento", amount=50000)

    report = annual_report(2025)
    assert report["self_employment"] == {
        "submitted_to_date": 3,
        "submitted_by_year": {"2023": 1, "2024": 0, "2025": 2},
        "proposers_to_date": 2,
        "by_state": {"candidato": 1, "rifiutato": 1, "avviato": 1},
        "paid_to_date": 10500,
    }
    assert report["social_innovation"] == {
        "assessed_to_date": 3,
        "by_state": {"rifiutato": 1, "valutato positivamente": 1, "concluso e finanziato": 1},
        "selected_to_date": 2,
        "approved_2025": 6500.5,
        "paid_2025": 2500,
        "microcredit_2025": 800,
        "jobs_to_date": 2,
        "stages_to_date": 1,
    }
    assert report["guarantee_fund"] == {
        "ceiling": 29000,
        "guaranteed_to_date": 8000,
        "outstanding": 5000,
        "available": 24000,
        "called_to_date": 1000,
    }
