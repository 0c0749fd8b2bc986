"""Model fields several apps declare the same way."""

from django.conf import settings
from django.db import models


def staff_reference(verbose_name: str) -> models.ForeignKey:
    """Who did something: a staff account, left empty if the account is ever deleted (the
    audit log keeps the name)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
