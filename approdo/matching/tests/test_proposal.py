"""Proposing several people to a company at once: one e-mail to its contact, with the CV
files of those who have one, and nothing beyond a short profile."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from approdo.comms.models import OutboundEmail
from approdo.companies.models import CompanyContact, CompanyInteraction
from approdo.core.antivirus import ScanStatus
from approdo.matching import services
from approdo.matching.models import Candidacy, CandidacyStage
from approdo.people.choices import DocumentKind
from approdo.people.retention import anonymise_person
from approdo.people.services import store_document
from tests.documents import PDF
from tests.factories import company, ready_person, vacancy


def _accepted(operator, people, job):
    run, _ = services.run_matching(vacancy=job, by=operator)
    candidacies = []
    for person in people:
        candidacy = services.shortlist(
            vacancy=job, person=person, by=operator, run=run, override_reason="Conosciuta"
        )
        for stage in (CandidacyStage.PROPOSED, CandidacyStage.ACCEPTED):
            services.advance_candidacy(candidacy=candidacy, stage=stage, by=operator)
        candidacies.append(candidacy)
    return candidacies


def _cv(person):
    return store_document(
        person=person,
        kind=DocumentKind.CV,
        uploaded_file=SimpleUploadedFile("curriculum.pdf", PDF, "application/pdf"),
    )


@pytest.mark.django_db
def test_three_people_go_to_the_company_in_one_email_with_their_cvs(
    operator_client, operator, mailbox, run_tasks
):
    firm = company()
    contact = CompanyContact.objects.create(
        company=firm, name="Anna Ferri", email="selezione@azienda.example"
    )
    job = vacancy(company=firm, job_title="Addetto/a al magazzino")
    people = [
        ready_person(first_name="Gianni", last_name="D'Angelo", phone="3331112222"),
        ready_person(first_name="Lina", last_name="Bassi"),
        ready_person(first_name="Omar", last_name="Sall"),
    ]
    _cv(people[0])
    quarantined = _cv(people[1])
    quarantined.scan_status = ScanStatus.QUARANTINE
    quarantined.save()
    candidacies = _accepted(operator, people, job)
    page = operator_client.get(reverse("vacancies:detail", args=[job.pk])).content.decode()
    assert "Anna Ferri" in page  # offered as the recipient

    operator_client.post(
        reverse("matching:advance_batch", args=[job.pk]),
        {
            "candidacies": [c.pk for c in candidacies],
            "stage": CandidacyStage.CV_SENT,
            "contact": contact.pk,
            "message": "Disponibili da lunedì.",
        },
    )
    assert set(Candidacy.objects.values_list("stage", flat=True)) == {CandidacyStage.CV_SENT}
    run_tasks()
    [message] = [m for m in mailbox if m["To"] == "selezione@azienda.example"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Gianni D'Angelo" in body and "Lina Bassi" in body and "Omar Sall" in body
    assert "Disponibili da lunedì." in body
    assert "3331112222" not in body and "@approdo" not in body  # no contact details
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert list(attachments) == ["CV D'Angelo Gianni.pdf"]  # the quarantined CV stays home
    assert attachments["CV D'Angelo Gianni.pdf"].get_content() == PDF
    interaction = CompanyInteraction.objects.get(company=firm)
    assert "Anna Ferri" in interaction.notes and "Sall Omar" in interaction.notes
    assert candidacies[0].events.filter(note__contains="Anna Ferri").exists()

    # Erasing one of the people blanks the e-mail that named them; the file is not sent again.
    anonymise_person(people[2])
    email = OutboundEmail.objects.get(kind="proposta candidati")
    assert (email.subject, email.body) == ("", "")


@pytest.mark.django_db
def test_no_email_unless_everyone_moves_to_cv_sent(operator_client, operator):
    firm = company()
    contact = CompanyContact.objects.create(company=firm, name="Ugo", email="ugo@azienda.example")
    other = CompanyContact.objects.create(
        company=company(name="Altra S.r.l."), name="Eva", email="eva@altra.example"
    )
    job = vacancy(company=firm)
    without_consent = ready_person(consent_cv_at=None)
    candidacies = _accepted(operator, [ready_person(), without_consent], job)
    url = reverse("matching:advance_batch", args=[job.pk])
    chosen = [c.pk for c in candidacies]
    cases = [
        ({"stage": CandidacyStage.CV_SENT, "contact": contact.pk}, "consenso"),
        ({"stage": CandidacyStage.WITHDRAWN, "contact": contact.pk}, "solo con la fase"),
        ({"stage": CandidacyStage.CV_SENT, "contact": other.pk}, "Scelga"),
    ]
    for data, message in cases:
        response = operator_client.post(url, {"candidacies": chosen, **data}, follow=True)
        assert message in response.content.decode()
    assert set(Candidacy.objects.values_list("stage", flat=True)) == {CandidacyStage.ACCEPTED}
    assert not OutboundEmail.objects.filter(kind="proposta candidati").exists()
    assert not CompanyInteraction.objects.exists()
