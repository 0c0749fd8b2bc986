import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from approdo.occupations.models import Occupation
from approdo.occupations.services import occupations_in_text, save_occupation
from conftest import login
from tests.factories import UserFactory


@pytest.mark.django_db
def test_synonyms_and_abbreviations_are_recognised_in_free_text():
    names = {o.name for o in occupations_in_text("OSS, mulettista; Badante")}
    assert names == {"Operatore socio-sanitario (OSS)", "Carrellista", "Assistente familiare"}


@pytest.mark.django_db
def test_every_vocabulary_entry_has_a_four_digit_isco_code():
    assert Occupation.objects.count() >= 50
    assert all(
        len(code) == 4 and code.isdigit()
        for code in Occupation.objects.values_list("isco_code", flat=True)
    )


@pytest.mark.django_db
def test_an_isco_code_that_is_not_a_unit_group_is_refused():
    with pytest.raises(ValidationError, match="4 cifre"):
        save_occupation(occupation=None, name="Sommelier", isco_code="51", synonyms=[])


@pytest.mark.django_db
def test_coordinators_edit_the_vocabulary_operators_read_it(coordinator_client):
    response = coordinator_client.post(
        reverse("occupations:create"),
        {
            "name": "Sommelier",
            "isco_code": "5132",
            "synonyms": "esperto vini, wine steward",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert occupations_in_text("wine steward")[0].name == "Sommelier"
    operator_browser = login(Client(), UserFactory())
    assert operator_browser.get(reverse("occupations:list")).status_code == 200
    assert operator_browser.get(reverse("occupations:create")).status_code == 403
