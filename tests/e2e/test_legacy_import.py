"""The legacy import from the page: upload, the worker's run, the grouped report, downloads."""

import shutil

from approdo.accounts.roles import Role
from approdo.legacy.synthetic import write_synthetic_export
from approdo.legacy.tests.conftest import Export, add_dirty_rows
from tests.e2e.conftest import assert_accessible, log_in, open_menu
from tests.factories import UserFactory


def test_import_report_grouped_announced_and_downloadable(page, run_tasks, tmp_path):
    export = Export(tmp_path / "esportazione")
    write_synthetic_export(export.folder, people=60, seed=11)
    add_dirty_rows(export)
    archive = shutil.make_archive(str(tmp_path / "esportazione"), "zip", export.folder)
    log_in(page, UserFactory(role=Role.COORDINATORE, username="coordinatrice"))

    open_menu(page, "Amministrazione", "Importazione")
    assert_accessible(page)
    page.get_by_label("Archivio ZIP della cartella esportata").set_input_files(archive)
    page.get_by_text("Importa le righe corrette").click()  # the styled label covers the box
    page.get_by_role("button", name="Avvia").click()
    page.wait_for_url("**/importazione/*/")
    status = page.locator("#stato-importazione")
    assert status.inner_text() == "In coda"
    region = status.element_handle()
    assert_accessible(page)

    run_tasks()
    # The page polls: the report appears and the one live region says how it ended.
    page.get_by_role("heading", name="Problemi").wait_for()
    assert status.inner_text() == "Importazione completata"
    assert page.evaluate("element => element.isConnected", region)  # changed, not replaced
    group = page.locator("details", has_text="persone.csv, colonna data_nascita: data inesistente")
    group.locator("summary").click()
    assert "«15/13/1990»" in group.inner_text()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Righe scartate di persone.csv (CSV)").click()
    saved = tmp_path / "scarti.csv"
    download.value.save_as(saved)
    assert "Gotham" in saved.read_text(encoding="utf-8-sig")
