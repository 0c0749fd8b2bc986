import pytest

from approdo.matching.selectors import candidacies_for, vacancies_for_person
from approdo.matching.services import shortlist
from approdo.people.choices import Status
from tests.factories import PersonFactory, ready_person, vacancy

pytestmark = pytest.mark.django_db


def test_requests_that_suit_a_person_rank_them_against_each_open_request(operator):
    person = ready_person(desired_occupations=[])
    wanted = vacancy()
    licence = vacancy(requirements=[("patente", "C", True)])
    results = dict(vacancies_for_person(person))
    assert set(results) == {wanted.pk, licence.pk}
    assert results[wanted.pk].score > 0
    assert results[licence.pk].reasons == ["manca: Patente C"]


def test_nobody_outside_the_pool_is_ranked():
    vacancy()
    assert vacancies_for_person(PersonFactory(status=Status.REGISTRATO)) == []


def test_candidacies_of_a_request_come_with_their_people(operator, django_assert_num_queries):
    request = vacancy()
    for _ in range(3):
        shortlist(vacancy=request, person=ready_person(), by=operator, override_reason="Scelta")
    with django_assert_num_queries(2):
        people = [candidacy.person.last_name for candidacy in candidacies_for(request)]
    assert len(people) == 3
