"""Follow-up interviews (monitoraggio): booked on the operator's own agenda like a first
interview, with the invitation; held with notes that go to the history."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from approdo.intake import services
from approdo.intake.models import Interview, InterviewKind
from approdo.people.timeline import person_timeline
from tests.factories import PersonFactory, UserFactory, ready_person, slot_for


@pytest.mark.django_db
def test_a_follow_up_is_booked_on_my_agenda_and_invites_the_person(
    operator_client, operator, run_tasks, mailbox
):
    person = ready_person()
    mine, theirs = slot_for(operator), slot_for(UserFactory(), hour=11)
    url = reverse("intake:book", args=[person.pk]) + "?tipo=monitoraggio"
    page = operator_client.get(url).content.decode()
    assert "colloquio di monitoraggio" in page
    assert f'value="{mine.pk}"' in page and f'value="{theirs.pk}"' not in page
    operator_client.post(url, {"slot": mine.pk, "mode": "presenza", "tipo": "monitoraggio"})
    interview = Interview.objects.get(person=person)
    assert interview.kind == InterviewKind.MONITORAGGIO and interview.operator == operator
    run_tasks()
    assert "colloquio di monitoraggio" in mailbox[0]["Subject"]
    with pytest.raises(ValidationError, match="già un colloquio di monitoraggio"):
        services.book_follow_up(
            person=person, slot_id=slot_for(operator, hour=12).pk, mode="presenza", by=operator
        )


@pytest.mark.django_db
def test_only_people_in_charge_have_follow_ups(operator):
    with pytest.raises(ValidationError, match="in carico"):
        services.book_follow_up(
            person=PersonFactory(), slot_id=slot_for(operator).pk, mode="presenza", by=operator
        )


@pytest.mark.django_db
def test_a_held_follow_up_records_its_notes_in_the_history(operator_client, operator):
    person = ready_person()
    interview = Interview.objects.create(
        person=person,
        operator=operator,
        kind=InterviewKind.MONITORAGGIO,
        mode="telefono",
        scheduled_at=timezone.now() - timedelta(hours=1),
        calendar_uid="y",
    )
    url = reverse("intake:outcome", args=[interview.pk])
    empty = operator_client.post(url, {"notes": ""})
    assert empty.status_code == 400 and "Scriva com" in empty.content.decode()
    operator_client.post(url, {"notes": "Il tirocinio procede bene."})
    interview.refresh_from_db()
    assert interview.status == "svolto"
    assert any("Il tirocinio procede bene." in event.detail for event in person_timeline(person))
    file = operator_client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Colloqui di monitoraggio" in file and "Il tirocinio procede bene." in file
