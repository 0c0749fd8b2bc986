"""Benchmark of the operator's daily pages: the desk (my day), my people, the week agenda,
and the lists of placements, requests and candidacies with their filters.

Runs on the benchmark database of bench_people.py (200,000 people) and adds, once, the
volume of several years of a programme: 250 companies, 3,000 requests, 30,000
candidacies, 12,000 placements, 20,000 tasks and a month of agenda slots per operator.
Times real requests through Django's test client, as an operator of a desk and as the
coordinator, and prints p50/p95 per page.

    .venv/bin/python scripts/bench_casework.py [--repeat 30]
"""

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approdo.settings")

from bench_people import BENCH_DB, client_for, time_page, use_bench_database  # noqa: E402

REQUESTS, CANDIDACIES, PLACEMENTS, TASKS = 3_000, 30_000, 12_000, 20_000
REALISTIC_OPERATOR, CASELOAD = "operatrice.250", 250


def seed_casework_volume(rng: random.Random) -> None:
    """Requests, candidacies, placements, tasks and slots at several years' volume."""
    from django.db import transaction
    from django.utils import timezone

    from approdo.accounts.models import User
    from approdo.casework.models import Task
    from approdo.companies.models import Company
    from approdo.demo.seed import OPERATOR_USERNAMES, seed_companies
    from approdo.intake.models import AgendaSlot
    from approdo.matching.models import Candidacy, CandidacyStage, RefusalReason
    from approdo.matching.services import REFUSING_SIDE
    from approdo.occupations.models import Occupation
    from approdo.people.models import Person
    from approdo.placements.models import Placement
    from approdo.places.models import Comune
    from approdo.vacancies.models import Vacancy

    today = timezone.localdate()
    if Company.objects.count() < 250:
        seed_companies(250)
    companies = list(Company.objects.all())
    occupations = list(Occupation.objects.all())
    bologna = Comune.objects.get(name="Bologna")
    operators = list(User.objects.filter(username__in=OPERATOR_USERNAMES))
    people = list(Person.objects.filter(status="in carico").values_list("pk", flat=True))
    with transaction.atomic():
        vacancies = Vacancy.objects.bulk_create(
            Vacancy(
                company=rng.choice(companies),
                occupation=rng.choice(occupations),
                job_title=rng.choice(occupations).name,
                positions=rng.randint(1, 3),
                workplace=bologna,
                placement_type="tirocinio" if rng.random() < 0.3 else "assunzione",
                contract="",
                weekly_hours=rng.choice([20, 30, 40]),
                requested_on=today - timedelta(days=rng.randint(0, 1500)),
                status=rng.choice(["aperta", "coperta", "coperta", "annullata"]),
                created_by=rng.choice(operators),
            )
            for _ in range(REQUESTS)
        )
        Vacancy.objects.filter(placement_type="assunzione").update(contract="tempo determinato")
        pairs = {(rng.choice(vacancies).pk, rng.choice(people)) for _ in range(CANDIDACIES)}
        # A refusal names its reason, of the side that refused.
        reasons = {
            stage: RefusalReason.objects.filter(side=side).first()
            for stage, side in REFUSING_SIDE.items()
        }

        def candidacy(vacancy: int, person: int) -> Candidacy:
            stage = rng.choice(CandidacyStage.values)
            return Candidacy(
                vacancy_id=vacancy, person_id=person, stage=stage, refusal=reasons.get(stage)
            )

        Candidacy.objects.bulk_create(
            (candidacy(vacancy, person) for vacancy, person in pairs),
            batch_size=5000,
            ignore_conflicts=True,
        )
        Placement.objects.bulk_create(
            (
                Placement(
                    person_id=rng.choice(people),
                    company=rng.choice(companies),
                    placement_type="tirocinio",
                    start_on=(start := today - timedelta(days=rng.randint(0, 1500))),
                    end_on=start + timedelta(days=180),
                    job_title=rng.choice(occupations).name,
                    monthly_stipend=450,
                    stage_outcome=rng.choice(["in corso", "concluso", "assunto", "interrotto"]),
                )
                for _ in range(PLACEMENTS)
            ),
            batch_size=5000,
        )
        Task.objects.bulk_create(
            (
                Task(
                    person_id=rng.choice(people),
                    title="Richiamare per il monitoraggio",
                    due_on=today + timedelta(days=rng.randint(-30, 30)),
                    assignee=rng.choice(operators),
                    origin=Task.Origin.MANUAL,
                    done_at=timezone.now() if rng.random() < 0.7 else None,
                )
                for _ in range(TASKS)
            ),
            batch_size=5000,
        )
        zone = timezone.get_current_timezone()
        AgendaSlot.objects.bulk_create(
            (
                AgendaSlot(
                    operator=operator,
                    starts_at=(start := datetime.combine(day, clock(hour), tzinfo=zone)),
                    ends_at=start + timedelta(minutes=45),
                )
                for operator in operators
                for day in (today + timedelta(days=n) for n in range(-7, 28))
                for hour in range(9, 17)
            ),
            ignore_conflicts=True,
        )


def seed_realistic_operator(rng: random.Random) -> None:
    """The demo operators follow tens of thousands of the seeded people; a real operator
    follows a few hundred: one of those, with their tasks and agenda."""
    from datetime import date

    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from approdo.accounts.models import Team, User
    from approdo.casework.models import Task
    from approdo.people.models import Person

    today: date = timezone.localdate()
    team = Team.objects.order_by("pk").first()
    people = list(
        Person.objects.filter(status="in carico", team=team).values_list("pk", flat=True)[:20000]
    )
    operator = User.objects.create_user(username=REALISTIC_OPERATOR, role="operatore", team=team)
    TOTPDevice.objects.create(user=operator, name="Autenticatore", confirmed=True)
    chosen = rng.sample(people, CASELOAD)
    Person.objects.filter(pk__in=chosen).update(case_manager=operator)
    Task.objects.bulk_create(
        Task(
            person_id=rng.choice(chosen),
            title="Richiamare",
            due_on=today + timedelta(days=rng.randint(-10, 20)),
            assignee=operator,
            origin=Task.Origin.MANUAL,
        )
        for _ in range(60)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    use_bench_database(BENCH_DB)
    import django

    from approdo.embedded_db import configure_database

    configure_database()
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from approdo.accounts.models import User
    from approdo.matching.models import Candidacy
    from approdo.people.models import Person

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    if Person.objects.count() < 100_000:
        sys.exit("Run scripts/bench_people.py first: it seeds the 200,000 people.")
    if Candidacy.objects.count() < CANDIDACIES // 2:
        started = time.perf_counter()
        seed_casework_volume(random.Random(2026))
        print(
            f"Seeded requests, candidacies, placements and tasks in "
            f"{time.perf_counter() - started:.1f} s"
        )
    if not User.objects.filter(username=REALISTIC_OPERATOR).exists():
        seed_realistic_operator(random.Random(2027))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    def logged_in(username: str):
        return client_for(User.objects.get(username=username))

    readers = {
        "operatore": logged_in("operatore"),
        "coordinatrice": logged_in("coordinatrice"),
        f"operatrice, {CASELOAD} persone": logged_in(REALISTIC_OPERATOR),
    }
    pages = {
        "desk (my day)": ("/lavoro/", {}),
        "my people": ("/lavoro-quotidiano/mie-persone/", {}),
        "week agenda": ("/accoglienza/agenda/", {}),
        "placements, all": ("/inserimenti/", {}),
        "placements, stages ended early": (
            "/inserimenti/",
            {"placement_type": "tirocinio", "ended_early": "on"},
        ),
        "placements, search a company": ("/inserimenti/", {"q": "srl"}),
        "requests, all": ("/richieste/", {}),
        "requests, open": ("/richieste/", {"status": "aperta"}),
        "candidacies, all": ("/abbinamento/candidature/", {}),
        "candidacies, CV sent, open requests": (
            "/abbinamento/candidature/",
            {"stage": "cv inviato", "open_requests": "on"},
        ),
    }
    print(f"\n{args.repeat} requests per page (after 3 warm-up requests)\n")
    print("| page | reader | p50 ms | p95 ms | queries |")
    print("|---|---|---:|---:|---:|")
    for name, (url, query) in pages.items():
        for reader, client in readers.items():
            p50, p95, _ = time_page(client, url, query, repeat=args.repeat, label=name)
            with django.test.utils.CaptureQueriesContext(connection) as queries:
                client.get(url, query)
            print(f"| {name} | {reader} | {p50:.0f} | {p95:.0f} | {len(queries)} |")


if __name__ == "__main__":
    main()
