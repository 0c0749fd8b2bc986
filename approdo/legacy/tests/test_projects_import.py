"""The three files kept in spreadsheets: projects, payments and the guarantee fund; their
dirty rows reported with the same checks as the rest, the import idempotent."""

import json

import pytest
from django.core.management import call_command

from approdo.legacy.importer import LegacyImport
from approdo.projects.models import FundMovement, Payment, Project
from approdo.projects.selectors import fund_position


def add_dirty_project_rows(export) -> dict[str, int]:
    person = export.rows("persone.csv")[5]["id"]
    loan = next(r for r in export.rows("erogazioni.csv") if "garantito" in r["tipo"])
    rows = {
        "no proposer": (
            "progetti.csv",
            {
                "id": "9001",
                "tipo": "autoimpiego",
                "titolo": "X",
                "data_candidatura": "12/05/2020",
                "stato": "rifiutato",
            },
        ),
        "impossible date": (
            "progetti.csv",
            {
                "id": "9002",
                "tipo": "innovazione sociale",
                "titolo": "Y",
                "ente": "Coop. Soc. Il Ponte",
                "data_candidatura": "31/04/2020",
                "stato": "approvato",
            },
        ),
        "unknown type": (
            "progetti.csv",
            {
                "id": "9003",
                "tipo": "microimpresa",
                "titolo": "Z",
                "id_persona": person,
                "data_candidatura": "01/02/2020",
                "stato": "candidato",
            },
        ),
        "messy case": (
            "progetti.csv",
            {
                "id": "9004",
                "tipo": " AUTOIMPIEGO",
                "titolo": "Forno",
                "id_persona": person,
                "data_candidatura": "01/02/2020",
                "stato": "STAND BY ",
                "data_stato": "01/03/2020",
            },
        ),
        "unknown project": (
            "erogazioni.csv",
            {
                "id": "9001",
                "id_progetto": "999999",
                "data": "01/03/2020",
                "importo": "1000,00",
                "tipo": "contributo",
            },
        ),
        "negative": (
            "erogazioni.csv",
            {
                "id": "9002",
                "id_progetto": "9004",
                "data": "02/03/2020",
                "importo": "-500,00",
                "tipo": "contributo",
            },
        ),
        "unknown payment": (
            "erogazioni.csv",
            {
                "id": "9003",
                "id_progetto": "9004",
                "data": "03/03/2020",
                "importo": "10,00",
                "tipo": "regalo",
            },
        ),
        "no loan": (
            "fondo_garanzia.csv",
            {
                "id": "9001",
                "data": "10/10/2020",
                "movimento": "garanzia",
                "importo": "100,00",
                "id_progetto": "9004",
            },
        ),
        "beyond ceiling": (
            "fondo_garanzia.csv",
            {
                "id": "9002",
                "data": "10/10/2024",
                "movimento": "garanzia",
                "importo": "99999999,00",
                "id_progetto": loan["id_progetto"],
                "id_erogazione": loan["id"],
            },
        ),
        "other project": (
            "fondo_garanzia.csv",
            {
                "id": "9003",
                "data": "10/10/2024",
                "movimento": "svincolo",
                "importo": "1,00",
                "id_progetto": "9004",
                "id_erogazione": loan["id"],
            },
        ),
        "unknown movement": (
            "fondo_garanzia.csv",
            {"id": "9004", "data": "11/10/2020", "movimento": "prelievo", "importo": "1,00"},
        ),
    }
    for label, (name, row) in rows.items():
        export.append(name, row, label)
    return {label: export.lines[name, label] for label, (name, _) in rows.items()}


@pytest.mark.django_db
def test_dirty_project_rows_are_reported_and_the_clean_ones_imported_once(legacy_export, tmp_path):
    line = add_dirty_project_rows(legacy_export)
    result = LegacyImport(legacy_export.folder).run(skip_invalid=True, report_dir=tmp_path)
    messages = [str(problem) for problem in result.errors]
    expected = [
        f"progetti.csv, riga {line['no proposer']}, colonna id_persona «»: manca la persona",
        f"progetti.csv, riga {line['impossible date']}, colonna data_candidatura «31/04/2020»: "
        "data inesistente",
        f"progetti.csv, riga {line['impossible date']}, colonna stato «approvato»: valore non "
        "previsto",
        f"progetti.csv, riga {line['unknown type']}, colonna tipo «microimpresa»",
        f"erogazioni.csv, riga {line['unknown project']}, colonna id_progetto «999999»: fa "
        "riferimento all'id 999999 di progetti.csv, inesistente",
        f"erogazioni.csv, riga {line['negative']}, colonna importo «-500,00»",
        f"erogazioni.csv, riga {line['unknown payment']}, colonna tipo «regalo»",
        f"fondo_garanzia.csv, riga {line['no loan']}, colonna id_erogazione «»: manca",
        f"fondo_garanzia.csv, riga {line['beyond ceiling']}, colonna importo «99999999.00»: la "
        "garanzia supera la disponibilità del fondo",
        f"fondo_garanzia.csv, riga {line['other project']}, colonna id_erogazione",
        f"fondo_garanzia.csv, riga {line['unknown movement']}, colonna movimento «prelievo»",
    ]
    for start in expected:
        assert any(message.startswith(start) for message in messages), start
    imported = {name: result.rows[name] - result.rejected[name] for name in result.rows}
    assert Project.objects.count() == imported["progetti.csv"]
    assert Payment.objects.count() == imported["erogazioni.csv"]
    assert FundMovement.objects.count() == imported["fondo_garanzia.csv"]
    messy = Project.objects.get(legacy_id=9004)
    assert (messy.kind, messy.state) == ("autoimpiego", "stand by")
    assert fund_position().available >= 0
    # The rejected rows are in the rejects with their reasons.
    assert (tmp_path / "scarti" / "fondo_garanzia.csv").exists()
    again = LegacyImport(legacy_export.folder).run(skip_invalid=True)
    assert again.created == {} and again.updated == {}


@pytest.mark.django_db
def test_an_older_export_without_the_project_files_still_imports(legacy_export):
    for name in ("progetti.csv", "erogazioni.csv", "fondo_garanzia.csv"):
        (legacy_export.folder / name).unlink()
    result = LegacyImport(legacy_export.folder).run(skip_invalid=True)
    assert result.written and not result.file_errors
    assert "progetti.csv" not in result.rows
    assert Project.objects.count() == 0


@pytest.mark.django_db
def test_the_yearly_figures_of_imported_projects(legacy_export, tmp_path, capsys):
    LegacyImport(legacy_export.folder).run(skip_invalid=True)
    call_command("report", "annual", "--year", "2025", "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert (
        report["self_employment"]["submitted_to_date"]
        == Project.objects.filter(kind="autoimpiego", submitted_on__year__lte=2025).count()
    )
    assert set(report["social_innovation"]) >= {"approved_2025", "paid_2025", "microcredit_2025"}
    fund = report["guarantee_fund"]
    assert fund["available"] == fund["ceiling"] - fund["outstanding"]
