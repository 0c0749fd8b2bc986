import pytest

from approdo.places.geography import (
    EU_COUNTRIES,
    ITALY,
    CitizenshipArea,
    canonical_country,
    citizenship_area,
    citizenship_area_q,
    countries,
)
from tests.factories import PersonFactory


@pytest.mark.parametrize(
    ("country", "area"),
    [(ITALY, "italiana"), ("Romania", "UE"), ("Marocco", "extra UE"), ("Svizzera", "extra UE")],
)
def test_citizenship_area_of_a_country(country, area):
    assert citizenship_area(country) == area


def test_the_query_and_the_function_put_everyone_in_the_same_area(db):
    people = {country: PersonFactory(citizenship=country) for country in countries()}
    from approdo.people.models import Person

    for area in CitizenshipArea.values:
        in_area = set(Person.objects.filter(citizenship_area_q(area)).values_list("pk", flat=True))
        expected = {p.pk for country, p in people.items() if citizenship_area(country) == area}
        assert in_area == expected, area


def test_every_eu_country_is_spelt_as_in_the_fiscal_code_list():
    assert EU_COUNTRIES <= set(countries())


def test_country_names_are_found_in_any_case_and_accent():
    assert canonical_country("REPUBBLICA CECA") == "Repubblica Ceca"
    assert canonical_country("moldavia") == "Moldova"
    assert canonical_country("Atlantide") is None
