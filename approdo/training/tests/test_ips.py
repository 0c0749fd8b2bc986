"""The IPS path: opened on a referral with consent, its phases, the derived flags, who reads it."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approdo.accounts.roles import Role
from approdo.people.models import Person
from approdo.placements.models import Placement
from approdo.placements.services import record_placement
from approdo.reports.indicators import Scope, ips, ips_paths
from approdo.training import services
from approdo.training.models import PathPhaseChange, ProgrammePath
from approdo.training.selectors import caseloads, service_capacity
from conftest import login
from tests.factories import PersonFactory, UserFactory, company, ips_path, ready_person

TODAY = timezone.localdate()


def _open(person, specialist, **changes):
    start_on = changes.get("start_on", TODAY)
    data = {
        "person": person,
        "specialist": specialist,
        "referred_by": "CSM Bologna Est",
        "referred_on": start_on - timedelta(days=3),
        "consent_given": True,
        "start_on": start_on,
        "by": specialist,
        **changes,
    }
    return services.open_ips_path(**data)


@pytest.mark.django_db
def test_a_path_needs_consent_and_a_referrer_and_is_open_once(ips_specialist):
    person = ready_person()
    with pytest.raises(ValidationError) as refused:
        _open(person, ips_specialist, consent_given=False, referred_by=" ")
    assert set(refused.value.message_dict) == {"consent_given", "referred_by"}
    assert "consenso" in refused.value.message_dict["consent_given"][0]
    assert not ProgrammePath.objects.exists()
    with pytest.raises(ValidationError, match="non è uno specialista IPS"):
        _open(person, UserFactory(role=Role.OPERATORE))
    path = _open(person, ips_specialist)
    person.refresh_from_db()
    assert person.in_ips_path and path.phase == "aggancio"
    assert list(path.phase_changes.values_list("phase", flat=True)) == ["aggancio"]
    with pytest.raises(ValidationError, match="già un percorso IPS aperto"):
        _open(person, ips_specialist)


@pytest.mark.django_db
def test_phases_move_with_history_and_going_back_needs_a_reason(ips_specialist):
    path = _open(ready_person(), ips_specialist, start_on=TODAY - timedelta(days=30))
    services.move_phase(
        path=path, phase="ricerca del lavoro", on=TODAY - timedelta(days=10), by=ips_specialist
    )
    with pytest.raises(ValidationError, match="precede l'ultimo cambio"):
        services.move_phase(
            path=path, phase="inizio del lavoro", on=TODAY - timedelta(days=20), by=ips_specialist
        )
    with pytest.raises(ValidationError, match="scriva il perché"):
        services.move_phase(path=path, phase="aggancio", by=ips_specialist)
    services.move_phase(path=path, phase="aggancio", note="Ricaduta", by=ips_specialist)
    path.refresh_from_db()
    assert path.phase == "aggancio"
    assert list(PathPhaseChange.objects.filter(path=path).values_list("phase", "note")) == [
        ("aggancio", "Apertura del percorso"),
        ("ricerca del lavoro", ""),
        ("aggancio", "Ricaduta"),
    ]


@pytest.mark.django_db
def test_a_job_started_during_the_path_is_an_ips_placement_and_closing_clears_the_flag(
    ips_specialist,
):
    person = ready_person()
    employer = company()
    before = record_placement(
        person=person,
        company=employer,
        by=ips_specialist,
        data={
            "placement_type": "mini job",
            "start_on": TODAY - timedelta(days=60),
            "weekly_hours": 10,
            "job_title": "Lavapiatti",
        },
    )
    path = _open(
        person,
        ips_specialist,
        start_on=TODAY - timedelta(days=40),
        referred_on=TODAY - timedelta(days=45),
    )
    during = record_placement(
        person=person,
        company=employer,
        by=ips_specialist,
        data={
            "placement_type": "tirocinio",
            "start_on": TODAY - timedelta(days=5),
            "job_title": "Aiuto magazziniere",
        },
    )
    assert Placement.objects.get(pk=during.pk).is_ips
    assert not Placement.objects.get(pk=before.pk).is_ips
    assert ips(Scope(date(TODAY.year - 1, 1, 1), TODAY))["placements"] == 1

    with pytest.raises(ValidationError, match="motivo"):
        services.close_path(path=path, end_on=TODAY, reason="", by=ips_specialist)
    with pytest.raises(ValidationError, match="precedere l'inizio"):
        services.close_path(
            path=path, end_on=TODAY - timedelta(days=50), reason="rinuncia", by=ips_specialist
        )
    # Closed before the traineeship started: it no longer counts as IPS.
    services.close_path(
        path=path, end_on=TODAY - timedelta(days=6), reason="rinuncia", by=ips_specialist
    )
    assert not Person.objects.get(pk=person.pk).in_ips_path
    assert not Placement.objects.get(pk=during.pk).is_ips
    with pytest.raises(ValidationError, match="chiuso"):
        services.move_phase(path=path, phase="profilo professionale", by=ips_specialist)


@pytest.mark.django_db
def test_the_flag_follows_the_paths_whatever_was_stored(ips_specialist):
    ticked_by_hand = PersonFactory(in_ips_path=True)
    followed = PersonFactory()
    ProgrammePath.objects.create(person=followed, programme="IPS", start_on=TODAY)
    assert services.sync_ips_flag() == 2
    assert list(Person.objects.filter(in_ips_path=True)) == [followed]
    assert not Person.objects.get(pk=ticked_by_hand.pk).in_ips_path


@pytest.mark.django_db
def test_capacity_caseloads_and_the_yearly_figures(ips_specialist, settings):
    settings.IPS_CASELOAD_LIMIT = 2
    other = UserFactory(role=Role.SPECIALISTA_IPS)
    year_start = date(TODAY.year, 1, 1)
    start = max(year_start, TODAY - timedelta(days=100))
    paths = [ips_path(ready_person(), specialist=ips_specialist, start_on=start) for _ in range(3)]
    ips_path(ready_person(), specialist=other, start_on=start)
    services.move_phase(path=paths[0], phase="ricerca del lavoro", by=ips_specialist)
    services.close_path(path=paths[2], end_on=TODAY, reason="obiettivo raggiunto", by=other)

    capacity = service_capacity()
    assert (capacity.active, capacity.unassigned, capacity.target) == (3, 0, 40)
    assert capacity.median_closed_days == (TODAY - start).days
    loads = {load.specialist: load for load in caseloads()}
    assert loads[ips_specialist].active == 2 and not loads[ips_specialist].over_limit
    assert loads[ips_specialist].by_phase == {"aggancio": 1, "ricerca del lavoro": 1}
    figures = ips_paths(Scope(year_start, date(TODAY.year, 12, 31)))
    assert figures["opened"] == 4 and figures["closed"] == 1
    assert figures["closed_by_reason"] == {"Obiettivo raggiunto (lavoro stabile)": 1}
    assert figures["active_at_end"] == 3 and figures["people_followed"] == 4


@pytest.mark.django_db
def test_only_ips_specialists_read_the_path(ips_specialist):
    person = ready_person()
    path = ips_path(person, specialist=ips_specialist)
    services.record_employer_contact(
        path=path,
        data={"employer": "Forno Rossi QZX", "contacted_on": TODAY, "kind": "visita"},
        by=ips_specialist,
    )
    coordinator = login(Client(), UserFactory(role=Role.COORDINATORE))
    assert coordinator.get(reverse("training:path", args=[path.pk])).status_code == 403
    assert coordinator.get(reverse("training:ips_service")).status_code == 403
    file = coordinator.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "servizio specialistico" in file
    assert "Forno Rossi" not in file and "aggancio" not in file.lower()
    # The desks do not even reach the file without a recorded reason.
    operator = login(Client(), UserFactory(role=Role.OPERATORE))
    reached = operator.get(reverse("people:detail", args=[person.pk]))
    assert "accesso-motivato" in reached["Location"]

    specialist = login(Client(), ips_specialist)
    page = specialist.get(reverse("training:path", args=[path.pk])).content.decode()
    assert "Forno Rossi QZX" in page
    assert "Centro di salute mentale Bologna Est" in page
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(path.pk), actor=ips_specialist
    ).exists()


@pytest.mark.django_db
def test_opening_from_the_file_keeps_the_input_on_errors(ips_specialist):
    person = ready_person()
    client = login(Client(), ips_specialist)
    url = reverse("training:path_open", args=[person.pk])
    form = {
        "referred_by": "CSM Bologna Ovest",
        "referred_on": TODAY.isoformat(),
        "start_on": TODAY.isoformat(),
        "specialist": ips_specialist.pk,
    }
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert "Senza il consenso" in refused.content.decode()
    assert 'value="CSM Bologna Ovest"' in refused.content.decode()
    assert not ProgrammePath.objects.exists()
    opened = client.post(url, {**form, "consent_given": "on"})
    path = ProgrammePath.objects.get()
    assert opened["Location"] == reverse("training:path", args=[path.pk])
    moved = client.post(
        reverse("training:path_phase", args=[path.pk]),
        {"phase": "profilo professionale", "on": (TODAY + timedelta(days=2)).isoformat()},
    )
    assert moved.status_code == 400 and "nel futuro" in moved.content.decode()


@pytest.mark.django_db
def test_service_page_queries_do_not_grow_with_the_caseload(
    ips_specialist, django_assert_max_num_queries
):
    client = login(Client(), ips_specialist)
    for _ in range(3):
        ips_path(ready_person(), specialist=ips_specialist)
    client.get(reverse("training:ips_service"))
    for _ in range(12):
        path = ips_path(ready_person(), specialist=ips_specialist)
        services.record_employer_contact(
            path=path,
            data={"employer": "Bar Sport", "contacted_on": TODAY, "kind": "telefonata"},
            by=ips_specialist,
        )
    with django_assert_max_num_queries(14):
        page = client.get(reverse("training:ips_service"), {"phase": "aggancio"})
    assert page.status_code == 200
    assert page.content.decode().count('href="/ips/percorsi/') == 15


@pytest.mark.django_db
def test_a_path_referred_by_a_partner_names_it_and_writes_to_no_one(
    ips_specialist, mailbox, run_tasks
):
    from approdo.partners.models import Partner

    csm = Partner.objects.create(
        name="CSM Bologna Est", kind="salute mentale", email="csm@ausl.example.it"
    )
    path = _open(PersonFactory(), ips_specialist, referred_by="", referring_partner=csm)
    assert (path.referred_by, path.referring_partner) == ("CSM Bologna Est", csm)
    run_tasks()
    assert mailbox == []  # who sends a person to IPS is health data: no confirmation
    with pytest.raises(ValidationError, match="Indichi il servizio"):
        _open(PersonFactory(), ips_specialist, referred_by="  ")
