"""The file, not just the row: header, encoding, separator, unreadable lines."""

import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from approdo.legacy.importer import LegacyImport
from approdo.people.models import Person

pytestmark = pytest.mark.django_db


def _rewrite(path, transform):
    path.write_bytes(transform(path.read_bytes()))


def test_a_renamed_column_stops_the_import_with_the_expected_missing_and_unknown_columns(
    legacy_export,
):
    _rewrite(
        legacy_export.folder / "persone.csv",
        lambda data: data.replace(b"codice_fiscale", b"codice fiscale", 1),
    )
    result = LegacyImport(legacy_export.folder).run(skip_invalid=True)
    assert not result.written and Person.objects.count() == 0
    [problem] = [p for p in result.errors if p.file == "persone.csv"]
    assert str(problem).startswith(
        "persone.csv: intestazione non conforme: mancano le colonne codice_fiscale; "
        "colonne sconosciute codice fiscale. Colonne attese: id, cognome, nome"
    )


def test_a_latin1_file_with_commas_is_read_and_said(legacy_export):
    people = legacy_export.folder / "persone.csv"
    with open(people, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    rows[1][1] = "Niccolò"
    with open(people, "w", encoding="cp1252", newline="") as handle:
        csv.writer(handle, delimiter=",").writerows(rows)
    result = LegacyImport(legacy_export.folder).run(skip_invalid=True)
    notes = [str(p) for p in result.warnings if p.file == "persone.csv" and p.file_level]
    assert any("Windows-1252" in note for note in notes)
    assert any("separatore è la virgola" in note for note in notes)
    assert Person.objects.filter(last_name="Niccolò").exists()


def test_nul_bytes_and_oversized_fields_are_line_errors_not_a_crash(legacy_export):
    people = legacy_export.folder / "persone.csv"
    data = people.read_bytes()
    lines = data.split(b"\r\n")
    lines[3] = lines[3].replace(b";", b";\x00", 1)
    lines.insert(5, b'1234;"' + b"x" * (csv.field_size_limit() + 10) + b'"')
    people.write_bytes(b"\r\n".join(lines))
    result = LegacyImport(legacy_export.folder).run(skip_invalid=True)
    reasons = {p.line: p.reason for p in result.errors if p.file == "persone.csv"}
    assert reasons[4] == "la riga contiene caratteri nulli (dati binari)"
    assert reasons[6].startswith("un campo supera i")
    assert result.written


def test_warnings_only_exit_zero_and_say_what_was_written(legacy_export, tmp_path, capsys):
    clean = tmp_path / "pulita"
    from approdo.legacy.synthetic import write_synthetic_export

    write_synthetic_export(clean, people=40, seed=3)
    call_command("import_legacy", str(clean), "--report-dir", str(tmp_path / "rapporto"))
    output = capsys.readouterr().out
    assert "Scritto:" in output and "non è stato scritto nulla" not in output
    assert Person.objects.count() == 40


def test_errors_without_skipping_write_nothing_and_exit_non_zero(legacy_export, tmp_path):
    with pytest.raises(CommandError, match="errori: non è stato scritto nulla"):
        call_command("import_legacy", str(legacy_export.folder), "--report-dir", str(tmp_path))
    assert Person.objects.count() == 0
