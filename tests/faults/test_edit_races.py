"""Two people working on the same file at once: nothing is overwritten silently."""

import re

import pytest
from django.urls import reverse

from approdo.people.choices import ExitReason, Status
from approdo.people.models import Person
from approdo.people.services import change_status
from tests.factories import PersonFactory


def _form_post(client, person) -> dict:
    """What the edit page sends back untouched: every field and the values it showed."""
    html = client.get(reverse("people:edit", args=[person.pk])).content.decode()
    data: dict[str, list[str]] = {}
    for tag in re.findall(r"<(?:input|select|textarea)[^>]*>(?:[^<]*</textarea>)?", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name[1] == "csrfmiddlewaretoken":
            continue
        if tag.startswith("<select"):
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind[1] in ("checkbox", "radio") and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        text = re.search(r">([^<]*)</textarea>", tag)
        data.setdefault(name[1], []).append(
            (value[1] if value else text[1] if text else "").replace("&#x27;", "'")
        )
    for select in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        name, options = select
        data[name] = re.findall(r'<option value="([^"]*)"[^>]*selected', options)
    return data


@pytest.mark.django_db
def test_an_edit_saved_after_a_status_change_does_not_undo_it(operator_client, operator):
    person = PersonFactory(status=Status.IN_CARICO)
    form = _form_post(operator_client, person)
    change_status(
        person=person, to_status=Status.FUORI_PROTOCOLLO, reason=ExitReason.LAVORA, by=operator
    )
    form["phone"] = ["3479990000"]
    response = operator_client.post(reverse("people:edit", args=[person.pk]), form)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.status, person.exit_reason, person.phone) == (
        Status.FUORI_PROTOCOLLO,
        ExitReason.LAVORA,
        "3479990000",
    )


@pytest.mark.django_db
def test_changes_to_different_fields_from_two_stale_forms_are_both_kept(operator_client):
    person = PersonFactory(phone="3330000000", address="Via Rizzoli 1")
    first, second = _form_post(operator_client, person), _form_post(operator_client, person)
    first["phone"] = ["3471111111"]
    second["address"] = ["Via Zamboni 33"]
    url = reverse("people:edit", args=[person.pk])
    assert operator_client.post(url, first).status_code == 302
    assert operator_client.post(url, second).status_code == 302
    person.refresh_from_db()
    assert (person.phone, person.address) == ("3471111111", "Via Zamboni 33")


@pytest.mark.django_db
def test_the_same_field_changed_meanwhile_is_shown_and_kept_until_confirmed(operator_client):
    person = PersonFactory(phone="3330000000")
    first, second = _form_post(operator_client, person), _form_post(operator_client, person)
    first["phone"] = ["3471111111"]
    second["phone"] = ["3482222222"]
    url = reverse("people:edit", args=[person.pk])
    operator_client.post(url, first)

    conflict = operator_client.post(url, second)
    assert conflict.status_code == 400
    page = conflict.content.decode()
    assert "qualcuno ha cambiato questo dato: ora è «3471111111»" in page
    assert 'value="3482222222"' in page  # the operator's input is kept
    assert Person.objects.get(pk=person.pk).phone == "3471111111"

    second["confirm_overwrite"] = ["on"]
    assert operator_client.post(url, second).status_code == 302
    assert Person.objects.get(pk=person.pk).phone == "3482222222"
