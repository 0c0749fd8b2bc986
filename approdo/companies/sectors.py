"""ATECO sectors from the `ateco` package (ISTAT classification, editions 2025, 2022, 2007)."""

import re
from dataclasses import dataclass
from functools import cache

import ateco
from django.core.exceptions import ValidationError

from approdo.places.geography import normalise

EDITIONS = ("2025", "2022", "2007")


@dataclass(frozen=True)
class Sector:
    code: str
    edition: str
    title: str
    section: str  # the letter A–U


def lookup_sector(code: str) -> Sector | None:
    """Find an ATECO code in the current edition first, then in the older ones."""
    for edition in EDITIONS:
        node = ateco.lookup(code.strip(), edition=edition)
        if node is not None:
            return Sector(node.code, edition, node.title, _section_of(node.code, edition))
    return None


def _section_of(code: str, edition: str) -> str:
    node = ateco.lookup(code, edition=edition)
    while node is not None and node.parent:
        node = ateco.lookup(node.parent, edition=edition)
    return node.code if node is not None else ""


LINKING_WORDS = {"con", "per", "del", "dei", "della", "delle", "degli", "alla", "alle", "nel"}
CODE_AT_START = re.compile(r"^\s*([0-9]{2}(?:\.[0-9]{1,2}){0,2})(?:\s|$|[-–])")


def search_sectors(text: str, limit: int = 15) -> list[Sector]:
    """Activities of the current edition for what an operator types: a code (or its start),
    or words of the description; those whose title has every word come first."""
    text = text.strip()
    if not text:
        return []
    code = CODE_AT_START.match(text)
    if code:
        found = lookup_sector(code.group(1))
        return [found] if found else []
    # Words as their first letters (plurals and endings vary: pulizie, pulizia), without
    # the little words titles may not have.
    words = [(word, word[:5]) for word in _significant(text)]
    if not words:
        return []
    # The package searches notes too: keep activities whose title has every word (as the
    # start of one of its words), whole words first, then the most specific codes.
    pool = {
        n.code: n for word, _ in words for n in ateco.search(word, edition=EDITIONS[0], limit=2000)
    }

    def matches(node) -> tuple[int, int] | None:
        title_words = normalise(node.title).split()
        if not all(any(t.startswith(stem) for t in title_words) for _, stem in words):
            return None
        return (-sum(word in title_words for word, _ in words), -len(node.code))

    scored = [(key, n) for n in pool.values() if (key := matches(n)) is not None]
    ranked = [n for _, n in sorted(scored, key=lambda item: (item[0], item[1].code))]
    # A title repeated at several levels (49.41, 49.41.0, 49.41.00) once, the most specific.
    seen: set[str] = set()
    distinct = [
        n for n in ranked if not (normalise(n.title) in seen or seen.add(normalise(n.title)))
    ]
    return [
        Sector(n.code, EDITIONS[0], n.title, _section_of(n.code, EDITIONS[0]))
        for n in distinct[:limit]
    ]


def _significant(text: str) -> list[str]:
    return [w for w in normalise(text).split() if len(w) > 2 and w not in LINKING_WORDS]


def resolve_sector(text: str) -> Sector:
    """The one activity an operator meant: a code, a suggestion chosen from the list
    ("56.10.11 – Ristorazione…"), or a description that names exactly one activity."""
    if CODE_AT_START.match(text):
        code = CODE_AT_START.match(text).group(1)
        found = lookup_sector(code)
        if found is None:
            raise ValidationError(
                f"Il codice ATECO «{code}» non esiste nelle edizioni 2025, 2022 e 2007."
            )
        return found
    candidates = search_sectors(text)
    exact = [sector for sector in candidates if _significant(sector.title) == _significant(text)]
    if len(exact) == 1 or len(candidates) == 1:
        return (exact or candidates)[0]
    if not candidates:
        raise ValidationError(
            f"Nessuna attività ATECO corrisponde a «{text}»: provi con altre parole o con il "
            "codice."
        )
    examples = "; ".join(f"{s.code} – {s.title}" for s in candidates[:3])
    raise ValidationError(
        f"Più attività corrispondono a «{text}»: scelga dall'elenco (ad esempio {examples})."
    )


@cache
def section_choices() -> list[tuple[str, str]]:
    """The sections of the current edition, for filters."""
    sections = []
    for letter in "ABCDEFGHIJKLMNOPQRSTUV":
        node = ateco.lookup(letter, edition=EDITIONS[0])
        if node is not None:
            sections.append((letter, f"{letter} – {node.title.capitalize()}"))
    return sections
