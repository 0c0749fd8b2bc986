import csv
import io
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook

from approdo.exports.models import Export
from approdo.exports.services import neutralise_formula
from conftest import login
from tests.factories import PersonFactory, UserFactory


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+39 333", "'+39 333"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Rossi", "Rossi"),
        (42, 42),
    ],
)
def test_spreadsheet_formulas_are_neutralised(value, expected):
    assert neutralise_formula(value) == expected


def _export(client, run_tasks, file_format, **filters):
    response = client.post(
        reverse("exports:request", args=["persone"]), {"formato": file_format, **filters}
    )
    export = Export.objects.get()
    assert response["Location"] == reverse("exports:detail", args=[export.pk])
    assert export.status == "in coda"  # the web request only queues it
    run_tasks()
    export.refresh_from_db()
    assert export.status == "pronta"
    download = client.get(reverse("exports:download", args=[export.pk]))
    assert download.status_code == 200
    return export, b"".join(download.streaming_content)


@pytest.mark.django_db
def test_csv_export_of_the_filtered_list_is_built_by_the_worker(operator_client, run_tasks):
    PersonFactory(last_name="=cmd|' /C calc'!A0", status="in carico")
    PersonFactory(last_name="Bianchi", status="registrato")
    export, content = _export(operator_client, run_tasks, "csv", status="in carico")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["ID", "Cognome", "Nome"]
    assert len(rows) == 2 and export.row_count == 1
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, changes_text__startswith="Scaricamento esportazione"
    ).exists()


@pytest.mark.django_db
def test_xlsx_export_has_dates_as_dates_and_no_formulas(operator_client, run_tasks):
    PersonFactory(first_name="+SUM(1)")
    export, content = _export(operator_client, run_tasks, "xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    row = {title: cell for title, cell in zip(header, sheet[2], strict=True)}
    assert row["Nome"].value == "'+SUM(1)"
    assert row["Data di nascita"].is_date


@pytest.mark.django_db
def test_an_export_is_downloaded_only_by_who_asked_for_it(operator_client, run_tasks, client):
    PersonFactory()
    export, _ = _export(operator_client, run_tasks, "csv")
    login(client, UserFactory())
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 403


@pytest.mark.django_db
def test_company_list_export_follows_the_filters(operator_client, run_tasks):
    from approdo.companies.services import join_board
    from tests.factories import company

    in_board = company("=Cooperativa Board")
    join_board(company=in_board, joined_on=date(2024, 1, 1))
    company("Fuori Srl")
    response = operator_client.post(
        reverse("exports:request", args=["aziende"]), {"formato": "csv", "board": "si"}
    )
    assert response.status_code == 302
    run_tasks()
    export = Export.objects.get()
    content = b"".join(
        operator_client.get(reverse("exports:download", args=[export.pk])).streaming_content
    )
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert [row[1] for row in rows[1:]] == ["'=Cooperativa Board"]
