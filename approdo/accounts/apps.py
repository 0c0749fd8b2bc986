from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "approdo.accounts"
    verbose_name = "Utenti e accessi"
