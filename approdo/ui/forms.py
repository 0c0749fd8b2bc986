"""Showing a service's ValidationError on the form that collected the input."""

from django.core.exceptions import ValidationError


def show_errors_on_form(form, error: ValidationError) -> None:
    """Put each message next to its field, or above the form when it names no field."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
