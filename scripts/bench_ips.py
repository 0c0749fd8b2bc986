"""Benchmark of the IPS service's pages and figures at a regional service's volume.

Runs on the benchmark database of bench_people.py (200,000 people) and adds, once,
4,000 IPS paths (800 open, followed by 40 specialists at the model's 20 each; the rest
closed over ten years), each with its phase history and employer contacts. Times real
requests (the service page, filtered, a path, an IPS person's file) as a specialist, the
yearly IPS figures, and re-deriving every person's IPS flag (what an import pays).

    .venv/bin/python scripts/bench_ips.py [--repeat 30]
"""

import argparse
import os
import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approdo.settings")

from bench_people import (  # noqa: E402
    client_for,
    open_seeded_bench,
    print_computations,
    print_pages,
    seed_once,
)

PATHS, OPEN_PATHS, SPECIALISTS = 4_000, 800, 40


def seed_ips_volume(rng: random.Random) -> None:
    from django.db import transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from approdo.accounts.models import Team, User
    from approdo.people.models import Person
    from approdo.training.models import (
        EmployerContact,
        IPSPhase,
        PathEndReason,
        PathPhaseChange,
        ProgrammePath,
    )
    from approdo.training.services import sync_ips_flag

    today = timezone.localdate()
    service = Team.objects.get_or_create(name="Servizio IPS", defaults={"is_ips_service": True})[0]
    specialists = []
    for number in range(SPECIALISTS):
        user = User.objects.create_user(
            username=f"ips.{number}", role="specialista_ips", team=service
        )
        TOTPDevice.objects.create(user=user, name="Autenticatore", confirmed=True)
        specialists.append(user)
    people = rng.sample(
        list(Person.objects.filter(status="in carico").values_list("pk", flat=True)), PATHS
    )
    phases = list(IPSPhase.values)
    with transaction.atomic():
        paths = []
        for index, person_id in enumerate(people):
            is_open = index < OPEN_PATHS
            start = today - timedelta(
                days=rng.randint(10, 300) if is_open else rng.randint(300, 3650)
            )
            paths.append(
                ProgrammePath(
                    person_id=person_id,
                    programme="IPS",
                    start_on=start,
                    end_on=None if is_open else start + timedelta(days=rng.randint(90, 290)),
                    specialist=specialists[index % SPECIALISTS],
                    phase=rng.choice(phases),
                    referred_by="Centro di salute mentale",
                    referred_on=start,
                    end_reason="" if is_open else rng.choice(PathEndReason.values),
                )
            )
        ProgrammePath.objects.bulk_create(paths, batch_size=2000)
        PathPhaseChange.objects.bulk_create(
            (
                PathPhaseChange(
                    path=path, phase=phase, changed_on=path.start_on + timedelta(days=30 * step)
                )
                for path in paths
                for step, phase in enumerate(phases[: rng.randint(1, 5)])
            ),
            batch_size=5000,
        )
        EmployerContact.objects.bulk_create(
            (
                EmployerContact(
                    path=path,
                    employer="Bar Sport",
                    contacted_on=path.start_on + timedelta(days=rng.randint(0, 60)),
                    kind="visita",
                    outcome="Interessati",
                )
                for path in paths
                for _ in range(rng.randint(0, 8))
            ),
            batch_size=5000,
        )
    sync_ips_flag()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    open_seeded_bench()
    from approdo.accounts.models import User
    from approdo.reports.indicators import Scope, ips, ips_paths
    from approdo.training.models import ProgrammePath
    from approdo.training.services import sync_ips_flag

    seed_once(ProgrammePath.objects.count() < PATHS // 2, seed_ips_volume, f"{PATHS} IPS paths")
    specialist = client_for(User.objects.get(username="ips.0"))
    path = ProgrammePath.objects.filter(end_on__isnull=True, specialist__username="ips.0").first()
    pages = {
        "IPS service (800 open paths)": ("/ips/", {}),
        "IPS service, one specialist": ("/ips/", {"specialist": str(path.specialist_id)}),
        "IPS service, job search": ("/ips/", {"phase": "ricerca del lavoro"}),
        "an IPS path": (f"/ips/percorsi/{path.pk}/", {}),
        "an IPS person's file": (f"/lavoro/persone/{path.person_id}/", {}),
    }
    print_pages(specialist, pages, repeat=args.repeat, who="a specialist")
    year = date.today().year
    print_computations(
        {
            "IPS paths of the year (figures)": lambda: ips_paths(Scope.year(year)),
            "IPS placements of the year (figures)": lambda: ips(Scope.year(year)),
            "IPS flag re-derived for all 200,000 people": sync_ips_flag,
        },
        repeat=min(args.repeat, 10),
    )


if __name__ == "__main__":
    main()
