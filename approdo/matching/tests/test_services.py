import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from approdo.matching import services
from approdo.matching.models import CandidacyStage, MatchingResult, RefusalReason
from approdo.people.choices import ConsentPurpose
from approdo.people.services import set_consent
from tests.factories import ready_person, vacancy


@pytest.mark.django_db
def test_a_run_is_stored_with_weights_inputs_and_result(operator):
    first, second = ready_person(licences=["B"]), ready_person()
    v = vacancy(requirements=[("patente", "B", True)])
    run, _ = services.run_matching(vacancy=v, by=operator)
    assert run.weights == services.current_weights().as_dict()
    assert run.inputs["requirements"] == [{"kind": "patente", "value": "B", "must": True}]
    assert (run.pool_size, run.ranked_count, run.excluded_count) == (2, 1, 1)
    ranked = MatchingResult.objects.get(run=run, rank=1)
    assert ranked.person == first and ranked.parts
    assert MatchingResult.objects.get(run=run, rank=None).person == second


@pytest.mark.django_db
def test_skipping_a_higher_ranked_person_needs_a_recorded_reason(operator):
    from approdo.occupations.models import Occupation

    best = ready_person(desired_occupations=[Occupation.objects.get(name="Magazziniere").pk])
    lower = ready_person()
    v = vacancy()
    run, _ = services.run_matching(vacancy=v, by=operator)
    with pytest.raises(ValidationError, match="più in alto"):
        services.shortlist(vacancy=v, person=lower, by=operator, run=run)
    candidacy = services.shortlist(
        vacancy=v,
        person=lower,
        by=operator,
        run=run,
        override_reason="Abita vicino e ha già lavorato con loro",
    )
    assert candidacy.override_reason.startswith("Abita vicino")
    assert candidacy.rank_at_shortlist == 2
    # The best one can be added afterwards without a reason.
    assert services.shortlist(vacancy=v, person=best, by=operator, run=run).override_reason == ""


@pytest.mark.django_db
def test_proposing_someone_the_machine_excluded_needs_a_reason(operator):
    excluded = ready_person(licences=[])
    v = vacancy(requirements=[("patente", "CQC", True)])
    run, _ = services.run_matching(vacancy=v, by=operator)
    with pytest.raises(ValidationError, match="escluso"):
        services.shortlist(vacancy=v, person=excluded, by=operator, run=run)
    services.shortlist(
        vacancy=v,
        person=excluded,
        by=operator,
        run=run,
        override_reason="Sta conseguendo la CQC, esame tra una settimana",
    )


@pytest.mark.django_db
def test_the_pipeline_records_refusals_with_their_reason(operator):
    person = ready_person()
    v = vacancy()
    run, _ = services.run_matching(vacancy=v, by=operator)
    candidacy = services.shortlist(vacancy=v, person=person, by=operator, run=run)
    services.advance_candidacy(candidacy=candidacy, stage=CandidacyStage.PROPOSED, by=operator)
    with pytest.raises(ValidationError, match="perché la persona ha rifiutato"):
        services.advance_candidacy(candidacy=candidacy, stage=CandidacyStage.REFUSED, by=operator)
    company_side = RefusalReason.objects.get(side="azienda", label="Posizione già coperta")
    with pytest.raises(ValidationError, match="non è tra i motivi"):
        services.advance_candidacy(
            candidacy=candidacy, stage=CandidacyStage.REFUSED, by=operator, refusal=company_side
        )
    hours = RefusalReason.objects.get(side="persona", label="Orari non compatibili")
    services.advance_candidacy(
        candidacy=candidacy,
        stage=CandidacyStage.REFUSED,
        by=operator,
        refusal=hours,
        refusal_reason="Ha i figli piccoli",
    )
    candidacy.refresh_from_db()
    assert (candidacy.refusal, candidacy.refusal_reason) == (hours, "Ha i figli piccoli")
    from approdo.reports.indicators import refusals

    year = timezone.localdate().year
    assert refusals(year) == {"Ha rifiutato la persona: orari non compatibili": 1}
    assert list(candidacy.events.values_list("stage", flat=True)) == [
        "selezionato",
        "proposto",
        "rifiutato",
    ]


@pytest.mark.django_db
def test_cv_is_sent_only_with_consent_and_stages_follow_their_order(operator):
    person = ready_person()
    v = vacancy()
    candidacy = services.shortlist(
        vacancy=v, person=person, by=operator, override_reason="Segnalata dal servizio sociale"
    )
    with pytest.raises(ValidationError, match="non si passa"):
        services.advance_candidacy(candidacy=candidacy, stage=CandidacyStage.CV_SENT, by=operator)
    services.advance_candidacy(candidacy=candidacy, stage=CandidacyStage.PROPOSED, by=operator)
    services.advance_candidacy(candidacy=candidacy, stage=CandidacyStage.ACCEPTED, by=operator)
    # Withdrawn at the desk: the CV no longer leaves, the proposal consent aside.
    set_consent(person=person, purpose=ConsentPurpose.INVIO_CV, given=False, channel="sportello")
    with pytest.raises(ValidationError, match="consenso"):
        services.advance_candidacy(candidacy=candidacy, stage=CandidacyStage.CV_SENT, by=operator)


@pytest.mark.django_db
def test_weights_cannot_all_be_zero(coordinator):
    data = dict.fromkeys(services.current_weights().as_dict(), 0)
    with pytest.raises(ValidationError):
        services.update_weights(data=data, by=coordinator)
