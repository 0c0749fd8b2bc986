"""Audit entries whose content only some roles may read (special-category data, GDPR art. 9).

An app declares, in its AppConfig.ready, a model whose entries are restricted (all of their
content, or some fields) and the capability that reads them. The log then shows to other
roles *that* something changed, never what.
"""

from dataclasses import dataclass

MASK = "riservato"


@dataclass(frozen=True)
class Restriction:
    capability: str
    fields: frozenset[str] | None = None  # None: the whole entry


_RESTRICTED: dict[str, Restriction] = {}


def restrict_audit(model, *, capability: str, fields: tuple[str, ...] | None = None) -> None:
    _RESTRICTED[model._meta.label_lower] = Restriction(
        capability, frozenset(fields) if fields is not None else None
    )


def restriction_for(model) -> Restriction | None:
    return _RESTRICTED.get(model._meta.label_lower) if model is not None else None
