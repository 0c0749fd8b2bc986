"""Where an import keeps the export's rows between reading and writing: PostgreSQL temporary
tables of the import's own connection, so that the process's memory does not grow with the
export (two million people need what two hundred thousand need).

`legacy_row` holds every record read: the parsed record of a valid row, the raw cells of a
rejected one. The few columns the checks across rows need (person, fiscal code, day, kind,
continued placement) are real columns; the rest travels pickled. The tables live as long as
the connection and are dropped when the import ends.
"""

import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import DatabaseError, connection

OK, REJECTED, ALIAS = "ok", "scartata", "riammissione"
BATCH_SIZE = 5000

TABLES = """
DROP TABLE IF EXISTS legacy_row, legacy_problem, legacy_alias;
CREATE TEMPORARY TABLE legacy_row (
    seq bigserial PRIMARY KEY,
    file text NOT NULL,
    key bigint,
    line integer NOT NULL,
    status text NOT NULL,
    person bigint,
    code text,
    day date,
    kind text,
    previous bigint,
    parent bigint,
    amount numeric,
    depth integer,
    reasons text NOT NULL DEFAULT '',
    record bytea NOT NULL
);
CREATE INDEX legacy_row_key ON legacy_row (file, key);
CREATE INDEX legacy_row_person ON legacy_row (file, person);
CREATE INDEX legacy_row_previous ON legacy_row (file, previous);
CREATE TEMPORARY TABLE legacy_problem (
    seq bigserial PRIMARY KEY,
    file text NOT NULL,
    line integer NOT NULL,
    column_name text NOT NULL,
    value text NOT NULL,
    reason text NOT NULL,
    severity text NOT NULL,
    file_level boolean NOT NULL
);
CREATE INDEX legacy_problem_line ON legacy_problem (file, line);
CREATE TEMPORARY TABLE legacy_alias (
    later bigint PRIMARY KEY,
    first bigint NOT NULL,
    day date,
    line integer NOT NULL,
    first_line integer NOT NULL
);
CREATE INDEX legacy_alias_first ON legacy_alias (first);
"""


@dataclass
class StagedRow:
    file: str
    key: int | None
    line: int
    status: str
    record: object  # the parsed record (valid) or the raw cells (rejected)
    reasons: str = ""
    person: int | None = None
    code: str | None = None
    day: object = None
    kind: str | None = None
    previous: int | None = None
    parent: int | None = None  # a payment's project, a fund movement's loan
    amount: object = None


ROW_COLUMNS = (
    "file",
    "key",
    "line",
    "status",
    "reasons",
    "person",
    "code",
    "day",
    "kind",
    "previous",
    "parent",
    "amount",
    "record",
)
PROBLEM_COLUMNS = ("file", "line", "column_name", "value", "reason", "severity", "file_level")


class Staging:
    batch_size = BATCH_SIZE

    def __init__(self):
        with connection.cursor() as cursor:
            cursor.execute(TABLES)

    def drop(self) -> None:
        """Remove the tables now (they would go with the connection anyway): never the
        error that hides why an import stopped."""
        try:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS legacy_row, legacy_problem, legacy_alias")
        except DatabaseError:
            pass

    @staticmethod
    def _copy(table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def add_rows(self, rows: list[StagedRow]) -> None:
        self._copy(
            "legacy_row",
            ROW_COLUMNS,
            (
                (
                    row.file,
                    row.key,
                    row.line,
                    row.status,
                    row.reasons,
                    row.person,
                    row.code,
                    row.day,
                    row.kind,
                    row.previous,
                    row.parent,
                    row.amount,
                    pickle.dumps(row.record, protocol=pickle.HIGHEST_PROTOCOL),
                )
                for row in rows
            ),
        )

    def add_problems(self, problems: Iterable) -> None:
        self._copy(
            "legacy_problem",
            PROBLEM_COLUMNS,
            (
                (p.file, p.line, p.column, p.value, p.reason, p.severity, p.file_level)
                for p in problems
            ),
        )

    def execute(self, sql: str, params: Iterable | None = None) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def fetch(self, sql: str, params: Iterable | None = None) -> list[tuple]:
        """A small result (a batch's worth), whole."""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def stream(self, sql: str, params: Iterable | None = None) -> Iterator[tuple]:
        """A large result, a batch at a time (a server-side cursor)."""
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(self.batch_size):
                yield from rows

    def key_states(self, file: str, keys: Iterable[int]) -> dict[int, str]:
        """The state of the rows of a file with these ids ('ok' wins over a rejected copy)."""
        states: dict[int, str] = {}
        for key, status in self.fetch(
            "SELECT key, status FROM legacy_row WHERE file = %s AND key = ANY(%s)",
            [file, list(set(keys))],
        ):
            if states.get(key) != OK:
                states[key] = status
        return states

    def first_registrations(self, keys: Iterable[int]) -> dict[int, int]:
        """Later registrations of a person among these ids -> the first one's id."""
        return dict(
            self.fetch(
                "SELECT later, first FROM legacy_alias WHERE later = ANY(%s)", [list(set(keys))]
            )
        )

    def valid_records(self, file: str, *extra: str, order: str = "key") -> Iterator[list[tuple]]:
        """The valid records of a file in batches: (key, record, *extra columns)."""
        columns = ", ".join(("key", "record", *extra))
        batch: list[tuple] = []
        for key, record, *rest in self.stream(
            f"SELECT {columns} FROM legacy_row WHERE file = %s AND status = %s ORDER BY {order}",
            [file, OK],
        ):
            batch.append((key, pickle.loads(record), *rest))
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def rejected(self, file: str) -> Iterator[tuple[int, list[str], str]]:
        """(line, raw cells, reasons) of the rejected rows of a file, in file order."""
        for line, record, reasons in self.stream(
            "SELECT line, record, reasons FROM legacy_row WHERE file = %s AND status = %s "
            "ORDER BY line",
            [file, REJECTED],
        ):
            yield line, pickle.loads(record), reasons

    def count(self, file: str, status: str) -> int:
        return self.fetch(
            "SELECT count(*) FROM legacy_row WHERE file = %s AND status = %s", [file, status]
        )[0][0]
