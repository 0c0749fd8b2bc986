"""Form helpers shared by every app: service errors on the form, lists typed with commas,
the filter form of a list."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model


def show_errors_on_form(form, error: ValidationError) -> None:
    """Put each message next to its field, or above the form when it names no field."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class OwnIdsMixin:
    """For a form shown beside others on one page: ids of its own (`id_<ids>_<field>`), so
    that no two fields share an id and every label names its field. Field names, and so
    what the form posts, stay the same."""

    ids = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.ids}_%s")
        super().__init__(*args, **kwargs)


class SuggestingInput(forms.TextInput):
    """A text input with suggestions fetched as the user types (htmx into a <datalist>);
    what is typed is still checked by the form, the suggestions only help."""

    template_name = "ui/widgets/suggesting_input.html"

    def __init__(self, *, url: str, list_id: str, attrs: dict | None = None):
        super().__init__(
            attrs={
                "list": list_id,
                "autocomplete": "off",
                "hx-get": url,
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{list_id}",
                "hx-swap": "innerHTML",
                **(attrs or {}),
            }
        )


def size_limited_file_input(max_bytes: int) -> forms.ClearableFileInput:
    """A file input whose size the browser checks before uploading (approdo.js), so that a
    file too large is not sent in full only to be refused; the server still checks."""
    return forms.ClearableFileInput(attrs={"data-max-bytes": max_bytes})


class CommaListField(forms.CharField):
    """A list typed as comma-separated words, bounded in number and length."""

    def __init__(self, *, max_items: int = 20, max_item_length: int = 100, **kwargs):
        self.max_items, self.max_item_length = max_items, max_item_length
        kwargs.setdefault("max_length", max_items * (max_item_length + 2))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def clean(self, value):
        value = super().clean(value)
        items = [item.strip() for item in (value or "").split(",") if item.strip()]
        if len(items) > self.max_items:
            raise forms.ValidationError(
                f"Al massimo {self.max_items} voci, separate da virgole (ne ha scritte "
                f"{len(items)})."
            )
        for item in items:
            if len(item) > self.max_item_length:
                raise forms.ValidationError(
                    f"«{item[:30]}…» è troppo lungo: al massimo {self.max_item_length} "
                    "caratteri per voce."
                )
        return items


class ListFilterForm(forms.Form):
    """Filters of a list (people, companies) with a search box `q` and a `comune`."""

    def filters(self) -> dict:
        """Keyword arguments for the list's selector (empty when the form is invalid)."""
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        comune = data.pop("comune")
        data["comune"] = comune.pk if comune else ""
        data["search"] = data.pop("q")
        return data


class PlainFilterForm(forms.Form):
    """Filters of a list whose `filters()` are plain values, as an export stores them (JSON):
    a chosen object is its id, a day its ISO date, an empty choice ""."""

    # Pairs of day fields (from, to) whose order is checked.
    date_ranges: tuple[tuple[str, str], ...] = ()

    def clean(self):
        data = super().clean()
        for start, end in self.date_ranges:
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, "Questa data viene prima di quella iniziale.")
        return data

    def filters(self) -> dict:
        """Keyword arguments for the list's selector (empty when the form is invalid)."""
        if not self.is_valid():
            return {}
        plain = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, Model):
                value = value.pk
            elif isinstance(value, date):
                value = value.isoformat()
            elif value is None:
                value = ""
            plain[name] = value
        return plain


class ConcurrentEditMixin:
    """An edit form that remembers the values it showed (Django's hidden initial values).

    A save then writes only what this user changed (`edited_data`), so a change another
    operator made meanwhile to other fields survives; and a field both changed is a
    conflict (`changed_meanwhile`) that the user sees and decides on: save theirs anyway
    (`confirm_overwrite`) or cancel.
    """

    # Fields that clean() derives from another (written whenever that one changes).
    derived_fields: dict[str, tuple[str, ...]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.show_hidden_initial = True
        if self.is_bound and "confirm_overwrite" in self.data:
            self.fields["confirm_overwrite"] = _confirm_overwrite_field()

    def edited_data(self) -> dict:
        """The cleaned values of the fields this user changed (and those derived from them)."""
        names = set(self.changed_data) - {"confirm_overwrite"}
        for name in list(names):
            names.update(self.derived_fields.get(name, ()))
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}

    def changed_meanwhile(self, current) -> list[str]:
        """Fields this user changed that differ, in the stored row, from what the form showed."""
        if self.cleaned_data.get("confirm_overwrite"):
            return []
        stored = type(self)(instance=current)
        stale = []
        for name in self.changed_data:
            if name == "confirm_overwrite":
                continue
            field = self.fields[name]
            shown = self._widget_data_value(field.hidden_widget(), self[name].html_initial_name)
            if field.has_changed(stored[name].initial, shown):
                stale.append(name)
        return stale

    def ask_to_confirm(self, stale: list[str], current) -> None:
        """Show what changed meanwhile, with its value now, and ask before overwriting it."""
        stored = type(self)(instance=current)
        for name in stale:
            now = stored[name].initial
            if isinstance(now, list | tuple):
                now = ", ".join(str(item) for item in now)
            self.add_error(
                name,
                f"Mentre lei modificava la scheda, qualcuno ha cambiato questo dato: ora è "
                f"«{now if now not in (None, '') else 'vuoto'}». Scelga se salvare comunque il "
                "suo valore (casella in fondo) o annullare.",
            )
        self.fields["confirm_overwrite"] = _confirm_overwrite_field()


def _confirm_overwrite_field() -> forms.BooleanField:
    return forms.BooleanField(
        label="Ho visto le modifiche fatte nel frattempo e salvo comunque i miei valori",
        required=False,
    )
