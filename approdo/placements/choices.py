from django.db import models


class Continuation(models.TextChoices):
    RINNOVO = "rinnovo", "Rinnovo"
    PROROGA = "proroga", "Proroga"
    TRASFORMAZIONE = "trasformazione", "Trasformazione"
