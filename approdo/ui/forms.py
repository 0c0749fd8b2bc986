"""Form helpers shared by every app: service errors on the form, lists typed with commas,
the filter form of a list."""

from django import forms
from django.core.exceptions import ValidationError


def show_errors_on_form(form, error: ValidationError) -> None:
    """Put each message next to its field, or above the form when it names no field."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


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
