"""Teams scope who reads which file; another team's file opens with a recorded reason."""

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from approdo.accounts.models import Team
from approdo.accounts.roles import Role
from approdo.exports.models import Export
from approdo.exports.services import export_path
from approdo.people.models import BreakGlassAccess
from approdo.people.permissions import visible_people
from conftest import login
from tests.factories import PersonFactory, UserFactory, ips_service

REASON = "La persona è allo sportello e chiede della sua candidatura"


@pytest.fixture
def desks(db):
    return Team.objects.create(name="Sportello Centro"), Team.objects.create(
        name="Sportello Navile"
    )


def test_an_operator_reads_their_team_and_the_common_queue_only(desks):
    centro, navile = desks
    operator = UserFactory(team=centro)
    own, queue, other = PersonFactory(team=centro), PersonFactory(), PersonFactory(team=navile)
    ips = PersonFactory(team=centro, in_ips_path=True)
    assert set(visible_people(operator)) == {own, queue}
    client = login(Client(), operator)
    listing = client.get(reverse("people:list")).content.decode()
    for person in (own, queue):
        assert reverse("people:detail", args=[person.pk]) in listing
    for person in (other, ips):
        assert reverse("people:detail", args=[person.pk]) not in listing
        response = client.get(reverse("people:detail", args=[person.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("people:break_glass", args=[person.pk]))
    # Writes are refused outright, not redirected.
    refused = client.post(reverse("people:call", args=[other.pk]), {"answered": "on"})
    assert refused.status_code == 403


def test_the_ips_service_reads_the_ips_path_and_coordinators_read_everything(desks):
    centro, _ = desks
    ips = PersonFactory(team=centro, in_ips_path=True)
    other = PersonFactory(team=centro)
    specialist = UserFactory(role=Role.SPECIALISTA_IPS)
    assert specialist.team == ips_service()
    assert set(visible_people(specialist)) == {ips}
    for role in (Role.COORDINATORE, Role.SOLA_LETTURA, Role.AMMINISTRATORE):
        assert set(visible_people(UserFactory(role=role))) == {ips, other}


def test_breaking_the_glass_needs_a_reason_and_is_reported(desks):
    centro, navile = desks
    operator = UserFactory(team=centro)
    other = PersonFactory(team=navile)
    client = login(Client(), operator)
    url = reverse("people:break_glass", args=[other.pk])
    page = client.get(url)
    assert page.status_code == 403 and other.last_name not in page.content.decode()
    short = client.post(url, {"reason": "boh"})
    assert short.status_code == 400 and "almeno 15 caratteri" in short.content.decode()
    opened = client.post(url, {"reason": REASON, "next": "https://evil.example/"})
    assert opened["Location"] == reverse("people:detail", args=[other.pk])
    assert client.get(opened["Location"]).status_code == 200
    access = BreakGlassAccess.objects.get()
    assert access.user == operator and access.reason == REASON
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, changes_text__contains="Accesso straordinario"
    ).exists()
    report = login(Client(), UserFactory(role=Role.COORDINATORE)).get(
        reverse("people:break_glass_report")
    )
    assert REASON in report.content.decode()
    assert (
        login(Client(), UserFactory(team=centro))
        .get(reverse("people:break_glass_report"))
        .status_code
        == 403
    )


def test_a_whole_fiscal_code_finds_another_teams_file_names_do_not(desks):
    centro, navile = desks
    other = PersonFactory(team=navile, last_name="Lontani")
    client = login(Client(), UserFactory(team=centro))
    by_code = client.get(reverse("people:list"), {"q": other.fiscal_code}).content.decode()
    assert reverse("people:break_glass", args=[other.pk]) in by_code
    by_name = client.get(reverse("people:list"), {"q": "Lontani"}).content.decode()
    assert reverse("people:break_glass", args=[other.pk]) not in by_name


def test_exports_and_the_whole_file_follow_the_scope(desks, run_tasks):
    centro, navile = desks
    operator = UserFactory(team=centro)
    own, other = PersonFactory(team=centro), PersonFactory(team=navile)
    client = login(Client(), operator)
    client.post(reverse("exports:request", args=["persone"]), {"formato": "csv"})
    run_tasks()
    export = Export.objects.get(kind="persone")
    assert export.row_count == 1
    text = export_path(export).read_text(encoding="utf-8-sig")
    assert own.fiscal_code in text and other.fiscal_code not in text
    refused = client.post(reverse("exports:request", args=["fascicolo"]), {"person": other.pk})
    assert refused.status_code == 403
