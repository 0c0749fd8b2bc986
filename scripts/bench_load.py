"""Load test: operators ranking and browsing at once, on the real server.

Uses the benchmark database of scripts/bench_people.py (200,000 people, seeded there),
adds 25 operators with their logins and three requests of different shapes, starts
`approdo serve` with one worker per core, and runs locust (scripts/locustfile.py) with 10
and then 25 operators for a minute each. Prints, per page, the requests made, the errors,
p50/p95/max and the throughput; the goal is p95 < 500 ms for every page with 25.

    .venv/bin/python scripts/bench_load.py [--seconds 60] [--operators 10 25]
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from bench_people import client_for, open_bench  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approdo.settings")
PORT = 8300
GOAL_P95_MS = 500
LIST_QUERIES = [
    "",
    "status=in+carico",
    "status=in+carico&readiness=pronto&licences=B&age_band=25-34",
    "q=Rossi",
    "ordine=-attesa",
]


def prepare(operators: int) -> dict:
    """The logins, people and requests the simulated operators use."""
    from django.conf import settings
    from django.utils import timezone

    from approdo.accounts.models import Role, User
    from approdo.accounts.services import create_staff_user
    from approdo.companies.models import Company
    from approdo.occupations.models import Occupation
    from approdo.people.models import Person
    from approdo.people.permissions import visible_people
    from approdo.places.models import Comune
    from approdo.vacancies.models import Vacancy
    from approdo.vacancies.services import save_vacancy

    if Person.objects.count() < 100_000:
        sys.exit("Seed the benchmark database first: .venv/bin/python scripts/bench_people.py")
    team = User.objects.get(username="operatore").team
    users = []
    for index in range(operators):
        username = f"carico{index:02d}"
        user = (
            User.objects.filter(username=username).first()
            or create_staff_user(
                username=username,
                role=Role.OPERATORE,
                password="password-di-carico-lunga",
                team=team,
                enrol_totp=True,
            )[0]
        )
        users.append(user)
    company, _ = Company.objects.get_or_create(name="Benchmark Carico Srl")
    shapes = [
        ("Addetto alle pulizie", "Bologna", []),
        ("Magazziniere", "Imola", [("patente", "B", True), ("italiano", "A2", True)]),
        ("Autista di camion", "Bologna", [("patente", "C", True), ("distanza", "30", True)]),
    ]
    requests = []
    for occupation, place, requirements in shapes:
        existing = Vacancy.objects.filter(company=company, job_title=occupation).first()
        requests.append(
            existing
            or save_vacancy(
                data={
                    "company": company,
                    "occupation": Occupation.objects.get(name=occupation),
                    "job_title": occupation,
                    "description": occupation,
                    "positions": 2,
                    "workplace": Comune.objects.get(name=place),
                    "placement_type": "assunzione",
                    "contract": "tempo determinato",
                    "weekly_hours": 30,
                    "requested_on": timezone.localdate(),
                },
                by=None,
                requirements=[
                    {"kind": kind, "value": value, "is_must": must}
                    for kind, value, must in requirements
                ],
            )
        )
    people = list(
        visible_people(users[0])
        .filter(status="in carico")
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "sessions": [
            client_for(user).cookies[settings.SESSION_COOKIE_NAME].value for user in users
        ],
        "people": people,
        "requests": [request.pk for request in requests],
        "list_queries": LIST_QUERIES,
    }


def start_server(workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "approdo.cli",
            "serve",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/accesso/", timeout=2)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    sys.exit("The server did not start.")


def run_locust(plan_file: str, operators: int, seconds: int, folder: str) -> list[dict]:
    prefix = f"{folder}/load{operators}"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            str(ROOT / "scripts" / "locustfile.py"),
            "--headless",
            "--users",
            str(operators),
            "--spawn-rate",
            str(operators),
            "--run-time",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{PORT}",
            "--csv",
            prefix,
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env={**os.environ, "APPRODO_LOAD_PLAN": plan_file},
        check=False,  # locust exits 1 when any request failed: the table says which
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # its own summary; the table below says the same
    )
    with open(f"{prefix}_stats.csv") as stats:
        return list(csv.DictReader(stats))


def print_run(operators: int, seconds: int, rows: list[dict]) -> None:
    print(f"\n{operators} operators for {seconds} s\n")
    print("| page | requests | errors | p50 ms | p95 ms | max ms | per second |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        name = "all pages" if row["Name"] == "Aggregated" else row["Name"]
        print(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | "
            f"{row['95%']} | {float(row['Max Response Time']):.0f} | "
            f"{float(row['Requests/s']):.1f} |"
        )
    worst = max((float(row["95%"]), row["Name"]) for row in rows if row["Name"] != "Aggregated")
    verdict = "met" if worst[0] < GOAL_P95_MS else "not met"
    worst_page = f"worst: {worst[1]}, {worst[0]:.0f} ms"
    print(f"\nGoal p95 < {GOAL_P95_MS} ms for every page: {verdict} ({worst_page})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--operators", type=int, nargs="+", default=[10, 25])
    args = parser.parse_args()
    open_bench("approdo_bench")
    plan = prepare(max(args.operators))
    workers = os.cpu_count() or 2
    server = start_server(workers)
    print(f"approdo serve with {workers} workers (one per core), {len(plan['people'])} people")
    try:
        with tempfile.TemporaryDirectory() as folder:
            plan_file = f"{folder}/plan.json"
            Path(plan_file).write_text(json.dumps(plan))
            for operators in args.operators:
                rows = run_locust(plan_file, operators, args.seconds, folder)
                print_run(operators, args.seconds, rows)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
