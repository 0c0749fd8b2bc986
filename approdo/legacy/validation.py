"""Reading and checking the legacy export: every file, every row, nothing written.

Every problem names file, line, column, value and reason; a row with errors is
rejected whole, a row with warnings is imported with the value flagged. The
records that pass are what `writing.ExportWriter` stores.
"""

import functools
import itertools
import pickle
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from stdnum import luhn

from approdo.companies.sectors import lookup_sector
from approdo.intake.models import InterviewKind, InterviewMode
from approdo.occupations.services import closest_occupation
from approdo.people.choices import (
    Channel,
    Education,
    FirstInterviewOutcome,
    ItalianLevel,
    Readiness,
    Status,
)
from approdo.people.identity import decode_fiscal_code
from approdo.places.geography import canonical_country, normalise
from approdo.places.models import Comune
from approdo.projects.models import FundMovementKind, PaymentKind, ProjectKind, ProjectState
from approdo.projects.selectors import FundPosition
from approdo.training.models import (
    CourseCategory,
    CourseMode,
    ParticipationOutcome,
)
from approdo.vacancies.models import VacancyStatus
from approdo.vacancies.terms import Contract, PlacementType, terms_errors

from . import reading
from .reading import FieldError, SourceRow
from .staging import ALIAS, OK, REJECTED, StagedRow, Staging


@functools.cache
def _values(choices) -> tuple[str, ...]:
    """An enumeration's values, once (`Choices.values` builds a new list at each call)."""
    return tuple(choices.values)


# The columns of each file, as FORMAT.md describes them (the header must match).
COLUMNS = {
    "persone.csv": (
        "id",
        "cognome",
        "nome",
        "codice_fiscale",
        "sesso",
        "data_nascita",
        "cittadinanza",
        "comune_residenza",
        "provincia",
        "cap",
        "email",
        "telefono",
        "data_iscrizione",
        "canale",
        "titolo_studio",
        "livello_italiano",
        "patenti",
        "stato",
        "motivo_fuori_protocollo",
        "data_fuori_protocollo",
        "consenso_privacy",
        "data_consenso",
    ),
    "colloqui.csv": (
        "id",
        "id_persona",
        "data",
        "tipo",
        "esito",
        "valutazione",
        "modalita",
        "operatore",
        "note",
    ),
    "aziende.csv": (
        "id",
        "ragione_sociale",
        "partita_iva",
        "codice_ateco",
        "comune",
        "data_primo_contatto",
        "board",
        "data_adesione_board",
        "referente",
        "email",
        "telefono",
    ),
    "richieste.csv": (
        "id",
        "id_azienda",
        "data",
        "mansione",
        "posti",
        "comune",
        "tipologia",
        "contratto",
        "ore_settimanali",
        "patenti_richieste",
        "livello_italiano_minimo",
        "requisiti",
        "stato",
    ),
    "inserimenti.csv": (
        "id",
        "id_persona",
        "id_azienda",
        "id_richiesta",
        "data_inizio",
        "data_fine",
        "tipologia",
        "contratto",
        "ore_settimanali",
        "mansione",
        "rinnovo_di",
        "programma",
    ),
    "corsi.csv": (
        "id",
        "titolo",
        "ente",
        "categoria",
        "data_inizio",
        "data_fine",
        "modalita",
        "ore",
        "costo",
    ),
    "partecipazioni.csv": (
        "id_corso",
        "id_persona",
        "data_iscrizione",
        "esito",
        "qualifica_ottenuta",
    ),
    "percorsi.csv": (
        "id_persona",
        "programma",
        "data_inizio",
        "data_fine",
    ),
    "progetti.csv": (
        "id",
        "tipo",
        "titolo",
        "id_persona",
        "ente",
        "data_candidatura",
        "stato",
        "data_stato",
        "data_comitato",
        "importo_approvato",
        "posti_lavoro",
        "stage_attivati",
    ),
    "erogazioni.csv": ("id", "id_progetto", "data", "importo", "tipo"),
    "fondo_garanzia.csv": ("id", "data", "movimento", "importo", "id_progetto", "id_erogazione"),
}
FILES = (
    "persone.csv",
    "colloqui.csv",
    "aziende.csv",
    "richieste.csv",
    "inserimenti.csv",
    "corsi.csv",
    "partecipazioni.csv",
    "percorsi.csv",
    "progetti.csv",
    "erogazioni.csv",
    "fondo_garanzia.csv",
)
# Kept in spreadsheets beside the old system: older exports do not have them.
OPTIONAL_FILES = ("progetti.csv", "erogazioni.csv", "fondo_garanzia.csv")
# The projects' states as the spreadsheets write them ("finanziato" is Approdo's own step).
LEGACY_PROJECT_STATES = tuple(
    state for state in _values(ProjectState) if state != ProjectState.FINANZIATO
)
LEGACY_LICENCES = ("AM", "A", "B", "C", "CE", "D", "CQC", "muletto")
VACANCY_STATUS = {
    "aperta": VacancyStatus.APERTA,
    "chiusa": VacancyStatus.COPERTA,
    "annullata": VacancyStatus.ANNULLATA,
}

# The import report names the export's columns.
TERM_COLUMNS = {"weekly_hours": "ore_settimanali", "contract": "contratto"}


@dataclass
class Problem:
    file: str
    line: int
    column: str
    value: str
    reason: str
    # "errore" rejects the row; "avviso" imports it and asks someone to check the value.
    severity: str = "errore"
    # About the whole file (missing, unreadable header): an error stops the import.
    file_level: bool = False

    def __str__(self) -> str:
        where = f"{self.file}, riga {self.line}"
        if self.file_level:
            where = self.file
        elif self.column:
            where += f", colonna {self.column} «{self.value}»"
        return f"{where}: {self.reason}" + (" (importata)" if self.severity == "avviso" else "")


# The report lists this many problems of each kind; the rest are in problemi.csv.
LISTED_PROBLEMS = 1000
GROUP_EXAMPLES = 5
CLOSEST_CACHE_SIZE = 20_000
MAX_GROUPS = 200
LEGACY_ID_MAX = 2_147_483_647  # what the id columns can store
PROBLEM_ORDER = (
    "CASE file "
    + " ".join(f"WHEN '{name}' THEN {position}" for position, name in enumerate(FILES))
    + " END, line, seq"
)


@dataclass
class ImportResult:
    # The first LISTED_PROBLEMS errors and warnings, in file and line order.
    problems: list[Problem] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    file_errors: bool = False  # a missing or unreadable file: nothing can be written
    rows: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    # Problems grouped by file, severity, column and kind of reason, with the first rows.
    groups: list[dict] = field(default_factory=list)
    written: bool = False
    report_dir: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "errore"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "avviso"]

    def as_dict(self) -> dict:
        data = asdict(self)
        data["problems"] = [asdict(p) for p in self.problems]
        return data

    def summary(self) -> dict:
        """What the job's page shows: counts per file and the problems by kind."""
        return {
            "files": [
                {"file": name, "rows": count, "rejected": self.rejected.get(name, 0)}
                for name, count in self.rows.items()
            ],
            "written": [
                {
                    "entity": entity,
                    "created": self.created.get(entity, 0),
                    "updated": self.updated.get(entity, 0),
                    "unchanged": self.unchanged.get(entity, 0),
                }
                for entity in sorted(set(self.created) | set(self.updated) | set(self.unchanged))
            ]
            if self.written
            else [],
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "groups": self.groups,
        }


@dataclass
class _Reference:
    field: str
    column: str
    file: str
    key: int
    required: bool


class _Row:
    """Collects every problem of one row instead of stopping at the first."""

    def __init__(self, row: SourceRow):
        self.row = row
        self.problems: list[tuple[str, str, str]] = []
        self.warnings: list[tuple[str, str, str]] = []
        self.references: list[_Reference] = []

    def get(self, column: str, reader: Callable | None = None, *args, **kwargs):
        value = self.row.values.get(column, "")
        if reader is None:
            return reading.text(value)
        try:
            return reader(value, *args, **kwargs)
        except FieldError as error:
            self.problems.append((column, value, str(error)))
            return None

    def fail(self, column: str, reason: str) -> None:
        self.problems.append((column, self.row.values.get(column, ""), reason))

    def warn(self, column: str, reason: str) -> None:
        self.warnings.append((column, self.row.values.get(column, ""), reason))


# Per file: the id column, and the columns the checks across rows need.
STEPS = (
    ("persone.csv", "id"),
    ("colloqui.csv", "id"),
    ("aziende.csv", "id"),
    ("richieste.csv", "id"),
    ("inserimenti.csv", "id"),
    ("corsi.csv", "id"),
    ("partecipazioni.csv", None),
    ("percorsi.csv", None),
    ("progetti.csv", "id"),
    ("erogazioni.csv", "id"),
    ("fondo_garanzia.csv", "id"),
)


class ExportValidator:
    """Reads the files of an export folder a batch of rows at a time; the valid records and
    the rejected rows go to the import's staging tables, never all into memory."""

    def __init__(
        self,
        folder: Path,
        staging: Staging,
        *,
        progress: Callable[[int, str], None] | None = None,
    ):
        self.folder = Path(folder)
        self.staging = staging
        self.progress = progress or (lambda percent, message: None)
        self.result = ImportResult()
        self.headers: dict[str, list[str]] = {}
        self._comuni: dict[str, list[Comune]] = {}
        self._comuni_by_cadastral_code: dict[str, Comune] = {}
        for comune in Comune.objects.all():
            self._comuni.setdefault(comune.search_name, []).append(comune)
            self._comuni_by_cadastral_code[comune.cadastral_code] = comune
        self._closest_by_title: dict[str, tuple | None] = {}
        self._parsers = {
            "persone.csv": self._person,
            "colloqui.csv": self._interview,
            "aziende.csv": self._company,
            "richieste.csv": self._vacancy,
            "inserimenti.csv": self._placement,
            "corsi.csv": self._course,
            "partecipazioni.csv": self._participation,
            "percorsi.csv": self._path,
            "progetti.csv": self._project,
            "erogazioni.csv": self._payment,
            "fondo_garanzia.csv": self._fund_movement,
        }

    def validate(self) -> ImportResult:
        """Read and check every file; nothing is written but the staging tables."""
        present = {name for name in FILES if (self.folder / name).exists()}
        missing = [name for name in FILES if name not in present and name not in OPTIONAL_FILES]
        if missing:
            self._file_problems(
                [Problem(name, 0, "", "", "file mancante nella cartella") for name in missing]
            )
        else:
            for position, (name, id_column) in enumerate(STEPS):
                if name not in present:
                    continue
                self.progress(int(position * 50 / len(STEPS)), f"Controllo di {name}")
                self._validate_file(name, id_column, position)
            self._one_first_interview_each()
            self._check_continuations()
            if "fondo_garanzia.csv" in present:
                self._check_fund()
            for name, _ in STEPS:
                if name in present:
                    self.result.rejected[name] = self.staging.count(name, REJECTED)
        self._list_problems()
        self._group_problems()
        return self.result

    def _file_problems(self, problems: list[Problem]) -> None:
        for problem in problems:
            problem.file_level = True
            self.result.file_errors |= problem.severity == "errore"
        self.staging.add_problems(problems)

    def _validate_file(self, name: str, id_column: str | None, position: int) -> None:
        try:
            source = reading.open_file(self.folder / name, COLUMNS[name])
        except reading.FileError as error:
            self._file_problems([Problem(name, 1, "", "", str(error))])
            return
        self._file_problems(
            [Problem(name, 1, "", "", note, severity="avviso") for note in source.notes]
        )
        self.headers[name] = source.header
        count = 0
        for batch in _batched(source.records(), self.staging.batch_size):
            self._validate_batch(name, id_column, batch)
            count += len(batch)
            self.progress(int(position * 50 / len(STEPS)), f"Controllo di {name}: {count:n} righe")
        self.result.rows[name] = count
        if id_column:
            self._reject_repeated_ids(name, id_column)
        if name == "persone.csv":
            self._merge_people_registered_twice()

    def _validate_batch(self, name: str, id_column: str | None, batch) -> None:
        parse = self._parsers[name]
        parsed: list[tuple[_Row, int | None, dict]] = []
        staged: list[StagedRow] = []
        problems: list[Problem] = []
        for item in batch:
            if isinstance(item, reading.Unreadable):
                row = SourceRow(name, item.line, {})
                self._reject(staged, problems, row, None, [("", "", item.reason)])
                continue
            r = _Row(item)
            key = None
            if id_column:
                key = r.get(id_column, reading.integer, required=True, minimum=1)
                if key is not None and key > LEGACY_ID_MAX:
                    r.fail(id_column, "id troppo grande")
                    key = None
            parsed.append((r, key, parse(r)))
        self._resolve_references([r for r, _, _ in parsed])
        for r, key, record in parsed:
            if r.problems or (id_column and key is None):
                self._reject(staged, problems, r.row, key, r.problems)
                continue
            for column, value, reason in r.warnings:
                problems.append(Problem(name, r.row.line, column, value, reason, "avviso"))
            for reference in r.references:
                record[reference.field] = reference.key
            record["_raw"] = r.row.raw  # kept for the rejects file, should a later check fail
            staged.append(self._staged(name, key, r.row.line, record))
        self.staging.add_rows(staged)
        self.staging.add_problems(problems)

    @staticmethod
    def _staged(name: str, key: int | None, line: int, record: dict) -> StagedRow:
        """The columns the checks across rows and the writing in order need."""
        return StagedRow(
            name,
            key,
            line,
            OK,
            record,
            person=record.get("person"),
            code=record.get("fiscal_code"),
            day=record.get("registered_on") or record.get("day") or record.get("start_on"),
            kind=record.get("kind"),
            previous=record.get("continues"),
            parent=record.get("parent"),
            amount=record.get("amount"),
        )

    @staticmethod
    def _reject(staged, problems, row: SourceRow, key, row_problems) -> None:
        for column, value, reason in row_problems:
            problems.append(Problem(row.file, row.line, column, value, reason))
        staged.append(
            StagedRow(
                row.file,
                key,
                row.line,
                REJECTED,
                row.raw,
                reasons=" | ".join(f"{c}: {r}" if c else r for c, _, r in row_problems),
            )
        )

    def _resolve_references(self, rows: list[_Row]) -> None:
        """Check a batch's references to other files at once (one query per file)."""
        wanted: dict[str, set[int]] = defaultdict(set)
        for r in rows:
            for reference in r.references:
                wanted[reference.file].add(reference.key)
        firsts = self.staging.first_registrations(wanted.get("persone.csv", ()))
        for r in rows:
            for reference in r.references:
                if reference.file == "persone.csv":
                    reference.key = firsts.get(reference.key, reference.key)
        states = {
            file: self.staging.key_states(file, {firsts.get(k, k) for k in keys})
            for file, keys in wanted.items()
        }
        for r in rows:
            kept = []
            for reference in r.references:
                state = states[reference.file].get(reference.key)
                if state == OK:
                    kept.append(reference)
                    continue
                why = "scartata" if state == REJECTED else "inesistente"
                message = f"fa riferimento all'id {reference.key} di {reference.file}, {why}"
                if reference.required:
                    r.fail(reference.column, message)
                else:
                    r.warn(reference.column, f"{message}: importata senza questo collegamento")
            r.references = kept

    def _reject_staged(self, name: str, rows: list[tuple[int, str, str, str]]) -> None:
        """Reject rows already staged: (seq, column, value, reason); their warnings go."""
        if not rows:
            return
        seqs = [seq for seq, _, _, _ in rows]
        found = self.staging.fetch(
            "SELECT seq, line, record, status, key FROM legacy_row WHERE seq = ANY(%s)", [seqs]
        )
        reasons = {seq: (column, value, reason) for seq, column, value, reason in rows}
        self.staging.execute(
            "DELETE FROM legacy_problem WHERE file = %s AND line = ANY(%s)",
            [name, [line for _, line, _, _, _ in found]],
        )
        self.staging.execute("DELETE FROM legacy_row WHERE seq = ANY(%s)", [seqs])
        staged: list[StagedRow] = []
        problems: list[Problem] = []
        for seq, line, record, status, key in found:
            record = pickle.loads(record)
            row = SourceRow(name, line, {}, record["_raw"] if status == OK else record)
            self._reject(staged, problems, row, key, [reasons[seq]])
        self.staging.add_rows(staged)
        self.staging.add_problems(problems)

    def _reject_repeated_ids(self, name: str, id_column: str) -> None:
        """An id twice in a file: none of its rows is imported (which one would be right?)."""
        repeated = self.staging.fetch(
            "SELECT r.seq, r.key FROM legacy_row r JOIN ("
            "  SELECT key FROM legacy_row WHERE file = %s AND key IS NOT NULL"
            "  GROUP BY key HAVING count(*) > 1"
            ") d ON d.key = r.key WHERE r.file = %s",
            [name, name],
        )
        self._reject_staged(
            name,
            [
                (
                    seq,
                    id_column,
                    str(key),
                    "id ripetuto nel file: nessuna delle righe con questo id è importata",
                )
                for seq, key in repeated
            ],
        )

    def _merge_people_registered_twice(self) -> None:
        """The old system recorded a readmission as a new registration: rows with one fiscal
        code are one person. The first registration makes the file (the writer gives it the
        latest row's contacts and state); each later one becomes a readmission of it."""
        self.staging.execute(
            """
            INSERT INTO legacy_alias (later, first, day, line, first_line)
            SELECT key, first_key, day, line, first_line FROM (
                SELECT key, day, line,
                       first_value(key) OVER w AS first_key,
                       first_value(line) OVER w AS first_line
                FROM legacy_row
                WHERE file = 'persone.csv' AND status = %s AND code IN (
                    SELECT code FROM legacy_row
                    WHERE file = 'persone.csv' AND status = %s AND code IS NOT NULL
                    GROUP BY code HAVING count(*) > 1
                )
                WINDOW w AS (PARTITION BY code ORDER BY day, key)
            ) registrations
            WHERE key <> first_key
            """,
            [OK, OK],
        )
        self.staging.execute(
            "UPDATE legacy_row SET status = %s FROM legacy_alias a "
            "WHERE file = 'persone.csv' AND key = a.later",
            [ALIAS],
        )
        self.staging.execute(
            """
            INSERT INTO legacy_problem
                (file, line, column_name, value, reason, severity, file_level)
            SELECT 'persone.csv', a.line, 'codice_fiscale', r.code,
                   'stessa persona della riga ' || a.first_line || ' (id ' || a.first
                   || '): importata come sua riammissione',
                   'avviso', false
            FROM legacy_alias a
            JOIN legacy_row r ON r.file = 'persone.csv' AND r.key = a.later
            """
        )

    def _one_first_interview_each(self) -> None:
        """One first interview per person: a later one (after a readmission, in the old system)
        happened, and is imported as a follow-up interview (the writer reads `kind`)."""
        later = self.staging.fetch(
            """
            UPDATE legacy_row SET kind = %s WHERE seq IN (
                SELECT seq FROM (
                    SELECT seq, row_number() OVER (PARTITION BY person ORDER BY day, key) AS n
                    FROM legacy_row
                    WHERE file = 'colloqui.csv' AND status = %s AND kind = %s
                ) numbered WHERE n > 1
            ) RETURNING line
            """,
            [InterviewKind.MONITORAGGIO, OK, InterviewKind.PRIMO],
        )
        self.staging.add_problems(
            Problem(
                "colloqui.csv",
                line,
                "tipo",
                "primo colloquio",
                "la persona ha già un primo colloquio precedente: importato come "
                "colloquio di monitoraggio",
                "avviso",
            )
            for (line,) in later
        )

    def _check_continuations(self) -> None:
        """`rinnovo_di` must name an importable placement of the same person, earlier, in a
        chain that starts somewhere; the depth in the chain orders the writing."""
        name = "inserimenti.csv"
        while broken := self.staging.fetch(
            """
            SELECT r.seq, r.previous, CASE
                WHEN p.seq IS NULL THEN 'missing'
                WHEN p.person <> r.person THEN 'other person'
                ELSE 'later' END
            FROM legacy_row r
            LEFT JOIN legacy_row p ON p.file = r.file AND p.key = r.previous AND p.status = %s
            WHERE r.file = %s AND r.status = %s AND r.previous IS NOT NULL
              AND (p.seq IS NULL OR p.person <> r.person OR p.day > r.day)
            """,
            [OK, name, OK],
        ):
            reasons = {
                "missing": "l'inserimento {} da rinnovare è inesistente o scartato",
                "other person": "l'inserimento {} è di un'altra persona",
                "later": "l'inserimento {} inizia dopo questo",
            }
            self._reject_staged(
                name,
                [
                    (seq, "rinnovo_di", str(previous), reasons[why].format(previous))
                    for seq, previous, why in broken
                ],
            )
        self.staging.execute(
            """
            WITH RECURSIVE chain (seq, key, depth) AS (
                SELECT seq, key, 0 FROM legacy_row
                WHERE file = %s AND status = %s AND previous IS NULL
                UNION ALL
                SELECT r.seq, r.key, chain.depth + 1 FROM legacy_row r
                JOIN chain ON r.file = %s AND r.status = %s AND r.previous = chain.key
            )
            UPDATE legacy_row SET depth = chain.depth FROM chain WHERE legacy_row.seq = chain.seq
            """,
            [name, OK, name, OK],
        )
        circular = self.staging.fetch(
            "SELECT seq, previous FROM legacy_row "
            "WHERE file = %s AND status = %s AND depth IS NULL",
            [name, OK],
        )
        self._reject_staged(
            name,
            [
                (seq, "rinnovo_di", str(previous), "catena di rinnovi circolare")
                for seq, previous in circular
            ],
        )

    def _list_problems(self) -> None:
        """Counts of every problem; the first ones of each kind, in file and line order."""
        for severity in ("errore", "avviso"):
            (count,) = self.staging.fetch(
                "SELECT count(*) FROM legacy_problem WHERE severity = %s", [severity]
            )[0]
            if severity == "errore":
                self.result.error_count = count
            else:
                self.result.warning_count = count
            self.result.problems += [
                Problem(*row)
                for row in self.staging.fetch(
                    "SELECT file, line, column_name, value, reason, severity, file_level "
                    f"FROM legacy_problem WHERE severity = %s ORDER BY {PROBLEM_ORDER} "
                    "LIMIT %s",
                    [severity, LISTED_PROBLEMS],
                )
            ]

    def _group_problems(self) -> None:
        """Problems of one kind together: the reason with its values (numbers, quoted text)
        taken out names the kind; each group has its count and its first rows."""
        kind = "regexp_replace(regexp_replace(reason, '«[^»]*»', '«…»', 'g'), '[0-9]+', '…', 'g')"
        order = PROBLEM_ORDER.removesuffix(", line, seq")
        self.result.groups = [
            {
                "file": file,
                "severity": severity,
                "column": column,
                "kind": kind_text,
                "count": count,
                "examples": [
                    {"line": line, "value": value, "reason": reason}
                    for line, value, reason in examples
                ],
            }
            for file, severity, column, kind_text, count, examples in self.staging.fetch(
                f"""
                SELECT file, severity, column_name, kind, count(*),
                       (array_agg(ARRAY[line::text, value, reason] ORDER BY line, seq)
                        FILTER (WHERE n <= %s))
                FROM (
                    SELECT *, {kind} AS kind, row_number() OVER (
                        PARTITION BY file, severity, column_name, {kind} ORDER BY line, seq
                    ) AS n
                    FROM legacy_problem
                ) numbered
                GROUP BY file, severity, column_name, kind
                ORDER BY {order}, severity DESC, count(*) DESC
                LIMIT %s
                """,
                [GROUP_EXAMPLES, MAX_GROUPS],
            )
        ]

    def all_problems(self) -> Iterator[Problem]:
        """Every problem, for the report's full list."""
        for row in self.staging.stream(
            "SELECT file, line, column_name, value, reason, severity, file_level "
            f"FROM legacy_problem ORDER BY {PROBLEM_ORDER}"
        ):
            yield Problem(*row)

    def _comune(self, r: _Row, column: str, province: str = "") -> int | None:
        name = r.get(column)
        if not name:
            return None
        candidates = self._comuni.get(normalise(name), [])
        if province:
            candidates = [
                c for c in candidates if c.province_code == province.upper()
            ] or candidates
        if len(candidates) == 1:
            return candidates[0].pk
        r.fail(
            column,
            "comune non presente nell'elenco ISTAT"
            if not candidates
            else "nome di comune ambiguo: manca la provincia",
        )
        return None

    def _ref(self, r: _Row, field: str, column: str, file: str, *, required: bool = True):
        """A reference to another file's row, checked with the rest of the batch; an optional
        one that fails is dropped, with a warning."""
        key = r.get(column, reading.integer, required=required)
        if key is not None:
            r.references.append(_Reference(field, column, file, key, required))
        return None  # set once resolved

    def _person(self, r: _Row) -> dict:
        record = {"last_name": r.get("cognome"), "first_name": r.get("nome")}
        if not record["last_name"] or not record["first_name"]:
            r.fail("cognome" if not record["last_name"] else "nome", "valore mancante")
        code = r.get("codice_fiscale").replace(" ", "").upper()
        birth = r.get("data_nascita", reading.day, required=not code)
        sex = r.get("sesso", reading.enum, ["M", "F"], required=not code)
        record.update(
            fiscal_code=None, birth_date=birth, sex=sex, birth_comune=None, birth_country="Italia"
        )
        if code:
            try:
                decoded = decode_fiscal_code(code)
            except ValueError as error:
                r.fail("codice_fiscale", str(error))
            else:
                record.update(
                    fiscal_code=decoded.code,
                    sex=sex or decoded.sex,
                    birth_date=birth or decoded.birth_date,
                    birth_country=decoded.birth_country,
                )
                if decoded.birth_cadastral_code:
                    birth_comune = self._comuni_by_cadastral_code.get(decoded.birth_cadastral_code)
                    record["birth_comune"] = birth_comune.pk if birth_comune else None
                if birth and birth != decoded.birth_date:
                    r.fail(
                        "data_nascita",
                        "non corrisponde alla data del codice fiscale "
                        f"({decoded.birth_date:%d/%m/%Y})",
                    )
                if sex and sex != decoded.sex:
                    r.fail("sesso", "non corrisponde al codice fiscale")
        citizenship = canonical_country(r.get("cittadinanza"))
        if not citizenship:
            r.fail("cittadinanza", "stato non riconosciuto")
        record["citizenship"] = citizenship
        record["residence_comune"] = self._comune(r, "comune_residenza", r.get("provincia"))
        record["postcode"] = r.get("cap")[:5]
        email = r.get("email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                r.fail("email", "indirizzo e-mail non valido")
        record.update(email=email, phone=r.get("telefono")[:30])
        registered = r.get("data_iscrizione", reading.day, required=True)
        record["registered_on"] = registered
        record["channel"] = r.get("canale", reading.enum, _values(Channel))
        record["education"] = r.get(
            "titolo_studio", reading.enum, _values(Education), required=False
        )
        record["italian_level"] = r.get(
            "livello_italiano", reading.enum, _values(ItalianLevel), required=False
        )
        licences = reading.many(r.get("patenti"))
        unknown = [item for item in licences if item not in LEGACY_LICENCES]
        if unknown:
            r.fail("patenti", "patente non prevista: " + ", ".join(unknown))
        record["licences"] = licences
        state = r.get("stato", reading.enum, ["in carico", "fuori protocollo"])
        reason = r.get(
            "motivo_fuori_protocollo",
            reading.enum,
            ["lavora", "irreperibile", "non collaborativo", "altro"],
            required=False,
        )
        left_on = r.get("data_fuori_protocollo", reading.day)
        if state == "fuori protocollo" and not reason:
            r.fail("motivo_fuori_protocollo", "manca il motivo dell'uscita")
        if state == "in carico" and (reason or left_on):
            r.fail("motivo_fuori_protocollo", "motivo o data di uscita per una persona in carico")
        record.update(
            status=Status.FUORI_PROTOCOLLO if state == "fuori protocollo" else Status.IN_CARICO,
            exit_reason=reason or "",
            left_on=left_on,
        )
        consent = r.get("consenso_privacy", reading.yes_no)
        record["consent_on"] = r.get("data_consenso", reading.day) if consent else None
        if birth and registered and birth >= registered:
            r.fail("data_nascita", "successiva alla data di iscrizione")
        return record

    def _interview(self, r: _Row) -> dict:
        row = r.row
        record = {
            "person": self._ref(r, "person", "id_persona", "persone.csv"),
            "day": r.get("data", reading.day, required=True),
            "kind": r.get("tipo", reading.enum, _values(InterviewKind)),
            "mode": r.get("modalita", reading.enum, _values(InterviewMode)),
            "operator": r.get("operatore") or "operatore non indicato",
            "notes": row.values.get("note", "").strip(),
        }
        outcome = r.get("esito", reading.enum, _values(FirstInterviewOutcome), required=False)
        readiness = r.get("valutazione", reading.enum, _values(Readiness), required=False)
        if record["kind"] == InterviewKind.PRIMO and not outcome:
            r.fail("esito", "manca l'esito del primo colloquio")
        if record["kind"] == InterviewKind.MONITORAGGIO and (outcome or readiness):
            r.fail("esito", "esito e valutazione valgono solo per il primo colloquio")
        if readiness and outcome != FirstInterviewOutcome.IN_TARGET:
            r.fail("valutazione", "la valutazione vale solo per chi è in target")
        record.update(outcome=outcome or "", readiness=readiness or "")
        return record

    def _company(self, r: _Row) -> dict:
        record = {"name": r.get("ragione_sociale")}
        if not record["name"]:
            r.fail("ragione_sociale", "valore mancante")
        vat = r.get("partita_iva").replace(" ", "")
        if vat and not (vat.isdigit() and len(vat) == 11):
            r.fail("partita_iva", "la partita IVA ha 11 cifre")
        elif vat and not luhn.is_valid(vat):
            r.warn("partita_iva", "cifra di controllo della partita IVA errata: da verificare")
        record["vat_number"] = vat or None
        code = r.get("codice_ateco")
        sector = lookup_sector(code) if code else None
        if code and sector is None:
            r.warn(
                "codice_ateco",
                "codice ATECO inesistente nelle edizioni 2025, 2022, 2007: settore lasciato vuoto",
            )
        record["sector"] = sector
        record["comune"] = self._comune(r, "comune")
        record["first_contact_on"] = r.get("data_primo_contatto", reading.day)
        in_board = r.get("board", reading.yes_no)
        joined = r.get("data_adesione_board", reading.day)
        if in_board and not joined:
            r.fail("data_adesione_board", "adesione al Board senza data")
        record["board_joined_on"] = joined if in_board else None
        return record

    def _vacancy(self, r: _Row) -> dict:
        row = r.row
        record = {
            "company": self._ref(r, "company", "id_azienda", "aziende.csv"),
            "requested_on": r.get("data", reading.day, required=True),
            "job_title": r.get("mansione"),
            "positions": r.get("posti", reading.integer, required=True, minimum=1),
            "workplace": self._comune(r, "comune"),
            "placement_type": r.get("tipologia", reading.enum, _values(PlacementType)),
            "contract": r.get("contratto", reading.enum, _values(Contract), required=False),
            "weekly_hours": r.get("ore_settimanali", reading.integer, minimum=1),
            "licences": reading.many(r.get("patenti_richieste")),
            "italian": r.get(
                "livello_italiano_minimo", reading.enum, _values(ItalianLevel)[:6], required=False
            ),
            "description": row.values.get("requisiti", "").strip(),
            "status": VACANCY_STATUS.get(r.get("stato", reading.enum, list(VACANCY_STATUS))),
        }
        record["review"] = []
        record["occupation"] = self._occupation(r, record)
        self._check_terms(r, record)
        unknown = [item for item in record["licences"] if item not in LEGACY_LICENCES]
        if unknown:
            r.fail("patenti_richieste", "patente non prevista: " + ", ".join(unknown))
        return record

    def _check_terms(self, r: _Row, record: dict) -> None:
        """Type, contract and hours by today's rules (vacancies.terms). History that breaks
        them happened: it is imported as it was and flagged for review, never refused; a
        contract on something that is not a hiring cannot be stored and is dropped."""
        problems = terms_errors(
            placement_type=record["placement_type"],
            contract=record["contract"],
            weekly_hours=record["weekly_hours"],
        )
        if any(column == "contratto" for column, _, _ in r.problems):
            problems.pop("contract", None)  # unreadable: already reported
        if record["weekly_hours"] is None:
            problems.pop("weekly_hours", None)  # the old system often left hours out
        for name, message in problems.items():
            if name == "contract" and record["contract"]:
                record["contract"] = ""
                r.warn("contratto", "contratto non importato: vale solo per le assunzioni")
                continue
            r.warn(TERM_COLUMNS[name], f"da verificare: {message}")
            record["review"].append(message)

    def _closest(self, title: str):
        # Titles repeat: looked up once per import (the vocabulary can change between two),
        # in a cache that is emptied when full, so that memory stays bounded.
        if title not in self._closest_by_title:
            if len(self._closest_by_title) >= CLOSEST_CACHE_SIZE:
                self._closest_by_title.clear()
            self._closest_by_title[title] = closest_occupation(title)
        return self._closest_by_title[title]

    def _occupation(self, r: _Row, record: dict):
        """The vocabulary entry of a free-text job title; never a reason to refuse the row."""
        title = record["job_title"] or ""
        found = self._closest(title)
        if found is None:
            r.warn("mansione", "da verificare: mansione fuori dal vocabolario delle professioni")
            record["review"].append(f"Mansione «{title}» fuori dal vocabolario delle professioni.")
            return None
        occupation, likeness = found
        if likeness < 1:
            r.warn("mansione", f"associata alla professione «{occupation.name}» (da verificare)")
        return occupation.pk

    def _placement(self, r: _Row) -> dict:
        record = {
            "person": self._ref(r, "person", "id_persona", "persone.csv"),
            "company": self._ref(r, "company", "id_azienda", "aziende.csv"),
            "vacancy": self._ref(r, "vacancy", "id_richiesta", "richieste.csv", required=False),
            "start_on": r.get("data_inizio", reading.day, required=True),
            "end_on": r.get("data_fine", reading.day),
            "placement_type": r.get("tipologia", reading.enum, _values(PlacementType)),
            "contract": r.get("contratto", reading.enum, _values(Contract), required=False),
            "weekly_hours": r.get("ore_settimanali", reading.integer, minimum=1),
            "job_title": r.get("mansione") or "non indicata",
            "continues": r.get("rinnovo_di", reading.integer),
            "is_ips": r.get("programma", reading.enum, ["IPS"], required=False) == "IPS",
        }
        if record["start_on"] and record["end_on"] and record["end_on"] < record["start_on"]:
            r.fail("data_fine", "precede la data di inizio")
        record["review"] = []
        self._check_terms(r, record)
        # A placement does not need an occupation: no warning when the title names none.
        found = self._closest(record["job_title"])
        record["occupation"] = found[0].pk if found else None
        return record

    def _course(self, r: _Row) -> dict:
        record = {
            "title": r.get("titolo"),
            "provider": r.get("ente"),
            "category": r.get("categoria", reading.enum, _values(CourseCategory)),
            "start_on": r.get("data_inizio", reading.day, required=True),
            "end_on": r.get("data_fine", reading.day),
            "mode": r.get("modalita", reading.enum, _values(CourseMode)),
            "hours": r.get("ore", reading.integer, required=True, minimum=1),
            "cost": r.get("costo", reading.decimal),
        }
        if record["start_on"] and record["end_on"] and record["end_on"] < record["start_on"]:
            r.fail("data_fine", "precede la data di inizio")
        if not record["title"]:
            r.fail("titolo", "valore mancante")
        return record

    def _participation(self, r: _Row) -> dict:
        record = {
            "course": self._ref(r, "course", "id_corso", "corsi.csv"),
            "person": self._ref(r, "person", "id_persona", "persone.csv"),
            "enrolled_on": r.get("data_iscrizione", reading.day),
            "outcome": r.get("esito", reading.enum, _values(ParticipationOutcome)),
            "qualification": r.get("qualifica_ottenuta", reading.yes_no),
        }
        return record

    def _path(self, r: _Row) -> dict:
        record = {
            "person": self._ref(r, "person", "id_persona", "persone.csv"),
            "programme": r.get("programma", reading.enum, ["IPS"]),
            "start_on": r.get("data_inizio", reading.day, required=True),
            "end_on": r.get("data_fine", reading.day),
        }
        if record["start_on"] and record["end_on"] and record["end_on"] < record["start_on"]:
            r.fail("data_fine", "precede la data di inizio")
        return record

    def _project(self, r: _Row) -> dict:
        kind = r.get("tipo", reading.enum, _values(ProjectKind))
        record = {
            "kind": kind,
            "title": r.get("titolo"),
            "organisation": r.get("ente"),
            "submitted_on": r.get("data_candidatura", reading.day, required=True),
            "state": r.get("stato", reading.enum, LEGACY_PROJECT_STATES),
            "state_on": r.get("data_stato", reading.day),
            "committee_on": r.get("data_comitato", reading.day),
            "approved_amount": self._amount(r, "importo_approvato", positive=False),
            "jobs": r.get("posti_lavoro", reading.integer, minimum=0) or 0,
            "stages": r.get("stage_attivati", reading.integer, minimum=0) or 0,
        }
        if not record["title"]:
            r.fail("titolo", "valore mancante")
        if kind == ProjectKind.AUTOIMPIEGO:
            if r.get("id_persona"):
                self._ref(r, "person", "id_persona", "persone.csv")
            else:
                r.fail("id_persona", "manca la persona che propone il progetto di autoimpiego")
        if kind == ProjectKind.AUTOIMPIEGO and record["organisation"]:
            r.fail("ente", "un progetto di autoimpiego è proposto da una persona, non da un ente")
        if kind == ProjectKind.INNOVAZIONE_SOCIALE:
            if not record["organisation"]:
                r.fail("ente", "manca l'ente che propone il progetto di innovazione sociale")
            if r.get("id_persona"):
                r.fail("id_persona", "un progetto di innovazione sociale è proposto da un ente")
        submitted = record["submitted_on"]
        for column, day in (
            ("data_stato", record["state_on"]),
            ("data_comitato", record["committee_on"]),
        ):
            if submitted and day and day < submitted:
                r.fail(column, f"precede la candidatura ({submitted:%d/%m/%Y})")
        if record["approved_amount"] is not None and not record["committee_on"]:
            r.warn(
                "importo_approvato", "importo approvato senza la data del comitato: da verificare"
            )
        return record

    def _amount(self, r: _Row, column: str, *, positive: bool = True, required: bool = False):
        amount = r.get(column, reading.decimal)
        if amount is None:
            if required and not any(c == column for c, _, _ in r.problems):
                r.fail(column, "importo mancante")
            return None
        if amount < 0 or (positive and amount == 0):
            r.fail(
                column, "l'importo deve essere maggiore di zero" if positive else "importo negativo"
            )
            return None
        if amount != amount.quantize(Decimal("0.01")):
            r.fail(column, "più di due decimali")
            return None
        return amount

    def _payment(self, r: _Row) -> dict:
        record = {
            "parent": self._ref(r, "parent", "id_progetto", "progetti.csv"),
            "day": r.get("data", reading.day, required=True),
            "amount": self._amount(r, "importo", required=True),
            "kind": r.get("tipo", reading.enum, _values(PaymentKind)),
        }
        return record

    def _fund_movement(self, r: _Row) -> dict:
        kind = r.get("movimento", reading.enum, _values(FundMovementKind))
        record = {
            "kind": kind,
            "day": r.get("data", reading.day, required=True),
            "amount": self._amount(r, "importo", required=True),
            "project": None,
        }
        if kind == FundMovementKind.VERSAMENTO:
            for column in ("id_progetto", "id_erogazione"):
                if r.get(column):
                    r.fail(column, "un versamento non riguarda un progetto né un finanziamento")
        elif kind:
            for field, column, file in (
                ("project", "id_progetto", "progetti.csv"),
                ("parent", "id_erogazione", "erogazioni.csv"),
            ):
                if r.get(column):
                    self._ref(r, field, column, file)
                else:
                    r.fail(
                        column,
                        "manca: garanzie, svincoli ed escussioni riguardano un "
                        "finanziamento garantito di un progetto",
                    )
        return record

    def _check_fund(self) -> None:
        """A guarantee, release or call names a guaranteed loan of its own project; in date
        order, no guarantee beyond what the fund had available, no release or call beyond
        what the loan still held (the rule Approdo keeps for new movements)."""
        name = "fondo_garanzia.csv"
        rejected = []
        for seq, loan, loan_kind, loan_project, record in self.staging.fetch(
            """
            SELECT m.seq, m.parent, l.kind, l.parent, m.record
            FROM legacy_row m JOIN legacy_row l
              ON l.file = 'erogazioni.csv' AND l.key = m.parent AND l.status = %s
            WHERE m.file = %s AND m.status = %s
            """,
            [OK, name, OK],
        ):
            if loan_kind != PaymentKind.FINANZIAMENTO_GARANTITO:
                reason = f"l'erogazione {loan} non è un finanziamento garantito"
            elif pickle.loads(record)["project"] != loan_project:
                reason = f"l'erogazione {loan} è del progetto {loan_project}"
            else:
                continue
            rejected.append((seq, "id_erogazione", str(loan), reason))
        rejected_seqs = {seq for seq, *_ in rejected}
        position = FundPosition(on=None)
        held: dict[int, Decimal] = defaultdict(Decimal)
        for seq, kind, day, amount, loan in self.staging.stream(
            "SELECT seq, kind, day, amount, parent FROM legacy_row "
            "WHERE file = %s AND status = %s ORDER BY day, key",
            [name, OK],
        ):
            if seq in rejected_seqs:
                continue
            if kind == FundMovementKind.GARANZIA and amount > position.available:
                rejected.append(
                    (
                        seq,
                        "importo",
                        str(amount),
                        f"la garanzia supera la disponibilità del fondo al {day:%d/%m/%Y} "
                        f"({position.available} euro)",
                    )
                )
                continue
            if (
                kind in (FundMovementKind.SVINCOLO, FundMovementKind.ESCUSSIONE)
                and amount > held[loan]
            ):
                rejected.append(
                    (
                        seq,
                        "importo",
                        str(amount),
                        "supera quanto il fondo garantiva ancora su quel finanziamento "
                        f"({held[loan]} euro)",
                    )
                )
                continue
            position = position.after(kind, amount, day)
            if loan is not None:
                held[loan] += amount if kind == FundMovementKind.GARANZIA else -amount
        self._reject_staged(name, rejected)


def _batched(items: Iterable, size: int) -> Iterator[list]:
    """itertools.batched, which Python 3.12 brings."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
