"""Rendering of form fields with Bootstrap Italia classes and accessible error wiring."""

from django import forms, template

from approdo.ui.numbers import euro, percent

register = template.Library()


@register.filter(name="percent")
def percent_filter(share) -> str:
    return percent(share)


@register.filter(name="euro")
def euro_filter(amount) -> str:
    return euro(amount)


@register.filter
def widget_kind(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    return "input"


@register.filter
def bi_widget(bound_field):
    """The widget with the right CSS class, aria-invalid and aria-describedby."""
    kind = widget_kind(bound_field)
    if kind == "select":
        _italian_empty_choice(bound_field.field)
    css = {"checkbox": "form-check-input", "select": "form-select", "file": "form-control"}.get(
        kind, "form-control"
    )
    attrs = {"class": css}
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}-help")
    if bound_field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        described.append(f"{bound_field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if bound_field.field.required and kind not in ("checkboxes", "radios"):
        attrs["aria-required"] = "true"
    return bound_field.as_widget(attrs=attrs)


DJANGO_EMPTY_CHOICE = "---------"


def _italian_empty_choice(field) -> None:
    """Django's empty choice ("---------") reads as an error: a dash, as our own forms use."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY_CHOICE:
            field.empty_label = "—"
    elif isinstance(field, forms.ChoiceField) and any(
        label == DJANGO_EMPTY_CHOICE for _, label in field.choices
    ):
        field.choices = [
            (value, "—" if label == DJANGO_EMPTY_CHOICE else label)
            for value, label in field.choices
        ]


@register.filter
def errors_by_field(form) -> list[dict]:
    """The fields with errors, in the order the page shows them, for the error summary: each
    links to its field and, on a form shown a step at a time, names its step."""
    if hasattr(form, "steps"):
        located = [
            (field, f"{number}. {title}")
            for number, (title, fields, _) in enumerate(form.steps(), 1)
            for field in fields
        ]
    else:
        located = [(field, "") for field in form]
    return [
        {
            "id": "" if field.is_hidden else field.id_for_label,
            "label": field.label,
            "errors": field.errors,
            "step": step,
        }
        for field, step in located
        if field.errors
    ]


@register.filter
def hidden_initial(bound_field):
    """The value the form showed, for forms that detect concurrent edits."""
    if not bound_field.field.show_hidden_initial:
        return ""
    return bound_field.as_hidden(only_initial=True)


@register.simple_tag(takes_context=True)
def page_sections(context, sections):
    """Render the sections other apps registered for this page (see ui/sections.py)."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    flat = context.flatten()
    return mark_safe(
        "".join(
            render_to_string(template, {**flat, **extra}, request=context.get("request"))
            for template, extra in sections
        )
    )
