"""The right of access: the person's whole file as an archive made by the worker."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from approdo.accounts.roles import Role
from approdo.exports.models import Export
from approdo.people.choices import DocumentKind
from approdo.people.services import add_sensitive_note, store_document
from conftest import login
from tests.documents import PDF
from tests.factories import PersonFactory, UserFactory, ips_path


def _dossier(client, person, run_tasks) -> zipfile.ZipFile:
    client.post(reverse("exports:request", args=["fascicolo"]), {"person": person.pk})
    run_tasks()
    export = Export.objects.latest("created_at")
    assert export.status == "pronta", export.error
    response = client.get(reverse("exports:download", args=[export.pk]))
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.django_db
def test_the_whole_file_with_documents_as_json_and_pdf(run_tasks):
    person = PersonFactory(first_name="Lucia", last_name="Neri", phone="3470001122")
    store_document(
        person=person,
        kind=DocumentKind.CV,
        uploaded_file=SimpleUploadedFile("cv.pdf", PDF, "application/pdf"),
    )
    operator = UserFactory(role=Role.OPERATORE)
    archive = _dossier(login(Client(), operator), person, run_tasks)
    names = archive.namelist()
    assert "dati.json" in names and "scheda.pdf" in names
    assert "documenti/cv-versione-1.pdf" in names
    data = json.loads(archive.read("dati.json"))
    [identity] = next(s for s in data["dati"] if s["title"] == "Persone")["rows"]
    assert identity["nome"] == "Lucia" and identity["telefono"] == "3470001122"
    assert archive.read("scheda.pdf").startswith(b"%PDF")


@pytest.mark.django_db
def test_health_data_only_when_an_ips_specialist_prepares_it(run_tasks):
    specialist = UserFactory(role=Role.SPECIALISTA_IPS)
    person = PersonFactory()
    ips_path(person, specialist=specialist)
    add_sensitive_note(person=person, text="Nota sanitaria QWZ", by=specialist)
    coordinator = UserFactory(role=Role.COORDINATORE)  # reads every file, health aside
    by_operator = _dossier(login(Client(), coordinator), person, run_tasks)
    assert b"QWZ" not in by_operator.read("dati.json")
    by_specialist = _dossier(login(Client(), specialist), person, run_tasks)
    assert "QWZ" in by_specialist.read("dati.json").decode()
