import smtplib
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from approdo.comms.models import OutboundEmail
from approdo.comms.services import (
    claim,
    deliver,
    is_server_down,
    message_of,
    open_connection,
    record_sent,
    transmit,
)
from approdo.mailings import services
from approdo.mailings.models import Mailing
from approdo.mailings.services import create_mailing, progress, start_sending
from approdo.people.choices import ExitReason, Status
from approdo.people.models import Person
from conftest import _free_port, _Inbox
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

QUERY = "status=fuori+protocollo"


def _left(**fields) -> Person:
    return PersonFactory(
        **{
            "status": Status.FUORI_PROTOCOLLO,
            "exit_reason": ExitReason.IRREPERIBILE,
            "status_changed_at": timezone.now() - timedelta(days=10),
            **fields,
        }
    )


def _unsubscribe_path(message) -> str:
    """The path of the List-Unsubscribe link (header values may be folded)."""
    link = "".join(message["List-Unsubscribe"].split()).strip("<>")
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def _mailing(query: str = QUERY, **fields) -> Mailing:
    return create_mailing(
        subject=fields.pop("subject", "Notizie per {{ nome }}"),
        body=fields.pop(
            "body", "Gentile {{ nome }} {{ cognome }},\nil suo operatore è {{ operatore }}."
        ),
        people_query=query,
        reply_to="sportello@programma.example.it",
        rate_per_minute=100_000,
        **fields,
    )


def _send(mailing: Mailing, run_tasks) -> Mailing:
    start_sending(mailing)
    run_tasks()
    mailing.refresh_from_db()
    return mailing


def test_each_recipient_gets_one_message_of_their_own_with_merge_fields_and_unsubscribe(
    mailbox, run_tasks, operator
):
    people = [_left(case_manager=operator) for _ in range(3)]
    PersonFactory(status=Status.IN_CARICO)  # not in the search
    mailing = _send(_mailing(), run_tasks)

    assert mailing.state == Mailing.State.DONE
    assert sorted(message["To"] for message in mailbox) == sorted(p.email for p in people)
    for person in people:
        message = next(m for m in mailbox if m["To"] == person.email)
        body = message.get_content()
        assert message["Subject"] == f"Notizie per {person.first_name}"
        assert f"Gentile {person.first_name} {person.last_name}" in body
        assert operator.get_full_name() in body
        assert message["Reply-To"] == "sportello@programma.example.it"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert _unsubscribe_path(message) in body  # the same link in the footer
        assert message["Message-ID"]
    assert progress(mailing) | {} == {
        "recipients": 3,
        "sent": 3,
        "failed": 0,
        "pending": 0,
        "skipped_restricted": 0,
        "skipped_opted_out": 0,
        "skipped_no_email": 0,
        "skipped_failing": 0,
    }


def test_who_opted_out_has_no_address_is_restricted_or_failing_is_skipped_and_counted(
    mailbox, run_tasks
):
    _left()
    _left(mailing_opt_out_at=timezone.now())
    _left(email="")
    _left(processing_restricted_at=timezone.now())
    _left(email_failing_since=timezone.now(), email_failure="550 no such user")
    mailing = _mailing()
    before = progress(mailing)
    mailing = _send(mailing, run_tasks)
    after = progress(mailing)
    for counts in (before, after):
        assert counts["recipients"] == 5
        assert counts["skipped_opted_out"] == 1
        assert counts["skipped_no_email"] == 1
        assert counts["skipped_restricted"] == 1
        assert counts["skipped_failing"] == 1
    assert before["pending"] == 1 and after["sent"] == 1
    assert len(mailbox) == 1


def test_one_click_unsubscribe_stops_the_next_mailing_but_not_service_emails(mailbox, run_tasks):
    person = _left()
    _send(_mailing(), run_tasks)
    path = _unsubscribe_path(mailbox[0])
    # RFC 8058: the mail client posts by itself, without cookies or a CSRF token.
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.mailing_opt_out_at is not None

    mailbox.clear()
    second = _send(_mailing(), run_tasks)
    assert mailbox == []
    assert progress(second)["skipped_opted_out"] == 1


def test_a_link_scanner_opening_the_link_unsubscribes_no_one(mailbox, run_tasks):
    person = _left()
    _send(_mailing(), run_tasks)
    response = Client().get(_unsubscribe_path(mailbox[0]))
    assert response.status_code == 200
    assert "Non voglio più ricevere comunicazioni" in response.content.decode()
    person.refresh_from_db()
    assert person.mailing_opt_out_at is None
    assert Client().post("/portale/comunicazioni/falso/").status_code == 404


def test_merge_fields_and_people_filters_are_checked_before_anything_is_written():
    with pytest.raises(ValidationError) as error:
        _mailing(body="Ciao {{ nomee }}")
    assert "campi sconosciuti {{ nomee }}" in str(error.value)
    with pytest.raises(ValidationError) as error:
        _mailing(body="{% load static %}")
    assert "non sono ammessi" in str(error.value)
    with pytest.raises(ValidationError) as error:
        _mailing("status=sconosciuto")
    assert "Stato" in str(error.value)
    with pytest.raises(ValidationError) as error:
        _mailing("colore=rosso")
    assert "colore" in str(error.value)
    with pytest.raises(ValidationError) as error:
        _mailing("")
    assert "almeno un filtro" in str(error.value)
    assert not Mailing.objects.exists()


def test_the_exit_filters_pick_who_left_in_a_period_for_a_reason():
    today = timezone.now()
    inside = _left()
    _left(status_changed_at=today - timedelta(days=400))  # left before the period
    PersonFactory(
        status=Status.FUORI_PROTOCOLLO,
        exit_reason=ExitReason.LAVORA,
        status_changed_at=today - timedelta(days=10),
    )
    start = (today - timedelta(days=30)).date().isoformat()
    query = (
        f"status=fuori+protocollo&exit_reason={ExitReason.IRREPERIBILE.value.replace(' ', '+')}"
        f"&exited_from={start}&exited_to={today.date().isoformat()}"
    )
    assert list(services.people_of_query(query).values_list("pk", flat=True)) == [inside.pk]


@pytest.fixture
def refusing_server(settings):
    """A server that refuses one address for good and another for now."""

    class Refusing(_Inbox):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("inesistente"):
                return "550 5.1.1 Mailbox does not exist"
            if address.startswith("piena"):
                return "452 4.2.2 Mailbox full"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    inbox = Refusing()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_PORT = controller.port
    yield inbox
    controller.stop()


def test_a_permanent_refusal_marks_the_address_and_a_temporary_one_is_retried(
    refusing_server, run_tasks
):
    gone = _left(email="inesistente@esempio.it")
    full = _left(email="piena@esempio.it")
    fine = _left()
    mailing = _send(_mailing(), run_tasks)
    gone.refresh_from_db()
    assert gone.email_failing_since is not None and "550" in gone.email_failure
    statuses = dict(OutboundEmail.objects.filter(mailing=mailing).values_list("person", "status"))
    assert statuses[gone.pk] == OutboundEmail.Status.FAILED
    assert statuses[full.pk] == OutboundEmail.Status.QUEUED  # retried later
    assert statuses[fine.pk] == OutboundEmail.Status.SENT
    assert mailing.state == Mailing.State.SENDING
    assert [m["To"] for m in refusing_server.messages] == [fine.email]
    # The retry comes as a job for when it is due.
    assert DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now()).exists()


def test_with_the_server_down_the_mailing_waits_without_spending_attempts(
    settings, mailbox, run_tasks
):
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _free_port()  # nothing listens there
    _left()
    mailing = _send(_mailing(), run_tasks)
    message = OutboundEmail.objects.get(mailing=mailing)
    assert (message.status, message.attempts) == (OutboundEmail.Status.QUEUED, 0)
    assert "non raggiungibile" in mailing.waiting_reason

    settings.EMAIL_PORT = port
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_tasks()
    mailing.refresh_from_db()
    assert mailing.state == Mailing.State.DONE and mailing.waiting_reason == ""
    assert len(mailbox) == 1


def test_a_paused_mailing_sends_nothing_until_resumed(mailbox, run_tasks):
    _left()
    _left()
    mailing = _mailing()
    start_sending(mailing)
    services.write_messages(mailing.pk)
    services.pause(mailing)
    run_tasks()
    assert mailbox == []
    with pytest.raises(ValidationError):
        services.pause(mailing)
    services.resume(mailing)
    run_tasks()
    mailing.refresh_from_db()
    assert mailing.state == Mailing.State.DONE and len(mailbox) == 2


def test_messages_are_written_once_however_often_the_job_runs(mailbox):
    _left()
    mailing = _mailing()
    start_sending(mailing)
    assert services.write_messages(mailing.pk) == 1
    assert services.write_messages(mailing.pk) == 0
    assert OutboundEmail.objects.filter(mailing=mailing).count() == 1
    with pytest.raises(ValidationError):
        start_sending(mailing)


def _queued_message() -> OutboundEmail:
    return OutboundEmail.objects.create(
        kind="prova", to="uno@esempio.it", subject="Oggetto", body="Testo"
    )


def test_a_message_not_recorded_as_sent_never_reaches_the_server(mailbox):
    """The dot that completes the SMTP transaction is written only after the commit."""
    email = claim(OutboundEmail.objects.all())
    assert email is None
    email = claim(OutboundEmail.objects.filter(pk=_queued_message().pk))
    backend = open_connection()

    def database_gone():
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        transmit(backend.connection, message_of(email), database_gone)
    backend.close()
    assert mailbox == []


def test_a_claim_of_a_vanished_worker_runs_out_and_the_message_goes_once(mailbox, settings):
    email = _queued_message()
    first = claim(OutboundEmail.objects.filter(pk=email.pk))  # a worker that then died
    assert deliver(email.pk) == OutboundEmail.Status.SENDING  # its claim still holds
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_until=timezone.now())
    assert deliver(email.pk) == OutboundEmail.Status.SENT
    assert not record_sent(first)  # the old claim can no longer record anything
    assert len(mailbox) == 1


def test_a_refused_end_of_data_is_recorded_in_place_of_sent(settings):
    class RefuseData(_Inbox):
        async def handle_DATA(self, server, session, envelope):
            return "554 5.7.1 Message rejected"

    controller = Controller(RefuseData(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_PORT = controller.port
    email = _queued_message()
    try:
        assert deliver(email.pk) == OutboundEmail.Status.FAILED
    finally:
        controller.stop()
    email.refresh_from_db()
    assert "554" in email.error and email.sent_at is None


def test_is_server_down_tells_the_server_from_the_recipient():
    assert is_server_down(ConnectionRefusedError())
    assert is_server_down(smtplib.SMTPServerDisconnected())
    assert not is_server_down(smtplib.SMTPRecipientsRefused({"a@b.it": (550, b"no")}))
