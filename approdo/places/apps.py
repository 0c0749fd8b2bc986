from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "approdo.places"
    verbose_name = "Luoghi"
