import pytest

from approdo.comms.models import OutboundEmail
from approdo.comms.services import deliver, queue_email
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


def test_no_address_no_email():
    assert (
        queue_email(to="", kind="uscita", template="exit_notice", context={}, person=None) is None
    )
    assert not OutboundEmail.objects.exists()


def test_an_unreachable_smtp_server_marks_the_email_failed_with_the_error(settings):
    settings.EMAIL_PORT = 1  # nothing listens there
    email = OutboundEmail.objects.create(kind="prova", to="a@esempio.it", subject="S", body="B")
    with pytest.raises(OSError):
        deliver(email)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert email.error


def test_the_demo_mailbox_shows_what_the_local_server_saved(coordinator_client, settings, tmp_path):
    (tmp_path / "1.eml").write_bytes(
        b"To: a@esempio.it\r\nSubject: Prova di invio\r\nDate: Tue, 01 Dec 2026 10:00:00 +0100\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nCiao\r\n"
    )
    settings.DEMO_MAILBOX_DIR = str(tmp_path)
    response = coordinator_client.get("/posta/demo/")
    assert response.status_code == 200
    assert "Prova di invio" in response.content.decode()
