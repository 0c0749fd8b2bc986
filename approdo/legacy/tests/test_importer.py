import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from approdo.companies.models import Company
from approdo.intake.models import Interview
from approdo.legacy.importer import LegacyImport
from approdo.people.models import Person
from approdo.placements.models import Placement
from approdo.training.models import Course, Participation, ProgrammePath
from approdo.vacancies.models import Vacancy
from tests.factories import PersonFactory


@pytest.mark.django_db
def test_dry_run_reports_every_dirty_row_and_writes_nothing(legacy_export, tmp_path):
    result = LegacyImport(legacy_export.folder).run(dry_run=True, report_dir=tmp_path)
    assert not result.written
    assert Person.objects.count() == 0
    messages = [str(p) for p in result.errors]
    line = legacy_export.lines
    impossible = line["persone.csv", "impossible"]
    repeated_id = legacy_export.rows("persone.csv")[2]["id"]
    expected = [
        f"persone.csv, riga {impossible}, colonna data_nascita «15/13/1990»: data inesistente",
        f"persone.csv, riga {impossible}, colonna comune_residenza «Gotham»: comune non presente",
        f"persone.csv, riga {impossible}, colonna cittadinanza «Atlantide»: stato non riconosciuto",
        f"persone.csv, riga {impossible}, colonna email «non-an-email»",
        f"persone.csv, riga {impossible}, colonna canale «fax»",
        f"persone.csv, riga {line['persone.csv', 'repeated id']}, colonna id «{repeated_id}»: "
        "id ripetuto",
        f"inserimenti.csv, riga {line['inserimenti.csv', 'missing person']}, colonna id_persona "
        "«999999»: fa riferimento",
        f"inserimenti.csv, riga {line['inserimenti.csv', 'ends before start']}, colonna data_fine "
        "«01/02/2020»: precede",
    ]
    for start in expected:
        assert any(message.startswith(start) for message in messages), start
    # History that breaks today's rules is imported, flagged (see test_history.py).
    mini_job = f"richieste.csv, riga {line['richieste.csv', 'mini job']}, colonna ore_settimanali"
    assert any(str(p).startswith(mini_job) for p in result.warnings)
    assert (tmp_path / "rapporto.txt").exists() and (tmp_path / "rapporto.json").exists()


@pytest.mark.django_db
def test_with_errors_the_command_writes_nothing(legacy_export, tmp_path):
    with pytest.raises(CommandError, match="non è stato scritto nulla"):
        call_command("import_legacy", str(legacy_export.folder), "--report-dir", str(tmp_path))
    assert Person.objects.count() == 0 and Company.objects.count() == 0


@pytest.mark.django_db
def test_skipping_imports_every_clean_row_and_rejects_every_dirty_one(legacy_export, tmp_path):
    result = LegacyImport(legacy_export.folder).run(skip_invalid=True, report_dir=tmp_path)
    assert result.written
    expected = {name: result.rows[name] - result.rejected[name] for name in result.rows}
    assert Person.objects.count() == expected["persone.csv"]
    assert Interview.objects.count() == expected["colloqui.csv"]
    assert Company.objects.count() == expected["aziende.csv"]
    assert Vacancy.objects.count() == expected["richieste.csv"]
    assert Placement.objects.count() == expected["inserimenti.csv"]
    assert Course.objects.count() == expected["corsi.csv"]
    assert Participation.objects.count() == expected["partecipazioni.csv"]
    assert ProgrammePath.objects.count() == expected["percorsi.csv"]
    for name, rejected in result.rejected.items():
        rejects = tmp_path / "scarti" / name
        if rejected:
            with open(rejects, encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.reader(handle, delimiter=";"))
            assert len(rows) - 1 == rejected, name
            assert rows[0][-2:] == ["riga", "motivi"]
    # Links survive: renewals point to what they continue, IPS paths flag people.
    assert Placement.objects.exclude(continues=None).exists()
    assert (
        Person.objects.filter(in_ips_path=True).count()
        == ProgrammePath.objects.values("person").distinct().count()
    )


@pytest.mark.django_db
def test_a_second_run_changes_nothing(legacy_export):
    LegacyImport(legacy_export.folder).run(skip_invalid=True)
    counts = (Person.objects.count(), Placement.objects.count(), Interview.objects.count())
    again = LegacyImport(legacy_export.folder).run(skip_invalid=True)
    assert again.created == {} and again.updated == {}
    assert (Person.objects.count(), Placement.objects.count(), Interview.objects.count()) == counts


@pytest.mark.django_db
def test_a_corrected_export_updates_only_what_changed(legacy_export):
    LegacyImport(legacy_export.folder).run(skip_invalid=True)
    interviewed = Person.objects.filter(
        first_interview_at__isnull=False, legacy_id__isnull=False
    ).first()
    people = legacy_export.folder / "persone.csv"
    people.write_text(
        people.read_text(encoding="utf-8-sig").replace(
            f";{interviewed.email};", ";laura.giordano@example.net;"
        ),
        encoding="utf-8",
    )
    again = LegacyImport(legacy_export.folder).run(skip_invalid=True)
    assert again.updated == {"persone": 1} and again.created == {}
    interviewed.refresh_from_db()
    assert interviewed.email == "laura.giordano@example.net"
    assert interviewed.first_interview_at is not None  # the rest of the file is kept


@pytest.mark.django_db
def test_people_found_by_fiscal_code_are_merged_not_duplicated(legacy_export):
    row = next(r for r in legacy_export.rows("persone.csv")[3:] if r["codice_fiscale"])
    existing = PersonFactory(
        fiscal_code=row["codice_fiscale"].strip().upper(),
        first_name="Registrata",
        last_name="Online",
    )
    LegacyImport(legacy_export.folder).run(skip_invalid=True)
    existing.refresh_from_db()
    assert existing.legacy_id == int(row["id"])
    assert Person.objects.filter(fiscal_code=existing.fiscal_code).count() == 1
