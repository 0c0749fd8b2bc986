"""Benchmark of the reverse view ("richieste adatte"): one person against 2,000 open requests.

Runs on a database of its own (`approdo_bench_reverse`, seeded once with 200,000 people, 40
of them in the ranking's pool with varied licences, skills and CVs, and 2,000 open requests
of varied shapes through the service that saves them), then times, for those people: the
reverse view as the page computes it, the whole page through Django's test client, and for
comparison the way it was computed before (a ranking of the person for each request).

    .venv/bin/python scripts/bench_reverse.py [--repeat 30]
"""

import argparse
import gc
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from bench_mailing import seed_people  # noqa: E402
from bench_people import (  # noqa: E402
    client_for,
    open_bench,
    percentile,
    print_pages,
    seed_once,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approdo.settings")
PEOPLE = 200_000
POOL = 40
REQUESTS = 2_000
COMUNI = ["Bologna", "Imola", "Casalecchio di Reno", "San Lazzaro di Savena", "Budrio"]
SKILLS = ["uso del transpallet", "gestione inventario", "pulizia industriale", "cassa"]
CVS = [
    "magazzino inventario transpallet picking carico scarico",
    "pulizie uffici sanificazione condomini",
    "cassa banco vendita scaffali supermercato",
]


def seed_volume(rng: random.Random) -> None:
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from approdo.companies.models import Company
    from approdo.occupations.models import Occupation
    from approdo.people.choices import Licence, Shift
    from approdo.people.models import Person
    from approdo.people.services import set_cv_text
    from approdo.places.models import Comune
    from approdo.vacancies.services import save_vacancy

    with transaction.atomic():
        if not Person.objects.exists():
            seed_people(PEOPLE)
        occupations = list(Occupation.objects.all()[:60])
        comuni = list(Comune.objects.filter(name__in=COMUNI))
        now = timezone.now()
        for person in Person.objects.order_by("pk")[:POOL]:
            Person.objects.filter(pk=person.pk).update(
                status="in carico",
                readiness="pronto",
                exit_reason="",
                first_interview_outcome="in target",
                first_interview_at=now - timedelta(days=rng.randint(5, 600)),
                licences=rng.sample(Licence.values, rng.randint(0, 4)),
                shifts=rng.sample(Shift.values, rng.randint(1, 5)),
                italian_level=rng.choice(["A2", "B1", "B2", "madrelingua"]),
                education=rng.choice(["licenza media", "diploma", "laurea"]),
                skills=rng.sample(SKILLS, rng.randint(0, 3)),
                desired_occupations=[o.pk for o in rng.sample(occupations, 2)],
                own_transport=rng.random() < 0.5,
                weekly_hours=rng.choice([20, 30, 40]),
                consent_proposal_at=now,
                residence_comune=rng.choice(comuni),
            )
            set_cv_text(person=person, text=rng.choice(CVS))
        company = Company.objects.create(name="Benchmark Richieste Srl")
        for index in range(REQUESTS):
            requirements = [
                {"kind": kind, "value": value, "is_must": rng.random() < 0.4}
                for kind, value in rng.sample(
                    [
                        ("patente", rng.choice(["B", "C", "CQC", "muletto", "HACCP"])),
                        ("italiano", rng.choice(["A2", "B1", "B2"])),
                        ("competenza", rng.choice(SKILLS)),
                        ("mezzo proprio", "sì"),
                        ("distanza", str(rng.choice([15, 30, 60]))),
                    ],
                    rng.randint(0, 4),
                )
            ]
            save_vacancy(
                data={
                    "company": company,
                    "occupation": rng.choice(occupations),
                    "job_title": f"Richiesta {index}",
                    "description": rng.choice(CVS),
                    "positions": 1,
                    "workplace": rng.choice(comuni),
                    "placement_type": "assunzione",
                    "contract": "tempo determinato",
                    "weekly_hours": rng.choice([None, 20, 36]),
                    "nights": rng.random() < 0.2,
                    "requested_on": timezone.localdate(),
                },
                by=None,
                requirements=requirements,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    open_bench("approdo_bench_reverse")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from approdo.accounts.models import User
    from approdo.matching.engine import rank_candidates
    from approdo.matching.selectors import vacancies_for_person
    from approdo.matching.services import current_weights
    from approdo.people.models import Person
    from approdo.vacancies.models import Vacancy

    seed_once(
        not Vacancy.objects.filter(job_title="Richiesta 0").exists(),
        seed_volume,
        f"{PEOPLE:,} people ({POOL} in the pool) and {REQUESTS:,} open requests",
    )
    open_requests = Vacancy.objects.filter(status="aperta", occupation__isnull=False)
    people = list(Person.objects.filter(status="in carico", readiness="pronto")[:5])
    print(f"\n{Person.objects.count():,} people, {open_requests.count():,} open requests")
    gc.freeze()  # as `approdo serve` does once a worker has loaded Django

    timings = []
    for attempt in range(args.repeat + 3):
        person = people[attempt % len(people)]
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            results = vacancies_for_person(person)
        if attempt >= 3:
            timings.append((time.perf_counter() - started) * 1000)
    ranked = sum(1 for _, item in results if not hasattr(item, "reasons"))
    print("\n| computation | p50 ms | p95 ms |")
    print("|---|---:|---:|")
    print(
        f"| reverse view, one person x {len(results):,} requests ({ranked} ranked, "
        f"{len(queries)} queries) | {percentile(timings, 0.5):.0f} | "
        f"{percentile(timings, 0.95):.0f} |"
    )
    # Before: the person ranked once per request (a few rounds: it takes seconds).
    weights = current_weights().as_dict()
    requests = list(
        open_requests.select_related("company", "occupation", "workplace").prefetch_related(
            "requirements"
        )
    )
    before = []
    for person in people[:3]:
        started = time.perf_counter()
        for request in requests:
            rank_candidates(request, weights=weights, person_ids=[person.pk])
        before.append((time.perf_counter() - started) * 1000)
    print(
        f"| instead: a ranking per request, {len(requests):,} rankings | "
        f"{percentile(before, 0.5):.0f} | {max(before):.0f} |"
    )
    print_pages(
        client_for(User.objects.get(username="coordinatrice")),
        {
            "the page *Richieste adatte* of one person": (
                reverse("matching:person_vacancies", args=[people[0].pk]),
                {},
            )
        },
        repeat=args.repeat,
        who="coordinatrice",
    )


if __name__ == "__main__":
    main()
