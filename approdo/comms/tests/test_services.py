from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from approdo.comms import services
from approdo.comms.models import OutboundEmail
from approdo.comms.services import RETRY_DELAYS, deliver, queue_email
from conftest import _free_port
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_an_email_is_written_now_and_delivered_by_the_worker(mailbox, run_tasks):
    person = PersonFactory()
    email = queue_email(
        to=person.email,
        kind="riammissione",
        template="readmission",
        person=person,
        context={"person": person, "changed_at": person.registered_at},
    )
    assert email.status == OutboundEmail.Status.QUEUED
    assert mailbox == []
    run_tasks()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    [message] = mailbox
    assert message["To"] == person.email
    assert message["Subject"] == email.subject


def test_every_email_says_how_to_reach_the_programme_and_replies_go_there(
    mailbox, run_tasks, settings
):
    settings.PROGRAMME_PHONE = "051 219 0000"
    settings.PROGRAMME_ADDRESS = "Via Capramozza 13, Bologna"
    settings.PROGRAMME_EMAIL = "lavoro@comune.example.it"
    person = PersonFactory()
    queue_email(
        to=person.email,
        kind="riammissione",
        template="readmission",
        person=person,
        context={"person": person, "changed_at": person.registered_at},
    )
    run_tasks()
    [message] = mailbox
    body = message.get_payload(decode=True).decode()
    assert "Telefono: 051 219 0000" in body and "Indirizzo: Via Capramozza 13, Bologna" in body
    assert "E-mail: lavoro@comune.example.it" in body
    assert message["Reply-To"] == "lavoro@comune.example.it"


def test_no_address_no_email():
    assert (
        queue_email(to="", kind="uscita", template="exit_notice", context={}, person=None) is None
    )
    assert not OutboundEmail.objects.exists()


def _email(**fields):
    return OutboundEmail.objects.create(
        **{"kind": "prova", "to": "a@esempio.it", "subject": "Oggetto", "body": "B", **fields}
    )


def _due_now():
    """Bring the scheduled retries forward (instead of waiting for their time)."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_an_unreachable_server_is_retried_with_back_off_and_delivered_when_it_is_back(
    settings, mailbox, run_tasks
):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there: the SMTP server is down
    email = _email()
    assert deliver(email.pk) == OutboundEmail.Status.QUEUED
    email.refresh_from_db()
    assert email.attempts == 1 and email.error
    assert email.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # the retry

    settings.EMAIL_PORT = port  # the server is back
    _due_now()
    run_tasks()
    email.refresh_from_db()
    assert (email.status, email.attempts, email.error) == (OutboundEmail.Status.SENT, 2, "")
    assert len(mailbox) == 1


def test_after_the_last_retry_the_email_is_marked_not_delivered(settings):
    settings.EMAIL_PORT = 1
    email = _email()
    for _ in range(len(RETRY_DELAYS) + 1):
        status = deliver(email.pk)
    assert status == OutboundEmail.Status.FAILED
    email.refresh_from_db()
    assert email.attempts == len(RETRY_DELAYS) + 1 and email.next_attempt_at is None


@pytest.fixture
def refusing_server():
    """A real SMTP server that answers every message with the code it is given."""

    class Refuse:
        code = "550 5.1.1 Utente sconosciuto"

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            return self.code

    handler = Refuse()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, handler
    controller.stop()


def test_a_permanent_refusal_is_not_retried(settings, refusing_server):
    controller, _ = refusing_server
    settings.EMAIL_PORT = controller.port
    email = _email()
    assert deliver(email.pk) == OutboundEmail.Status.FAILED
    email.refresh_from_db()
    assert "Utente sconosciuto" in email.error
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_temporary_refusal_is_retried(settings, refusing_server):
    controller, handler = refusing_server
    handler.code = "451 4.3.0 Riprovi più tardi"
    settings.EMAIL_PORT = controller.port
    assert deliver(_email().pk) == OutboundEmail.Status.QUEUED


def test_an_email_is_sent_once_even_if_delivered_twice(mailbox):
    email = _email()
    assert deliver(email.pk) == OutboundEmail.Status.SENT
    assert deliver(email.pk) == OutboundEmail.Status.SENT
    assert len(mailbox) == 1


def test_a_failed_email_is_shown_on_the_person_and_the_senders_desk_and_can_be_resent(
    operator_client, operator, mailbox, run_tasks
):
    person = PersonFactory()
    email = _email(person=person, requested_by=operator, status=OutboundEmail.Status.FAILED)
    email.error = "550 Utente sconosciuto"
    email.save()
    for url in (f"/lavoro/persone/{person.pk}/", "/lavoro/"):
        page = operator_client.get(url).content.decode()
        assert "E-mail non recapitate" in page and "550 Utente sconosciuto" in page, url

    response = operator_client.post(
        f"/posta/{email.pk}/reinvia/", {"to": "giusto@esempio.it", "next": "/lavoro/"}
    )
    assert response["Location"] == "/lavoro/"
    run_tasks()
    email.refresh_from_db()
    assert (email.status, email.to) == (OutboundEmail.Status.SENT, "giusto@esempio.it")
    assert mailbox[0]["To"] == "giusto@esempio.it"


def test_a_resend_to_a_bad_address_is_refused(operator_client):
    email = _email(status=OutboundEmail.Status.FAILED)
    operator_client.post(f"/posta/{email.pk}/reinvia/", {"to": "non-valido"})
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED


def test_the_demo_mailbox_shows_what_the_local_server_saved(coordinator_client, settings, tmp_path):
    (tmp_path / "1.eml").write_bytes(
        b"To: a@esempio.it\r\nSubject: Prova di invio\r\nDate: Tue, 01 Dec 2026 10:00:00 +0100\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nCiao\r\n"
    )
    settings.DEMO_MAILBOX_DIR = str(tmp_path)
    response = coordinator_client.get("/posta/demo/")
    assert response.status_code == 200
    assert "Prova di invio" in response.content.decode()


def _flaky_record(monkeypatch, *, commits: bool):
    """The first record of a message fails as a restarting database fails it: with the
    update committed or not, and the answer lost either way."""
    real = services.record_sent
    calls = []

    def record_then_lose_the_answer(email):
        calls.append(email.pk)
        if len(calls) == 1:
            if commits:
                real(email)
            raise OperationalError("server closed the connection unexpectedly")
        return real(email)

    monkeypatch.setattr(services, "record_sent", record_then_lose_the_answer)
    monkeypatch.setattr(services, "when_database_is_back", lambda action, **_: action())


@pytest.mark.parametrize("commits", [True, False], ids=["committed", "not-committed"])
def test_a_record_whose_answer_was_lost_is_settled_and_the_message_goes_once(
    mailbox, monkeypatch, commits
):
    _flaky_record(monkeypatch, commits=commits)
    email = _email()
    assert deliver(email.pk) == OutboundEmail.Status.SENT
    assert len(mailbox) == 1


def test_a_message_claimed_by_another_worker_meanwhile_is_dropped_not_sent(mailbox, monkeypatch):
    _flaky_record(monkeypatch, commits=False)
    email = _email()
    real_settle = services._settle_sent

    def claimed_elsewhere_while_away(mine):
        OutboundEmail.objects.filter(pk=mine.pk).update(claim="another-worker")
        return real_settle(mine)

    monkeypatch.setattr(services, "_settle_sent", claimed_elsewhere_while_away)
    deliver(email.pk)
    assert mailbox == []
