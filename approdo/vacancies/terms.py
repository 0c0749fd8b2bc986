"""The terms of a job: its type, contract and weekly hours, and the rules that tie them.

One definition for personnel requests and placements: their forms, services and
database constraints, and the legacy import.
"""

from django.db import models
from django.db.models import Q


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


# A mini job is, by the programme's definition, under 20 hours a week.
MINI_JOB_MAX_WEEKLY_HOURS = 19
MINI_JOB_MESSAGE = (
    "Un mini job è sotto le 20 ore settimanali: indichi al massimo "
    f"{MINI_JOB_MAX_WEEKLY_HOURS} ore o scelga un'altra tipologia."
)

# The same rules as database constraints.
MINI_JOB_HOURS_RULE = ~Q(placement_type=PlacementType.MINI_JOB) | Q(
    weekly_hours__lt=MINI_JOB_MAX_WEEKLY_HOURS + 1
)
CONTRACT_ONLY_FOR_HIRING_RULE = Q(contract="") | Q(placement_type=PlacementType.ASSUNZIONE)


def terms_errors(*, placement_type: str, contract: str, weekly_hours: int | None) -> dict:
    """Contradictions between type, contract and hours, by field, in Italian."""
    errors = {}
    if placement_type == PlacementType.MINI_JOB and (
        weekly_hours is None or weekly_hours > MINI_JOB_MAX_WEEKLY_HOURS
    ):
        errors["weekly_hours"] = MINI_JOB_MESSAGE
    if placement_type == PlacementType.ASSUNZIONE and not contract:
        errors["contract"] = "Per un'assunzione indichi il tipo di contratto."
    if placement_type != PlacementType.ASSUNZIONE and contract:
        errors["contract"] = "Il contratto si indica solo per le assunzioni."
    return errors
