from django.apps import AppConfig


class SpidTestbedConfig(AppConfig):
    name = "approdo.spid_testbed"
    label = "spid_testbed"
    verbose_name = "Federazione SPID/CIE di prova"
