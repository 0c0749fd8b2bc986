"""Who a mailing can write to besides a people search: audiences that higher apps register
(a survey's invited people, those who have not answered yet), with merge fields of their
own (each person's link to the survey)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet


@dataclass(frozen=True)
class Audience:
    key: str
    # Of a mailing: who it writes to, and their own merge values ({person id: {name: value}}).
    people: Callable[..., QuerySet]
    values: Callable[..., dict[int, dict[str, str]]]
    fields: dict[str, str] = field(default_factory=dict)  # merge field -> what it is


AUDIENCES: dict[str, Audience] = {}


def register_audience(audience: Audience) -> None:
    AUDIENCES[audience.key] = audience


def audience_of(mailing) -> Audience | None:
    return AUDIENCES[mailing.audience] if mailing.audience else None
