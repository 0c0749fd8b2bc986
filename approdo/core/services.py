"""Setting a model's fields from a service's data: only the fields that changed."""

from collections.abc import Iterable, Mapping

from django.db import models


def assign_fields(*, instance: models.Model, fields: Iterable[str], data: Mapping) -> list[str]:
    """Set the `fields` present in `data` whose value differs; return their names."""
    changed = []
    for name in fields:
        if name in data and (instance._state.adding or _differs(instance, name, data[name])):
            setattr(instance, name, data[name])
            changed.append(name)
    return changed


def _differs(instance: models.Model, name: str, value) -> bool:
    field = instance._meta.get_field(name)
    if field.many_to_one or field.one_to_one:
        # Compare keys: reading the related object would cost a query.
        return getattr(instance, field.attname) != (value.pk if value is not None else None)
    return getattr(instance, name) != value


def model_update(*, instance: models.Model, fields: Iterable[str], data: Mapping) -> list[str]:
    """Validate and save only the fields that changed (an UPDATE of those columns alone),
    so that a concurrent change of another column is not overwritten; returns their names."""
    changed = assign_fields(instance=instance, fields=fields, data=data)
    if changed:
        not_editable = [f.name for f in instance._meta.concrete_fields if not f.editable]
        instance.full_clean(exclude=not_editable)
        auto_now = [
            f.name
            for f in instance._meta.concrete_fields
            if getattr(f, "auto_now", False) and f.name not in changed
        ]
        instance.save(update_fields=[*changed, *auto_now])
    return changed
