"""The security review's attacks, replayed over HTTP against the live server.

Each test is one attack (or a family of them) as an outsider, a curious member of staff or a
bot would try it, through real requests: logins with password and TOTP code, CSRF tokens,
cookies, uploads. Numbers follow the review: 1-18 were refused already, 19-30 are the
findings the project fixed (issue 10).
"""

import csv
import io
import re
import uuid
import zipfile

import pytest
import requests
from auditlog.models import LogEntry
from django.db import connection
from django.db.utils import InternalError, ProgrammingError
from django.urls import reverse
from django_otp.oath import totp
from PIL import Image

from approdo.accounts.models import Team
from approdo.accounts.roles import Role
from approdo.audit.models import SecurityAlert
from approdo.exports.models import Export
from approdo.people.models import DocumentVersion, Person
from approdo.people.services import add_sensitive_note
from approdo.portal.models import PortalRegistration
from tests.documents import JPEG, PDF
from tests.factories import PersonFactory, UserFactory, ips_path

PASSWORD = "password-di-prova-lunga"
pytestmark = pytest.mark.usefixtures("reference_data")


def code_of(user) -> str:
    device = user.totpdevice_set.get()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


class Visitor:
    """A browser as an attacker drives it: cookies, CSRF token, no JavaScript."""

    def __init__(self, base_url: str, address: str = ""):
        self.base = base_url
        self.http = requests.Session()
        if address:  # the live server trusts no proxy header: a new session is enough
            self.http.headers["User-Agent"] = f"attacker {address}"

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.base + path, allow_redirects=False, timeout=30, **kwargs)

    def post(self, path: str, data=None, *, csrf: bool = True, **kwargs) -> requests.Response:
        data = dict(data or {})
        if csrf:
            if "csrftoken" not in self.http.cookies:
                self.get(reverse("accounts:login"))
            data["csrfmiddlewaretoken"] = self.http.cookies["csrftoken"]
        return self.http.post(
            self.base + path, data=data, allow_redirects=False, timeout=60, **kwargs
        )

    def log_in(self, user, *, code: str | None = None) -> requests.Response:
        self.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
        return self.post(reverse("accounts:token"), {"token": code or code_of(user)})


def registration(**fields) -> dict:
    """A valid online registration (the identity document goes as a file)."""
    return {
        "submission_token": str(uuid.uuid4()),
        "first_name": "Mario",
        "last_name": "Rossi",
        "fiscal_code": "RSSMRA85T10A944C",
        "citizenship": "Italia",
        "residence_comune": "Bologna",
        "email": "mario.rossi@esempio.it",
        "phone": "3331234567",
        "education": "diploma",
        "italian_level": "madrelingua",
        "weekly_hours": "40",
        "privacy_accepted": "on",
        **fields,
    }


def staff(live_server, role=Role.OPERATORE, **fields) -> tuple[Visitor, object]:
    user = UserFactory(role=role, **fields)
    visitor = Visitor(live_server.url)
    assert visitor.log_in(user).status_code == 302
    return visitor, user


def test_01_csrf_a_form_posted_from_elsewhere_is_refused(live_server):
    visitor, _ = staff(live_server)
    person = PersonFactory()
    forged = visitor.post(reverse("people:call", args=[person.pk]), {"answered": "on"}, csrf=False)
    assert forged.status_code == 403
    assert not person.contact_attempts.exists()


def test_02_03_stored_xss_and_sql_injection_are_inert(live_server):
    visitor, _ = staff(live_server)
    PersonFactory(last_name="<script>alert(1)</script>", fiscal_code=None)
    listing = visitor.get(reverse("people:list")).text
    assert "<script>alert(1)</script>" not in listing and "&lt;script&gt;" in listing
    PersonFactory.create_batch(3)
    injected = visitor.get(reverse("people:list"), params={"q": "' OR 1=1 --"})
    assert injected.status_code == 200
    assert "0 persone trovate" in injected.text


def test_04_formula_cells_in_an_export_are_neutralised(live_server, run_tasks):
    visitor, _ = staff(live_server)
    PersonFactory(last_name='=HYPERLINK("http://evil.example")', fiscal_code=None)
    visitor.post(reverse("exports:request", args=["persone"]), {"formato": "csv"})
    run_tasks()
    export = Export.objects.get()
    download = visitor.get(reverse("exports:download", args=[export.pk]))
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1].startswith("'=")


def test_05_06_07_session_fixation_open_redirect_and_totp_replay(live_server):
    user = UserFactory()
    visitor = Visitor(live_server.url)
    visitor.get(reverse("accounts:login"))
    visitor.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    before = visitor.http.cookies.get("sessionid")
    code = code_of(user)
    done = visitor.post(reverse("accounts:token") + "?next=https://evil.example/", {"token": code})
    assert done.status_code == 302 and "evil.example" not in done.headers["Location"]
    assert visitor.http.cookies.get("sessionid") != before  # a new session after login
    # The same code a second time (replayed by whoever saw it) is refused.
    replay = Visitor(live_server.url)
    replay.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    refused = replay.post(reverse("accounts:token"), {"token": code})
    assert refused.status_code == 200 and "codice" in refused.text.lower()


def test_08_mass_assignment_extra_fields_are_ignored(live_server):
    visitor, user = staff(live_server)
    person = PersonFactory()
    page = visitor.get(reverse("people:edit", args=[person.pk])).text
    form = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page))
    form.update({"status": "in carico", "role": "amministratore", "in_ips_path": "on", "team": "1"})
    visitor.post(reverse("people:edit", args=[person.pk]), form)
    person.refresh_from_db()
    user.refresh_from_db()
    assert person.status == "registrato" and not person.in_ips_path and person.team is None
    assert user.role == Role.OPERATORE


def test_09_10_path_tricks_and_other_peoples_documents(live_server):
    visitor, user = staff(live_server)
    mine, theirs = PersonFactory(), PersonFactory()
    visitor.post(
        reverse("people:document_upload", args=[theirs.pk]),
        {"kind": "cv"},
        files={"file": ("cv.pdf", PDF, "application/pdf")},
    )
    version = DocumentVersion.objects.get()
    # Another person's version through my person's URL: not found.
    assert (
        visitor.get(reverse("people:document_download", args=[mine.pk, version.pk])).status_code
        == 404
    )
    for path in ("/lavoro/persone/1/documenti/..%2f..%2fetc%2fpasswd/", "/static/../settings.py"):
        assert visitor.get(path).status_code == 404


def test_11_13_the_portal_does_not_tell_who_is_enrolled_and_catches_bots(
    live_server, mailbox, run_tasks
):
    enrolled = PersonFactory(email="vero@esempio.it")
    stranger = Visitor(live_server.url)

    def register(**fields):
        stranger.get(reverse("portal:register"))
        data = registration(
            first_name=enrolled.first_name,
            last_name=enrolled.last_name,
            fiscal_code=enrolled.fiscal_code,
            email="attaccante@esempio.it",
        )
        data.update(fields)
        return stranger.post(
            reverse("portal:register"),
            data,
            files={"identity_document": ("id.jpg", JPEG, "image/jpeg")},
        )

    answer = register()
    assert answer.status_code == 302
    confirmation = stranger.get(answer.headers["Location"]).text
    assert "già iscritt" not in confirmation and enrolled.first_name not in confirmation
    run_tasks()
    # The stranger gets the receipt any new registrant gets, naming nobody; the person
    # enrolled is told at the address on file.
    sent = {message["To"]: message for message in mailbox}
    assert set(sent) == {"attaccante@esempio.it", "vero@esempio.it"}
    receipt = sent["attaccante@esempio.it"]
    assert "ricevuta" in receipt["Subject"]
    assert enrolled.fiscal_code not in receipt.get_content()
    assert "/consensi/" not in receipt.get_content()  # no way to the person's consents
    assert "nuova iscrizione con i suoi dati" in sent["vero@esempio.it"]["Subject"]
    assert not enrolled.documents.exists()  # the upload waits for an operator
    # A bot filling the hidden field gets the same answer and registers nothing.
    registrations = PortalRegistration.objects.count()
    bot = register(website="http://spam.example", fiscal_code="RSSMRA85T10A944C")
    assert bot.status_code == 200 and "attaccante@esempio.it" in bot.text
    assert PortalRegistration.objects.count() == registrations


def test_12_the_portal_is_rate_limited_in_italian(live_server, settings):
    settings.PORTAL_LIMIT_PER_ADDRESS = 2
    visitor = Visitor(live_server.url)
    answers = []
    for _ in range(3):
        visitor.get(reverse("portal:register"))
        answers.append(
            visitor.post(
                reverse("portal:register"),
                registration(),
                files={"identity_document": ("id.jpg", JPEG, "image/jpeg")},
            )
        )
    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert "troppe iscrizioni" in answers[-1].text.lower()
    assert 'value="Mario"' in answers[-1].text  # the input is kept


def test_14_15_restricted_notes_and_other_teams_files_do_not_leak(live_server):
    centro = Team.objects.create(name="Sportello Centro")
    specialist = UserFactory(role=Role.SPECIALISTA_IPS)
    ips = PersonFactory(team=centro)
    ips_path(ips, specialist=specialist)
    add_sensitive_note(person=ips, text="Diagnosi QQZ", by=specialist)
    others = PersonFactory.create_batch(3, team=Team.objects.create(name="Sportello Navile"))
    for role in (Role.COORDINATORE, Role.SOLA_LETTURA):
        reader, _ = staff(live_server, role)
        for path in (reverse("audit:log"), reverse("people:detail", args=[ips.pk])):
            assert "QQZ" not in reader.get(path).text
    # An operator walking the ids reads only their desk and the common queue.
    walker, _ = staff(live_server, team=centro)
    for person in [ips, *others]:
        answer = walker.get(reverse("people:detail", args=[person.pk]))
        assert answer.status_code == 302 and "accesso-motivato" in answer.headers["Location"]
        asked = walker.get(answer.headers["Location"]).text
        assert person.last_name not in asked and "servizio IPS" not in asked


def test_16_walking_many_files_alerts_the_administrators(live_server, settings):
    settings.READ_ALERT_COUNT = 5
    UserFactory(role=Role.AMMINISTRATORE)
    walker, user = staff(live_server)
    for person in PersonFactory.create_batch(7):
        walker.get(reverse("people:detail", args=[person.pk]))
    assert SecurityAlert.objects.filter(user=user, kind=SecurityAlert.Kind.READS).count() == 1


def test_17_18_the_audit_log_cannot_be_changed_or_emptied(live_server):
    visitor, _ = staff(live_server)
    person = PersonFactory()
    visitor.get(reverse("people:detail", args=[person.pk]))
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("pk")
    for statement in (
        "UPDATE auditlog_logentry SET changes_text = 'niente' WHERE id = %s",
        "DELETE FROM auditlog_logentry WHERE id = %s",
    ):
        with pytest.raises((InternalError, ProgrammingError)), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])


def test_19_20_22_uploads_are_checked_and_images_re_encoded(live_server):
    visitor, _ = staff(live_server)
    person = PersonFactory()
    upload = reverse("people:document_upload", args=[person.pk])
    polyglot = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF"
    huge = io.BytesIO()
    Image.new("1", (50_000, 50_000)).save(huge, "PNG")
    for name, content, kind in (
        ("x.pdf", polyglot, "application/pdf"),
        ("x.png", huge.getvalue(), "image/png"),
    ):
        visitor.post(upload, {"kind": "cv"}, files={"file": (name, content, kind)})
    assert not DocumentVersion.objects.exists()
    exif = Image.Exif()
    exif[0x013B] = "Autore Segreto"  # Artist
    photo = io.BytesIO()
    Image.new("RGB", (60, 40)).save(photo, "JPEG", exif=exif.tobytes())
    visitor.post(
        upload, {"kind": "cv"}, files={"file": ("foto.jpg", photo.getvalue(), "image/jpeg")}
    )
    stored = DocumentVersion.objects.get()
    served = visitor.get(reverse("people:document_download", args=[person.pk, stored.pk]))
    assert b"Autore Segreto" not in served.content


def test_21_a_zip_bomb_is_refused_before_it_is_unpacked(live_server):
    from approdo.legacy.importer import FILES

    visitor, _ = staff(live_server, Role.COORDINATORE)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in FILES:
            archive.writestr(name, "id\n" + "\n" * (20 * 1024 * 1024 if name == FILES[0] else 1))
    answer = visitor.post(
        reverse("legacy:start"), files={"export": ("bomba.zip", bomb.getvalue(), "application/zip")}
    )
    assert answer.status_code == 400 and "compresso" in answer.text


def test_23_a_huge_body_is_refused_from_its_length(live_server):
    visitor, _ = staff(live_server)
    person = PersonFactory()
    answer = visitor.post(
        reverse("people:document_upload", args=[person.pk]),
        {"kind": "cv"},
        files={"file": ("grande.pdf", b"0" * (60 * 1024 * 1024), "application/pdf")},
    )
    assert answer.status_code == 413 and "troppo grande" in answer.text.lower()


def test_24_25_logins_are_throttled_per_address_without_locking_the_owner_out(live_server):
    from approdo.accounts.services import FAILED_LOGINS_PER_ADDRESS

    limit, _ = FAILED_LOGINS_PER_ADDRESS
    prober = Visitor(live_server.url)
    for number in range(limit):
        prober.post(reverse("accounts:login"), {"username": f"utente{number}", "password": "x"})
    user = UserFactory()
    held = prober.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert held.status_code == 429 and "tentativi" in held.text.lower()


def test_26_27_temporary_passwords_and_the_reset_that_reveals_nothing(
    live_server, run_tasks, mailbox
):
    user = UserFactory(must_change_password=True)
    visitor = Visitor(live_server.url)
    visitor.log_in(user)
    assert (
        visitor.get(reverse("people:list"))
        .headers["Location"]
        .startswith(reverse("accounts:password_change"))
    )
    asking = Visitor(live_server.url)
    known = asking.post(reverse("accounts:password_reset"), {"email": user.email})
    unknown = asking.post(reverse("accounts:password_reset"), {"email": "nessuno@esempio.it"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]


def test_28_headers_refuse_inline_script_framing_and_trace(live_server):
    visitor = Visitor(live_server.url)
    page = visitor.get(reverse("accounts:login"))
    policy = page.headers["Content-Security-Policy"]
    assert (
        "frame-ancestors 'none'" in policy
        and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "Permissions-Policy" in page.headers
    assert visitor.http.request("TRACE", live_server.url + "/").status_code == 405


def test_29_30_junk_parameters_and_unknown_actions_are_not_server_errors(live_server):
    visitor, _ = staff(live_server, Role.COORDINATORE)
    assert visitor.get(reverse("reports:fairness"), params={"giorni": "x"}).status_code == 400
    assert visitor.get(
        reverse("people:list"), params={"min_waiting_days": "9" * 30}
    ).status_code in (200, 400)
    assert visitor.post("/aziende/1/distruggi/", {}).status_code == 404


def test_31_a_forged_consent_link_opens_nothing(live_server):
    visitor = Visitor(live_server.url)
    person = PersonFactory()
    assert visitor.get(f"/portale/consensi/{person.pk}:forged/").status_code == 404
    assert Person.objects.get(pk=person.pk).consent_proposal_at is not None
