from approdo.core.services import model_update
from approdo.people.models import Person
from tests.factories import PersonFactory


def test_only_the_fields_that_differ_from_the_stored_row_are_written(db):
    person = PersonFactory(phone="3330000000", address="Via Rizzoli 1")
    stale = Person.objects.get(pk=person.pk)
    # Another operator changes the address meanwhile.
    Person.objects.filter(pk=person.pk).update(address="Via Zamboni 33")

    changed = model_update(
        instance=stale,
        fields=("phone", "address"),
        data={"phone": "3471112233", "address": "Via Rizzoli 1"},
    )

    # The stale form still showed the old address: it differs from the row, so it is written;
    # the phone too. What the form did not send is never touched.
    assert set(changed) == {"phone", "address"}
    person.refresh_from_db()
    assert person.phone == "3471112233"


def test_a_form_that_changed_nothing_writes_nothing(db, django_assert_num_queries):
    person = PersonFactory(phone="3330000000")
    person.phone = "3330000000"
    with django_assert_num_queries(1):  # the read of the stored values, no UPDATE
        assert model_update(instance=person, fields=("phone",), data={"phone": "3330000000"}) == []


def test_a_changed_name_also_refreshes_the_search_name(db):
    person = PersonFactory(first_name="Mario", last_name="Rossi")
    model_update(instance=person, fields=("last_name",), data={"last_name": "Bianchì"})
    person.refresh_from_db()
    assert person.search_name == "bianchi mario"


def test_foreign_keys_are_compared_by_key(db):
    from tests.factories import comune

    person = PersonFactory()
    other = comune("Imola")
    changed = model_update(
        instance=person, fields=("residence_comune",), data={"residence_comune": other}
    )
    assert changed == ["residence_comune"]
    person.refresh_from_db()
    assert person.residence_comune == other
