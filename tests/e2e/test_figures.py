"""The coordinators' dashboard and the yearly report, in a real browser; the PDF, as an image."""

import subprocess

from approdo.accounts.roles import Role
from approdo.reports.tests.test_indicators import at, first_interview, place
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import PersonFactory, UserFactory, company


def _inked_share(ppm: bytes) -> float:
    """Share of the pixels that are not white in a binary PPM (P6) image."""
    header, pixels = ppm.split(b"\n", 3)[:3], ppm.split(b"\n", 3)[3]
    assert header[0] == b"P6"
    width, height = map(int, header[1].split())
    inked = sum(1 for i in range(0, len(pixels), 3) if pixels[i : i + 3] != b"\xff\xff\xff")
    return inked / (width * height)


def test_dashboard_and_yearly_report_with_charts_tables_and_pdf(page, run_tasks, tmp_path):
    employer = company("Cooperativa Ortofrutta")
    for month in range(1, 7):
        person = PersonFactory(registered_at=at(f"2025-0{month}-05"), sex="MF"[month % 2])
        first_interview(person, f"2025-0{month}-20")
        place(person, employer, f"2025-0{month + 1}-01", kind=["assunzione", "stage"][month % 2])
    coordinator = UserFactory(role=Role.COORDINATORE, username="coordinatrice")
    log_in(page, coordinator)

    # The dashboard: figures with their definitions, charts drawn by Chart.js, data tables.
    page.get_by_role("link", name="Cifre").click()
    page.locator("#id_start").fill("2025-01-01")
    page.locator("#id_end").fill("2025-12-31")
    page.get_by_role("button", name="Mostra le cifre").click()
    page.wait_for_url("**/cifre/?start=2025-01-01*")
    assert_accessible(page)
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-chart]')]"
        ".filter(canvas => Chart.getChart(canvas)).length"
    )
    assert drawn == 6
    # A doughnut's slices differ by pattern, not only by colour.
    patterned = page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-chart]')].map(c => Chart.getChart(c))"
        ".filter(chart => chart.config.type === 'doughnut')"
        ".map(chart => chart.data.datasets[0].backgroundColor.slice(1)"
        ".every(fill => fill instanceof CanvasPattern))"
    )
    assert patterned and all(patterned)
    page.get_by_text("Tabella dei dati").first.click()
    months = page.locator("table", has=page.locator("caption", has_text="Iscrizioni per mese"))
    assert "gen" in months.inner_text()
    assert_accessible(page)

    page.locator("#id_sex").select_option("F")
    page.get_by_role("button", name="Mostra le cifre").click()
    page.wait_for_url("**sex=F*")
    assert "per le persone che rispondono ai filtri scelti" in page.content()
    assert_accessible(page)

    # The yearly report page, then its PDF made by the worker.
    page.get_by_role("link", name="L'anno in numeri").click()  # the last full year
    page.wait_for_url("**/cifre/anno/*/")
    if not page.url.endswith("/2025/"):
        page.get_by_role("link", name="2025", exact=True).click()
        page.wait_for_url("**/cifre/anno/2025/")
    assert_accessible(page)
    assert page.locator("img.chart-image").count() == 6
    page.get_by_role("button", name="Scarica PDF").click()
    page.wait_for_url("**/esportazioni/*/")
    assert_accessible(page)
    run_tasks()
    page.reload()
    with page.expect_download() as download:
        page.get_by_role("link", name="Scarica anno-in-numeri-2025.pdf").click()
    pdf = tmp_path / "anno.pdf"
    download.value.save_as(pdf)
    first_page = subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "40", str(pdf)],
        check=True,
        capture_output=True,
    ).stdout
    assert 0.02 < _inked_share(first_page) < 0.6  # text and figures, not a blank page
