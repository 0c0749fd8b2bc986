"""The life of a placement after it is recorded: its page and chain, corrections, an early
end with its reason, a stage's outcome."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from approdo.placements.models import Placement
from approdo.placements.services import placement_chain
from tests.factories import company, ready_person


@pytest.fixture
def chain(db):
    person = ready_person()
    employer = company()
    start = timezone.localdate() - timedelta(days=200)
    stage = Placement.objects.create(
        person=person,
        company=employer,
        placement_type="tirocinio",
        start_on=start,
        end_on=start + timedelta(days=90),
        job_title="Tirocinio in magazzino",
        stage_outcome="in corso",
    )
    fixed = Placement.objects.create(
        person=person,
        company=employer,
        placement_type="assunzione",
        contract="tempo determinato",
        start_on=start + timedelta(days=91),
        end_on=start + timedelta(days=400),
        job_title="Magazziniere",
        continues=stage,
        continuation="trasformazione",
    )
    return stage, fixed


def test_the_page_shows_the_whole_chain(operator_client, chain):
    stage, fixed = chain
    assert placement_chain(fixed) == [stage, fixed] == placement_chain(stage)
    page = operator_client.get(reverse("placements:detail", args=[stage.pk])).content.decode()
    assert reverse("placements:detail", args=[fixed.pk]) in page
    assert "Trasformazione" in page
    file = operator_client.get(reverse("people:detail", args=[stage.person_id])).content.decode()
    assert reverse("placements:detail", args=[stage.pk]) in file


def test_an_early_end_needs_a_reason_and_interrupts_a_stage(operator_client, chain):
    stage, fixed = chain
    url = reverse("placements:end", args=[stage.pk])
    refused = operator_client.post(url, {"ended_on": timezone.localdate().isoformat()}, follow=True)
    assert "Non è stato salvato nulla" in refused.content.decode()
    too_late = operator_client.post(
        url, {"ended_on": timezone.localdate().isoformat(), "reason": "dimissioni"}, follow=True
    )
    assert "finiva già il" in too_late.content.decode()
    ended_on = stage.start_on + timedelta(days=30)
    operator_client.post(url, {"ended_on": ended_on.isoformat(), "reason": "dimissioni"})
    stage.refresh_from_db()
    assert (stage.ended_early_on, stage.end_reason, stage.stage_outcome) == (
        ended_on,
        "dimissioni",
        "interrotto",
    )
    page = operator_client.get(reverse("placements:detail", args=[stage.pk])).content.decode()
    assert "Concluso in anticipo" in page


def test_corrections_are_audited_and_stage_outcomes_recorded(operator_client, chain):
    stage, _ = chain
    form = {
        "placement_type": "tirocinio",
        "start_on": stage.start_on.isoformat(),
        "end_on": stage.end_on.isoformat(),
        "weekly_hours": "30",
        "job_title": "Tirocinio in magazzino",
        "monthly_stipend": "450",
        "tutor": "Anna Bianchi",
        "stage_outcome": "in corso",
    }
    response = operator_client.post(reverse("placements:edit", args=[stage.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    stage.refresh_from_db()
    assert (stage.weekly_hours, stage.tutor) == (30, "Anna Bianchi")
    assert LogEntry.objects.get_for_object(stage).filter(action=LogEntry.Action.UPDATE).exists()
    operator_client.post(reverse("placements:outcome", args=[stage.pk]), {"outcome": "assunto"})
    stage.refresh_from_db()
    assert stage.stage_outcome == "assunto"


def test_the_stipend_paid_month_by_month_with_a_suspension(operator_client, chain):
    stage, fixed = chain
    url = reverse("placements:stipend", args=[stage.pk])
    first, second = stage.start_on.replace(day=1), (stage.start_on + timedelta(days=31))
    operator_client.post(url, {"month": first.strftime("%Y-%m"), "amount": "300.00"})
    operator_client.post(
        url,
        {
            "month": second.strftime("%Y-%m"),
            "amount": "450",
            "during_suspension": "on",
            "note": "Azienda chiusa per lavori",
        },
    )
    # Recording a month again corrects it, audited.
    operator_client.post(url, {"month": first.strftime("%Y-%m"), "amount": "320.50"})
    payments = list(stage.stipend_payments.values_list("month", "amount", "during_suspension"))
    assert [(m, str(a), s) for m, a, s in payments] == [
        (first, "320.50", False),
        (second.replace(day=1), "450.00", True),
    ]
    assert LogEntry.objects.filter(object_repr__startswith="Indennità di").count() == 3
    page = operator_client.get(reverse("placements:detail", args=[stage.pk])).content.decode()
    assert "770,50 €" in page and "di cui 450,00 € durante sospensioni" in page

    # Outside the stage, in the future, or not a stage at all: refused with the input kept.
    before = (stage.start_on - timedelta(days=40)).strftime("%Y-%m")
    refused = operator_client.post(url, {"month": before, "amount": "99.99"})
    text = refused.content.decode()
    assert refused.status_code == 400 and "Lo stage inizia il" in text and "99.99" in text
    after = (stage.end_on + timedelta(days=40)).strftime("%Y-%m")
    assert (
        "è finito il" in operator_client.post(url, {"month": after, "amount": "1"}).content.decode()
    )
    bad = operator_client.post(url, {"month": "novembre", "amount": "1"}).content.decode()
    assert "Indichi il mese" in bad
    hire = operator_client.post(
        reverse("placements:stipend", args=[fixed.pk]),
        {"month": fixed.start_on.strftime("%Y-%m"), "amount": "1"},
        follow=True,
    )
    assert "solo per stage e tirocini" in hire.content.decode()

    payment = stage.stipend_payments.get(month=first)
    operator_client.post(reverse("placements:stipend_remove", args=[stage.pk, payment.pk]))
    assert stage.stipend_payments.count() == 1
