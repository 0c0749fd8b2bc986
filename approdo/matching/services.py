"""Matching runs, human oversight of the ranking, and the selection pipeline."""

import json
import time

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from approdo.comms.services import queue_email
from approdo.companies.models import CompanyInteraction
from approdo.core.services import assign_fields
from approdo.people.choices import Status
from approdo.people.models import Person

from .engine import Ranking, rank_candidates
from .models import (
    CANDIDACY_WORKFLOW,
    Candidacy,
    CandidacyEvent,
    CandidacyStage,
    MatchingResult,
    MatchingRun,
    MatchingWeights,
    RefusalReason,
)
from .proposal import proposal_profile, sendable_cvs

STORED_EXCLUDED = 200

# Which stage may follow which (the rest is refused with a message).


def current_weights() -> MatchingWeights:
    return MatchingWeights.objects.get_or_create(pk=1)[0]


@transaction.atomic
def update_weights(*, data: dict, by) -> MatchingWeights:
    weights = current_weights()
    assign_fields(instance=weights, fields=MatchingWeights.CRITERIA, data=data)
    if not any(data[name] for name in MatchingWeights.CRITERIA):
        raise ValidationError("Almeno un criterio deve avere un peso maggiore di zero.")
    weights.updated_by = by
    weights.save()
    return weights


@transaction.atomic
def run_matching(
    *, vacancy, by, ranked_limit: int = 100, excluded_limit: int | None = STORED_EXCLUDED
) -> tuple[MatchingRun, Ranking]:
    """Rank people for the vacancy and store the run with its weights, inputs and result.

    The stored result holds the ranked people and the first excluded ones (with
    their reasons); the counts cover everyone.
    """
    if vacancy.occupation_id is None:
        raise ValidationError(
            "La richiesta non ha una professione del vocabolario (è stata importata con una "
            "mansione da classificare): la indichi con «Modifica» prima dell'abbinamento."
        )
    weights = current_weights().as_dict()
    started = time.perf_counter()
    ranking = rank_candidates(
        vacancy, weights=weights, ranked_limit=ranked_limit, excluded_limit=excluded_limit
    )
    run = MatchingRun.objects.create(
        vacancy=vacancy,
        run_by=by,
        weights=weights,
        inputs=ranking.inputs,
        pool_size=ranking.pool_size,
        ranked_count=ranking.ranked_count,
        excluded_count=ranking.excluded_count,
        excluded_by_reason=ranking.excluded_by_reason,
        duration_ms=int((time.perf_counter() - started) * 1000),
    )
    _store_results(run, ranking)
    return run, ranking


def _store_results(run: MatchingRun, ranking: Ranking) -> None:
    """The ranked and the first excluded, written with COPY: 300 rows of JSON took 35 ms
    through bulk_create (mostly binding the parameters), 3 ms this way."""
    table = connection.ops.quote_name(MatchingResult._meta.db_table)
    columns = ("run_id", "person_id", "rank", "score", "parts", "missing", "reasons", "reason_keys")
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for r in ranking.ranked:
            copy.write_row(
                (
                    run.pk,
                    r.person_id,
                    r.rank,
                    r.score,
                    json.dumps(r.parts),
                    json.dumps(r.missing),
                    "[]",
                    "[]",
                )
            )
        for e in ranking.excluded[:STORED_EXCLUDED]:
            copy.write_row(
                (
                    run.pk,
                    e.person_id,
                    None,
                    e.score,
                    "{}",
                    "[]",
                    json.dumps(e.reasons),
                    json.dumps(e.reason_keys),
                )
            )


# The stages that end a candidacy in a refusal, and who refused.
REFUSING_SIDE: dict[str, str] = {
    CandidacyStage.REFUSED: RefusalReason.Side.PERSON,
    CandidacyStage.NOT_CHOSEN: RefusalReason.Side.COMPANY,
}


def _log(candidacy: Candidacy, stage: str, by, note: str = "") -> None:
    CandidacyEvent.objects.create(
        candidacy=candidacy, stage=stage, by=by, note=note, at=timezone.now()
    )


def oversight_reason_needed(*, run: MatchingRun | None, person: Person, vacancy) -> str:
    """Why shortlisting this person departs from the machine's ranking ('' when it does not)."""
    if run is None:
        return "La persona è scelta senza un abbinamento: indichi il motivo."
    result = run.results.filter(person=person).first()
    if result is None:
        return "La persona non era tra i candidati dell'abbinamento: indichi il motivo."
    if result.rank is None:
        return (
            "L'abbinamento aveva escluso la persona ("
            + "; ".join(result.reasons)
            + "): indichi il motivo della scelta."
        )
    chosen = set(vacancy.candidacies.values_list("person_id", flat=True))
    skipped = run.results.filter(rank__lt=result.rank).exclude(person_id__in=chosen).count()
    if skipped:
        return (
            f"Ci sono {skipped} persone più in alto in classifica non ancora selezionate: "
            "indichi perché sceglie questa persona."
        )
    return ""


@transaction.atomic
def shortlist(
    *, vacancy, person: Person, by, run: MatchingRun | None = None, override_reason: str = ""
) -> Candidacy:
    """Put a person in the selection; departing from the ranking needs a recorded reason."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not vacancy.is_open:
        raise ValidationError("La richiesta non è aperta: riaprila per selezionare candidati.")
    if person.status != Status.IN_CARICO:
        raise ValidationError("Si possono selezionare solo persone in carico.")
    if Candidacy.objects.filter(vacancy=vacancy, person=person).exists():
        raise ValidationError("La persona è già nella selezione di questa richiesta.")
    needed = oversight_reason_needed(run=run, person=person, vacancy=vacancy)
    if needed and not override_reason.strip():
        raise ValidationError({"override_reason": needed})
    result = run.results.filter(person=person).first() if run else None
    candidacy = Candidacy.objects.create(
        vacancy=vacancy,
        person=person,
        run=run,
        created_by=by,
        rank_at_shortlist=result.rank if result else None,
        score_at_shortlist=result.score if result else None,
        override_reason=override_reason.strip() if needed else "",
    )
    _log(candidacy, CandidacyStage.SHORTLISTED, by, candidacy.override_reason)
    return candidacy


@transaction.atomic
def advance_candidacy(
    *,
    candidacy: Candidacy,
    stage: str,
    by,
    note: str = "",
    refusal_reason: str = "",
    refusal: RefusalReason | None = None,
    interview_on=None,
) -> Candidacy:
    """Move a candidacy to its next stage; the CV leaves only with the person's consent."""
    candidacy = Candidacy.objects.select_for_update().select_related("person").get(pk=candidacy.pk)
    CANDIDACY_WORKFLOW.check(candidacy.stage, stage)
    refusing_side = REFUSING_SIDE.get(stage)
    if refusing_side is not None:
        who = "la persona" if refusing_side == RefusalReason.Side.PERSON else "l'azienda"
        if refusal is None:
            raise ValidationError({"refusal": f"Scelga perché {who} ha rifiutato."})
        if refusal.side != refusing_side:
            raise ValidationError(
                {"refusal": f"«{refusal}» non è tra i motivi per cui {who} rifiuta."}
            )
        candidacy.refusal = refusal
        candidacy.refusal_reason = refusal_reason.strip()
    if stage == CandidacyStage.CV_SENT:
        if candidacy.person.consent_cv_at is None:
            raise ValidationError(
                "La persona non ha dato il consenso all'invio del CV alle aziende."
            )
        candidacy.cv_sent_at = timezone.now()
    if stage == CandidacyStage.INTERVIEW:
        if interview_on is None:
            raise ValidationError({"interview_on": "Indichi la data del colloquio in azienda."})
        candidacy.company_interview_on = interview_on
    candidacy.stage = stage
    candidacy.save()
    _log(
        candidacy, stage, by, note or " – ".join(filter(None, [str(refusal or ""), refusal_reason]))
    )
    return candidacy


@transaction.atomic
def advance_many(
    *, candidacies: list[Candidacy], stage: str, by, contact=None, message: str = "", **details
) -> int:
    """Move several candidacies of one request to the same stage at once: all of them or
    none (the first refusal names the person and why). Moving them to "CV sent" with a
    company contact also e-mails the CVs to that contact. Returns how many moved."""
    if contact is not None and stage != CandidacyStage.CV_SENT:
        raise ValidationError(
            "I curriculum si inviano all'azienda solo con la fase «CV inviato all'azienda»."
        )
    for candidacy in candidacies:
        try:
            advance_candidacy(candidacy=candidacy, stage=stage, by=by, **details)
        except ValidationError as error:
            raise ValidationError(
                f"Nessuna selezione è stata aggiornata: per {candidacy.person} "
                + " ".join(error.messages)
            ) from error
    if contact is not None and candidacies:
        send_proposal(candidacies=candidacies, contact=contact, message=message, by=by)
    return len(candidacies)


def send_proposal(*, candidacies: list[Candidacy], contact, message: str, by):
    """One e-mail to the company's contact proposing the people, each with their CV file
    when they have one (attached from the file on delivery) and a short profile."""
    vacancy = candidacies[0].vacancy
    if contact.company_id != vacancy.company_id:
        raise ValidationError("Il referente scelto non è di questa azienda.")
    if not contact.email:
        raise ValidationError(f"{contact} non ha un indirizzo e-mail: lo aggiunga all'azienda.")
    people = [candidacy.person for candidacy in candidacies]
    if any(person.consent_cv_at is None for person in people):  # checked again: never leaks
        raise ValidationError("Una delle persone non ha dato il consenso all'invio del CV.")
    cvs = sendable_cvs(people)
    email = queue_email(
        to=contact.email,
        kind="proposta candidati",
        template="candidates_proposal",
        context={
            "contact": contact,
            "vacancy": vacancy,
            "profiles": [proposal_profile(person, cvs.get(person.pk)) for person in people],
            "message": message.strip(),
            "operator_name": by.get_full_name() or by.username,
        },
        documents=[(name, version) for name, version in cvs.values()],
        about=people,
        requested_by=by,
    )
    CompanyInteraction.objects.create(
        company_id=vacancy.company_id,
        kind=CompanyInteraction.Kind.EMAIL,
        happened_on=timezone.localdate(),
        notes=f"Proposti per «{vacancy.job_title}» a {contact}: "
        + ", ".join(str(person) for person in people),
        operator=by,
    )
    for candidacy in candidacies:
        _log(candidacy, CandidacyStage.CV_SENT, by, f"CV inviato per e-mail a {contact}")
    return email
