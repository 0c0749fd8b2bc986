import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from approdo.accounts.roles import Role
from approdo.area import profile
from approdo.area.models import ProfileChange
from approdo.casework.models import Task
from approdo.people.models import DocumentVersion
from approdo.places.models import Comune
from conftest import login
from tests.documents import pdf_bytes
from tests.factories import PersonFactory, UserFactory

from .helpers import enter_area

pytestmark = pytest.mark.django_db


def _form_data(person, **changes) -> dict:
    data = {
        "phone": person.phone,
        "address": person.address,
        "postcode": person.postcode,
        "domicile_comune": str(person.domicile_comune or ""),
        "italian_level": person.italian_level,
        "licences": person.licences,
        "desired_jobs": ", ".join(person.desired_jobs),
        "weekly_hours": person.weekly_hours or "",
        "shifts": person.shifts,
    }
    if person.own_transport:
        data["own_transport"] = "on"
    return {**data, **changes}


def test_contacts_change_at_once_and_what_the_ranking_reads_waits(operator):
    person = PersonFactory(case_manager=operator, licences=[], phone="051 111111")
    client = enter_area(Client(), person)
    response = client.post(
        reverse("area:data"), _form_data(person, phone="333 1234567", licences=["B"])
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "333 1234567"
    assert person.licences == []  # not yet
    change = ProfileChange.objects.get()
    assert change.proposed == {"licences": ["B"]} and change.previous == {"licences": []}
    assert change.task.assignee == operator
    page = client.get(reverse("area:data")).content.decode()
    assert "aspettano la conferma" in page


def test_a_new_proposal_replaces_the_one_waiting_and_going_back_withdraws_it():
    person = PersonFactory(weekly_hours=20)
    cleaned = {**profile.current_values(person), "weekly_hours": 30}
    profile.change_profile(person=person, cleaned=cleaned)
    profile.change_profile(person=person, cleaned={**cleaned, "weekly_hours": 35})
    assert ProfileChange.objects.get().proposed == {"weekly_hours": 35}
    profile.change_profile(person=person, cleaned={**cleaned, "weekly_hours": 20})
    assert not ProfileChange.objects.exists()


def test_the_case_manager_confirms_from_the_file(operator_client, operator):
    bologna = Comune.objects.get(name="Bologna")
    imola = Comune.objects.get(name="Imola")
    person = PersonFactory(case_manager=operator, domicile_comune=bologna)
    profile.change_profile(
        person=person,
        cleaned={**profile.current_values(person), "domicile_comune": imola},
    )
    enter_area(Client(), person)
    page = operator_client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "area personale" in page and "Imola" in page and "Ultimo accesso" in page
    change = ProfileChange.objects.get()
    operator_client.post(reverse("area:decide_change", args=[change.pk]), {"conferma": "si"})
    person.refresh_from_db()
    change.refresh_from_db()
    assert person.domicile_comune == imola and change.accepted is True
    assert Task.objects.get(pk=change.task_id).done_at is not None


def test_someone_who_cannot_edit_the_file_cannot_decide():
    person = PersonFactory(weekly_hours=20)
    profile.change_profile(
        person=person, cleaned={**profile.current_values(person), "weekly_hours": 30}
    )
    stranger = login(Client(), UserFactory(role=Role.SOLA_LETTURA))
    change = ProfileChange.objects.get()
    response = stranger.post(reverse("area:decide_change", args=[change.pk]), {"conferma": "si"})
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.decided_at is None


def test_a_bad_value_is_explained_and_nothing_changes():
    person = PersonFactory(phone="051 111111")
    client = enter_area(Client(), person)
    response = client.post(
        reverse("area:data"),
        _form_data(person, phone="333", domicile_comune="Atlantide", postcode="12"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "elenco ISTAT" in page and "5 cifre" in page
    person.refresh_from_db()
    assert person.phone == "051 111111" and not ProfileChange.objects.exists()


def test_a_new_cv_becomes_a_version_and_the_case_manager_is_told(operator):
    person = PersonFactory(case_manager=operator)
    client = enter_area(Client(), person)
    upload = SimpleUploadedFile("cv.pdf", pdf_bytes(), "application/pdf")
    response = client.post(reverse("area:upload_cv"), {"cv": upload})
    assert response.status_code == 302
    version = DocumentVersion.objects.get(document__person=person)
    assert version.document.kind == "cv" and version.uploaded_by is None
    assert Task.objects.get(origin="area personale").assignee == operator


def test_a_file_that_is_not_a_cv_is_refused():
    client = enter_area(Client(), PersonFactory())
    upload = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(reverse("area:upload_cv"), {"cv": upload})
    assert response.status_code == 400
    assert not DocumentVersion.objects.exists()
