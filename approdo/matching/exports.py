"""Files made by the worker (see approdo/exports/registry.py): a run's whole ranking,
everyone in the pool ranked or excluded with the reason (the page shows the first ones);
the candidacies list."""

from django.urls import reverse

from approdo.accounts.roles import EXPORT_PEOPLE
from approdo.exports.registry import FileKind, register_file_kind
from approdo.exports.services import LIST_FORMATS, list_writer

from .engine import CRITERIA_LABELS, ExcludedPerson, RankedPerson, rank_candidates
from .forms import CandidacyFilterForm, RankingFileForm
from .models import MatchingRun
from .selectors import filter_candidacies, visible_candidacies

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


CANDIDACY_COLUMNS = (
    ("ID", lambda c: c.pk),
    ("Scheda", lambda c: c.person_id),
    ("Cognome", lambda c: c.person.last_name),
    ("Nome", lambda c: c.person.first_name),
    ("Richiesta", lambda c: c.vacancy_id),
    ("Mansione", lambda c: c.vacancy.job_title),
    ("Azienda", lambda c: c.vacancy.company.name),
    ("Fase", lambda c: c.get_stage_display()),
    ("Posizione alla selezione", lambda c: c.rank_at_shortlist),
    ("Punteggio alla selezione", lambda c: c.score_at_shortlist),
    ("Motivo del rifiuto", lambda c: c.refusal.label if c.refusal else ""),
    ("Commento sul rifiuto", lambda c: c.refusal_reason),
    ("CV inviato il", lambda c: c.cv_sent_at),
    ("Colloquio in azienda", lambda c: c.company_interview_on),
    ("In selezione dal", lambda c: c.created_at),
)

register_file_kind(
    FileKind(
        slug="candidature",
        label="Elenco delle candidature",
        formats=LIST_FORMATS,
        capability=EXPORT_PEOPLE,
        write=list_writer(
            select=filter_candidacies,
            columns=CANDIDACY_COLUMNS,
            sheet_title="Candidature",
            scoped=visible_candidacies,
        ),
        filter_form=CandidacyFilterForm,
        back=lambda export: ("Torna all'elenco", reverse("matching:candidacies")),
    )
)
