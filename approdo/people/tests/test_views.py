from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from approdo.accounts.roles import Role
from approdo.people.models import Person
from approdo.people.services import add_sensitive_note, store_document
from conftest import login
from tests.documents import PDF
from tests.factories import PersonFactory, UserFactory


@pytest.mark.django_db
def test_person_list_query_count_does_not_grow_with_rows(
    operator_client, django_assert_num_queries
):
    PersonFactory.create_batch(30)
    # Three of them: the files the operator opened with a reason (people/permissions.py),
    # the staff to filter by, and the saved searches; the page is read as ids, then rows.
    with django_assert_num_queries(12):
        response = operator_client.get(reverse("people:list"), {"status": "registrato"})
    assert response.status_code == 200
    assert len(response.context["page"]) == 30


@pytest.mark.django_db
def test_fuzzy_search_tolerates_typos_and_accents(operator_client):
    target = PersonFactory(first_name="Nicolò", last_name="Mazzà")
    PersonFactory(first_name="Giulia", last_name="Bianchi")
    for term in ("mazza nicolo", "Mazzá Nicolo", "nicolo mazza", "mazzza"):
        page = operator_client.get(reverse("people:list"), {"q": term}).context["page"]
        assert target in page.object_list, term
    page = operator_client.get(reverse("people:list"), {"q": "mazza"}).context["page"]
    assert [p.last_name for p in page] == ["Mazzà"]


@pytest.mark.django_db
def test_exact_surname_ranks_before_names_that_contain_it(operator_client):
    PersonFactory(first_name="Ranieri", last_name="Grossi")
    rossi = PersonFactory(first_name="Mario", last_name="Rossi")
    page = operator_client.get(reverse("people:list"), {"q": "rossi"}).context["page"]
    assert page[0] == rossi


@pytest.mark.django_db
def test_fiscal_code_lookup(operator_client):
    person = PersonFactory()
    page = operator_client.get(reverse("people:list"), {"q": person.fiscal_code.lower()}).context[
        "page"
    ]
    assert list(page) == [person]


@pytest.mark.django_db
def test_filters_by_waiting_time_age_band_licence_and_citizenship(operator_client):
    long_wait = PersonFactory(
        registered_at=timezone.now() - timedelta(days=20),
        licences=["B", "CQC"],
        citizenship="Romania",
    )
    PersonFactory(registered_at=timezone.now() - timedelta(days=2), licences=["B"])
    page = operator_client.get(reverse("people:list"), {"min_waiting_days": 15}).context["page"]
    assert list(page) == [long_wait]
    page = operator_client.get(reverse("people:list"), {"licences": ["CQC"]}).context["page"]
    assert list(page) == [long_wait]
    page = operator_client.get(reverse("people:list"), {"citizenship_area": "UE"}).context["page"]
    assert list(page) == [long_wait]
    page = operator_client.get(reverse("people:list"), {"age_band": "16-24"}).context["page"]
    assert list(page) == []


@pytest.mark.django_db
def test_opening_a_file_is_in_the_audit_log(operator_client, operator):
    person = PersonFactory()
    operator_client.get(reverse("people:detail", args=[person.pk]))
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).get()
    assert entry.actor == operator
    assert entry.additional_data["person_id"] == person.pk


@pytest.mark.django_db
def test_document_download_is_authorised_and_audited(operator_client, auditor, client):
    person = PersonFactory()
    version = store_document(
        person=person, kind="cv", uploaded_file=SimpleUploadedFile("cv.pdf", PDF)
    )
    url = reverse("people:document_download", args=[person.pk, version.pk])
    response = operator_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, changes_text__startswith="Scaricamento"
    ).exists()
    other = PersonFactory()
    assert (
        operator_client.get(
            reverse("people:document_download", args=[other.pk, version.pk])
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_changes_are_in_the_audit_log_with_the_person(operator_client, operator):
    person = PersonFactory(status="in carico")
    operator_client.post(
        reverse("people:status", args=[person.pk]),
        {"to_status": "fuori protocollo", "reason": "lavora"},
    )
    entry = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).first()
    assert entry.actor == operator
    assert entry.changes_dict["status"] == ["in carico", "fuori protocollo"]


@pytest.mark.django_db
def test_auditor_can_read_but_not_change(client, auditor):
    login(client, auditor)
    person = PersonFactory()
    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 200
    assert client.get(reverse("people:edit", args=[person.pk])).status_code == 403
    assert (
        client.post(
            reverse("people:status", args=[person.pk]), {"to_status": "in carico"}
        ).status_code
        == 403
    )
    assert client.post(reverse("exports:request", args=["persone"]), {}).status_code == 403


@pytest.mark.django_db
def test_sensitive_notes_are_seen_only_by_ips_specialists(client, operator, ips_specialist):
    person = PersonFactory(in_ips_path=True)
    add_sensitive_note(person=person, text="Segue una terapia", by=ips_specialist)
    login(client, operator)
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Segue una terapia" not in page
    assert (
        client.post(reverse("people:sensitive_note", args=[person.pk]), {"text": "x"}).status_code
        == 403
    )
    login(client, ips_specialist)
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Segue una terapia" in page


@pytest.mark.django_db
def test_desk_registration_with_an_existing_fiscal_code_is_refused(operator_client):
    person = PersonFactory()
    response = operator_client.post(
        reverse("people:create"),
        {
            "first_name": "Altro",
            "last_name": "Nome",
            "fiscal_code": person.fiscal_code,
            "citizenship": "Italia",
            "residence_comune": "Bologna",
        },
    )
    assert response.status_code == 400
    assert "già iscritta" in response.content.decode()
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_desk_registration_derives_birth_data_from_the_fiscal_code(operator_client):
    response = operator_client.post(
        reverse("people:create"),
        {
            "first_name": "Mario",
            "last_name": "Rossi",
            "fiscal_code": "RSSMRA85T10A944C",
            "citizenship": "Italia",
            "residence_comune": "Imola (BO)",
            "licences": ["B"],
        },
    )
    person = Person.objects.get()
    assert response["Location"] == reverse("people:detail", args=[person.pk])
    assert (person.sex, person.birth_date.year, person.residence_comune.name) == (
        "M",
        1985,
        "Imola",
    )


@pytest.mark.django_db
def test_timeline_shows_registration_status_calls_documents_and_emails(operator_client, operator):
    person = PersonFactory(status="in carico")
    store_document(person=person, kind="cv", uploaded_file=SimpleUploadedFile("cv.pdf", PDF))
    operator_client.post(reverse("people:call", args=[person.pk]), {"answered": "no"})
    operator_client.post(
        reverse("people:status", args=[person.pk]),
        {"to_status": "fuori protocollo", "reason": "irreperibile"},
    )
    titles = [
        event.title
        for event in operator_client.get(reverse("people:detail", args=[person.pk])).context[
            "timeline"
        ]
    ]
    assert "Fuori protocollo: irreperibile" in titles
    assert "Telefonata senza risposta" in titles
    assert "Curriculum vitae caricato (versione 1)" in titles
    assert any(title.startswith("E-mail:") for title in titles)


@pytest.mark.django_db
def test_operator_can_record_only_their_own_interview_outcome(client, operator):
    from approdo.intake.models import Interview

    colleague = UserFactory(role=Role.OPERATORE)
    interview = Interview.objects.create(
        person=PersonFactory(),
        operator=colleague,
        kind="primo colloquio",
        mode="presenza",
        scheduled_at=timezone.now(),
        calendar_uid="x",
    )
    login(client, operator)
    assert client.get(reverse("intake:outcome", args=[interview.pk])).status_code == 403
    login(client, colleague)
    assert client.get(reverse("intake:outcome", args=[interview.pk])).status_code == 200


@pytest.mark.django_db
def test_work_experience_with_end_before_start_is_refused(operator_client):
    person = PersonFactory()
    response = operator_client.post(
        reverse("people:experience_add", args=[person.pk]),
        {
            "job_title": "Magazziniere",
            "started_on": "2024-05-01",
            "ended_on": "2023-01-01",
        },
        follow=True,
    )
    assert "non può precedere l&#x27;inizio" in response.content.decode()
    assert not person.experiences.exists()
    operator_client.post(
        reverse("people:experience_add", args=[person.pk]),
        {
            "job_title": "Magazziniere",
            "employer": "Coop",
            "started_on": "2022-05-01",
        },
    )
    assert person.experiences.get().employer == "Coop"


@pytest.mark.django_db
def test_intake_queue_and_audit_log_query_counts_do_not_grow(
    coordinator_client, django_assert_num_queries
):
    people = PersonFactory.create_batch(25)
    for person in people:
        coordinator_client.get(reverse("people:detail", args=[person.pk]))
    with django_assert_num_queries(10):
        assert coordinator_client.get(reverse("intake:queue")).status_code == 200
    with django_assert_num_queries(10):
        response = coordinator_client.get(reverse("audit:log"))
    assert len(response.context["page"]) == 50  # 25 files created, 25 opened


@pytest.mark.django_db
def test_the_result_count_agrees_with_its_number(operator_client):
    PersonFactory(last_name="Unico")
    page = operator_client.get(reverse("people:list"), {"q": "Unico"}).content.decode()
    assert "1 persona trovata" in page


@pytest.mark.django_db
def test_registering_someone_already_registered_links_to_their_file(operator_client):
    existing = PersonFactory()
    response = operator_client.post(
        reverse("people:create"),
        {
            "first_name": existing.first_name,
            "last_name": existing.last_name,
            "fiscal_code": existing.fiscal_code,
            "citizenship": "Italia",
            "residence_comune": "Bologna",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'href="/lavoro/persone/{existing.pk}/"' in page
    assert Person.objects.count() == 1
