from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from approdo.exports.models import Export
from approdo.exports.services import build_file, export_path, request_export
from approdo.mailings.models import Mailing
from approdo.people.choices import ExitReason, Status
from approdo.people.models import Person
from approdo.surveys import services
from approdo.surveys.models import Fact, Invitation, Question, Survey
from approdo.surveys.selectors import survey_results
from conftest import login
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

QUERY = "status=fuori+protocollo"


def _left(**fields) -> Person:
    return PersonFactory(
        **{
            "status": Status.FUORI_PROTOCOLLO,
            "exit_reason": ExitReason.IRREPERIBILE,
            "status_changed_at": timezone.now() - timedelta(days=40),
            **fields,
        }
    )


def _questions(survey: Survey) -> dict[str, Question]:
    return {question.text: question for question in survey.questions.all()}


def _link_path(message) -> str:
    line = next(line for line in message.get_content().splitlines() if "/questionari/r/" in line)
    return "/" + line.strip().split("://", 1)[1].split("/", 1)[1]


def _send(survey, coordinator, run_tasks, query: str = QUERY) -> Mailing:
    mailing = services.send_survey(survey=survey, people_query=query, by=coordinator)
    run_tasks()
    return mailing


def test_a_question_that_cannot_be_answered_or_shown_is_refused(coordinator):
    survey = services.create_exit_survey(by=coordinator)
    working = _questions(survey)["Oggi lavora?"]
    with pytest.raises(ValidationError) as error:
        services.save_question(
            Question(survey=survey, kind=Question.Kind.SINGLE, text="Solo una?", choices=["Sì"])
        )
    assert "almeno due risposte" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.save_question(
            Question(
                survey=survey,
                kind=Question.Kind.SHORT,
                text="Dove?",
                show_if=working,
                show_if_answers=["Forse"],
            )
        )
    assert "Sì, No" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.save_question(
            Question(
                survey=survey,
                kind=Question.Kind.SINGLE,
                text="Lavora?",
                choices=["Certo", "Per niente"],
                fact=Fact.WORKING,
            )
        )
    assert "vuol dire «sì»" in str(error.value)


def test_each_person_gets_their_own_link_answers_halfway_then_once(coordinator, mailbox, run_tasks):
    amina, bruno = _left(first_name="Amina"), _left(first_name="Bruno")
    PersonFactory(status=Status.IN_CARICO)  # not in the search
    survey = services.create_exit_survey(by=coordinator)
    mailing = _send(survey, coordinator, run_tasks)
    mailing.refresh_from_db()
    assert mailing.state == Mailing.State.DONE
    assert sorted(m["To"] for m in mailbox) == sorted([amina.email, bruno.email])
    paths = {m["To"]: _link_path(m) for m in mailbox}
    assert paths[amina.email] != paths[bruno.email]

    questions = _questions(survey)
    working, contract = questions["Oggi lavora?"], questions["Con quale contratto?"]
    through = questions["Ha trovato questo lavoro grazie al programma?"]
    satisfaction = questions["Quanto è soddisfatta/o del programma?"]
    phone = Client()  # no login
    page = phone.get(paths[amina.email])
    assert page.status_code == 200 and "Oggi lavora?" in page.content.decode()

    # Halfway: saved, not sent; the contract is asked only of who works.
    phone.post(paths[amina.email], {f"q{working.pk}": "Sì", "salva": "1"})
    invitation = Invitation.objects.get(person=amina)
    assert invitation.answers == {str(working.pk): "Sì"} and invitation.submitted_at is None
    response = phone.post(paths[amina.email], {f"q{working.pk}": "Sì", "invia": "1"})
    assert response.status_code == 400
    assert "Risponda a questa domanda" in response.content.decode()
    response = phone.post(
        paths[amina.email],
        {
            f"q{working.pk}": "Sì",
            f"q{contract.pk}": "Tempo indeterminato",
            f"q{through.pk}": "Sì",
            f"q{satisfaction.pk}": "5",
            "invia": "1",
        },
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.submitted_at is not None
    assert "Ha inviato le risposte" in phone.get(paths[amina.email]).content.decode()
    phone.post(paths[amina.email], {f"q{satisfaction.pk}": "1", "invia": "1"})
    invitation.refresh_from_db()
    assert invitation.answers[str(satisfaction.pk)] == "5"  # one answer per link

    # Bruno does not work: the contract is not asked, an answer to it is dropped.
    phone.post(
        paths[bruno.email],
        {
            f"q{working.pk}": "No",
            f"q{contract.pk}": "Apprendistato",
            f"q{satisfaction.pk}": "3",
            "invia": "1",
        },
    )
    answers = Invitation.objects.get(person=bruno).answers
    assert str(contract.pk) not in answers and answers[str(working.pk)] == "No"

    results = survey_results(survey)
    assert (results.invited, results.answered, results.answer_rate) == (2, 2, 100)
    by_text = {result.question.text: result for result in results.questions}
    assert ("Sì", 1, 50) in by_text["Oggi lavora?"].counts
    assert by_text["Quanto è soddisfatta/o del programma?"].average == 4.0


def test_a_reminder_goes_only_to_who_has_not_answered(coordinator, mailbox, run_tasks):
    answered, waiting = _left(), _left()
    survey = services.create_exit_survey(by=coordinator)
    _send(survey, coordinator, run_tasks)
    Invitation.objects.filter(person=answered).update(submitted_at=timezone.now())
    mailbox.clear()
    services.send_reminder(survey=survey, by=coordinator)
    run_tasks()
    assert [m["To"] for m in mailbox] == [waiting.email]
    assert "Promemoria" in mailbox[0]["Subject"]
    # A second invitation to the same search invites nobody twice.
    mailbox.clear()
    _left()
    _send(survey, coordinator, run_tasks)
    assert len(mailbox) == 1


def test_a_closed_survey_answers_410_and_an_unknown_link_404(coordinator, mailbox, run_tasks):
    _left()
    survey = services.create_exit_survey(by=coordinator)
    _send(survey, coordinator, run_tasks)
    path = _link_path(mailbox[0])
    services.close_survey(survey)
    assert Client().get(path).status_code == 410
    assert Client().get("/questionari/r/sconosciuto/").status_code == 404


def test_what_the_answers_say_is_confirmed_by_the_case_manager(
    coordinator, operator_client, operator
):
    person = _left(case_manager=operator)
    survey = services.create_exit_survey(by=coordinator)
    questions = _questions(survey)
    Invitation.objects.create(
        survey=survey,
        person=person,
        submitted_at=timezone.now(),
        answers={
            str(questions["Oggi lavora?"].pk): "Sì",
            str(questions["Con quale contratto?"].pk): "Tempo indeterminato",
        },
    )
    page = operator_client.get(f"/lavoro/persone/{person.pk}/").content.decode()
    assert "Dalle risposte ai questionari" in page and "Tempo indeterminato" in page
    invitation = Invitation.objects.get()
    operator_client.post(f"/questionari/risposte/{invitation.pk}/verifica/", {"conferma": "si"})
    person.refresh_from_db()
    assert (person.status, person.exit_reason) == (Status.FUORI_PROTOCOLLO, ExitReason.LAVORA)
    page = operator_client.get(f"/lavoro/persone/{person.pk}/").content.decode()
    assert "Dalle risposte ai questionari" not in page


def test_the_answers_export_as_a_spreadsheet_without_formulas(coordinator, settings, tmp_path):
    settings.EXPORTS_DIR = tmp_path
    person = _left(last_name="=SOMMA(A1)")
    survey = services.create_exit_survey(by=coordinator)
    questions = _questions(survey)
    Invitation.objects.create(
        survey=survey,
        person=person,
        submitted_at=timezone.now(),
        answers={str(questions["Vuole dirci altro?"].pk): "=1+1"},
    )
    export = request_export(
        user=coordinator,
        kind="risposte-questionario",
        filters={"survey": survey.pk},
        file_format="xlsx",
    )
    build_file(Export.objects.get(pk=export.pk))
    rows = list(load_workbook(export_path(export)).active.values)
    assert rows[1][1] == "'=SOMMA(A1)" and rows[1][-1] == "'=1+1"


def test_operators_do_not_reach_surveys_and_the_list_is_bounded(
    operator, coordinator_client, coordinator, django_assert_max_num_queries
):
    assert login(Client(), operator).get("/questionari/").status_code == 403
    for _ in range(5):
        services.create_exit_survey(by=coordinator)
    with django_assert_max_num_queries(12):
        assert coordinator_client.get("/questionari/").status_code == 200
