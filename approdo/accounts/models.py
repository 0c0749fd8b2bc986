from django.contrib.auth.models import AbstractUser
from django.db import models

from .roles import ROLE_CAPABILITIES, Role


class Team(models.Model):
    """A unit of the programme (a desk, the IPS service): whose people a member of staff reads."""

    name = models.CharField("nome", max_length=100, unique=True)
    # The IPS service reads the people in the IPS path, whoever else follows them.
    is_ips_service = models.BooleanField("servizio IPS", default=False)

    class Meta:
        verbose_name = "gruppo"
        verbose_name_plural = "gruppi"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. People registered in the programme are not users."""

    role = models.CharField("ruolo", max_length=20, choices=Role.choices, default=Role.OPERATORE)
    team = models.ForeignKey(
        Team,
        verbose_name="gruppo",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    # Bumped by "esci da tutti i dispositivi": sessions carrying an older value are closed.
    session_epoch = models.PositiveIntegerField(default=0)
    # Set by an administrator (new account, lost phone): a hashed one-time code the user
    # types to enrol a new authenticator, so that a password alone cannot enrol one.
    enrolment_code = models.CharField(max_length=128, blank=True)
    # A temporary password handed over by an administrator: changed at the first login.
    must_change_password = models.BooleanField(default=False)
    # The morning e-mail with the day's counts, for those who ask for it (casework).
    daily_digest = models.BooleanField("riepilogo della giornata per e-mail", default=False)
    daily_digest_sent_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "utente"
        verbose_name_plural = "utenti"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_is_known"
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def can(self, capability: str) -> bool:
        """True when the user's role grants the capability."""
        return self.is_active and capability in ROLE_CAPABILITIES.get(self.role, frozenset())
