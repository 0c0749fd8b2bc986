from datetime import date

import pytest

from approdo.companies.selectors import board_members_on, filter_companies
from approdo.companies.services import join_board, leave_board
from approdo.vacancies.services import change_vacancy_status
from tests.factories import company, vacancy

pytestmark = pytest.mark.django_db


def test_the_board_on_a_day_counts_who_had_joined_and_not_yet_left():
    stays, leaves = company("Resta Srl"), company("Esce Srl")
    join_board(company=stays, joined_on=date(2024, 1, 1))
    join_board(company=leaves, joined_on=date(2024, 1, 1))
    leave_board(company=leaves, left_on=date(2025, 6, 30))
    members = lambda day: {m.company for m in board_members_on(day)}  # noqa: E731
    assert members(date(2023, 12, 31)) == set()
    assert members(date(2025, 6, 29)) == {stays, leaves}
    assert members(date(2025, 6, 30)) == {stays}


def test_open_requests_are_counted_and_filtered(operator):
    busy, quiet = company("Con richieste Srl"), company("Senza richieste Srl")
    vacancy(company=busy)
    closed = vacancy(company=busy)
    change_vacancy_status(vacancy=closed, to_status="annullata", by=operator)
    vacancy(company=quiet)
    change_vacancy_status(vacancy=quiet.vacancies.get(), to_status="sospesa", by=operator)

    counts = {c.name: c.open_requests for c in filter_companies()}
    assert counts == {"Con richieste Srl": 1, "Senza richieste Srl": 0}
    assert [c.name for c in filter_companies(open_requests=True)] == ["Con richieste Srl"]


def test_search_by_name_without_accents_or_by_vat_number():
    found = company("Società Cooperativa Àncora", vat_number="03123450375")
    company("Altra Srl")
    assert list(filter_companies(search="ancora")) == [found]
    assert list(filter_companies(search="0312345")) == [found]
