"""Courses: editions, enrolment with a waiting list, registers, close, outcomes and the
provider's risk share."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approdo.matching.selectors import course_searches
from approdo.partners.models import Partner
from approdo.placements.models import Placement
from approdo.reports import indicators
from approdo.training import selectors, services
from approdo.training.models import (
    Attendance,
    CatalogueCourse,
    Course,
    Participation,
)
from conftest import login
from tests.factories import PersonFactory, company

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _catalogue(**fields):
    defaults = {
        "title": "Patente CQC merci",
        "category": "tecnico-professionale",
        "mode": "presenza",
        "hours": 140,
        "qualification": "Carta di qualificazione del conducente",
        "gives_licence": "CQC",
    }
    return CatalogueCourse.objects.create(**{**defaults, **fields})


def _course(*, seats=None, start_on=None, end_on=None, catalogue=None, **fields):
    start_on = start_on or TODAY - timedelta(days=10)
    data = {
        "provider": Partner.objects.get_or_create(
            name="Autoscuola Emilia", kind="ente di formazione"
        )[0],
        "start_on": start_on,
        "end_on": end_on or start_on + timedelta(days=60),
        "mode": "presenza",
        "hours": 140,
        "cost": Decimal("10000"),
        "seats": seats,
        "risk_share": Decimal(30),
        "placement_target": 4,
        "risk_window_months": 6,
        **fields,
    }
    return services.save_course(catalogue=catalogue or _catalogue(), data=data)


def _place(person, on):
    return Placement.objects.create(
        person=person,
        company=company(),
        placement_type="assunzione",
        contract="tempo determinato",
        start_on=on,
        weekly_hours=30,
        job_title="Autista",
    )


def test_an_edition_takes_its_title_and_category_from_the_catalogue():
    course = _course()
    assert course.title == "Patente CQC merci"
    assert course.category == "tecnico-professionale"
    assert course.qualification == "Carta di qualificazione del conducente"


def test_when_the_seats_run_out_people_wait_and_a_withdrawal_lets_the_first_in():
    course = _course(seats=2)
    first, second, third, fourth = (PersonFactory() for _ in range(4))
    for person in (first, second, third, fourth):
        services.enrol(course=course, person=person)
    outcomes = dict(course.participations.values_list("person_id", "outcome"))
    assert outcomes == {
        first.pk: "in corso",
        second.pk: "in corso",
        third.pk: "in lista d'attesa",
        fourth.pk: "in lista d'attesa",
    }
    promoted = services.withdraw(
        participation=course.participations.get(person=first), on=TODAY, reason="Ha trovato lavoro"
    )
    assert [p.person_id for p in promoted] == [third.pk]
    withdrawn = course.participations.get(person=first)
    assert (withdrawn.outcome, withdrawn.withdrawn_on) == ("ritirato", TODAY)
    assert course.participations.get(person=fourth).outcome == "in lista d'attesa"


def test_a_person_is_enrolled_once_and_never_in_a_closed_or_finished_course():
    course, person = _course(), PersonFactory()
    services.enrol(course=course, person=person)
    with pytest.raises(ValidationError, match="già iscritta"):
        services.enrol(course=course, person=person)
    finished = _course(
        catalogue=_catalogue(title="HACCP", gives_licence="HACCP"),
        start_on=TODAY - timedelta(days=30),
        end_on=TODAY - timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="è finito"):
        services.enrol(course=finished, person=person)


def test_a_withdrawal_needs_a_reason():
    course = _course()
    participation = services.enrol(course=course, person=PersonFactory())
    with pytest.raises(ValidationError):
        services.withdraw(participation=participation, on=TODAY, reason="  ")
    participation.refresh_from_db()
    assert participation.outcome == "in corso"


def test_the_register_marks_everyone_enrolled_present_or_absent():
    course = _course()
    present, absent = (services.enrol(course=course, person=PersonFactory()) for _ in range(2))
    session = services.add_session(course=course, data={"on": TODAY, "hours": Decimal(4)})
    assert services.record_attendance(session=session, present_ids=[present.pk]) == 1
    marks = dict(Attendance.objects.values_list("participation_id", "present"))
    assert marks == {present.pk: True, absent.pk: False}
    future = services.add_session(
        course=course, data={"on": TODAY + timedelta(days=2), "hours": Decimal(4)}
    )
    with pytest.raises(ValidationError, match="non c'è ancora stata"):
        services.record_attendance(session=future, present_ids=[])
    with pytest.raises(ValidationError, match="fuori dal corso"):
        services.add_session(
            course=course, data={"on": course.start_on - timedelta(days=1), "hours": Decimal(2)}
        )


def test_an_imported_register_is_checked_whole_and_then_written():
    course = _course()
    person = PersonFactory()
    services.enrol(course=course, person=person)
    services.add_session(course=course, data={"on": TODAY, "hours": Decimal(4)})
    bad = (
        "data;codice_fiscale;presente\n"
        f"{TODAY:%d/%m/%Y};{person.fiscal_code};sì\n"
        f"31/02/2026;{person.fiscal_code};sì\n"
        f"{TODAY:%d/%m/%Y};XXXXXX00X00X000X;forse\n"
    )
    with pytest.raises(ValidationError) as error:
        services.import_attendance(course=course, content=bad.encode())
    text = " ".join(error.value.messages)
    assert "riga 3: data «31/02/2026» non valida" in text
    assert "riga 4: XXXXXX00X00X000X non è iscritto al corso" in text
    assert "riga 4: «forse» non è sì o no" in text
    assert not Attendance.objects.exists()
    good = f"data,codice_fiscale,presente\n{TODAY:%Y-%m-%d},{person.fiscal_code.lower()},x\n"
    assert services.import_attendance(course=course, content=good.encode()) == 1
    assert Attendance.objects.get().present is True


def test_closing_completes_the_enrolled_gives_qualifications_and_drops_the_waiting_list():
    course = _course(seats=2, start_on=TODAY - timedelta(days=70), end_on=TODAY - timedelta(days=1))
    course.end_on = TODAY + timedelta(days=1)  # enrol while it runs
    course.save()
    qualified, completed, waiting = (
        services.enrol(course=course, person=PersonFactory()) for _ in range(3)
    )
    services.close_course(course=course, on=TODAY, qualified_ids=[qualified.pk])
    outcomes = {p.pk: (p.outcome, p.qualification_obtained) for p in Participation.objects.all()}
    assert outcomes == {qualified.pk: ("completato", True), completed.pk: ("completato", False)}
    course.refresh_from_db()
    assert course.closed_on == TODAY
    with pytest.raises(ValidationError, match="già chiuso"):
        services.close_course(course=course, on=TODAY, qualified_ids=[])


def test_outcomes_count_placements_from_the_start_for_everyone_and_for_the_qualified():
    course = _course(start_on=TODAY - timedelta(days=200), end_on=TODAY - timedelta(days=100))
    people = [PersonFactory() for _ in range(4)]
    for index, person in enumerate(people):
        Participation.objects.create(
            course=course,
            person=person,
            outcome="completato",
            qualification_obtained=index < 2,
        )
    Participation.objects.create(course=course, person=PersonFactory(), outcome="in lista d'attesa")
    _place(people[0], TODAY - timedelta(days=90))
    _place(people[0], TODAY - timedelta(days=30))
    _place(people[2], TODAY - timedelta(days=50))
    _place(people[3], TODAY - timedelta(days=300))  # before the course
    outcome = selectors.course_outcomes([course.pk], today=TODAY)[course.pk]
    assert (outcome.everyone.participants, outcome.everyone.placements) == (4, 3)
    assert (outcome.everyone.employed, outcome.everyone.employment_rate) == (2, 0.5)
    assert (outcome.qualified.participants, outcome.qualified.placements) == (2, 2)
    assert outcome.qualified.employment_rate == 0.5
    # The same definition serves the yearly figures.
    figures = indicators.courses(course.start_on.year, today=TODAY)
    assert figures[course.title]["qualified_placements"] == 2
    years = {row["year"]: row for row in selectors.cohort_followup(course, today=TODAY)}
    assert sum(row["placements"] for row in years.values()) == 3


def test_the_provider_is_due_its_risk_share_in_proportion_to_the_placements():
    course = _course(start_on=TODAY - timedelta(days=100), end_on=TODAY - timedelta(days=40))
    placed = [PersonFactory() for _ in range(2)]
    for person in placed:
        Participation.objects.create(course=course, person=person, outcome="completato")
        _place(person, TODAY - timedelta(days=20))
    risk = selectors.provider_due(course, today=TODAY)
    # 10,000 € with 30% at risk, 2 placements out of 4 agreed: 7,000 + 1,500.
    assert (risk.at_risk, risk.achieved, risk.due) == (Decimal("3000.00"), 2, Decimal("8500.00"))
    course.placement_target = None
    assert selectors.provider_due(course, today=TODAY).due == Decimal("7000.00")


def test_a_ranking_missing_a_licence_leads_to_the_courses_that_give_it():
    course = _course()
    _catalogue(
        title="Italiano B1", category="lingua italiana", gives_licence="", gives_italian_level="B1"
    )
    searches = course_searches()
    assert searches["Carta di qualificazione del conducente (CQC)"] == "patente=CQC"
    assert searches["manca: Carta di qualificazione del conducente (CQC)"] == "patente=CQC"
    assert searches["italiano sotto il livello A2 richiesto"] == "italiano=A2"
    assert "italiano C1" not in searches and "Attestato HACCP" not in searches
    assert list(selectors.courses_giving(licence="CQC", today=TODAY)) == [course]


def test_a_coordinator_creates_an_edition_and_an_operator_cannot(operator, coordinator):
    entry = _catalogue()
    provider = Partner.objects.create(name="Autoscuola Emilia", kind="ente di formazione")
    data = {
        "catalogue": entry.pk,
        "provider": provider.pk,
        "start_on": TODAY.isoformat(),
        "end_on": (TODAY - timedelta(days=1)).isoformat(),
        "mode": "presenza",
        "hours": 140,
        "risk_share": "30",
        "risk_window_months": 6,
    }
    assert (
        login(Client(), operator).post(reverse("training:course_create"), data).status_code == 403
    )
    client = login(Client(), coordinator)
    response = client.post(reverse("training:course_create"), data)
    assert response.status_code == 400
    assert "precede il suo inizio" in response.content.decode()
    data["end_on"] = (TODAY + timedelta(days=30)).isoformat()
    response = client.post(reverse("training:course_create"), data)
    course = Course.objects.get()
    assert response.url == reverse("training:course", args=[course.pk])
    assert client.get(response.url).status_code == 200


def test_an_operator_enrols_from_the_course_page_by_fiscal_code(operator_client):
    course, person = _course(), PersonFactory()
    url = reverse("training:enrol", args=[course.pk])
    response = operator_client.post(url, {"person": "ZZZZZZ00Z00Z000Z"})
    assert response.status_code == 400
    assert "Nessuna persona con codice fiscale" in response.content.decode()
    operator_client.post(url, {"person": person.fiscal_code.lower()})
    assert course.participations.get().person == person


def test_the_course_list_and_page_cost_the_same_queries_for_any_number_of_courses(
    operator_client, django_assert_max_num_queries
):
    entry = _catalogue()
    for index in range(12):
        course = _course(catalogue=entry, title=f"Edizione {index}")
        for _ in range(3):
            services.enrol(course=course, person=PersonFactory())
    with django_assert_max_num_queries(14):
        response = operator_client.get(reverse("training:courses") + "?per_ente=1")
    assert "Edizione 11" in response.content.decode()
    with django_assert_max_num_queries(22):
        response = operator_client.get(reverse("training:course", args=[course.pk]))
    assert response.status_code == 200


def test_certificate_and_register_are_pdf(coordinator_client):
    course = _course(start_on=TODAY - timedelta(days=20))
    participation = services.enrol(course=course, person=PersonFactory())
    session = services.add_session(course=course, data={"on": TODAY, "hours": Decimal(4)})
    services.record_attendance(session=session, present_ids=[participation.pk])
    services.close_course(course=course, on=TODAY, qualified_ids=[participation.pk])
    register = coordinator_client.get(reverse("training:course_register_pdf", args=[course.pk]))
    certificate = coordinator_client.get(
        reverse("training:certificate", args=[course.pk, participation.pk])
    )
    for response in (register, certificate):
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")


def test_training_packages_do_not_count_the_waiting_list():
    course = _course(seats=1, start_on=date(TODAY.year, 1, 2), end_on=date(TODAY.year, 12, 30))
    for _ in range(2):
        services.enrol(course=course, person=PersonFactory())
    assert indicators.training_packages(TODAY.year) == 1


def test_an_enrolment_from_a_ranking_remembers_the_request_and_returns_only_here(
    operator_client,
):
    from tests.factories import vacancy

    course, person = _course(), PersonFactory()
    request = vacancy(requirements=[("patente", "CQC", True)])
    url = reverse("training:person_enrol", args=[person.pk])
    response = operator_client.post(
        url, {"course": course.pk, "richiesta": request.pk, "indietro": "/\\\\evil.example"}
    )
    assert response.url == reverse("people:detail", args=[person.pk]) + "#corsi"
    participation = course.participations.get()
    assert (participation.source, participation.vacancy) == ("classifica", request)


def test_the_economic_support_is_recorded_per_participant_and_never_negative(operator_client):
    course = _course()
    participation = services.enrol(course=course, person=PersonFactory())
    url = reverse("training:support", args=[course.pk, participation.pk])
    operator_client.post(url, {"fee_paid": "-5", "allowance": "", "support_note": ""})
    participation.refresh_from_db()
    assert participation.fee_paid is None
    operator_client.post(url, {"fee_paid": "250.50", "allowance": "120", "support_note": "Bus"})
    participation.refresh_from_db()
    assert (participation.fee_paid, participation.allowance) == (Decimal("250.50"), Decimal(120))
    page = operator_client.get(reverse("training:course", args=[course.pk])).content.decode()
    assert 'value="250.50"' in page and "quota 250" in page


def test_seats_are_checked_against_those_enrolled_now_not_those_who_withdrew():
    course = _course(seats=1)
    first = services.enrol(course=course, person=PersonFactory())
    services.enrol(course=course, person=PersonFactory())
    services.withdraw(participation=first, on=TODAY, reason="Trasferita")
    data = {name: getattr(course, name) for name in services.COURSE_FIELDS}
    services.save_course(course=course, catalogue=course.catalogue, data={**data, "seats": 1})
    with pytest.raises(ValidationError, match="Gli iscritti sono già 1"):
        services.save_course(course=course, catalogue=course.catalogue, data={**data, "seats": 0})
