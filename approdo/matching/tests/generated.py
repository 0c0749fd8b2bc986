"""Generated people and requests for the tests that compare two ways of ranking."""

import random
from datetime import timedelta

from django.utils import timezone

from approdo.people.choices import Education, ItalianLevel, Licence, Shift
from approdo.places.models import Comune
from tests.factories import ready_person

COMUNI = ["Bologna", "Imola", "Casalecchio di Reno", "San Lazzaro di Savena", "Budrio"]
SKILLS = ["uso del transpallet", "gestione inventario", "pulizia industriale", "cassa"]
CV_TEXTS = ["", "magazzino inventario transpallet picking", "pulizie uffici sanificazione"]


def random_person(rng: random.Random, occupations: list[int]):
    return ready_person(
        licences=rng.sample(Licence.values, rng.randint(0, 4)),
        shifts=rng.sample(Shift.values, rng.randint(0, 5)),
        italian_level=rng.choice([*ItalianLevel.values, ""]),
        education=rng.choice([*Education.values, ""]),
        skills=rng.sample(SKILLS, rng.randint(0, 3)),
        desired_occupations=rng.sample(occupations, rng.randint(0, 2)),
        experienced_occupations=rng.sample(occupations, rng.randint(0, 2)),
        own_transport=rng.random() < 0.5,
        weekly_hours=rng.choice([None, 10, 20, 30, 40]),
        consent_proposal_at=timezone.now() if rng.random() < 0.85 else None,
        first_interview_at=(
            timezone.now() - timedelta(days=rng.randint(0, 900)) if rng.random() < 0.9 else None
        ),
        residence_comune=Comune.objects.get(name=rng.choice(COMUNI)),
        cv_text=rng.choice(CV_TEXTS),
    )


def random_requirements(rng: random.Random) -> list[tuple[str, str, bool]]:
    candidates = [
        ("patente", rng.choice(Licence.values)),
        ("patente", rng.choice(Licence.values)),
        ("italiano", rng.choice(ItalianLevel.values)),
        ("titolo di studio", rng.choice(Education.values)),
        ("competenza", rng.choice(SKILLS)),
        ("esperienza", "sì"),
        ("mezzo proprio", "sì"),
        ("distanza", str(rng.choice([5, 15, 30, 60]))),
    ]
    chosen = {}
    for kind, value in rng.sample(candidates, rng.randint(0, 5)):
        chosen[(kind, value)] = rng.random() < 0.4
    return [(kind, value, must) for (kind, value), must in chosen.items()]


def random_request(rng: random.Random, occupations: list[int]):
    from approdo.occupations.models import Occupation
    from tests.factories import vacancy

    return vacancy(
        occupation=Occupation.objects.get(pk=rng.choice(occupations)),
        workplace=Comune.objects.get(name=rng.choice(COMUNI)),
        weekly_hours=rng.choice([None, 20, 36]),
        nights=rng.random() < 0.3,
        weekends=rng.random() < 0.3,
        job_title=rng.choice(["Magazziniere", "Addetto pulizie", "Cassiere"]),
        description=rng.choice(["Magazzino e inventario", "Pulizie di uffici", ""]),
        requirements=random_requirements(rng),
    )
