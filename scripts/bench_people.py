"""Benchmark of the person list: filters and fuzzy name search over 200,000 people.

Seeds a separate database (`approdo_bench`, on the embedded server or on the
server of DATABASE_URL) once, then times real requests through Django's test
client, logged in as an operator, and prints p50/p95 per scenario.

    .venv/bin/python scripts/bench_people.py [--people 200000] [--repeat 40]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approdo.settings")
BENCH_DB = "approdo_bench"


def use_bench_database(name: str = BENCH_DB, *, fresh: bool = False) -> None:
    """Point DATABASE_URL at a dedicated database, created if missing (or anew)."""
    import psycopg

    from approdo.embedded_db import configure_database

    configure_database()  # the embedded server, unless DATABASE_URL names one
    url = os.environ["DATABASE_URL"]
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as connection:
        if fresh:
            connection.execute(f"DROP DATABASE IF EXISTS {name}")
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))


def client_for(user):
    """A test client logged in as `user`, past the second factor (Django must be set up)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from approdo.accounts.middleware import LOGGED_IN_AT_KEY, SESSION_EPOCH_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
    session[SESSION_EPOCH_KEY] = user.session_epoch
    session[LOGGED_IN_AT_KEY] = time.time()
    session.save()
    return client


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_page(client, url: str, query: dict, *, repeat: int, label: str = ""):
    """GET `url` `repeat` times after 3 warm-up requests; returns (p50 ms, p95 ms, the
    last response). Every answer must be 200."""
    timings = []
    for attempt in range(repeat + 3):
        started = time.perf_counter()
        response = client.get(url, query)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (label or url, response.status_code)
        if attempt >= 3:
            timings.append(elapsed)
    return statistics.median(timings), percentile(timings, 0.95), response


def time_call(compute, *, repeat: int) -> tuple[float, float]:
    """Call `compute` `repeat` times after one warm-up call; returns (p50 ms, p95 ms)."""
    timings = []
    for attempt in range(repeat + 1):
        started = time.perf_counter()
        compute()
        if attempt:
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), percentile(timings, 0.95)


def open_bench(name: str) -> None:
    """Set Django up on the benchmark database `name`, migrated, with the demo staff."""
    use_bench_database(name)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from approdo.demo.seed import ensure_demo_staff

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    ensure_demo_staff()


def open_seeded_bench() -> None:
    """Set Django up on the benchmark database this script seeds; exit if it is not seeded."""
    use_bench_database(BENCH_DB)
    import django

    from approdo.embedded_db import configure_database

    configure_database()
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from approdo.people.models import Person

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    if Person.objects.count() < 100_000:
        sys.exit("Run scripts/bench_people.py first: it seeds the 200,000 people.")


def seed_once(missing: bool, seed, what: str) -> None:
    """Run `seed(rng)` when the volume is `missing`, then refresh the planner's statistics."""
    import random

    from django.db import connection

    if not missing:
        return
    started = time.perf_counter()
    seed(random.Random(2026))
    print(f"Seeded {what} in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def print_pages(client, pages: dict, *, repeat: int, who: str) -> None:
    """A table of p50/p95 and queries for each page: {name: (url, query)}."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print(f"\n{repeat} requests per page (after 3 warm-up requests), as {who}\n")
    print("| page | p50 ms | p95 ms | queries |")
    print("|---|---:|---:|---:|")
    for name, (url, query) in pages.items():
        p50, p95, _ = time_page(client, url, query, repeat=repeat, label=name)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, query)
        print(f"| {name} | {p50:.0f} | {p95:.0f} | {len(queries)} |")


def print_computations(computations: dict, *, repeat: int) -> None:
    """A table of p50/p95 for each computation: {name: callable}."""
    print("\n| computation | p50 ms | p95 ms |")
    print("|---|---:|---:|")
    for name, compute in computations.items():
        p50, p95 = time_call(compute, repeat=repeat)
        print(f"| {name} | {p50:.0f} | {p95:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=40)
    # approdo_bench_2m: the tenfold copy made by bench_matching.py --people 2000000.
    parser.add_argument("--database", default=BENCH_DB)
    args = parser.parse_args()

    use_bench_database(args.database)
    import django

    from approdo.embedded_db import configure_database

    configure_database()
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from approdo.demo.seed import ensure_demo_staff, seed_people
    from approdo.people.models import Person

    setup_test_environment()  # lets the test client capture template contexts (row counts)
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    staff = ensure_demo_staff()
    existing = Person.objects.count()
    if existing < args.people:
        started = time.perf_counter()
        seed_people(args.people - existing, start_index=existing, batch_size=5000)
        elapsed = time.perf_counter() - started
        print(
            f"Seeded {args.people - existing} people in {elapsed:.1f} s "
            f"({(args.people - existing) / elapsed:.0f} people/s, with interviews and history)"
        )
    with django.db.connection.cursor() as cursor:
        # What autovacuum does in production: statistics and the visibility map (after the
        # seeding, or a migration that rewrote rows).
        cursor.execute("VACUUM ANALYZE")
    total = Person.objects.count()

    def logged_in(username: str):
        return client_for(next(user for user, _ in staff if user.username == username))

    # An operator reads their desk and the common queue; the coordinator reads everyone.
    readers = {"operatore": logged_in("operatore"), "coordinatrice": logged_in("coordinatrice")}

    with_code = Person.objects.exclude(fiscal_code=None).order_by("pk")
    sample = with_code[with_code.count() // 2]
    operator_pk = next(user.pk for user, _ in staff if user.username == "operatore")
    typo = sample.last_name[:-1] + sample.last_name[-1] * 2
    scenarios = {
        "list, no filter (page 1)": {},
        "list, status = in carico": {"status": "in carico"},
        "list, in carico + pronto + licence B + age 25-34": {
            "status": "in carico",
            "readiness": "pronto",
            "licences": ["B"],
            "age_band": "25-34",
        },
        "list, comune Imola + extra UE": {"comune": "Imola (BO)", "citizenship_area": "extra UE"},
        "list, waiting > 15 days, registered": {"status": "registrato", "min_waiting_days": 15},
        "list, page 200 of all": {"pagina": 200},
        "list, case manager (the operator)": {"case_manager": operator_pk},
        "list, exit reason = lavora": {"status": "fuori protocollo", "exit_reason": "lavora"},
        "list, in carico, sorted by name": {"status": "in carico", "ordine": "nome"},
        "list, all, longest wait first": {"ordine": "-attesa"},
        f"fuzzy search, exact surname '{sample.last_name}'": {"q": sample.last_name},
        f"fuzzy search, typo '{typo} {sample.first_name}'": {"q": f"{typo} {sample.first_name}"},
        "fuzzy search, accents 'nicolo mazza'": {"q": "nicolo mazza"},
        "fiscal code lookup": {"q": sample.fiscal_code},
        "intake queue": None,
    }
    print(f"\n{total} people; {args.repeat} requests per scenario (after 3 warm-up requests)\n")
    print("| scenario | reader | rows | p50 ms | p95 ms |")
    print("|---|---|---:|---:|---:|")
    for name, query in scenarios.items():
        url = "/accoglienza/coda/" if query is None else "/lavoro/persone/"
        for reader, client in readers.items():
            p50, p95, response = time_page(client, url, query or {}, repeat=args.repeat, label=name)
            rows = response.context["page"].paginator.count
            print(f"| {name} | {reader} | {rows} | {p50:.0f} | {p95:.0f} |")

    from approdo.people.retention import due_for_anonymisation

    started = time.perf_counter()
    due = due_for_anonymisation().count()
    print(
        f"\nFiles due for anonymisation (retention check over {total} people): {due}, "
        f"{(time.perf_counter() - started) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
