"""Special-category data (the IPS path, its notes) reaches IPS specialists only: not the
person's page, its form, the lists, nor the audit log of any other role."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from approdo.accounts.roles import Role
from approdo.people.services import add_sensitive_note
from conftest import login
from tests.factories import PersonFactory, UserFactory, ips_path

SECRET = "Diagnosi riservatissima ZQX"


@pytest.fixture
def ips_person(db):
    specialist = UserFactory(role=Role.SPECIALISTA_IPS)
    person = PersonFactory(last_name="Riservati")
    ips_path(person, specialist=specialist, start_on=date(2026, 1, 10))
    add_sensitive_note(person=person, text=SECRET, by=specialist)
    return person


def _pages(client, person) -> dict[str, str]:
    urls = {
        "scheda": reverse("people:detail", args=[person.pk]),
        "modifica": reverse("people:edit", args=[person.pk]),
        "elenco": reverse("people:list") + "?q=Riservati",
        "registro": reverse("audit:log") + f"?person={person.pk}",
        "registro completo": reverse("audit:log"),
        "percorso": reverse("training:path", args=[person.programme_paths.get().pk]),
        "servizio IPS": reverse("training:ips_service"),
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        if response.status_code == 200:
            pages[name] = response.content.decode()
    return pages


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.OPERATORE, Role.COORDINATORE, Role.SOLA_LETTURA, Role.AMMINISTRATORE]
)
def test_no_other_role_reads_the_ips_path_or_its_notes(ips_person, role):
    client = login(Client(), UserFactory(role=role))
    if role == Role.OPERATORE:
        # Outside the IPS service the file opens only with a reason, and then without
        # what is restricted.
        detail = reverse("people:detail", args=[ips_person.pk])
        assert client.get(detail)["Location"].startswith(
            reverse("people:break_glass", args=[ips_person.pk])
        )
        assert detail not in _pages(client, ips_person)["elenco"]
        client.post(
            reverse("people:break_glass", args=[ips_person.pk]),
            {"reason": "La persona è allo sportello e chiede informazioni"},
        )
    pages = _pages(client, ips_person)
    assert "scheda" in pages
    for name, html in pages.items():
        assert SECRET not in html, name
        # Not even its first characters (as the audit log once showed); a lower-case word,
        # so that a random token on the page (CSRF, htmx) cannot contain it by chance.
        assert "Diagnosi riserv" not in html and "riservatissima" not in html, name
        assert "Percorso IPS" not in html, name
        assert 'name="in_ips_path"' not in html, name
        assert "Individual Placement" not in html, name
        assert "Centro di salute mentale" not in html and "Aggancio" not in html, name
    assert "percorso" not in pages and "servizio IPS" not in pages
    if "registro" in pages:  # the log says that something changed, not what
        assert "contenuto riservato" in pages["registro"]
        assert "Dato riservato: riservato → riservato" in pages["registro"]


@pytest.mark.django_db
def test_ips_specialists_read_them(ips_person):
    pages = _pages(login(Client(), UserFactory(role=Role.SPECIALISTA_IPS)), ips_person)
    assert SECRET in pages["scheda"] and "Percorso IPS" in pages["scheda"]
    assert "Centro di salute mentale" in pages["percorso"] and "Riservati" in pages["servizio IPS"]
    # The flag follows the path: nobody ticks it by hand.
    assert 'name="in_ips_path"' not in pages["modifica"]
