"""ATECO sectors from the `ateco` package (ISTAT classification, editions 2025, 2022, 2007)."""

from dataclasses import dataclass
from functools import cache

import ateco

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


@cache
def section_choices() -> list[tuple[str, str]]:
    """The sections of the current edition, for filters."""
    sections = []
    for letter in "ABCDEFGHIJKLMNOPQRSTUV":
        node = ateco.lookup(letter, edition=EDITIONS[0])
        if node is not None:
            sections.append((letter, f"{letter} – {node.title.capitalize()}"))
    return sections
