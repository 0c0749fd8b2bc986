import pytest
from django.core.exceptions import ValidationError

from approdo.core.validators import validate_plain_text
from approdo.people.services import update_person
from tests.factories import PersonFactory


@pytest.mark.parametrize("text", ["Rossi\u202eexe.pdf", "Ma\u2066rio", "Bian\x00chi", "A\x1bB"])
def test_direction_overrides_and_control_characters_are_refused(text):
    with pytest.raises(ValidationError, match="carattere di controllo"):
        validate_plain_text(text)


@pytest.mark.parametrize("text", ["D'Alò", "Nguyễn Thị", "Müller-Lüdenscheidt", "محمد"])
def test_names_of_every_language_pass(text):
    validate_plain_text(text)


@pytest.mark.django_db
def test_a_name_with_a_direction_override_is_not_saved():
    person = PersonFactory(last_name="Rossi")
    with pytest.raises(ValidationError):
        update_person(person=person, data={"last_name": "Ros\u202esi"})
    person.refresh_from_db()
    assert person.last_name == "Rossi"
