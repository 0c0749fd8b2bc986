from django.db import models


class PlacementType(models.TextChoices):
    ASSUNZIONE = "assunzione", "Assunzione"
    STAGE = "stage", "Stage"
    TIROCINIO = "tirocinio", "Tirocinio"
    MINI_JOB = "mini job", "Mini job (meno di 20 ore)"
    LAVORO_AUTONOMO = "lavoro autonomo", "Lavoro autonomo"


class Contract(models.TextChoices):
    TEMPO_DETERMINATO = "tempo determinato", "Tempo determinato"
    TEMPO_INDETERMINATO = "tempo indeterminato", "Tempo indeterminato"
    APPRENDISTATO = "apprendistato", "Apprendistato"
    SOMMINISTRAZIONE = "somministrazione", "Somministrazione (agenzia)"
    A_CHIAMATA = "a chiamata", "A chiamata"


class Continuation(models.TextChoices):
    RINNOVO = "rinnovo", "Rinnovo"
    PROROGA = "proroga", "Proroga"
    TRASFORMAZIONE = "trasformazione", "Trasformazione"


# A mini job is, by the programme's definition, under 20 hours a week.
MINI_JOB_MAX_WEEKLY_HOURS = 19
