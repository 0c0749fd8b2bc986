"""History that breaks today's rules happened: imported as it was, flagged, never refused."""

import pytest

from approdo.legacy.importer import LegacyImport
from approdo.occupations.services import closest_occupation
from approdo.placements.models import Placement
from approdo.vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "entry"),
    [
        ("Autista camion", "Autista di camion"),
        ("autisti di camion", "Autista di camion"),
        ("Magazinniere", "Magazziniere"),
        ("MAGAZZINIERE", "Magazziniere"),
    ],
)
def test_free_text_titles_find_their_vocabulary_entry(title, entry):
    found = closest_occupation(title)
    assert found is not None and found[0].name == entry


def test_a_title_that_names_no_job_finds_nothing():
    assert closest_occupation("Consulente di astrologia quantistica") is None


def test_a_mini_job_of_24_hours_and_unknown_titles_are_imported_flagged(legacy_export):
    request = legacy_export.rows("richieste.csv")[0]
    legacy_export.append(
        "richieste.csv",
        {
            **request,
            "id": "910001",
            "mansione": "Autista camion",
            "tipologia": "mini job",
            "contratto": "",
            "ore_settimanali": "24",
        },
        "old mini job",
    )
    legacy_export.append(
        "richieste.csv",
        {**request, "id": "910002", "mansione": "Consulente di astrologia quantistica"},
        "unknown title",
    )
    placement = next(r for r in legacy_export.rows("inserimenti.csv") if not r["rinnovo_di"])
    legacy_export.append(
        "inserimenti.csv",
        {
            **placement,
            "id": "910001",
            "tipologia": "mini job",
            "contratto": "",
            "ore_settimanali": "24",
        },
        "old placement",
    )
    result = LegacyImport(legacy_export.folder).run(skip_invalid=True)
    assert result.written
    mini_job = Vacancy.objects.get(legacy_id=910001)
    assert (mini_job.weekly_hours, mini_job.needs_review) == (24, True)
    assert mini_job.occupation.name == "Autista di camion"
    unknown = Vacancy.objects.get(legacy_id=910002)
    assert unknown.occupation is None and unknown.needs_review
    assert "fuori dal vocabolario" in unknown.review_note
    old = Placement.objects.get(legacy_id=910001)
    assert (old.weekly_hours, old.needs_review) == (24, True)
    lines = {legacy_export.lines["richieste.csv", "old mini job"]}
    warnings = [str(p) for p in result.warnings if p.file == "richieste.csv" and p.line in lines]
    assert any("associata alla professione «Autista di camion»" in w for w in warnings)
    assert any("da verificare: Un mini job" in w for w in warnings)


def test_a_request_without_an_occupation_is_not_ranked(operator_client, legacy_export):
    request = legacy_export.rows("richieste.csv")[0]
    legacy_export.append(
        "richieste.csv",
        {**request, "id": "910003", "mansione": "Consulente di astrologia quantistica"},
        "unknown",
    )
    LegacyImport(legacy_export.folder).run(skip_invalid=True)
    vacancy = Vacancy.objects.get(legacy_id=910003)
    response = operator_client.post(f"/abbinamento/richieste/{vacancy.pk}/abbina/")
    assert response.status_code == 302 and response["Location"] == f"/richieste/{vacancy.pk}/"
    page = operator_client.get(response["Location"]).content.decode()
    assert "da classificare" in page and "prima dell&#x27;abbinamento" in page


def test_a_person_registered_twice_is_one_person_and_both_registrations_count(legacy_export):
    from approdo.people.models import Person, StatusChange
    from approdo.reports.indicators import registrations

    people = legacy_export.rows("persone.csv")
    first = next(row for row in people[5:] if row["codice_fiscale"])
    again = {
        **first,
        "id": "920001",
        "data_iscrizione": "10/03/2025",
        "email": "di.nuovo@esempio.it",
        "stato": "in carico",
        "motivo_fuori_protocollo": "",
        "data_fuori_protocollo": "",
    }
    legacy_export.append("persone.csv", again, "again")
    interview = legacy_export.rows("colloqui.csv")[0]
    legacy_export.append(
        "colloqui.csv",
        {
            **interview,
            "id": "920001",
            "id_persona": "920001",
            "data": "20/03/2025",
            "tipo": "primo colloquio",
            "esito": "in target",
            "valutazione": "pronto",
        },
        "second first interview",
    )
    before = registrations(2025)
    result = LegacyImport(legacy_export.folder).run(skip_invalid=True)
    assert result.written
    person = Person.objects.get(fiscal_code=first["codice_fiscale"].strip().upper())
    assert person.legacy_id == int(first["id"])
    assert person.email == "di.nuovo@esempio.it"  # the latest row's contacts
    readmission = StatusChange.objects.get(person=person, is_readmission=True)
    assert readmission.changed_at.date().isoformat() == "2025-03-10"
    assert person.interviews.filter(kind="monitoraggio").exists()  # the later first interview
    assert registrations(2025) >= before + 1  # the readmission counts as a registration
    again_run = LegacyImport(legacy_export.folder).run(skip_invalid=True)
    assert "riammissioni" not in again_run.created
    assert StatusChange.objects.filter(person=person, is_readmission=True).count() == 1


def test_a_person_interviewed_in_approdo_merges_with_their_legacy_row(legacy_export, operator):
    from django.utils import timezone

    from approdo.intake.models import Interview
    from approdo.intake.services import record_first_interview_outcome
    from approdo.intake.tests.test_services import held_an_hour_ago
    from approdo.people.models import Person
    from tests.factories import PersonFactory

    interviews = legacy_export.rows("colloqui.csv")
    interviewed = {row["id_persona"] for row in interviews if row["tipo"] == "primo colloquio"}
    row = next(
        r
        for r in legacy_export.rows("persone.csv")[3:]
        if r["codice_fiscale"] and r["id"] in interviewed
    )
    person = PersonFactory(fiscal_code=row["codice_fiscale"].strip().upper())
    record_first_interview_outcome(
        interview=held_an_hour_ago(person, operator),
        outcome="in target",
        readiness="non pronto",
        notes="",
        by=operator,
    )
    result = LegacyImport(legacy_export.folder).run(skip_invalid=True)
    assert result.written
    person.refresh_from_db()
    assert person.legacy_id == int(row["id"])
    assert person.readiness == "non pronto"  # Approdo's own first interview stands
    assert person.first_interview_at > timezone.now() - timezone.timedelta(days=1)
    assert Interview.objects.filter(person=person, kind="primo colloquio").count() == 1
    assert Interview.objects.filter(person=person, kind="monitoraggio", legacy_id__isnull=False)
    assert Person.objects.filter(fiscal_code=person.fiscal_code).count() == 1
