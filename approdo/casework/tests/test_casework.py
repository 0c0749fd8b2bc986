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
from approdo.matching.models import Candidacy, CandidacyEvent
from approdo.placements.models import Placement
from conftest import login
from tests.factories import PersonFactory, UserFactory, company, ready_person, vacancy


@pytest.mark.django_db
def test_notes_are_locked_after_a_while_and_restricted_ones_stay_with_ips(ips_specialist):
    operator = UserFactory()
    person = PersonFactory(in_ips_path=True)
    note = services.add_note(subject=person, text="Ha chiamato", restricted=False, by=operator)
    services.correct_note(note=note, text="Ha chiamato lunedì", by=operator)
    with pytest.raises(ValidationError, match="non si può più correggere"):
        services.correct_note(note=note, text="x", by=UserFactory())  # not the author
    Note.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    note.refresh_from_db()
    with pytest.raises(ValidationError, match="non si può più correggere"):
        services.correct_note(note=note, text="Troppo tardi", by=operator)
    with pytest.raises(ValidationError, match="specialisti IPS"):
        services.add_note(subject=person, text="Terapia", restricted=True, by=operator)
    services.add_note(subject=person, text="Terapia QXZ", restricted=True, by=ips_specialist)

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
    url = reverse("casework:task_add", args=["persone", person.pk])
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
    services.add_note(subject=recent, text="Sentita oggi", restricted=False, by=operator)
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


@pytest.mark.django_db
def test_notes_and_tasks_on_a_company_and_a_request(operator_client, operator, auditor):
    employer = company()
    request_ = vacancy(company=employer)
    today = timezone.localdate()
    for kind, subject, page in (
        ("aziende", employer, reverse("companies:detail", args=[employer.pk])),
        ("richieste", request_, reverse("vacancies:detail", args=[request_.pk])),
    ):
        operator_client.post(
            reverse("casework:note_add", args=[kind, subject.pk]),
            {"text": f"Referente in ferie fino al 10 ({kind})", "is_restricted": "on"},
        )
        answer = operator_client.post(
            reverse("casework:task_add", args=[kind, subject.pk]),
            {"title": f"Richiamare il referente ({kind})", "due_on": today.isoformat()},
        )
        assert answer.url == f"{page}#attivita"
        shown = operator_client.get(page).content.decode()
        assert f"Referente in ferie fino al 10 ({kind})" in shown
        assert f"Richiamare il referente ({kind})" in shown
        # The read-only role reads them and can write neither.
        reader = login(Client(), auditor)
        assert f"({kind})" in reader.get(page).content.decode()
        refused = reader.post(
            reverse("casework:note_add", args=[kind, subject.pk]), {"text": "Non io"}
        )
        assert refused.status_code == 403
    # A restricted note only exists on a person's file, whatever the form sends.
    assert not Note.objects.filter(is_restricted=True).exists()
    with pytest.raises(ValidationError, match="persona"):
        services.add_note(
            subject=employer,
            text="Salute",
            restricted=True,
            by=UserFactory(role=Role.SPECIALISTA_IPS),
        )
    desk = operator_client.get(reverse("people:dashboard")).content.decode()
    assert str(employer) in desk and str(request_) in desk
    note = Note.objects.get(company=employer)
    correction = reverse("casework:note_correct", args=[note.pk])
    operator_client.post(correction, {"text": "Referente rientrato"})
    note.refresh_from_db()
    assert note.text == "Referente rientrato"
    task = Task.objects.get(vacancy=request_)
    operator_client.post(reverse("casework:task_done", args=[task.pk]))
    task.refresh_from_db()
    assert task.done_by == operator


@pytest.mark.django_db
def test_a_request_with_nobody_proposed_after_ten_days_becomes_a_task(operator):
    today = timezone.localdate()
    old = today - timedelta(days=services.NO_CANDIDATE_DAYS + 1)
    waiting = vacancy(requested_on=old)
    type(waiting).objects.filter(pk=waiting.pk).update(created_by=operator)
    shortlisted_only = vacancy(requested_on=old, job_title="Solo selezionati")
    Candidacy.objects.create(vacancy=shortlisted_only, person=ready_person(), stage="selezionato")
    proposed = vacancy(requested_on=old, job_title="Con proposta")
    Candidacy.objects.create(vacancy=proposed, person=ready_person(), stage="proposto")
    vacancy(requested_on=today - timedelta(days=3), job_title="Troppo recente")
    filled = vacancy(requested_on=old, job_title="Coperta")
    type(filled).objects.filter(pk=filled.pk).update(status="coperta")

    assert services.raise_due_tasks(today=today) == 2
    assert services.raise_due_tasks(today=today) == 0
    tasks = Task.objects.filter(origin=Task.Origin.NO_CANDIDATE)
    assert {task.vacancy for task in tasks} == {waiting, shortlisted_only}
    assert tasks.get(vacancy=waiting).assignee == operator


@pytest.mark.django_db
def test_the_morning_digest_counts_the_day_without_names(
    operator_client, operator, run_tasks, mailbox
):
    operator.email = "operatore@approdo.test"
    operator.save()
    operator_client.post(reverse("casework:daily_digest"), {"attivo": "1"})
    operator.refresh_from_db()
    assert operator.daily_digest
    today = timezone.localdate()
    followed = PersonFactory(case_manager=operator, last_name="Riservatissimo")
    for days, title in ((-3, "In ritardo"), (0, "Oggi"), (0, "Anche oggi"), (2, "Dopo")):
        Task.objects.create(
            person=followed,
            title=title,
            due_on=today + timedelta(days=days),
            assignee=operator,
            origin=Task.Origin.MANUAL,
        )
    PersonFactory(registered_at=timezone.now())  # a new registration, waiting
    UserFactory(email="altro@approdo.test")  # did not ask for it

    assert services.send_daily_digests(today=today) == 1
    assert services.send_daily_digests(today=today) == 0  # once a day
    run_tasks()
    [message] = mailbox
    text = message.get_content()
    assert message["To"] == "operatore@approdo.test"
    assert "attività in ritardo: 1" in text and "attività in scadenza oggi: 2" in text
    assert "in attesa del primo colloquio: 1" in text
    assert "Riservatissimo" not in text and "/lavoro/" in text

    operator_client.post(reverse("casework:daily_digest"), {"attivo": "0"})
    operator.refresh_from_db()
    assert not operator.daily_digest
    assert services.send_daily_digests(today=today + timedelta(days=1)) == 0


@pytest.mark.django_db
def test_answers_not_received_become_tasks_for_whoever_asked(operator):
    today = timezone.localdate()
    case_manager = UserFactory()
    job = vacancy(job_title="Cameriere")

    def waiting(stage: str, days: int, *, asked_by=None) -> Candidacy:
        candidacy = Candidacy.objects.create(
            vacancy=job, person=ready_person(case_manager=case_manager), stage=stage
        )
        if asked_by:
            CandidacyEvent.objects.create(
                candidacy=candidacy, stage=stage, by=asked_by, at=timezone.now()
            )
        Candidacy.objects.filter(pk=candidacy.pk).update(
            updated_at=timezone.now() - timedelta(days=days)
        )
        return candidacy

    unanswered = waiting("proposto", services.NO_ANSWER_DAYS["proposto"] + 1, asked_by=operator)
    silent_company = waiting("cv inviato", services.NO_ANSWER_DAYS["cv inviato"] + 1)
    waiting("proposto", 2)  # too soon
    waiting("accettato", 20)  # answered

    assert services.raise_due_tasks(today=today) == 2
    assert services.raise_due_tasks(today=today) == 0
    tasks = Task.objects.filter(origin=Task.Origin.NO_ANSWER)
    to_call = tasks.get(person=unanswered.person)
    assert to_call.assignee == operator and "richiamare la persona" in to_call.title
    to_ask = tasks.get(person=silent_company.person)
    assert to_ask.assignee == case_manager and "sentire l'azienda" in to_ask.title
    assert "Cameriere" in to_ask.title


@pytest.mark.django_db
def test_a_repeated_online_registration_is_a_task_done_when_reviewed(client, operator):
    from approdo.portal.tests.test_views import form_data

    person = PersonFactory(
        first_name="Mario", last_name="Rossi", fiscal_code="RSSMRA85T10A944C", case_manager=operator
    )
    client.post(reverse("portal:register"), form_data(email="altra@esempio.it"))
    task = Task.objects.get(origin=Task.Origin.REGISTRATION)
    assert (task.person, task.assignee, task.done_at) == (person, operator, None)
    login(client, operator)
    client.post(reverse("people:registrations_reviewed", args=[person.pk]))
    task.refresh_from_db()
    assert task.done_at is not None
