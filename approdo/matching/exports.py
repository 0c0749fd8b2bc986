"""A run's whole ranking as a file made by the worker: everyone in the pool, ranked or
excluded with the reason (the page shows the first ones; see approdo/exports/registry.py)."""

from django.urls import reverse

from approdo.accounts.roles import EXPORT_PEOPLE
from approdo.exports.registry import FileKind, register_file_kind
from approdo.exports.services import LIST_FORMATS, list_writer

from .engine import CRITERIA_LABELS, ExcludedPerson, RankedPerson, rank_candidates
from .forms import RankingFileForm
from .models import MatchingRun

WHOLE_POOL = 2**31 - 1


def whole_ranking(run: int | None = None) -> list[RankedPerson | ExcludedPerson]:
    """The run's request ranked again now, with the run's weights, without limits."""
    if run is None:
        return []
    matching_run = MatchingRun.objects.select_related("vacancy").get(pk=run)
    ranking = rank_candidates(
        matching_run.vacancy,
        weights=matching_run.weights,
        ranked_limit=WHOLE_POOL,
        excluded_limit=None,
    )
    return [*ranking.ranked, *ranking.excluded]


def _part(name: str):
    return lambda item: item.parts.get(name) if isinstance(item, RankedPerson) else None


RANKING_COLUMNS = (
    ("Posizione", lambda item: item.rank if isinstance(item, RankedPerson) else None),
    ("Persona", lambda item: item.name),
    ("Codice fiscale", lambda item: item.fiscal_code or ""),
    ("Punteggio su 100", lambda item: item.score if isinstance(item, RankedPerson) else None),
    *((f"Punti: {label}", _part(name)) for name, label in CRITERIA_LABELS.items()),
    (
        "Cosa manca / perché è esclusa",
        lambda item: "; ".join(item.missing if isinstance(item, RankedPerson) else item.reasons),
    ),
)

register_file_kind(
    FileKind(
        slug="classifica",
        label="Classifica completa di un abbinamento",
        formats=LIST_FORMATS,
        capability=EXPORT_PEOPLE,
        write=list_writer(select=whole_ranking, columns=RANKING_COLUMNS, sheet_title="Classifica"),
        filter_form=RankingFileForm,
        back=lambda export: (
            "Torna all'abbinamento",
            reverse("matching:run_detail", args=[export.filters["run"]]),
        ),
    )
)
