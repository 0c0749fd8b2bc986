"""The people list: sortable columns and saved searches (private or shared with the team)."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approdo.accounts.models import Team
from approdo.people.models import SavedSearch
from conftest import login
from tests.factories import PersonFactory, UserFactory


def _names(response) -> list[str]:
    return [str(person) for person in response.context["page"].object_list]


@pytest.mark.django_db
def test_columns_sort_both_ways_and_keep_the_filters(
    operator_client, django_assert_max_num_queries
):
    now = timezone.now()
    PersonFactory(
        last_name="Bruni",
        first_name="Ada",
        birth_date=date(1990, 1, 1),
        status="registrato",
        registered_at=now - timedelta(days=30),
    )
    PersonFactory(
        last_name="Amato",
        first_name="Ugo",
        birth_date=date(2001, 1, 1),
        status="registrato",
        registered_at=now - timedelta(days=2),
    )
    PersonFactory(
        last_name="Costa",
        first_name="Rita",
        birth_date=date(1995, 1, 1),
        status="registrato",
        registered_at=now - timedelta(days=9),
    )
    for n in range(30):
        PersonFactory(last_name=f"Zeta{n:02}", status="in carico")
    url = reverse("people:list")

    by_name = operator_client.get(url, {"status": "registrato", "ordine": "nome"})
    assert _names(by_name) == ["Amato Ugo", "Bruni Ada", "Costa Rita"]
    page = by_name.content.decode()
    assert 'aria-sort="ascending"' in page
    assert "status=registrato&amp;ordine=-nome" in page  # the header now sorts the other way
    by_name_down = operator_client.get(url, {"status": "registrato", "ordine": "-nome"})
    assert _names(by_name_down) == ["Costa Rita", "Bruni Ada", "Amato Ugo"]
    youngest = operator_client.get(url, {"status": "registrato", "ordine": "eta"})
    assert _names(youngest) == ["Amato Ugo", "Costa Rita", "Bruni Ada"]
    oldest = operator_client.get(url, {"status": "registrato", "ordine": "-eta"})
    assert _names(oldest) == ["Bruni Ada", "Costa Rita", "Amato Ugo"]
    longest_wait = operator_client.get(url, {"status": "registrato", "ordine": "-attesa"})
    assert _names(longest_wait)[0] == "Bruni Ada"
    # A search by name is sorted by relevance unless a column is chosen.
    assert _names(operator_client.get(url, {"q": "bruni"}))[0] == "Bruni Ada"
    assert operator_client.get(url, {"ordine": "stipendio"}).status_code == 200

    with django_assert_max_num_queries(12):
        operator_client.get(url, {"ordine": "comune", "pagina": "1"})


@pytest.mark.django_db
def test_a_saved_search_runs_again_and_is_shared_only_with_the_team(client):
    centro, navile = Team.objects.create(name="Centro"), Team.objects.create(name="Navile")
    owner = UserFactory(team=centro)
    teammate, outsider = UserFactory(team=centro), UserFactory(team=navile)
    login(client, owner)
    url = reverse("people:saved_search_save")
    response = client.post(
        url, {"name": "Da richiamare", "query": "status=registrato&pagina=3", "shared": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:list") + "?status=registrato"
    client.post(url, {"name": "Solo mie", "query": "needs_review=on"})
    page = client.get(reverse("people:list")).content.decode()
    assert "Da richiamare" in page and "Solo mie" in page

    login(client, teammate)
    page = client.get(reverse("people:list")).content.decode()
    assert "Da richiamare" in page and "Solo mie" not in page
    shared = SavedSearch.objects.get(name="Da richiamare")
    assert client.post(reverse("people:saved_search_delete", args=[shared.pk])).status_code == 403
    login(client, outsider)
    assert "Da richiamare" not in client.get(reverse("people:list")).content.decode()

    # Saving again under the same name replaces; wrong or no filters are refused, input kept.
    login(client, owner)
    client.post(url, {"name": "Da richiamare", "query": "status=in+carico"})
    assert SavedSearch.objects.get(name="Da richiamare").query == "status=in+carico"
    wrong = client.post(url, {"name": "Attese lunghe", "query": "min_waiting_days=-4"})
    assert wrong.status_code == 400
    assert (
        "contengono errori" in wrong.content.decode() and "Attese lunghe" in wrong.content.decode()
    )
    empty = client.post(url, {"name": "Tutto", "query": "pagina=2"})
    assert "almeno un filtro" in empty.content.decode()
    client.post(reverse("people:saved_search_delete", args=[shared.pk]))
    assert not SavedSearch.objects.filter(name="Da richiamare").exists()


@pytest.mark.django_db
def test_saved_searches_are_listed_without_extra_queries(django_assert_max_num_queries):
    owner = UserFactory()
    for n in range(15):
        SavedSearch.objects.create(owner=owner, name=f"Ricerca {n}", query="status=registrato")
        SavedSearch.objects.create(
            owner=UserFactory(), name=f"Altrui {n}", query="status=registrato", shared=True
        )
    client = login(Client(), owner)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("people:list")).content.decode()
    assert "Ricerca 14" in page and "Altrui 14" in page
