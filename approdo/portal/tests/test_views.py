import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from approdo.people.models import DocumentVersion, Person
from approdo.places.models import Comune
from approdo.portal.models import PortalRegistration
from tests.documents import PDF, PNG
from tests.factories import PersonFactory


def form_data(**overrides):
    data = {
        "submission_token": str(uuid.uuid4()),
        "first_name": "Mario",
        "last_name": "Rossi",
        "fiscal_code": "RSSMRA85T10A944C",
        "citizenship": "Italia",
        "residence_comune": "Casalecchio di Reno",
        "email": "mario.rossi@esempio.it",
        "phone": "3331234567",
        "education": "diploma",
        "italian_level": "madrelingua",
        "licences": ["B", "muletto"],
        "last_job_title": "Magazziniere",
        "desired_jobs": "magazziniere, carrellista",
        "weekly_hours": "40",
        "shifts": ["mattina", "pomeriggio"],
        "privacy_accepted": "on",
        "identity_document": SimpleUploadedFile("carta.png", PNG, "image/png"),
        "cv": SimpleUploadedFile("cv.pdf", PDF, "application/pdf"),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.django_db
def test_online_registration_creates_the_person_with_documents_and_confirms_by_email(
    client, mailbox, run_tasks
):
    response = client.post(reverse("portal:register"), form_data())
    assert response.status_code == 302
    person = Person.objects.get(fiscal_code="RSSMRA85T10A944C")
    assert person.birth_date.isoformat() == "1985-12-10"
    assert person.birth_comune.name == "Bologna"
    assert person.residence_comune.name == "Casalecchio di Reno"
    assert person.channel == "portale"
    assert person.privacy_notice_version and person.privacy_accepted_at
    assert person.licences == ["B", "muletto"]
    assert person.desired_jobs == ["magazziniere", "carrellista"]
    assert person.experiences.get().job_title == "Magazziniere"
    kinds = set(DocumentVersion.objects.values_list("document__kind", "content_type"))
    assert kinds == {("documento identita", "image/png"), ("cv", "application/pdf")}
    run_tasks()
    [message] = mailbox
    assert message["To"] == "mario.rossi@esempio.it"
    assert "iscrizione è stata ricevuta" in message["Subject"]
    confirmation = client.get(response["Location"])
    assert "mario.rossi@esempio.it" in confirmation.content.decode()


@pytest.mark.django_db
def test_second_registration_with_same_fiscal_code_is_attached_not_duplicated(
    client, run_tasks, mailbox
):
    existing = PersonFactory(
        first_name="Mario",
        last_name="Rossi",
        fiscal_code="RSSMRA85T10A944C",
        email="vecchia@esempio.it",
    )
    client.post(reverse("portal:register"), form_data(email="nuova@esempio.it"))
    assert Person.objects.count() == 1
    existing.refresh_from_db()
    assert existing.needs_review
    registration = PortalRegistration.objects.get()
    assert registration.person == existing
    assert registration.matched_existing and registration.matched_by == "codice fiscale"
    assert registration.submitted_data["email"] == "nuova@esempio.it"
    assert existing.email == "vecchia@esempio.it"  # operators decide what to keep
    run_tasks()
    by_address = {message["To"]: message for message in mailbox}
    # Whoever submitted gets what a new registration gets: nothing says the code was known.
    new_one = by_address["nuova@esempio.it"]
    assert "iscrizione è stata ricevuta" in new_one["Subject"]
    assert "già" not in new_one.get_content() and "vecchia" not in new_one.get_content()
    # The person on file hears of it at the address on file.
    assert "nuova iscrizione con i suoi dati" in by_address["vecchia@esempio.it"]["Subject"]


@pytest.mark.django_db
def test_a_repeated_registration_answers_as_a_new_one_and_writes_nothing_on_the_file(
    client, operator_client, operator
):
    from approdo.people.models import Document
    from approdo.portal.models import PendingDocument

    existing = PersonFactory(fiscal_code="RSSMRA85T10A944C", email="vecchia@esempio.it")
    new = client.post(reverse("portal:register"), form_data(email="altro@esempio.it"))
    first = Client().post(reverse("portal:register"), _someone(0))
    assert new.status_code == first.status_code == 302
    assert client.get(new["Location"]).content.decode().count("altro@esempio.it") == 1
    # The documents wait apart; the file has none of them.
    assert not Document.objects.filter(person=existing).exists()
    waiting = list(PendingDocument.objects.filter(registration__person=existing))
    assert {document.kind for document in waiting} == {"documento identita", "cv"}
    # The operator compares side by side and decides on each document.
    page = operator_client.get(reverse("people:detail", args=[existing.pk])).content.decode()
    assert "Nuova iscrizione online con gli stessi dati" in page
    assert "altro@esempio.it" in page and "vecchia@esempio.it" in page
    identity = next(d for d in waiting if d.kind == "documento identita")
    cv = next(d for d in waiting if d.kind == "cv")
    assert operator_client.get(reverse("portal:pending_document", args=[cv.pk])).status_code == 200
    operator_client.post(
        reverse("portal:pending_decision", args=[identity.pk]), {"decisione": "aggiungi"}
    )
    operator_client.post(reverse("portal:pending_decision", args=[cv.pk]), {"decisione": "scarta"})
    assert list(Document.objects.filter(person=existing).values_list("kind", flat=True)) == [
        "documento identita"
    ]
    identity.refresh_from_db()
    cv.refresh_from_db()
    assert (identity.decision, cv.decision) == ("aggiunto", "scartato")
    assert not identity.storage_path and not cv.storage_path  # the waiting files are gone


@pytest.mark.django_db
def test_second_registration_with_same_email_is_attached_not_duplicated(client):
    existing = PersonFactory(email="mario.rossi@esempio.it", fiscal_code=None)
    client.post(
        reverse("portal:register"),
        form_data(
            fiscal_code="",
            no_fiscal_code="on",
            birth_date="1990-01-01",
            sex="M",
            email="Mario.Rossi@esempio.it",
        ),
    )
    assert Person.objects.count() == 1
    assert PortalRegistration.objects.get().matched_by == "e-mail"
    existing.refresh_from_db()
    assert existing.needs_review


@pytest.mark.django_db
def test_double_submit_of_the_same_form_registers_once(client):
    data = form_data()
    token = data["submission_token"]
    client.post(reverse("portal:register"), data)
    again = form_data(submission_token=token)
    response = client.post(reverse("portal:register"), again)
    assert response.status_code == 302
    assert Person.objects.count() == 1
    assert PortalRegistration.objects.count() == 1


def form_data_without_fiscal_code():
    """A woman born in Morocco, with no Italian fiscal code."""
    return form_data(
        fiscal_code="",
        no_fiscal_code="on",
        birth_date="1992-05-04",
        sex="F",
        citizenship="Marocco",
        first_name="Fatima",
        last_name="El Amrani",
        email="fatima@esempio.it",
    )


@pytest.mark.django_db
def test_person_without_fiscal_code_is_allowed_and_flagged(client):
    response = client.post(
        reverse("portal:register"),
        form_data_without_fiscal_code(),
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.fiscal_code is None
    assert person.birth_country == "Marocco"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"fiscal_code": "RSSMRA85T10A944X"}, "fiscal_code", "carattere di controllo"),
        (
            {"fiscal_code": "RSSMRA85T10A944C", "birth_date": "1985-12-11"},
            "birth_date",
            "non corrisponde",
        ),
        (
            {"fiscal_code": "", "no_fiscal_code": "on", "birth_date": "2030-01-01", "sex": "M"},
            "birth_date",
            "nel futuro",
        ),
        (
            {"fiscal_code": "", "no_fiscal_code": "on", "birth_date": "2015-01-01", "sex": "M"},
            "birth_date",
            "almeno 16 anni",
        ),
        ({"residence_comune": "Bolognina di Sopra"}, "residence_comune", "non è nell'elenco ISTAT"),
        (
            {
                "identity_document": SimpleUploadedFile(
                    "carta.pdf", b"GIF89a fake", "application/pdf"
                )
            },
            "identity_document",
            "non è un PDF, un JPEG o un PNG",
        ),
        ({"privacy_accepted": None}, "privacy_accepted", "accettare l'informativa"),
        ({"fiscal_code": ""}, "fiscal_code", "Non ho un codice fiscale"),
    ],
)
def test_bad_input_gets_an_italian_message_keeps_the_input_and_saves_nothing(
    client, overrides, field, message
):
    response = client.post(reverse("portal:register"), form_data(**overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert 'value="Rossi"' in response.content.decode()  # what was typed is kept
    assert not Person.objects.exists()
    assert not DocumentVersion.objects.exists()


@pytest.mark.django_db
def test_upload_over_the_size_limit_is_refused(client, settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    big = SimpleUploadedFile("cv.pdf", PDF + b"0" * (1024 * 1024 + 10), "application/pdf")
    response = client.post(reverse("portal:register"), form_data(cv=big))
    assert response.status_code == 400
    assert "troppo grande" in " ".join(response.context["form"].errors["cv"])
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_portal_pages_are_public_and_suggest_comuni(client):
    assert client.get(reverse("portal:register")).status_code == 200
    assert client.get(reverse("portal:privacy")).status_code == 200
    options = client.get(reverse("portal:comuni"), {"residence_comune": "casalec"})
    assert "Casalecchio di Reno (BO)" in options.content.decode()


@pytest.mark.django_db
def test_comune_with_an_ambiguous_name_needs_the_province(client):
    names = Comune.objects.values("search_name").annotate(n=Count("pk")).filter(n__gt=1)
    ambiguous = Comune.objects.filter(search_name=names[0]["search_name"]).first()
    response = client.post(reverse("portal:register"), form_data(residence_comune=ambiguous.name))
    assert "aggiunga la provincia" in " ".join(response.context["form"].errors["residence_comune"])
    response = client.post(
        reverse("portal:register"),
        form_data(residence_comune=f"{ambiguous.name} ({ambiguous.province_code})"),
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_fields_about_the_person_say_their_purpose(client):
    """WCAG 1.3.5: the browser and assistive technology know what each field is for."""
    import re

    html = client.get(reverse("portal:register")).content.decode()
    purposes = {
        "first_name": "given-name",
        "last_name": "family-name",
        "birth_date": "bday",
        "sex": "sex",
        "residence_comune": "address-level2",
        "email": "email",
        "phone": "tel",
        "last_job_title": "organization-title",
        "last_employer": "organization",
    }
    for name, purpose in purposes.items():
        [tag] = re.findall(rf'<(?:input|select)[^>]*\bname="{name}"[^>]*>', html)
        assert f'autocomplete="{purpose}"' in tag, name


def _someone(number: int) -> dict:
    from codicefiscale import codicefiscale

    code = codicefiscale.encode(
        lastname="Verdi",
        firstname=f"Anna{'abcdefghij'[number]}",
        gender="F",
        birthdate="01/02/1990",
        birthplace="Bologna",
    )
    return form_data(
        first_name=f"Anna{'abcdefghij'[number]}",
        last_name="Verdi",
        fiscal_code=code,
        email=f"anna{number}@esempio.it",
    )


@pytest.mark.django_db
def test_a_flood_of_registrations_from_one_address_is_refused_keeping_the_input(client, settings):
    settings.PORTAL_LIMIT_PER_ADDRESS = 3
    for number in range(3):
        assert client.post(reverse("portal:register"), _someone(number)).status_code == 302
    refused = client.post(reverse("portal:register"), _someone(3))
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "troppe iscrizioni" in page and 'value="anna3@esempio.it"' in page
    assert Person.objects.count() == 3
    # Another address is not held up by this one.
    other = Client(REMOTE_ADDR="10.1.2.3").post(reverse("portal:register"), _someone(4))
    assert other.status_code == 302


@pytest.mark.django_db
def test_the_overall_limit_holds_whatever_the_address(client, settings):
    settings.PORTAL_LIMIT_OVERALL = 2
    for number in range(3):
        Client(REMOTE_ADDR=f"10.0.0.{number}").post(reverse("portal:register"), _someone(number))
    assert Person.objects.count() == 2


@pytest.mark.django_db
def test_a_program_filling_the_hidden_field_is_answered_but_not_registered(client):
    response = client.post(reverse("portal:register"), form_data(website="http://spam.example"))
    assert response.status_code == 200
    assert "mario.rossi@esempio.it" in response.content.decode()
    assert not Person.objects.exists()
