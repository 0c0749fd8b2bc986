from django.db import models


class Continuation(models.TextChoices):
    RINNOVO = "rinnovo", "Rinnovo"
    PROROGA = "proroga", "Proroga"
    TRASFORMAZIONE = "trasformazione", "Trasformazione"


class EndReason(models.TextChoices):
    """Why a placement ended before its term (counted in the figures)."""

    DIMISSIONI = "dimissioni", "Dimissioni"
    LICENZIAMENTO = "licenziamento", "Licenziamento"
    PROVA = "periodo di prova", "Periodo di prova non superato"
    FINE_CONTRATTO = "fine contratto", "Fine anticipata del contratto"
    CHIUSURA = "chiusura azienda", "Chiusura dell'azienda"
    ALTRO = "altro", "Altro"
