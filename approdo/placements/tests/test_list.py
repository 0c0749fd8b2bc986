"""The placements list: filters, the teams' scope, the query bound and its file."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approdo.accounts.models import Team
from approdo.exports.models import Export
from approdo.exports.services import export_path
from approdo.placements.models import Placement, StipendPayment
from conftest import login
from tests.factories import PersonFactory, UserFactory, company


def _placement(person, employer, **fields) -> Placement:
    return Placement.objects.create(
        person=person,
        company=employer,
        placement_type=fields.pop("placement_type", "assunzione"),
        contract=fields.pop("contract", "tempo determinato"),
        start_on=fields.pop("start_on", timezone.localdate()),
        job_title=fields.pop("job_title", "Magazziniere"),
        **fields,
    )


@pytest.mark.django_db
def test_the_list_filters_keeps_to_the_scope_and_exports_what_it_shows(
    run_tasks, django_assert_max_num_queries
):
    centro, navile = Team.objects.create(name="Centro"), Team.objects.create(name="Navile")
    operator = UserFactory(team=centro)
    employer = company("Pulizie Reno Srl")
    today = timezone.localdate()
    mine = _placement(PersonFactory(team=centro, last_name="=SOMMA(A1)"), employer)
    ended = _placement(
        PersonFactory(team=centro),
        employer,
        placement_type="tirocinio",
        contract="",
        start_on=today - timedelta(days=90),
        ended_early_on=today - timedelta(days=10),
        end_reason="dimissioni",
    )
    StipendPayment.objects.create(placement=ended, month=ended.start_on.replace(day=1), amount=450)
    StipendPayment.objects.create(
        placement=ended,
        month=(today.replace(day=1) - timedelta(days=1)).replace(day=1),
        amount="120.50",
    )
    other_team = _placement(PersonFactory(team=navile), employer)
    for _ in range(20):
        _placement(PersonFactory(team=centro), company(f"Azienda {_}"))
    client = login(Client(), operator)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("placements:list"))
    html = page.content.decode()
    assert "22 inserimenti" in html
    assert reverse("placements:detail", args=[other_team.pk]) not in html

    early = client.get(reverse("placements:list"), {"ended_early": "on"}).content.decode()
    assert "1 inserimento" in early and "dimissioni" in early
    by_company = client.get(reverse("placements:list"), {"q": "Reno"}).content.decode()
    assert "2 inserimenti" in by_company
    wrong = client.get(
        reverse("placements:list"),
        {"started_from": today.isoformat(), "started_to": (today - timedelta(1)).isoformat()},
    )
    assert "prima di quella iniziale" in wrong.content.decode()

    client.post(reverse("exports:request", args=["inserimenti"]), {"formato": "csv", "q": "Reno"})
    run_tasks()
    export = Export.objects.get(kind="inserimenti")
    assert export.row_count == 2
    text = export_path(export).read_text(encoding="utf-8-sig")
    assert "'=SOMMA(A1)" in text  # a formula is written as text
    assert str(ended.pk) in text and str(mine.pk) in text
    assert "Indennità pagate (€)" in text and "570.50" in text
