"""The records of processing cover every field of every table about a person."""

from pathlib import Path

from django.apps import apps

from approdo.audit.processing import RECORDS, inventory_markdown

PERSON = "people.Person"


def _tables_about_people() -> set[str]:
    person = apps.get_model(PERSON)
    tables = {PERSON, "companies.CompanyContact", "partners.PartnerContact", "accounts.User"}
    for model in apps.get_models():
        if any(f.is_relation and f.related_model is person for f in model._meta.concrete_fields):
            tables.add(model._meta.label)
    return tables


def test_every_table_about_a_person_is_recorded():
    recorded = {record.table for record in RECORDS}
    # Versions of documents and pending documents reach the person through another table.
    assert _tables_about_people() <= recorded


def test_every_field_is_tagged_once():
    for record in RECORDS:
        fields = {f.name for f in record.model._meta.concrete_fields if not f.primary_key}
        listed = [name for names in record.categories.values() for name in names]
        listed += list(record.technical)
        assert len(listed) == len(set(listed)), f"{record.table}: a field is listed twice"
        assert set(listed) == fields, (
            f"{record.table}: untagged {sorted(fields - set(listed))}, "
            f"unknown {sorted(set(listed) - fields)}"
        )


def test_the_register_in_docs_is_current():
    document = Path(__file__).resolve().parents[3] / "docs" / "registro-dei-trattamenti.md"
    assert document.read_text(encoding="utf-8") == inventory_markdown(), (
        "docs/registro-dei-trattamenti.md is out of date: run `approdo privacy_inventory "
        "--output docs/registro-dei-trattamenti.md`"
    )
