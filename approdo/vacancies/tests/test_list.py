"""The requests list: filters, the counts of each request, the query bound and its file."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from approdo.exports.models import Export
from approdo.exports.services import export_path
from approdo.matching.models import Candidacy
from tests.factories import company, ready_person, vacancy


@pytest.mark.django_db
def test_the_list_filters_counts_and_exports(
    operator_client, run_tasks, django_assert_max_num_queries
):
    today = timezone.localdate()
    cleaning = vacancy(
        company=company("Pulizie Reno Srl"),
        job_title="Addetto pulizie",
        requested_on=today - timedelta(days=40),
    )
    for _ in range(3):
        Candidacy.objects.create(vacancy=cleaning, person=ready_person())
    for number in range(20):
        vacancy(company=company(f"Magazzini {number}"), job_title=f"Magazziniere {number}")

    with django_assert_max_num_queries(10):
        page = operator_client.get(reverse("vacancies:list"))
    assert page.status_code == 200 and "Magazziniere 19" in page.content.decode()

    found = operator_client.get(
        reverse("vacancies:list"),
        {"q": "reno", "requested_to": (today - timedelta(days=30)).isoformat()},
    ).content.decode()
    assert "Addetto pulizie" in found and "Magazziniere 19" not in found
    assert "1 richiesta" in found

    operator_client.post(
        reverse("exports:request", args=["richieste"]), {"formato": "xlsx", "q": "reno"}
    )
    run_tasks()
    export = Export.objects.get(kind="richieste")
    assert export.status == Export.Status.DONE and export.row_count == 1
    from openpyxl import load_workbook

    sheet = load_workbook(export_path(export)).active
    header, row = [cell.value for cell in sheet[1]], [cell.value for cell in sheet[2]]
    assert row[header.index("Candidati")] == 3 and row[header.index("Inserimenti")] == 0
