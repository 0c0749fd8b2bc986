from datetime import date

import pytest
from django.core.exceptions import ValidationError

from approdo.matching.models import CandidacyStage
from approdo.matching.services import advance_candidacy, shortlist
from approdo.placements import services
from approdo.placements.models import Placement
from tests.factories import company, ready_person, vacancy

HIRING = {
    "placement_type": "assunzione",
    "contract": "tempo determinato",
    "start_on": date(2026, 3, 1),
    "weekly_hours": 30,
    "job_title": "Magazziniere",
}


@pytest.mark.django_db
def test_end_before_start_is_refused(operator):
    with pytest.raises(ValidationError, match="non può precedere"):
        services.record_placement(
            person=ready_person(),
            company=company(),
            by=operator,
            data={**HIRING, "end_on": date(2026, 2, 1)},
        )
    assert not Placement.objects.exists()


@pytest.mark.django_db
def test_mini_job_over_twenty_hours_is_refused(operator):
    with pytest.raises(ValidationError, match="sotto le 20 ore"):
        services.record_placement(
            person=ready_person(),
            company=company(),
            by=operator,
            data={**HIRING, "placement_type": "mini job", "contract": "", "weekly_hours": 30},
        )


@pytest.mark.django_db
def test_a_person_out_of_the_programme_needs_an_explicit_readmission(operator):
    person = ready_person(status="fuori protocollo", exit_reason="altro")
    with pytest.raises(ValidationError, match="riammessa"):
        services.record_placement(person=person, company=company(), by=operator, data=HIRING)
    services.record_placement(
        person=person, company=company(), by=operator, data=HIRING, readmit=True
    )
    person.refresh_from_db()
    assert person.status == "in carico"
    assert person.status_changes.filter(is_readmission=True).exists()


@pytest.mark.django_db
def test_a_hire_from_the_selection_fills_the_request(operator):
    person = ready_person()
    v = vacancy(positions=1)
    candidacy = shortlist(vacancy=v, person=person, by=operator, override_reason="prova")
    for stage in (CandidacyStage.PROPOSED, CandidacyStage.ACCEPTED, CandidacyStage.CV_SENT):
        advance_candidacy(candidacy=candidacy, stage=stage, by=operator)
    placement = services.record_placement(
        person=person, company=v.company, vacancy=v, candidacy=candidacy, by=operator, data=HIRING
    )
    candidacy.refresh_from_db()
    v.refresh_from_db()
    assert candidacy.stage == CandidacyStage.HIRED
    assert placement.candidacy == candidacy
    assert v.status == "coperta"


@pytest.mark.django_db
def test_permanent_hire_moves_the_person_out_as_working_in_one_step(operator, run_tasks, mailbox):
    person = ready_person()
    services.record_placement(
        person=person,
        company=company(),
        by=operator,
        move_out_as_working=True,
        data={**HIRING, "contract": "tempo indeterminato"},
    )
    person.refresh_from_db()
    assert (person.status, person.exit_reason) == ("fuori protocollo", "lavora")
    with pytest.raises(ValidationError, match="tempo indeterminato"):
        services.record_placement(
            person=ready_person(),
            company=company(),
            by=operator,
            move_out_as_working=True,
            data=HIRING,
        )


@pytest.mark.django_db
def test_a_stage_transformed_into_a_permanent_contract_is_a_new_linked_placement(operator):
    person = ready_person()
    employer = company()
    stage = services.record_placement(
        person=person,
        company=employer,
        by=operator,
        data={
            "placement_type": "stage",
            "start_on": date(2025, 9, 1),
            "end_on": date(2026, 2, 28),
            "weekly_hours": 30,
            "job_title": "Magazziniere",
            "monthly_stipend": 450,
            "tutor": "Paola Neri",
            "stage_outcome": "assunto",
        },
    )
    hire = services.record_placement(
        person=person,
        company=employer,
        by=operator,
        continues=stage,
        data={**HIRING, "contract": "tempo indeterminato", "continuation": "trasformazione"},
    )
    assert hire.continues == stage
    assert list(stage.continuations.all()) == [hire]
    with pytest.raises(ValidationError, match="rinnovo, una proroga"):
        services.record_placement(
            person=person, company=employer, by=operator, continues=stage, data=HIRING
        )


@pytest.mark.django_db
def test_stipend_only_for_stages(operator):
    with pytest.raises(ValidationError, match="indennità"):
        services.record_placement(
            person=ready_person(),
            company=company(),
            by=operator,
            data={**HIRING, "monthly_stipend": 300},
        )


@pytest.mark.django_db
def test_a_placement_past_the_positions_of_a_request_is_refused(operator):
    request = vacancy()  # one position
    employer = request.company
    services.record_placement(
        person=ready_person(), company=employer, vacancy=request, by=operator, data=HIRING
    )
    with pytest.raises(ValidationError, match="1 posti, già tutti coperti"):
        services.record_placement(
            person=ready_person(), company=employer, vacancy=request, by=operator, data=HIRING
        )
    assert request.placements.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"placement_type": "stage", "contract": "", "monthly_stipend": -100}, "monthly_stipend"),
        ({"weekly_hours": 0}, "weekly_hours"),
    ],
)
def test_a_negative_stipend_or_zero_hours_are_refused(operator, data, field):
    with pytest.raises(ValidationError) as refused:
        services.record_placement(
            person=ready_person(), company=company(), by=operator, data={**HIRING, **data}
        )
    assert field in refused.value.message_dict
    assert not Placement.objects.exists()


@pytest.mark.django_db
def test_a_permanent_contract_starting_later_moves_the_person_out_on_its_first_day(
    operator, run_tasks, mailbox
):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from approdo.placements.tasks import move_out_when_started

    person = ready_person()
    start = timezone.localdate() + timedelta(days=10)
    placement = services.record_placement(
        person=person,
        company=company(),
        by=operator,
        move_out_as_working=True,
        data={**HIRING, "contract": "tempo indeterminato", "start_on": start, "end_on": None},
    )
    person.refresh_from_db()
    assert person.status == "in carico"  # not yet: the contract starts in ten days
    scheduled = DBTaskResult.objects.get(task_path__endswith="move_out_when_started")
    assert timezone.localtime(scheduled.run_after).date() == start
    assert move_out_when_started.call(placement_id=placement.pk) is False  # too early
    Placement.objects.filter(pk=placement.pk).update(start_on=timezone.localdate())
    assert move_out_when_started.call(placement_id=placement.pk) is True
    person.refresh_from_db()
    assert (person.status, person.exit_reason) == ("fuori protocollo", "lavora")
    run_tasks()
    assert any("lavoro" in message.get_content() for message in mailbox)
