"""The ranking's rules, one piece per requirement kind.

A request is read once into a `Request`: its must-haves become exclusions, its
nice-to-haves parts of the score and entries of "what is missing". Each piece answers
whether a person lacks it, for every person of the pool at once (`lacks`, numpy arrays,
see pool.py) and for one person (`lacked_by`, the reverse view), and says in words why a
person is excluded or what they miss: the words come from the same piece that decides.
The score's parts (each between 0 and 1, weighted to points out of 100) are in
`score_parts`, and for one person in `person_parts`.

These rules are the ones the ranking has always applied in SQL (statement.py keeps that
statement; approdo/matching/tests/test_engine_equivalence.py compares the two).
"""

import functools
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np
from django.utils import timezone

from approdo.occupations.models import Occupation
from approdo.people.choices import Education, ItalianLevel, Licence, Shift
from approdo.places.geography import normalise

from .pool import Columns, Vocabulary

LICENCE_BITS = {code: 1 << bit for bit, code in enumerate(Licence.values)}
SHIFT_BITS = {code: 1 << bit for bit, code in enumerate(Shift.values)}
ITALIAN_ORDER = {level: index for index, level in enumerate(ItalianLevel.values, start=1)}
EDUCATION_ORDER = {level: index for index, level in enumerate(Education.values)}
# How a ranking names a level of Italian that is missing: as a nice-to-have, as an exclusion.
ITALIAN_MISSING = "italiano {level}"
ITALIAN_BELOW = "italiano sotto il livello {level} richiesto"
DEFAULT_DISTANCE_KM = 50
RECENT_INTERVIEW_DAYS = 90
STALE_INTERVIEW_DAYS = 730


@functools.cache
def licence_label(code: str) -> str:
    label = dict(Licence.choices).get(code, code)
    return label if code in label else f"{label} ({code})"


@dataclass(frozen=True)
class PoolView:
    """One ranking's view of the pool: the columns and what the request makes of them."""

    columns: Columns
    skills: Vocabulary
    km: np.ndarray  # per row, NaN where a coordinate is missing
    placed: np.ndarray  # per row: in a job, stage or traineeship today


@dataclass(frozen=True)
class PersonValues:
    """One person as the rules read them (the reverse view: one person, many requests);
    the same columns as the pool's, as plain values."""

    licence_mask: int
    shift_mask: int
    italian_rank: int
    education_rank: int
    weekly_hours: int | None
    own_transport: bool
    consent: bool
    placed: bool
    interview_epoch: float | None
    skills: frozenset[str]
    experienced: frozenset[int]
    occupations: frozenset[int]


class Piece(ABC):
    """Something a person may lack. `key` names it in the counts of exclusions.

    `lacks` answers for every person of the pool at once, `lacked_by` for one person (the
    same rule, side by side); `reason` says why a person lacking it is excluded."""

    key: str = ""
    # Listed among what a ranked person misses when it is a nice-to-have (None: not listed).
    missing: str | None = None

    @abstractmethod
    def lacks(self, pool: PoolView) -> np.ndarray:
        """Per row of the pool: whether the person lacks it."""

    @abstractmethod
    def lacked_by(self, person: PersonValues, km: float | None) -> bool:
        """Whether this one person (living `km` from the workplace) lacks it."""

    @abstractmethod
    def reason(self, weekly_hours: int | None, km: float | None) -> str:
        """Why a person is excluded when this is a must-have (the person's hours and
        distance are all a reason may quote)."""


@dataclass
class LicenceHeld(Piece):
    code: str

    def __post_init__(self):
        self.key = f"patente {self.code}"
        self.missing = licence_label(self.code)
        self.bit = LICENCE_BITS.get(self.code, 0)

    def lacks(self, pool):
        return (pool.columns.licence_mask & self.bit) == 0

    def lacked_by(self, person, km):
        return not person.licence_mask & self.bit

    def reason(self, weekly_hours, km):
        return f"manca: {licence_label(self.code)}"


@dataclass
class ItalianLevelReached(Piece):
    level: str

    def __post_init__(self):
        self.key = f"italiano {self.level}"
        self.missing = ITALIAN_MISSING.format(level=self.level)
        self.rank = ITALIAN_ORDER.get(self.level, 0)

    def lacks(self, pool):
        return pool.columns.italian_rank < self.rank

    def lacked_by(self, person, km):
        return person.italian_rank < self.rank

    def reason(self, weekly_hours, km):
        return ITALIAN_BELOW.format(level=self.level)


@dataclass
class EducationReached(Piece):
    level: str

    def __post_init__(self):
        self.key = f"titolo {self.level}"
        self.rank = EDUCATION_ORDER.get(self.level, 0)

    def lacks(self, pool):
        return pool.columns.education_rank < self.rank

    def lacked_by(self, person, km):
        return person.education_rank < self.rank

    def reason(self, weekly_hours, km):
        return f"titolo di studio inferiore a: {self.level}"


@dataclass
class SkillHeld(Piece):
    label: str

    def __post_init__(self):
        self.key = f"competenza {self.label}"
        self.missing = f"competenza «{self.label}»"
        self.skill = normalise(self.label)

    def lacks(self, pool):
        skill = pool.skills.lookup(self.skill)
        return ~pool.columns.skills.rows_with_any([skill], len(pool.columns))

    def lacked_by(self, person, km):
        return self.skill not in person.skills

    def reason(self, weekly_hours, km):
        return f"manca la competenza «{self.label}»"


@dataclass
class ExperienceInJob(Piece):
    occupation_id: int
    occupation: str
    key: str = "esperienza"

    def lacks(self, pool):
        return ~pool.columns.experienced.rows_with_any([self.occupation_id], len(pool.columns))

    def lacked_by(self, person, km):
        return self.occupation_id not in person.experienced

    def reason(self, weekly_hours, km):
        return f"nessuna esperienza come {self.occupation.lower()}"


@dataclass
class OwnTransport(Piece):
    key: str = "mezzo proprio"
    missing: str | None = "mezzo proprio"

    def lacks(self, pool):
        return ~pool.columns.own_transport

    def lacked_by(self, person, km):
        return not person.own_transport

    def reason(self, weekly_hours, km):
        return "senza mezzo proprio"


@dataclass
class WithinDistance(Piece):
    km: int
    key: str = "distanza"

    def lacks(self, pool):
        with np.errstate(invalid="ignore"):
            return pool.km > self.km  # an unknown distance excludes no one

    def lacked_by(self, person, km):
        return km is not None and km > self.km

    def reason(self, weekly_hours, km):
        return f"abita a {round(km)} km (massimo {self.km})"


@dataclass
class EnoughHours(Piece):
    hours: int
    key: str = "ore"

    def lacks(self, pool):
        offered = pool.columns.weekly_hours
        return (offered >= 0) & (offered < self.hours)  # -1: hours not said

    def lacked_by(self, person, km):
        return person.weekly_hours is not None and person.weekly_hours < self.hours

    def reason(self, weekly_hours, km):
        return f"disponibile per {weekly_hours} ore settimanali, ne servono {self.hours}"


@dataclass
class ShiftAvailable(Piece):
    shift: str
    text: str
    key: str

    def lacks(self, pool):
        return (pool.columns.shift_mask & SHIFT_BITS[self.shift]) == 0

    def lacked_by(self, person, km):
        return not person.shift_mask & SHIFT_BITS[self.shift]

    def reason(self, weekly_hours, km):
        return self.text


@dataclass
class NotPlaced(Piece):
    key: str = "già inserito"

    def lacks(self, pool):
        return pool.placed

    def lacked_by(self, person, km):
        return person.placed

    def reason(self, weekly_hours, km):
        return "già inserito/a al lavoro"


@dataclass
class ConsentToProposal(Piece):
    key: str = "consenso"

    def lacks(self, pool):
        return ~pool.columns.consent

    def lacked_by(self, person, km):
        return not person.consent

    def reason(self, weekly_hours, km):
        return "non ha dato il consenso a essere proposto/a alle aziende"


def _digits(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()]


@dataclass
class Request:
    """A personnel request as the ranking reads it (from engine.RankingInputs)."""

    occupation_id: int
    occupation: str
    isco_code: str
    latitude: float | None
    longitude: float | None
    weekly_hours: int | None
    nights: bool
    weekends: bool
    must: dict[str, list[str]] = field(default_factory=dict)
    nice: dict[str, list[str]] = field(default_factory=dict)
    cv_terms: str = ""

    @classmethod
    def from_inputs(cls, inputs) -> "Request":
        must: dict[str, list[str]] = {}
        nice: dict[str, list[str]] = {}
        for requirement in inputs["requirements"]:
            side = must if requirement["must"] else nice
            side.setdefault(requirement["kind"], []).append(requirement["value"])
        return cls(
            occupation_id=inputs["occupation_id"],
            occupation=inputs["occupation"],
            isco_code=inputs["isco_code"],
            latitude=inputs["latitude"],
            longitude=inputs["longitude"],
            weekly_hours=inputs["weekly_hours"],
            nights=inputs["nights"],
            weekends=inputs["weekends"],
            must=must,
            nice=nice,
            cv_terms=cv_query_terms(
                inputs["job_title"],
                inputs["occupation"],
                inputs["description"],
                *[r["value"] for r in inputs["requirements"] if r["kind"] == "competenza"],
            ),
        )

    def exclusions(self) -> list[Piece]:
        """What excludes, in the order the reasons are listed."""
        must = self.must
        pieces: list[Piece] = [LicenceHeld(code) for code in must.get("patente", [])]
        pieces += [ItalianLevelReached(level) for level in must.get("italiano", [])]
        pieces += [EducationReached(level) for level in must.get("titolo di studio", [])]
        pieces += [SkillHeld(label) for label in must.get("competenza", [])]
        if must.get("esperienza"):
            pieces.append(ExperienceInJob(self.occupation_id, self.occupation))
        if must.get("mezzo proprio"):
            pieces.append(OwnTransport())
        if distance := _digits(must.get("distanza", [])):
            pieces.append(WithinDistance(distance[0]))
        if self.weekly_hours:
            pieces.append(EnoughHours(self.weekly_hours))
        if self.nights:
            pieces.append(ShiftAvailable(Shift.NOTTE, "non disponibile di notte", key="notti"))
        if self.weekends:
            pieces.append(
                ShiftAvailable(
                    Shift.WEEKEND, "non disponibile nel fine settimana", key="fine settimana"
                )
            )
        return [*pieces, NotPlaced(), ConsentToProposal()]

    def nice_to_haves(self) -> list[Piece]:
        """What a ranked person may miss, in the order it is listed."""
        nice = self.nice
        pieces: list[Piece] = [LicenceHeld(code) for code in nice.get("patente", [])]
        pieces += [SkillHeld(label) for label in nice.get("competenza", [])]
        pieces += [ItalianLevelReached(level) for level in nice.get("italiano", [])]
        if nice.get("mezzo proprio"):
            pieces.append(OwnTransport())
        return pieces

    @property
    def max_km(self) -> int:
        """The distance at which the distance part reaches 0."""
        return (
            _digits(self.must.get("distanza", []))
            or _digits(self.nice.get("distanza", []))
            or [DEFAULT_DISTANCE_KM]
        )[0]


# How relevant a CV (`cv.search`, its Italian text vector) is to a request's words
# (`q.query`), between 0 and 1: the expression of the CV's part of the score, in SQL.
CV_RELEVANCE_SQL = (
    "CASE WHEN cv.search @@ q.query THEN least(1, 10 * ts_rank(cv.search, q.query)) "
    "ELSE 0 END::float8"
)


@functools.lru_cache(maxsize=8192)  # the same requests, read again for every person
def cv_query_terms(*texts: str) -> str:
    """An OR query of the significant words, for to_tsquery('italian', ...)."""
    words: list[str] = []
    for text in texts:
        for word in re.findall(r"[a-z0-9]+", normalise(text)):
            if len(word) >= 4 and word not in words:
                words.append(word)
    return " | ".join(words[:40])


@dataclass(frozen=True)
class Occupations:
    """The request's occupation and its relatives in the ISCO classification."""

    exact: int
    same_unit: list[int]
    same_minor: list[int]

    @classmethod
    def of(cls, request: Request, catalogue: dict | None = None) -> "Occupations":
        """From the vocabulary, or from `catalogue` (minor_groups(): read once for many
        requests)."""
        minor = request.isco_code[:3]
        if catalogue is None:
            catalogue = minor_groups(Occupation.objects.filter(isco_code__startswith=minor))
        related = catalogue.get(minor, [])
        return cls(
            exact=request.occupation_id,
            same_unit=[pk for pk, code in related if code == request.isco_code],
            same_minor=[pk for pk, _ in related],
        )


def minor_groups(occupations=None) -> dict[str, list[tuple[int, str]]]:
    """ISCO minor group (3 digits) -> (id, ISCO code) of its occupations."""
    groups: dict[str, list[tuple[int, str]]] = {}
    rows = (occupations if occupations is not None else Occupation.objects).values_list(
        "pk", "isco_code"
    )
    for pk, code in rows:
        groups.setdefault(code[:3], []).append((pk, code))
    return groups


@dataclass(frozen=True)
class InterviewWindow:
    """A first interview scores 1 within RECENT_INTERVIEW_DAYS, 0 beyond
    STALE_INTERVIEW_DAYS, linearly in between (epoch seconds)."""

    recent: float
    stale: float

    @classmethod
    def on(cls, today: date) -> "InterviewWindow":
        start = datetime.combine(today, time.min, tzinfo=timezone.get_current_timezone())
        return cls(
            recent=(start - timedelta(days=RECENT_INTERVIEW_DAYS)).timestamp(),
            stale=(start - timedelta(days=STALE_INTERVIEW_DAYS)).timestamp(),
        )


def _share_met(pieces: list[Piece], pool: PoolView) -> np.ndarray:
    """The share of the pieces each person has (1 when there are none)."""
    if not pieces:
        return np.ones(len(pool.columns))
    met = sum((~piece.lacks(pool)).astype(np.int64) for piece in pieces)
    return met / len(pieces)


def _level_part(ranks: np.ndarray, wanted: list[int]) -> np.ndarray:
    """1 at or above the first wanted level, 0.5 one below, else 0."""
    if not wanted:
        return np.ones(len(ranks))
    return np.where(ranks >= wanted[0], 1.0, np.where(ranks == wanted[0] - 1, 0.5, 0.0))


def score_parts(
    request: Request, pool: PoolView, occupations: Occupations, window: InterviewWindow
) -> dict[str, np.ndarray]:
    """Each criterion's part (0-1) for every row, but the CV's (read from PostgreSQL for
    the few who can still reach the top: engine.py)."""
    columns, rows = pool.columns, len(pool.columns)
    nice = request.nice
    # 1: an occupation of the same minor group, 2: of the same unit group, 3: the same.
    closeness = columns.occupations.best_per_row(
        dict.fromkeys(occupations.same_minor, 1)
        | dict.fromkeys(occupations.same_unit, 2)
        | {occupations.exact: 3},
        rows,
    )
    max_km = request.max_km
    epoch = columns.interview_epoch
    with np.errstate(invalid="ignore"):
        distance = np.where(np.isnan(pool.km), 0.5, 1 - np.minimum(pool.km, max_km) / max_km)
        recency = np.where(
            np.isnan(epoch),
            0.0,
            np.maximum(0, np.minimum(1, (epoch - window.stale) / (window.recent - window.stale))),
        )
    return {
        # In the order the score adds them (which the identical sums depend on).
        "occupation": np.array([0.0, 0.3, 0.6, 1.0])[closeness],
        "skills": _share_met([SkillHeld(label) for label in nice.get("competenza", [])], pool),
        "licences": _share_met([LicenceHeld(code) for code in nice.get("patente", [])], pool),
        "language": _level_part(
            columns.italian_rank, [ITALIAN_ORDER.get(v, 0) for v in nice.get("italiano", [])]
        ),
        "education": _level_part(
            columns.education_rank,
            [EDUCATION_ORDER.get(v, 0) for v in nice.get("titolo di studio", [])],
        ),
        "distance": distance,
        "recency": recency,
    }


def person_parts(
    request: Request,
    person: PersonValues,
    km: float | None,
    occupations: Occupations,
    window: InterviewWindow,
) -> dict[str, float]:
    """score_parts for one person: the same rules, on plain values."""
    nice = request.nice
    occupation = (
        0.0
        if person.occupations.isdisjoint(occupations.same_minor)
        else 1.0
        if occupations.exact in person.occupations
        else 0.6
        if not person.occupations.isdisjoint(occupations.same_unit)
        else 0.3
    )

    def share_met(pieces: list[Piece]) -> float:
        if not pieces:
            return 1.0
        return sum(not piece.lacked_by(person, km) for piece in pieces) / len(pieces)

    def level_part(rank: int, wanted: list[int]) -> float:
        if not wanted:
            return 1.0
        return 1.0 if rank >= wanted[0] else 0.5 if rank == wanted[0] - 1 else 0.0

    max_km = request.max_km
    epoch = person.interview_epoch
    return {
        "occupation": occupation,
        "skills": share_met([SkillHeld(label) for label in nice.get("competenza", [])]),
        "licences": share_met([LicenceHeld(code) for code in nice.get("patente", [])]),
        "language": level_part(
            person.italian_rank, [ITALIAN_ORDER.get(v, 0) for v in nice.get("italiano", [])]
        ),
        "education": level_part(
            person.education_rank,
            [EDUCATION_ORDER.get(v, 0) for v in nice.get("titolo di studio", [])],
        ),
        "distance": 0.5 if km is None else 1 - min(km, max_km) / max_km,
        "recency": (
            0.0
            if epoch is None
            else max(0.0, min(1.0, (epoch - window.stale) / (window.recent - window.stale)))
        ),
    }
