import io
import re
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from approdo.exports.models import Export
from conftest import login
from tests.factories import PersonFactory, company, comune

from .test_indicators import at, first_interview, place


@pytest.fixture
def busy_year(db):
    """A few people with interviews and placements in 2025, in Bologna and Imola."""
    employer = company("Cooperativa Ortofrutta")
    for position in range(6):
        person = PersonFactory(
            registered_at=at(f"2025-0{position + 1}-10"),
            residence_comune=comune("Imola") if position % 2 else comune("Bologna"),
        )
        first_interview(person, f"2025-0{position + 2}-01")
        place(person, employer, f"2025-0{position + 3}-01", contract="tempo indeterminato")
    return employer


@pytest.mark.django_db
def test_dashboard_shows_the_period_figures_with_filters(coordinator_client, busy_year):
    url = reverse("reports:dashboard")
    response = coordinator_client.get(url, {"start": "2025-01-01", "end": "2025-12-31"})
    assert response.status_code == 200
    assert response.context["figures"]["registrations"] == 6
    assert response.context["figures"]["placements"] == 6
    content = response.content.decode()
    assert "Persone la cui data di iscrizione cade nel periodo" in content  # the definition
    assert 'data-chart="grafico-iscrizioni-mese"' in content
    assert "Cooperativa Ortofrutta" in content
    # What each definition promises is on the page: both measures of the wait, the IPS
    # split and what became of stages.
    for promised in (
        "Attesa: 90° percentile (giorni)",
        "Persone inserite nel percorso IPS",
        "IPS, lavoro autonomo",
        "Proroghe di stage",
        "Stage trasformati in tempo indeterminato",
    ):
        assert promised in content, promised

    imola = comune("Imola")
    filtered = coordinator_client.get(
        url, {"start": "2025-01-01", "end": "2025-12-31", "comune": str(imola)}
    )
    assert filtered.context["figures"]["placements"] == 3
    assert filtered.context["scope"].comune_id == imola.pk


@pytest.mark.django_db
def test_dashboard_refuses_a_period_that_ends_before_it_starts(coordinator_client):
    response = coordinator_client.get(
        reverse("reports:dashboard"), {"start": "2025-06-01", "end": "2025-01-01"}
    )
    assert response.status_code == 200
    assert "figures" not in response.context
    assert "La fine del periodo precede l&#x27;inizio." in response.content.decode()
    assert 'value="2025-06-01"' in response.content.decode()  # the input is kept


@pytest.mark.django_db
def test_dashboard_defaults_to_the_current_year(coordinator_client):
    response = coordinator_client.get(reverse("reports:dashboard"))
    scope = response.context["scope"]
    assert scope.start == date(scope.end.year, 1, 1)


@pytest.mark.django_db
def test_figures_are_for_coordinators_and_the_board_not_operators(
    client, operator, auditor, busy_year
):
    login(client, operator)
    assert client.get(reverse("reports:dashboard")).status_code == 403
    assert client.get(reverse("reports:annual", args=[2025])).status_code == 403
    login(client, auditor)
    assert client.get(reverse("reports:annual", args=[2025])).status_code == 200


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_the_data(
    coordinator_client, busy_year, django_assert_num_queries
):
    with django_assert_num_queries(52):
        coordinator_client.get(
            reverse("reports:dashboard"), {"start": "2023-01-01", "end": "2025-12-31"}
        )


@pytest.mark.django_db
def test_yearly_report_page_has_the_figures_and_the_charts(coordinator_client, busy_year):
    response = coordinator_client.get(reverse("reports:annual", args=[2025]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "L'anno in numeri 2025" in content
    assert content.count('src="data:image/svg+xml;base64,') == 6
    assert "Cooperativa Ortofrutta" in content
    assert "100,0%" in content  # every hiring permanent
    assert coordinator_client.get(reverse("reports:annual", args=[1999])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["pdf", "xlsx"])
def test_yearly_report_files_are_made_by_the_worker(
    coordinator_client, busy_year, run_tasks, file_format
):
    response = coordinator_client.post(
        reverse("reports:annual_file", args=[2025]), {"formato": file_format}
    )
    export = Export.objects.get()
    assert response["Location"] == reverse("exports:detail", args=[export.pk])
    assert export.status == "in coda"
    run_tasks()
    export.refresh_from_db()
    assert export.status == "pronta", export.error
    assert export.file_name == f"anno-in-numeri-2025.{file_format}"
    download = coordinator_client.get(reverse("exports:download", args=[export.pk]))
    content = b"".join(download.streaming_content)
    if file_format == "pdf":
        pdf = PdfReader(io.BytesIO(content))
        text = "".join(page.extract_text() for page in pdf.pages)
        assert "L'anno in numeri 2025" in text
        assert "Cooperativa Ortofrutta" in text
        # Tagged (PDF/UA), in Italian, with its title; charts two to a page at most.
        root = pdf.trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
        assert root["/Lang"] == "it"
        assert pdf.metadata.title.startswith("L'anno in numeri 2025")
        assert len(pdf.pages) <= 7
    else:
        workbook = load_workbook(io.BytesIO(content))
        assert workbook.sheetnames[0] == "Anno 2025"
        trend = workbook["andamento"]
        assert [cell.value for cell in trend["A"]][-1] == "2025"
        assert len(trend._charts) == 1
        # Every chart has its alternative text.
        with zipfile.ZipFile(io.BytesIO(content)) as files:
            drawings = [n for n in files.namelist() if re.fullmatch(r"xl/drawings/\w+\.xml", n)]
            assert len(drawings) == 6
            for name in drawings:
                assert 'descr="' in files.read(name).decode(), name


@pytest.mark.django_db
def test_an_unknown_file_format_is_refused(coordinator_client):
    response = coordinator_client.post(
        reverse("reports:annual_file", args=[2025]), {"formato": "docx"}
    )
    assert response.status_code == 404
    assert not Export.objects.exists()


@pytest.mark.django_db
def test_the_board_downloads_the_report_file_but_operators_cannot_ask_for_it(
    client, auditor, operator, run_tasks
):
    login(client, operator)
    assert (
        client.post(reverse("reports:annual_file", args=[2025]), {"formato": "xlsx"}).status_code
        == 403
    )
    login(client, auditor)  # read-only: no list exports, but the figures
    client.post(reverse("reports:annual_file", args=[2025]), {"formato": "xlsx"})
    run_tasks()
    export = Export.objects.get()
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 200
    login(client, operator)
    assert client.get(reverse("exports:download", args=[export.pk])).status_code == 403
