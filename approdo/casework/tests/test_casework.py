"""The operator's day: who follows whom, notes, tasks and the reminders Approdo raises."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approdo.accounts.roles import Role
from approdo.casework import services
from approdo.casework.models import Note, Task
from approdo.casework.selectors import caseload, people_without_contact
from approdo.placements.models import Placement
from conftest import login
from tests.factories import PersonFactory, UserFactory, company, ready_person


@pytest.mark.django_db
def test_notes_are_locked_after_a_while_and_restricted_ones_stay_with_ips(ips_specialist):
    operator = UserFactory()
    person = PersonFactory(in_ips_path=True)
    note = services.add_note(person=person, text="Ha chiamato", restricted=False, by=operator)
    services.correct_note(note=note, text="Ha chiamato lunedì", by=operator)
    with pytest.raises(ValidationError, match="non si può più correggere"):
        services.correct_note(note=note, text="x", by=UserFactory())  # not the author
    Note.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    note.refresh_from_db()
    with pytest.raises(ValidationError, match="non si può più correggere"):
        services.correct_note(note=note, text="Troppo tardi", by=operator)
    with pytest.raises(ValidationError, match="specialisti IPS"):
        services.add_note(person=person, text="Terapia", restricted=True, by=operator)
    services.add_note(person=person, text="Terapia QXZ", restricted=True, by=ips_specialist)

    coordinator_page = login(Client(), UserFactory(role=Role.COORDINATORE)).get(
        reverse("people:detail", args=[person.pk])
    )
    assert "QXZ" not in coordinator_page.content.decode()
    assert "Ha chiamato lunedì" in coordinator_page.content.decode()
    ips_page = login(Client(), ips_specialist).get(reverse("people:detail", args=[person.pk]))
    assert "QXZ" in ips_page.content.decode()
    assert LogEntry.objects.filter(changes_text="Lettura di 1 note riservate").exists()


@pytest.mark.django_db
def test_tasks_fill_my_day_and_are_done_from_the_desk(operator_client, operator):
    person = PersonFactory(case_manager=operator)
    today = timezone.localdate()
    url = reverse("casework:task_add", args=[person.pk])
    operator_client.post(url, {"title": "Richiamare", "due_on": today.isoformat()})
    refused = operator_client.post(
        url,
        {"title": "Ieri l'altro", "due_on": (today - timedelta(days=5)).isoformat()},
        follow=True,
    )
    assert "già passata" in refused.content.decode()
    task = Task.objects.get()
    Task.objects.create(
        person=person,
        title="In ritardo",
        due_on=today - timedelta(days=2),
        assignee=operator,
        origin=Task.Origin.MANUAL,
    )
    desk = operator_client.get(reverse("people:dashboard")).content.decode()
    assert "La mia giornata" in desk and "Richiamare" in desk and "in ritardo" in desk
    operator_client.post(reverse("casework:task_done", args=[task.pk]), {"da": "scrivania"})
    task.refresh_from_db()
    assert task.done_at and task.done_by == operator


@pytest.mark.django_db
def test_approdo_raises_checks_after_a_placement_and_before_a_stage_ends(operator):
    today = timezone.localdate()
    hired = PersonFactory(case_manager=operator)
    in_stage = PersonFactory(case_manager=operator)
    employer = company()
    Placement.objects.create(
        person=hired,
        company=employer,
        placement_type="assunzione",
        contract="tempo determinato",
        start_on=services.months_before(today, 3),
        job_title="Magazziniere",
    )
    Placement.objects.create(
        person=in_stage,
        company=employer,
        placement_type="tirocinio",
        start_on=today - timedelta(days=80),
        end_on=today + timedelta(days=10),
        job_title="Tirocinio",
        stage_outcome="in corso",
    )
    assert services.raise_due_tasks(today=today) == 2
    assert services.raise_due_tasks(today=today) == 0  # never twice
    origins = set(Task.objects.values_list("origin", "assignee"))
    assert origins == {
        (Task.Origin.PLACEMENT_CHECK, operator.pk),
        (Task.Origin.STAGE_ENDING, operator.pk),
    }


@pytest.mark.django_db
def test_my_people_and_those_without_contact(operator_client, operator, django_assert_num_queries):
    quiet = ready_person(case_manager=operator)
    type(quiet).objects.filter(pk=quiet.pk).update(
        first_interview_at=timezone.now() - timedelta(days=90)
    )
    recent = ready_person(case_manager=operator)
    services.add_note(person=recent, text="Sentita oggi", restricted=False, by=operator)
    PersonFactory(case_manager=operator, status="fuori protocollo", exit_reason="altro")
    for _ in range(5):
        ready_person(case_manager=operator)
    assert caseload(operator).count() == 7
    assert list(people_without_contact(operator)) == [quiet]
    with django_assert_num_queries(8):
        page = operator_client.get(reverse("casework:my_people"))
    assert page.status_code == 200 and str(quiet) in page.content.decode()


@pytest.mark.django_db
def test_a_coordinator_reassigns_a_caseload(run_tasks, mailbox):
    old, new = UserFactory(), UserFactory(email="nuovo@approdo.test")
    people = [ready_person(case_manager=old) for _ in range(3)]
    coordinator = login(Client(), UserFactory(role=Role.COORDINATORE))
    page = coordinator.get(reverse("casework:loads"), {"operatore": old.pk}).content.decode()
    assert str(people[0]) in page
    coordinator.post(
        reverse("casework:loads") + f"?operatore={old.pk}",
        {"people": [people[0].pk, people[1].pk], "operator": new.pk},
    )
    assert [p.case_manager_id for p in type(people[0]).objects.order_by("pk")] == [
        new.pk,
        new.pk,
        old.pk,
    ]
    run_tasks()
    [message] = mailbox
    assert message["To"] == "nuovo@approdo.test" and str(people[0]) in message.get_content()
    assert login(Client(), UserFactory()).get(reverse("casework:loads")).status_code == 403


@pytest.mark.django_db
def test_a_reassessment_as_ready_puts_the_person_in_the_ranking(operator_client):
    from approdo.matching.tests.test_engine import rank
    from tests.factories import vacancy

    person = ready_person(readiness="non pronto")
    job = vacancy()
    assert person.pk not in [item.person_id for item in rank(job).ranked]
    url = reverse("people:reassess", args=[person.pk])
    refused = operator_client.post(url, {"readiness": "pronto", "reason": ""}, follow=True)
    assert "Non è stato salvato nulla" in refused.content.decode()
    operator_client.post(url, {"readiness": "pronto", "reason": "Ha finito il corso"})
    person.refresh_from_db()
    assert person.readiness == "pronto"
    assert person.pk in [item.person_id for item in rank(job).ranked]
    change = person.reassessments.get()
    assert (change.from_readiness, change.reason) == ("non pronto", "Ha finito il corso")
    page = operator_client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Nuova valutazione: pronto al lavoro (era non pronto)" in page


@pytest.mark.django_db
def test_the_people_list_filters_by_case_manager_and_exit_reason(operator_client, operator):
    mine = ready_person(case_manager=operator)
    other = ready_person(case_manager=UserFactory())
    gone = PersonFactory(
        status="fuori protocollo", exit_reason="irreperibile", case_manager=operator
    )
    by_me = operator_client.get(reverse("people:list"), {"case_manager": operator.pk})
    assert [p.pk for p in by_me.context["page"]] == sorted([mine.pk, gone.pk], reverse=True)
    assert other not in by_me.context["page"]
    unreachable = operator_client.get(reverse("people:list"), {"exit_reason": "irreperibile"})
    assert [p.pk for p in unreachable.context["page"]] == [gone.pk]


@pytest.mark.django_db
def test_the_header_search_finds_people_i_read_and_companies(django_assert_max_num_queries):
    from approdo.accounts.models import Team
    from tests.factories import company

    centro, navile = Team.objects.create(name="Centro"), Team.objects.create(name="Navile")
    client = login(Client(), UserFactory(team=centro))
    mine = PersonFactory(team=centro, last_name="Cercabile")
    theirs = PersonFactory(team=navile, last_name="Cercabile")
    firm = company("Officine Cercabile Srl", vat_number="01234567890")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("casework:search"), {"q": "cercabile"}).content.decode()
    assert reverse("people:detail", args=[mine.pk]) in page
    assert reverse("people:detail", args=[theirs.pk]) not in page
    assert reverse("companies:detail", args=[firm.pk]) in page
    by_code = client.get(reverse("casework:search"), {"q": theirs.fiscal_code}).content.decode()
    assert reverse("people:break_glass", args=[theirs.pk]) in by_code
    by_vat = client.get(reverse("casework:search"), {"q": "0123456"}).content.decode()
    assert "Officine Cercabile Srl" in by_vat
    assert "ricerca-globale" in page  # the box is in the header of every page
