"""Each definition pinned on small hand-made data."""

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from approdo.companies.models import BoardMembership
from approdo.intake.models import Interview
from approdo.placements.models import Placement
from approdo.reports import indicators
from approdo.reports.indicators import INDICATORS, annual_report, definitions_markdown
from approdo.training.models import Course, Participation
from tests.factories import PersonFactory, UserFactory, company

ZONE = timezone.get_current_timezone()


def at(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=ZONE)


def first_interview(person, day: str, outcome="in target", readiness="pronto", status="svolto"):
    return Interview.objects.create(
        person=person,
        operator=UserFactory(),
        kind="primo colloquio",
        mode="presenza",
        scheduled_at=at(day),
        status=status,
        outcome=outcome if status == "svolto" else "",
        readiness=readiness if outcome == "in target" and status == "svolto" else "",
        calendar_uid="x",
    )


def place(
    person,
    employer,
    start: str,
    kind="assunzione",
    contract="tempo determinato",
    continues=None,
    continuation="",
    is_ips=False,
    hours=30,
):
    return Placement.objects.create(
        person=person,
        company=employer,
        placement_type=kind,
        contract=contract if kind == "assunzione" else "",
        start_on=date.fromisoformat(start),
        weekly_hours=hours,
        job_title="Lavoro",
        continues=continues,
        continuation=continuation,
        is_ips=is_ips,
    )


@pytest.mark.django_db
def test_registrations_count_the_registration_date_in_the_year_and_by_month():
    PersonFactory(registered_at=at("2025-01-01"))
    PersonFactory(registered_at=at("2025-12-31") + timedelta(hours=23, minutes=30))  # Rome time
    PersonFactory(registered_at=at("2024-12-31"))
    assert indicators.registrations(2025) == 2
    assert indicators.registrations_by_month(2025)[(2025, 12)] == 1


@pytest.mark.django_db
def test_first_interviews_and_their_outcomes():
    first_interview(PersonFactory(), "2025-03-01", "in target", "pronto")
    first_interview(PersonFactory(), "2025-03-02", "in target", "non pronto")
    first_interview(PersonFactory(), "2025-03-03", "in target", "profilo fragile")
    first_interview(PersonFactory(), "2025-03-04", "fuori target")
    first_interview(PersonFactory(), "2025-03-05", status="assente")  # not held
    first_interview(PersonFactory(), "2024-12-30")  # another year
    assert indicators.first_interviews(2025) == 4
    assert indicators.in_target(2025) == 3
    assert (indicators.ready(2025), indicators.not_ready(2025), indicators.fragile(2025)) == (
        1,
        1,
        1,
    )


@pytest.mark.django_db
def test_waiting_time_median_and_p90():
    for wait in (2, 4, 6, 8, 10, 12, 14, 16, 18, 40):
        person = PersonFactory(registered_at=at("2025-01-01"))
        first_interview(person, (date(2025, 1, 1) + timedelta(days=wait)).isoformat())
    assert indicators.waiting_days(2025) == {"median": 11, "p90": 18}


@pytest.mark.django_db
def test_placements_count_renewals_and_transformations_by_type_and_contract():
    employer = company()
    person = PersonFactory()
    stage = place(person, employer, "2025-02-01", kind="stage")
    place(
        person,
        employer,
        "2025-08-01",
        contract="tempo indeterminato",
        continues=stage,
        continuation="trasformazione",
    )
    place(PersonFactory(), employer, "2025-05-01", contract="tempo determinato")
    place(PersonFactory(), employer, "2025-06-01", kind="mini job", hours=15)
    place(PersonFactory(), employer, "2024-06-01")
    assert indicators.placements(2025) == 4
    assert indicators.placements_by_type(2025) == {
        "assunzione": 2,
        "stage": 1,
        "tirocinio": 0,
        "mini job": 1,
        "lavoro autonomo": 0,
    }
    assert indicators.hirings_by_contract(2025) == {
        "tempo determinato": 1,
        "tempo indeterminato": 1,
    }
    assert indicators.permanent_share(2025) == 0.5


@pytest.mark.django_db
def test_placed_people_women_under35_at_their_first_start_and_citizenship():
    employer = company()
    # 35 on 2025-06-01: under 35 at the first placement of the year (March), not at the second.
    turning = PersonFactory(sex="F", birth_date=date(1990, 6, 1), citizenship="Romania")
    place(turning, employer, "2025-03-01")
    place(turning, employer, "2025-09-01")
    older = PersonFactory(sex="M", birth_date=date(1970, 1, 1), citizenship="Italia")
    place(older, employer, "2025-04-01")
    assert indicators.placed_people(2025) == 2
    assert indicators.placed_women(2025) == 1
    assert indicators.placed_under35(2025) == 1
    assert indicators.placed_by_citizenship(2025) == {"italiana": 1, "UE": 1, "extra UE": 0}


@pytest.mark.django_db
def test_board_members_and_companies_contacted_at_the_end_of_the_year():
    stays = company("Resta", first_contact_on=date(2024, 5, 1))
    leaves = company("Esce", first_contact_on=date(2025, 12, 31))
    joins_late = company("Tardi", first_contact_on=date(2026, 1, 2))
    BoardMembership.objects.create(company=stays, joined_on=date(2024, 6, 1))
    BoardMembership.objects.create(
        company=leaves, joined_on=date(2024, 6, 1), left_on=date(2025, 7, 1)
    )
    BoardMembership.objects.create(company=joins_late, joined_on=date(2026, 1, 10))
    assert indicators.board(2024) == 2
    assert indicators.board(2025) == 1
    assert indicators.companies_contacted(2025) == 2


@pytest.mark.django_db
def test_top_companies_by_placements_in_the_year():
    big, small, other = company("Grande"), company("Piccola"), company("Altra")
    for _ in range(3):
        place(PersonFactory(), big, "2025-03-01")
    place(PersonFactory(), small, "2025-03-01")
    place(PersonFactory(), other, "2025-03-01")
    assert indicators.top_companies(2025)[:3] == [["Grande", 3], ["Altra", 1], ["Piccola", 1]]


@pytest.mark.django_db
def test_course_rates_count_placements_from_the_course_start_and_can_exceed_one():
    course = Course.objects.create(
        title="Magazzino e muletto",
        category="tecnico-professionale",
        start_on=date(2025, 3, 1),
        end_on=date(2025, 4, 30),
        mode="presenza",
        hours=80,
    )
    employer = company()
    worker, idle, early = PersonFactory(), PersonFactory(), PersonFactory()
    for person in (worker, idle, early):
        Participation.objects.create(course=course, person=person, outcome="completato")
    place(worker, employer, "2025-05-01", kind="stage")
    place(worker, employer, "2025-09-01")
    place(worker, employer, "2025-10-01")
    place(worker, employer, "2026-01-10")
    place(early, employer, "2025-01-10")  # before the course: does not count
    figures = indicators.courses(2025, today=date(2025, 12, 31))["Magazzino e muletto"]
    assert figures == {
        "participants": 3,
        "placements": 3,
        "employed": 1,
        "placement_rate": 1.0,
        "employment_rate": 0.333,
        "qualified": 0,
        "qualified_placements": 0,
        "qualified_employed": 0,
    }
    assert indicators.training_packages(2025) == 3
    assert "Magazzino e muletto" not in indicators.courses(2028)  # older than three years


@pytest.mark.django_db
def test_ips_and_stage_figures():
    employer = company()
    person = PersonFactory()
    stage = place(person, employer, "2025-01-10", kind="stage", is_ips=True)
    extension = place(
        person, employer, "2025-04-10", kind="stage", continues=stage, continuation="proroga"
    )
    place(
        person,
        employer,
        "2025-07-10",
        contract="tempo indeterminato",
        continues=extension,
        continuation="trasformazione",
        is_ips=True,
    )
    other = PersonFactory()
    other_stage = place(other, employer, "2025-02-01", kind="stage")
    place(
        other,
        employer,
        "2025-06-01",
        contract="tempo determinato",
        continues=other_stage,
        continuation="trasformazione",
    )
    place(PersonFactory(), employer, "2025-03-01", kind="lavoro autonomo", is_ips=True)
    assert indicators.stages(2025) == {
        "new": 2,
        "extensions": 1,
        "transformed_fixed_term": 1,
        "transformed_permanent": 1,
    }
    assert indicators.ips(2025) == {
        "placements": 3,
        "people": 2,
        "by_contract": {"tempo indeterminato": 1},
        "self_employed": 1,
    }


@pytest.mark.django_db
def test_annual_report_json_contract_keys(capsys):
    call_command("report", "annual", "--year", "2025")
    report = json.loads(capsys.readouterr().out)
    for key in (
        "registrations",
        "first_interviews_2025",
        "in_target_2025",
        "ready_2025",
        "not_ready_2025",
        "fragile_2025",
        "placements",
        "placements_2025_by_type",
        "hirings_2025_by_contract",
        "permanent_share_of_hirings",
        "placed_people_2025",
        "placed_women_2025",
        "placed_under35_2025",
        "top_companies_2025",
        "board",
        "companies_contacted_2025",
        "courses",
        "ips_2025",
        "stages_2025",
        "training_packages_2025",
    ):
        assert key in report, key
    assert set(report["registrations"]) == {"2024", "2025"}
    assert set(report["placements"]) == {"2023", "2024", "2025"}
    assert set(report["permanent_share_of_hirings"]) == {"2024", "2025"}


@pytest.mark.django_db
def test_report_command_refuses_a_bad_year_and_writes_xlsx(tmp_path):
    from django.core.management.base import CommandError
    from openpyxl import load_workbook

    with pytest.raises(CommandError, match="--year"):
        call_command("report", "annual")
    with pytest.raises(CommandError, match="non è valido"):
        call_command("report", "annual", "--year", "1999")
    target = tmp_path / "rapporto.xlsx"
    call_command("report", "annual", "--year", "2025", "--format", "xlsx", "--output", str(target))
    sheet = load_workbook(target).active
    rows = list(sheet.values)
    assert rows[0] == ("Indicatore", "Dettaglio", "Valore")
    # In Italian, one figure per row, numbers as numbers, shares as percentages.
    assert ("Iscrizioni per mese", "gennaio", 0) in rows
    labels = " ".join(f"{title} {detail or ''}" for title, detail, _ in rows[1:])
    assert not re.search(r"\b(registrations|placements|median|p90|share|\w+_\w+)\b", labels)
    assert all(isinstance(value, int | float | None) for _, _, value in rows[1:])
    shares = [cell for cell in sheet["C"][1:] if cell.number_format == "0.0%"]
    assert len(shares) == 7  # two years of the permanent share, five of the trend
    with pytest.raises(CommandError, match="Per il formato pdf indichi il file con --output"):
        call_command("report", "annual", "--year", "2025", "--format", "pdf")
    target = tmp_path / "rapporto.pdf"
    call_command("report", "annual", "--year", "2025", "--format", "pdf", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF")


def test_every_indicator_has_an_italian_definition_and_the_manual_is_current():
    assert all(indicator.definition and indicator.title for indicator in INDICATORS)
    manual = Path(__file__).resolve().parents[3] / "docs" / "indicatori.md"
    assert manual.read_text() == definitions_markdown(), (
        "docs/indicatori.md is out of date: run `approdo report definitions "
        "--output docs/indicatori.md`"
    )


@pytest.mark.django_db
def test_annual_report_runs_on_an_empty_database():
    report = annual_report(2025)
    assert all(indicator.compute(2025) is not None for indicator in INDICATORS)
    assert report["placements_2025_by_type"]["assunzione"] == 0
    assert report["permanent_share_of_hirings"]["2025"] == 0.0


@pytest.mark.django_db
def test_a_scope_is_any_period_and_its_filters_describe_the_people():
    from approdo.reports.indicators import Scope
    from approdo.training.models import ProgrammePath
    from tests.factories import comune

    employer = company()
    imola = comune("Imola")
    young_woman = PersonFactory(
        sex="F", birth_date=date(2000, 5, 1), citizenship="Romania", registered_at=at("2025-03-10")
    )
    older_man = PersonFactory(
        sex="M",
        birth_date=date(1970, 5, 1),
        citizenship="Marocco",
        residence_comune=imola,
        registered_at=at("2025-06-10"),
    )
    italian = PersonFactory(
        first_name="Luca",
        sex="M",
        citizenship="Italia",
        birth_date=date(1980, 5, 1),
        registered_at=at("2025-09-10"),
    )
    ProgrammePath.objects.create(person=older_man, programme="IPS", start_on=date(2025, 1, 1))
    place(young_woman, employer, "2025-03-20")
    place(older_man, employer, "2025-07-01", kind="tirocinio")
    place(italian, employer, "2025-10-01")

    spring = Scope(date(2025, 3, 1), date(2025, 6, 30))
    assert indicators.registrations(spring) == 2
    assert list(indicators.registrations_by_month(spring)) == [(2025, m) for m in range(3, 7)]
    assert indicators.placements(spring) == 1

    year = date(2025, 1, 1), date(2025, 12, 31)
    assert indicators.placements(Scope(*year, comune_id=imola.pk)) == 1
    assert indicators.placements(Scope(*year, citizenship="UE")) == 1
    assert indicators.placements(Scope(*year, citizenship="extra UE")) == 1
    assert indicators.placements(Scope(*year, citizenship="italiana")) == 1
    assert indicators.placements(Scope(*year, age_band="25-34")) == 1  # 25 on 31/12/2025
    assert indicators.placed_people(Scope(*year, age_band="16-24")) == 0
    assert indicators.registrations(Scope(*year, age_band="50+")) == 1
    assert indicators.placed_women(Scope(*year, sex="F")) == 1
    assert indicators.placed_people(Scope(*year, sex="M")) == 2
    assert indicators.placements_by_type(Scope(*year, programme="IPS"))["tirocinio"] == 1
    assert indicators.placements(Scope(*year, programme="IPS")) == 1
    # Companies do not depend on the people's filters.
    assert indicators.companies_contacted(Scope(*year, sex="F")) == (
        indicators.companies_contacted(Scope(*year))
    )


@pytest.mark.django_db
def test_trend_gives_placements_and_permanent_share_of_the_last_five_years():
    employer = company()
    person = PersonFactory()
    place(person, employer, "2023-02-01", contract="tempo indeterminato")
    place(person, employer, "2025-02-01")
    place(person, employer, "2025-03-01", contract="tempo indeterminato")
    trend = indicators.trend(2025)
    assert list(trend) == [2021, 2022, 2023, 2024, 2025]
    assert trend[2023] == {"placements": 1, "permanent_share": 1.0}
    assert trend[2024] == {"placements": 0, "permanent_share": 0.0}
    assert trend[2025] == {"placements": 2, "permanent_share": 0.5}


@pytest.mark.django_db
def test_placements_ended_early_by_reason_and_the_current_readiness():
    from approdo.people.services import reassess_readiness
    from approdo.reports.indicators import Scope, current_readiness, ended_early

    employer = company()
    person = PersonFactory(
        status="in carico", first_interview_outcome="in target", readiness="non pronto"
    )
    ended = place(person, employer, "2025-03-01")
    Placement.objects.filter(pk=ended.pk).update(
        ended_early_on=date(2025, 4, 15), end_reason="periodo di prova"
    )
    place(PersonFactory(), employer, "2025-05-01")  # still going
    assert ended_early(2025) == {"periodo di prova": 1}
    assert ended_early(2024) == {}
    assert annual_report(2025)["ended_early_2025"] == {"periodo di prova": 1}
    scope = Scope(date(2025, 1, 1), date(2025, 12, 31))
    assert current_readiness(scope)["non pronto"] == 1
    reassess_readiness(person=person, readiness="pronto", reason="Corso finito", by=None)
    assert current_readiness(scope) == {"pronto": 1, "non pronto": 0, "profilo fragile": 0}
