"""Pages of lower apps show sections that higher apps register."""

import pytest
from django.test import RequestFactory

from approdo.ui import sections
from approdo.ui.sections import page_section, sections_of
from tests.factories import PersonFactory, vacancy


def test_sections_come_in_their_order_with_their_context(monkeypatch):
    monkeypatch.setattr(sections, "_SECTIONS", {})
    page_section("prova", template="b.html", order=20)(lambda request, obj: {"b": obj})
    page_section("prova", template="a.html", order=10)(lambda request, obj: {"a": obj})
    request = RequestFactory().get("/")
    assert sections_of("prova", request, 7) == [("a.html", {"a": 7}), ("b.html", {"b": 7})]
    assert sections_of("nessuna", request, 7) == []


@pytest.mark.django_db
def test_the_person_file_shows_the_first_interview_section_of_intake(operator_client):
    person = PersonFactory()
    page = operator_client.get(f"/lavoro/persone/{person.pk}/").content.decode()
    assert "Primo colloquio" in page
    assert "Fissa il primo colloquio" in page


@pytest.mark.django_db
def test_the_request_page_shows_the_selection_section_of_matching(operator_client):
    request = vacancy()
    page = operator_client.get(f"/richieste/{request.pk}/").content.decode()
    assert "Selezione" in page
    assert "Nessuno in selezione" in page
