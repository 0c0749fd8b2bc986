import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from approdo.comms.models import OutboundEmail
from approdo.mailings.models import Mailing, MailingTemplate
from approdo.mailings.services import create_mailing, start_sending, write_messages
from approdo.people.choices import ExitReason, Status
from approdo.people.models import SavedSearch
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _left(count: int = 1):
    return [
        PersonFactory(
            status=Status.FUORI_PROTOCOLLO,
            exit_reason=ExitReason.LAVORA,
            status_changed_at=timezone.now() - timedelta(days=3),
        )
        for _ in range(count)
    ]


def test_operators_cannot_reach_mailings(operator_client):
    assert operator_client.get("/comunicazioni/").status_code == 403
    assert operator_client.get("/comunicazioni/nuovo/").status_code == 403


def test_a_mailing_from_a_saved_search_is_previewed_and_started(coordinator_client, coordinator):
    people = _left(2)
    search = SavedSearch.objects.create(
        owner=coordinator, name="Usciti che lavorano", query="status=fuori+protocollo"
    )
    response = coordinator_client.post(
        "/comunicazioni/nuovo/",
        {
            "saved_search": search.pk,
            "subject": "Come va, {{ nome }}?",
            "body": "Gentile {{ nome }}, ci racconti com'è andata.",
            "reply_to": "sportello@programma.example.it",
            "rate_per_minute": 600,
        },
    )
    mailing = Mailing.objects.get()
    assert response.status_code == 302 and response.url == f"/comunicazioni/{mailing.pk}/"
    assert (mailing.search_name, mailing.people_query) == (search.name, search.query)

    page = coordinator_client.get(f"/comunicazioni/{mailing.pk}/").content.decode()
    assert "Avvia l'invio a 2 persone" in page
    first = min(people, key=lambda p: (p.last_name, p.first_name, p.pk))
    assert f"Gentile {first.first_name}, ci racconti" in page
    other = next(p for p in people if p != first)
    fragment = coordinator_client.get(
        f"/comunicazioni/{mailing.pk}/?person={other.pk}", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f"Gentile {other.first_name}" in fragment

    response = coordinator_client.post(f"/comunicazioni/{mailing.pk}/avvia/")
    mailing.refresh_from_db()
    assert mailing.state == Mailing.State.SENDING
    progress = coordinator_client.get(f"/comunicazioni/{mailing.pk}/avanzamento/").content
    assert b'hx-trigger="every 2s"' in progress


def test_a_wrong_text_keeps_what_was_typed_and_says_what_is_wrong(coordinator_client):
    response = coordinator_client.post(
        "/comunicazioni/nuovo/",
        {
            "people_query": "status=fuori+protocollo",
            "subject": "Ciao",
            "body": "Gentile {{ nom }}",
            "reply_to": "sportello@programma.example.it",
            "rate_per_minute": 600,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "campi sconosciuti {{ nom }}" in page and "Gentile {{ nom }}" in page
    assert not Mailing.objects.exists()


def test_without_a_search_or_filters_nothing_is_prepared(coordinator_client):
    response = coordinator_client.post(
        "/comunicazioni/nuovo/",
        {"subject": "Ciao", "body": "Testo", "reply_to": "a@b.it", "rate_per_minute": 600},
    )
    assert response.status_code == 400
    assert "Scelga una ricerca salvata" in response.content.decode()


def test_the_list_reads_its_counts_in_a_bounded_number_of_queries(
    coordinator_client, django_assert_max_num_queries
):
    _left(3)
    for number in range(6):
        mailing = create_mailing(
            subject=f"Invio {number}",
            body="Testo",
            people_query="status=fuori+protocollo",
            reply_to="a@b.it",
        )
        start_sending(mailing)
        write_messages(mailing.pk)
    with django_assert_max_num_queries(12):
        response = coordinator_client.get("/comunicazioni/")
    assert response.content.decode().count('<td class="text-end">3</td>') == 6


def test_templates_are_checked_and_start_a_mailing(coordinator_client):
    response = coordinator_client.post(
        "/comunicazioni/modelli/nuovo/",
        {"name": "Nuovo corso", "subject": "Un corso per lei", "body": "Gentile {{ nome }}"},
    )
    assert response.status_code == 302
    template = MailingTemplate.objects.get()
    page = coordinator_client.get(f"/comunicazioni/nuovo/?modello={template.pk}").content
    assert b"Gentile {{ nome }}" in page
    response = coordinator_client.post(
        f"/comunicazioni/modelli/{template.pk}/",
        {"name": "Nuovo corso", "subject": "{{ eta }}", "body": "x"},
    )
    assert response.status_code == 400


def test_the_person_file_shows_the_choice_and_a_refused_address(operator_client, operator):
    person = PersonFactory(
        mailing_opt_out_at=timezone.now(),
        email_failing_since=timezone.now(),
        email_failure="550 5.1.1 no such user",
    )
    page = operator_client.get(f"/lavoro/persone/{person.pk}/").content.decode()
    assert "550 5.1.1 no such user" in page and "Non vuole ricevere le comunicazioni" in page
    operator_client.post(f"/comunicazioni/persone/{person.pk}/scelta/", {"ricevere": "si"})
    person.refresh_from_db()
    assert person.mailing_opt_out_at is None


def test_a_new_address_is_no_longer_failing():
    from approdo.people.services import update_person

    person = PersonFactory(email_failing_since=timezone.now(), email_failure="550")
    update_person(person=person, data={"email": "nuovo@esempio.it"})
    person.refresh_from_db()
    assert person.email_failing_since is None and person.email_failure == ""


def _cli(*args) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("mailing", *args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_the_command_line_creates_sends_and_reports(tmp_path, mailbox, run_tasks):
    _left(2)
    PersonFactory(
        status=Status.FUORI_PROTOCOLLO,
        exit_reason=ExitReason.LAVORA,
        status_changed_at=timezone.now() - timedelta(days=3),
        mailing_opt_out_at=timezone.now(),
    )
    PersonFactory(
        status=Status.FUORI_PROTOCOLLO,
        exit_reason=ExitReason.LAVORA,
        status_changed_at=timezone.now() - timedelta(days=3),
        email="",
    )
    body = tmp_path / "testo.txt"
    body.write_text("Gentile {{ nome }}, come sta?", encoding="utf-8")
    today = timezone.localdate()
    query = (
        f"status=fuori protocollo&exit_reason=lavora&exited_from={today - timedelta(days=30)}"
        f"&exited_to={today}"
    )
    created = _cli("create", "--subject", "Un saluto", "--body-file", str(body), "--people", query)
    assert created["recipients"] == 4 and created["state"] == "bozza"
    sent = _cli("send", str(created["id"]))
    assert sent["state"] == "in invio"
    run_tasks()
    status = _cli("status", str(created["id"]), "--format", "json")
    assert {key: status[key] for key in ("recipients", "sent", "failed", "pending")} == {
        "recipients": 4,
        "sent": 2,
        "failed": 0,
        "pending": 0,
    }
    assert (status["skipped_opted_out"], status["skipped_no_email"]) == (1, 1)
    assert status["state"] == "completato"
    assert len(mailbox) == 2
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.SKIPPED).count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "999"], "Non esiste un invio numero 999"),
        (
            ["create", "--subject", "S", "--body-file", "/non/esiste.txt", "--people", "x=1"],
            "non esiste",
        ),
    ],
)
def test_the_command_line_says_what_is_wrong_in_italian(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("mailing", *args)


def test_the_command_line_refuses_bad_filters(tmp_path):
    body = tmp_path / "testo.txt"
    body.write_text("Ciao", encoding="utf-8")
    with pytest.raises(CommandError, match="Motivo di uscita"):
        call_command(
            "mailing",
            "create",
            "--subject",
            "S",
            "--body-file",
            str(body),
            "--people",
            "status=fuori protocollo&exit_reason=boh",
        )
    with pytest.raises(CommandError, match="Uscita/o dal"):
        call_command(
            "mailing",
            "create",
            "--subject",
            "S",
            "--body-file",
            str(body),
            "--people",
            "exited_from=2025-13-45",
        )
