from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "approdo.accounts"
    verbose_name = "Utenti e accessi"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Team, User

        # Administrators' changes to accounts (creation, role, disabling) are in the audit
        # log; secrets and login bookkeeping are not.
        auditlog.register(User, exclude_fields=["password", "last_login", "session_epoch"])
        auditlog.register(Team)
