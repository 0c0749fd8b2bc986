"""Writes every app uses: setting a model's fields from a service's data (only the fields
that changed), and writing outside the current transaction."""

import threading
from collections.abc import Callable, Iterable, Mapping

from django.db import connections, models


def assign_fields(*, instance: models.Model, fields: Iterable[str], data: Mapping) -> list[str]:
    """Set the `fields` present in `data` on an instance (a new one, typically); return them."""
    present = [name for name in fields if name in data]
    for name in present:
        setattr(instance, name, data[name])
    return present


def model_update(*, instance: models.Model, fields: Iterable[str], data: Mapping) -> list[str]:
    """Write only the fields whose value in `data` differs from the stored row.

    The comparison is with the database, not with the instance (a ModelForm has already
    copied its input onto it), and the UPDATE names those columns alone, so a concurrent
    change of another column is not overwritten. Returns the names of the changed fields.
    """
    present = [_concrete_field(instance, name) for name in fields if name in data]
    stored = (
        type(instance)
        ._base_manager.filter(pk=instance.pk)
        .values(*[field.attname for field in present])
        .get()
    )
    changed = [
        field.name for field in present if stored[field.attname] != _stored_form(field, data)
    ]
    if changed:
        assign_fields(instance=instance, fields=changed, data=data)
        not_editable = [f.name for f in instance._meta.concrete_fields if not f.editable]
        instance.full_clean(exclude=not_editable)
        auto_now = [
            f.name
            for f in instance._meta.concrete_fields
            if getattr(f, "auto_now", False) and f.name not in changed
        ]
        instance.save(update_fields=[*changed, *auto_now])
    return changed


def _stored_form(field: models.Field, data: Mapping):
    value = data[field.name]
    if field.is_relation and isinstance(value, models.Model):
        return value.pk
    return value


def _concrete_field(instance: models.Model, name: str) -> models.Field:
    field = instance._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise ValueError(f"{name} is not a column of {type(instance).__name__}")
    return field


def outside_transaction(function: Callable[[], object]) -> None:
    """Run `function` on a database connection of its own, in autocommit, and wait for it: what
    it writes is visible to others at once, even while this thread's transaction is open (the
    progress bar of a long import)."""

    def run():
        try:
            function()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
