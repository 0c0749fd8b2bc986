"""The ranking's pool, kept in each process as numpy columns.

Every ranking reads the same few columns of the same people (those in charge and ready);
reading and scoring them in PostgreSQL cost 85-110 ms at 200,000 people, most of it
evaluating expressions row by row. Here each process holds those columns as arrays,
loaded once (about half a second at 200,000 people) and kept fresh by reading only what
changed: triggers on people, placements and CVs log the person (matching.PoolChange,
migration 0009), and before each ranking the pool reads the log rows it has not applied.

The pool reads through a connection of its own, in autocommit, so that it only ever holds
committed data: the changes that the caller's own transaction has not committed yet are
laid over the pool for that ranking only (`Pool.columns_for_ranking`), never kept.

Why the log is read by transaction id and not by sequence: sequence numbers are handed
out when rows are written, not when they commit, so a later number can become visible
before an earlier one. The pool remembers the oldest transaction still running when it
last read (the snapshot's xmin) and next time reads every row written by that transaction
or a later one, skipping the rows it has already applied.
"""

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, fields
from datetime import date

import numpy as np
import psycopg
from django.apps import apps
from django.db import connection

from approdo.people.models import RANKABLE_READINESS, RANKABLE_STATUS, Person
from approdo.places.models import Comune

from .models import PoolChange

logger = logging.getLogger(__name__)

# More changed people than this at once (an import) and the pool loads anew.
RELOAD_AFTER_CHANGES = 20_000
# A process idle this long reloads rather than trust a log that may have been pruned.
RELOAD_AFTER_IDLE_SECONDS = 3600
# Log rows older than this are deleted, at a cold load and then hourly.
LOG_KEPT = "1 day"
PRUNE_EVERY_SECONDS = 3600
# Distances to a workplace, per comune, kept for this many workplaces.
DISTANCE_CACHE_SIZE = 512
# CV relevances kept for this many requests' words (a few thousand people each at most).
CV_CACHE_SIZE = 256


class Vocabulary:
    """Strings (skills) as small integers, stable for the life of the process."""

    def __init__(self):
        self.ids: dict[str, int] = {}

    def id(self, value: str) -> int:
        return self.ids.setdefault(value, len(self.ids))

    def lookup(self, value: str) -> int:
        """The id of a value, -1 when no one has it."""
        return self.ids.get(value, -1)


@dataclass
class Multi:
    """A multi-valued column (occupations, skills) as pairs (row, value)."""

    rows: np.ndarray  # int32
    values: np.ndarray  # int32

    @classmethod
    def from_lists(cls, lists: list[list[int]]) -> "Multi":
        lengths = np.fromiter((len(values) for values in lists), np.int32, len(lists))
        rows = np.repeat(np.arange(len(lists), dtype=np.int32), lengths)
        values = np.fromiter(
            (value for values in lists for value in values), np.int32, int(lengths.sum())
        )
        return cls(rows, values)

    def rows_with_any(self, wanted, row_count: int) -> np.ndarray:
        """Per row: whether it holds any of the wanted values."""
        hit = np.zeros(row_count, bool)
        wanted = [value for value in wanted if value >= 0]
        if not wanted or not len(self.values):
            return hit
        if len(wanted) == 1:
            matches = self.values == wanted[0]
        else:
            lookup = np.zeros(max(int(self.values.max()), max(wanted)) + 1, bool)
            lookup[wanted] = True
            matches = lookup[self.values]
        hit[self.rows[matches]] = True
        return hit

    def best_per_row(self, ranks: dict[int, int], row_count: int) -> np.ndarray:
        """Per row: the highest rank (1, 2, ...) among its values, 0 for none; `ranks`
        gives values their rank. One pass over the values, however many are ranked."""
        best = np.zeros(row_count, np.int8)
        if not ranks or not len(self.values):
            return best
        lookup = np.zeros(max(int(self.values.max()), max(ranks)) + 1, np.int8)
        for value, rank in ranks.items():
            if value >= 0:
                lookup[value] = rank
        found = lookup[self.values]
        hits = np.flatnonzero(found)
        for rank in sorted(set(ranks.values())):  # a higher rank overwrites a lower one
            at_least = hits[found[hits] >= rank]
            best[self.rows[at_least]] = rank
        return best

    def appended(self, other: "Multi") -> "Multi":
        return Multi(
            np.concatenate([self.rows, other.rows]), np.concatenate([self.values, other.values])
        )


@dataclass
class Columns:
    """What the ranking reads of each person in the pool, one array per column, one row
    per person. A row whose person left the pool (or changed) is dead, not removed."""

    person_id: np.ndarray  # int64
    alive: np.ndarray  # bool
    comune: np.ndarray  # int32, index into Pool.comuni
    licence_mask: np.ndarray  # int32
    shift_mask: np.ndarray  # int32
    italian_rank: np.ndarray  # int16
    education_rank: np.ndarray  # int16
    weekly_hours: np.ndarray  # int32, -1 when not said
    own_transport: np.ndarray  # bool
    consent: np.ndarray  # bool
    interview_epoch: np.ndarray  # float64, NaN without a first interview
    placed_from: np.ndarray  # placements as (row, first day, last day) in day ordinals
    placed_rows: np.ndarray
    placed_until: np.ndarray
    skills: Multi
    experienced: Multi
    occupations: Multi

    SCALARS = (
        "person_id",
        "alive",
        "comune",
        "licence_mask",
        "shift_mask",
        "italian_rank",
        "education_rank",
        "weekly_hours",
        "own_transport",
        "consent",
        "interview_epoch",
    )

    def __len__(self) -> int:
        return len(self.person_id)

    def placed_on(self, day: date) -> np.ndarray:
        """Per row: whether the person is in a job, stage or traineeship on `day`."""
        ordinal = day.toordinal()
        placed = np.zeros(len(self), bool)
        current = (self.placed_from <= ordinal) & (self.placed_until >= ordinal)
        placed[self.placed_rows[current]] = True
        return placed

    def appended(self, other: "Columns") -> "Columns":
        """These rows followed by `other`'s (whose row numbers start at 0)."""
        offset = len(self)
        shift = np.int32(offset)
        values = {
            name: np.concatenate([getattr(self, name), getattr(other, name)])
            for name in self.SCALARS
        }
        for name in ("skills", "experienced", "occupations"):
            mine, theirs = getattr(self, name), getattr(other, name)
            values[name] = mine.appended(Multi(theirs.rows + shift, theirs.values))
        values["placed_rows"] = np.concatenate([self.placed_rows, other.placed_rows + shift])
        values["placed_from"] = np.concatenate([self.placed_from, other.placed_from])
        values["placed_until"] = np.concatenate([self.placed_until, other.placed_until])
        return Columns(**values)

    def with_dead(self, rows: np.ndarray) -> "Columns":
        """A copy whose `rows` are dead (the arrays other than `alive` are shared)."""
        alive = self.alive.copy()
        alive[rows] = False
        return Columns(**{f.name: getattr(self, f.name) for f in fields(self)} | {"alive": alive})

    def memory_bytes(self) -> int:
        total = 0
        for f in fields(self):
            value = getattr(self, f.name)
            arrays = (value.rows, value.values) if isinstance(value, Multi) else (value,)
            total += sum(array.nbytes for array in arrays)
        return total


def _pool_sql(where: str) -> str:
    person = Person._meta.db_table
    return f"""
        SELECT p.id, p.residence_comune_id, p.licence_mask, p.shift_mask, p.italian_rank,
            p.education_rank, coalesce(p.weekly_hours, -1), p.own_transport,
            p.consent_proposal_at IS NOT NULL,
            coalesce(date_part('epoch', p.first_interview_at), 'NaN'::float8),
            p.skills, p.experienced_occupations, p.all_occupations
        FROM {person} p
        WHERE p.status = %(status)s AND p.readiness = %(readiness)s
            AND p.processing_restricted_at IS NULL AND p.residence_comune_id IS NOT NULL
            {where}
        ORDER BY p.id
    """


def _placements_sql(where: str) -> str:
    placement = apps.get_model("placements", "Placement")._meta.db_table
    # Day ordinals as Python counts them (date.toordinal: 0001-01-01 is 1).
    return f"""
        SELECT person_id, start_on - '0001-01-01'::date + 1,
            coalesce(end_on - '0001-01-01'::date + 1, 2147483647)
        FROM {placement} WHERE true {where}
    """


def read_columns(cursor, comuni: dict[str, int], skills: Vocabulary, person_ids=None) -> Columns:
    """The pool's rows (all, or those of `person_ids` still in the pool) through `cursor`."""
    params = {"status": RANKABLE_STATUS, "readiness": RANKABLE_READINESS, "ids": person_ids}
    only = "AND p.id = ANY(%(ids)s)" if person_ids is not None else ""
    cursor.execute(_pool_sql(only), params)
    rows = cursor.fetchall()
    ids = [row[0] for row in rows]
    row_of = {person_id: row for row, person_id in enumerate(ids)}
    only = "AND person_id = ANY(%(ids)s)" if person_ids is not None else ""
    cursor.execute(_placements_sql(only), {"ids": person_ids})
    placements = [(row_of[p], first, last) for p, first, last in cursor.fetchall() if p in row_of]

    def column(index: int, dtype) -> np.ndarray:
        return np.fromiter((row[index] for row in rows), dtype, len(rows))

    def placement_column(index: int) -> np.ndarray:
        return np.fromiter((item[index] for item in placements), np.int32, len(placements))

    return Columns(
        person_id=np.array(ids, np.int64),
        alive=np.ones(len(rows), bool),
        comune=np.fromiter((comuni[row[1]] for row in rows), np.int32, len(rows)),
        licence_mask=column(2, np.int32),
        shift_mask=column(3, np.int32),
        italian_rank=column(4, np.int16),
        education_rank=column(5, np.int16),
        weekly_hours=column(6, np.int32),
        own_transport=column(7, bool),
        consent=column(8, bool),
        interview_epoch=column(9, np.float64),
        placed_rows=placement_column(0),
        placed_from=placement_column(1),
        placed_until=placement_column(2),
        skills=Multi.from_lists([[skills.id(skill) for skill in row[10]] for row in rows]),
        experienced=Multi.from_lists([row[11] for row in rows]),
        occupations=Multi.from_lists([row[12] for row in rows]),
    )


def _connection_params() -> dict:
    """The default database's connection parameters (the test database under pytest)."""
    params = connection.get_connection_params()
    return {
        key: value
        for key, value in params.items()
        if key in {"dbname", "host", "port", "user", "password", "sslmode", "options"}
    }


class Pool:
    """The pool of one process; `current()` gives it."""

    def __init__(self):
        self.lock = threading.RLock()
        self._connection: psycopg.Connection | None = None
        self._params: dict | None = None
        self.columns: Columns | None = None
        self.comuni: dict[str, int] = {}
        self.skills = Vocabulary()
        self.row_of: dict[int, int] = {}
        self._horizon = 0
        self._applied: set[int] = set()
        self._filenodes: tuple = ()
        self._checked_at = 0.0
        self._pruned_at = 0.0
        self._distances: dict[tuple[float, float], np.ndarray] = {}
        # A request's words -> person id -> their CV's relevance (ts_rank, as PostgreSQL
        # computes it): a ranking opened again reads no CV. A changed CV is in the log.
        self._cv: OrderedDict[str, dict[int, float]] = OrderedDict()
        self.loaded_in_ms = 0.0

    def close(self) -> None:
        """Drop the connection and the data (tests, before their database is dropped)."""
        with self.lock:
            if self._connection is not None:
                self._connection.close()
            self._connection = None
            self.columns = None

    # -- reading ----------------------------------------------------------------------
    def _cursor(self):
        params = _connection_params()
        if self._connection is None or self._connection.closed or params != self._params:
            if self._connection is not None:
                self._connection.close()
            self._connection = psycopg.connect(**params, autocommit=True)
            self._params = params
            self.columns = None
        return self._connection.cursor(binary=True)

    def _state(self, cursor) -> tuple[int, tuple]:
        """The oldest running transaction and the tables' storage (a TRUNCATE changes it)."""
        placement = apps.get_model("placements", "Placement")._meta.db_table
        cursor.execute(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, "
            "pg_relation_filenode(%s), pg_relation_filenode(%s)",
            [Person._meta.db_table, placement],
        )
        horizon, *filenodes = cursor.fetchone()
        return horizon, tuple(filenodes)

    def load(self) -> None:
        """Read the whole pool (one snapshot) and prune the change log."""
        started = time.perf_counter()
        cursor = self._cursor()
        with self._connection.transaction():
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            horizon, filenodes = self._state(cursor)
            cursor.execute(f"SELECT istat_code FROM {Comune._meta.db_table} ORDER BY istat_code")
            self.comuni = {code: index for index, (code,) in enumerate(cursor.fetchall())}
            self.columns = read_columns(cursor, self.comuni, self.skills)
        self._prune(cursor)
        self.row_of = {int(pid): row for row, pid in enumerate(self.columns.person_id)}
        self._horizon, self._filenodes = horizon, filenodes
        self._applied = set()
        self._distances = {}
        self._cv.clear()
        self._checked_at = time.monotonic()
        self.loaded_in_ms = (time.perf_counter() - started) * 1000

    def refresh(self) -> None:
        """Apply what was committed since the last look (or load, the first time)."""
        cursor = self._cursor()
        if self.columns is None or time.monotonic() - self._checked_at > RELOAD_AFTER_IDLE_SECONDS:
            self.load()
            return
        horizon, filenodes = self._state(cursor)
        if filenodes != self._filenodes:
            self.load()
            return
        cursor.execute(
            f"SELECT id, person_id FROM {PoolChange._meta.db_table} WHERE xid >= %s "
            "ORDER BY id LIMIT %s",
            [self._horizon, RELOAD_AFTER_CHANGES + len(self._applied) + 1],
        )
        log = cursor.fetchall()
        if len(log) > RELOAD_AFTER_CHANGES + len(self._applied):
            self.load()
            return
        fresh = [(seq, person) for seq, person in log if seq not in self._applied]
        if fresh:
            self._replace({person for _, person in fresh}, cursor)
        if time.monotonic() - self._pruned_at > PRUNE_EVERY_SECONDS:
            self._prune(cursor)
        # Rows below the new horizon can no longer appear: forget them.
        self._applied = {seq for seq, _ in log}
        self._horizon = horizon
        self._checked_at = time.monotonic()

    def _prune(self, cursor) -> None:
        """Delete the log's old rows (any process may: they are all past every horizon)."""
        cursor.execute(
            f"DELETE FROM {PoolChange._meta.db_table} WHERE recorded_at < now() - %s::interval",
            [LOG_KEPT],
        )
        self._pruned_at = time.monotonic()

    def _replace(self, person_ids: set[int], cursor) -> None:
        """Read these people again: their old rows die, the ones still in the pool are
        appended."""
        ids = sorted(person_ids)
        for relevance in self._cv.values():
            for person_id in ids:
                relevance.pop(person_id, None)
        try:
            rows = read_columns(cursor, self.comuni, self.skills, ids)
        except KeyError:  # a comune the pool has not seen: rare enough to reload
            self.load()
            return
        old = [self.row_of.pop(pid) for pid in ids if pid in self.row_of]
        columns = self.columns.with_dead(np.array(old, np.int64)) if old else self.columns
        if len(rows):
            first = len(columns)
            columns = columns.appended(rows)
            for offset, pid in enumerate(rows.person_id):
                self.row_of[int(pid)] = first + offset
        self.columns = columns
        dead = len(columns) - int(columns.alive.sum())
        if dead > max(5_000, len(columns) // 10):
            self.load()  # dead rows cost every ranking: start clean

    # -- for one ranking --------------------------------------------------------------
    def columns_for_ranking(self) -> tuple[Columns, set[int]]:
        """The pool as the caller's transaction sees it: fresh, with the caller's own
        uncommitted changes laid over; and the people of those changes."""
        with self.lock:
            self.refresh()
            columns = self.columns
            own = _own_uncommitted_changes()
            if not own:
                return columns, own
            with connection.cursor() as cursor:
                mine = read_columns(cursor.cursor, self.comuni, self.skills, sorted(own))
            dead = [self.row_of[pid] for pid in own if pid in self.row_of]
            if dead:
                columns = columns.with_dead(np.array(dead, np.int64))
            return (columns.appended(mine) if len(mine) else columns), own

    def cv_relevance(self, person_ids: list[int], terms: str, read, *, own: set[int]):
        """person id -> relevance of their CV to `terms` (0 without a CV), from the cache
        or from `read(ids, terms)` (through the caller's connection); what the caller's
        own transaction changed is read and not kept."""
        with self.lock:
            known = self._cv.get(terms, {})
            found = {pid: known[pid] for pid in person_ids if pid in known and pid not in own}
        missing = [pid for pid in person_ids if pid not in found]
        if missing:
            fresh = read(missing, terms)
            fresh = {pid: fresh.get(pid, 0.0) for pid in missing}
            found |= fresh
            with self.lock:
                kept = self._cv.setdefault(terms, {})
                self._cv.move_to_end(terms)
                kept.update((pid, value) for pid, value in fresh.items() if pid not in own)
                while len(self._cv) > CV_CACHE_SIZE:
                    self._cv.popitem(last=False)
        return found

    def distances(self, latitude: float | None, longitude: float | None) -> np.ndarray:
        """km from each comune (Pool.comuni order) to the point, NaN where either has no
        coordinates; computed by PostgreSQL with the formula the ranking always used."""
        if latitude is None or longitude is None:
            return np.full(len(self.comuni), np.nan)
        key = (latitude, longitude)
        with self.lock:
            if key not in self._distances:
                if len(self._distances) >= DISTANCE_CACHE_SIZE:
                    self._distances.clear()
                self._distances[key] = self._read_distances(latitude, longitude)
            return self._distances[key]

    def _read_distances(self, latitude: float, longitude: float) -> np.ndarray:
        cursor = self._cursor()
        cursor.execute(
            f"""
            SELECT istat_code, CASE WHEN latitude IS NULL THEN 'NaN'::float8 ELSE
                6371 * acos(least(1, cos(radians(latitude)) * cos(radians(%(lat)s)) *
                cos(radians(%(lon)s) - radians(longitude)) + sin(radians(latitude)) *
                sin(radians(%(lat)s)))) END
            FROM {Comune._meta.db_table}
            """,
            {"lat": latitude, "lon": longitude},
        )
        km = np.full(len(self.comuni), np.nan)
        for code, value in cursor.fetchall():
            if code in self.comuni:
                km[self.comuni[code]] = value
        return km


def _own_uncommitted_changes() -> set[int]:
    """People changed by the caller's transaction, not yet committed."""
    if not connection.in_atomic_block:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT person_id FROM {PoolChange._meta.db_table} "
            "WHERE xid = pg_current_xact_id_if_assigned()::text::bigint"
        )
        return {person for (person,) in cursor.fetchall()}


_pool = Pool()


def current() -> Pool:
    return _pool


def warm_up() -> None:
    """Load the pool ahead of the first ranking (a server's worker, at start)."""
    from django.db import DatabaseError, connections

    try:
        with _pool.lock:
            _pool.refresh()
    except (DatabaseError, psycopg.Error):
        logger.warning("The ranking's pool was not loaded ahead: the first ranking will.")
    finally:
        connections.close_all()  # this thread's own Django connection
