"""The tests' own export: a synthetic clean one, plus the dirty rows a real export has."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from approdo.legacy.synthetic import write_synthetic_export


@dataclass
class Export:
    folder: Path
    # (file, label) -> line number of a dirty row added by `add_dirty_rows`
    lines: dict[tuple[str, str], int] = field(default_factory=dict)

    def rows(self, name: str) -> list[dict]:
        with open(self.folder / name, encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle, delimiter=";"))

    def append(self, name: str, row: dict, label: str) -> None:
        """Add a row at the end of a file and remember its line number."""
        with open(self.folder / name, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=";")
            header = next(reader)
            for _ in reader:
                pass
            lines = reader.line_num  # physical lines: quoted fields may span several
        with open(self.folder / name, "a", encoding="utf-8", newline="") as handle:
            csv.writer(handle, delimiter=";", lineterminator="\r\n").writerow(
                [row.get(column, "") for column in header]
            )
        self.lines[(name, label)] = lines + 1


def add_dirty_rows(export: Export) -> None:
    """What the real export carries: impossible values, repeated ids, broken references."""
    person = export.rows("persone.csv")[0]
    export.append(
        "persone.csv",
        {
            **person,
            "id": "900001",
            "codice_fiscale": "",
            "data_nascita": "15/13/1990",
            "comune_residenza": "Gotham",
            "cittadinanza": "Atlantide",
            "email": "non-an-email",
            "canale": "fax",
        },
        "impossible",
    )
    export.append("persone.csv", {**export.rows("persone.csv")[2]}, "repeated id")
    request = next(r for r in export.rows("richieste.csv") if r["tipologia"] == "assunzione")
    export.append(
        "richieste.csv",
        {
            **request,
            "id": "900001",
            "tipologia": "mini job",
            "contratto": "",
            "ore_settimanali": "36",
        },
        "mini job",
    )
    placement = next(r for r in export.rows("inserimenti.csv") if not r["rinnovo_di"])
    export.append(
        "inserimenti.csv",
        {**placement, "id": "900001", "id_persona": "999999"},
        "missing person",
    )
    export.append(
        "inserimenti.csv",
        {**placement, "id": "900002", "data_inizio": "01/03/2020", "data_fine": "01/02/2020"},
        "ends before start",
    )


@pytest.fixture
def legacy_export(tmp_path) -> Export:
    export = Export(tmp_path / "esportazione")
    write_synthetic_export(export.folder, people=150, seed=7)
    add_dirty_rows(export)
    return export
