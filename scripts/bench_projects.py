"""Benchmark of projects, the guarantee fund and the calls for grants at a regional volume.

Runs on the benchmark database of bench_people.py (200,000 people) and adds, once, 6,000
self-employment and 1,500 social-innovation projects over ten years with their history,
20,000 payments, 3,000 guaranteed loans with 7,000 movements of the fund, 300 committee
sessions and 4,000 applications to the calls for grants. Times real requests as a
coordinator (the project list, a filtered list, a project's page, the fund's page, a call's
ranking, a call for grants with its applications), the yearly figures, and a guarantee
checked against the fund under its lock.

    .venv/bin/python scripts/bench_projects.py [--repeat 30]
"""

import argparse
import os
import random
import sys
from datetime import date, timedelta
from decimal import Decimal
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

SELF_EMPLOYMENT, SOCIAL_INNOVATION, LOANS, APPLICATIONS = 6_000, 1_500, 3_000, 4_000
STATES = (
    "candidato",
    "rifiutato",
    "rifiutato",
    "in accompagnamento",
    "stand by",
    "ritirato",
    "valutato positivamente",
    "finanziato",
    "avviato",
    "concluso e finanziato",
)


def seed_project_volume(rng: random.Random) -> None:
    from django.db import transaction
    from django.utils import timezone

    from approdo.accounts.models import User
    from approdo.partners.models import Partner
    from approdo.people.models import Person
    from approdo.projects.models import (
        CallCriterion,
        CallScore,
        CommitteeSession,
        FundMovement,
        GrantApplication,
        GrantCall,
        Payment,
        Project,
        ProjectCall,
        ProjectStateChange,
    )

    today = timezone.localdate()
    people = list(Person.objects.values_list("pk", flat=True)[:100_000])
    with transaction.atomic():
        bodies = Partner.objects.bulk_create(
            Partner(name=f"Cooperativa sociale {n}", kind="terzo settore") for n in range(300)
        )
        call = ProjectCall.objects.create(
            title="Bando innovazione sociale (volume)",
            opens_on=today - timedelta(days=3650),
            closes_on=today,
        )
        criteria = CallCriterion.objects.bulk_create(
            CallCriterion(call=call, name=name, weight=weight)
            for name, weight in (("Impatto", 40), ("Sostenibilità", 30), ("Rete", 30))
        )
        projects = []
        for n in range(SELF_EMPLOYMENT + SOCIAL_INNOVATION):
            social = n >= SELF_EMPLOYMENT
            state = rng.choice(STATES)
            if state in ("avviato",) and social:
                state = "concluso e finanziato"
            if state == "concluso e finanziato" and not social:
                state = "avviato"
            submitted = today - timedelta(days=rng.randint(30, 3650))
            approved = state in (
                "valutato positivamente",
                "finanziato",
                "avviato",
                "concluso e finanziato",
            )
            projects.append(
                Project(
                    kind="innovazione sociale" if social else "autoimpiego",
                    title=f"Progetto {n}",
                    person_id=None if social else rng.choice(people),
                    organisation=bodies[n % len(bodies)] if social else None,
                    call=call if social else None,
                    submitted_on=submitted,
                    state=state,
                    state_on=min(today, submitted + timedelta(days=90)),
                    committee_on=min(today, submitted + timedelta(days=80)) if approved else None,
                    approved_amount=Decimal(rng.choice([4000, 6000, 8000])) if approved else None,
                    unlinked_jobs=rng.randint(0, 3) if social else 0,
                )
            )
        Project.objects.bulk_create(projects, batch_size=2000)
        ProjectStateChange.objects.bulk_create(
            (
                ProjectStateChange(project=p, to_state=s, on=p.submitted_on, reason="volume")
                for p in projects
                for s in ("candidato", p.state)
            ),
            batch_size=5000,
        )
        evaluators = list(User.objects.values_list("pk", flat=True)[:3])
        CallScore.objects.bulk_create(
            (
                CallScore(project=p, criterion=c, evaluator_id=e, score=rng.randint(0, 10))
                for p in projects[SELF_EMPLOYMENT:]
                for c in criteria
                for e in evaluators
            ),
            batch_size=5000,
        )
        funded = [p for p in projects if p.approved_amount]
        payments = [
            Payment(
                project=p,
                kind=rng.choice(["contributo", "contributo", "microcredito"]),
                amount=p.approved_amount / 2,
                due_on=p.committee_on + timedelta(days=k * 90),
                paid_on=p.committee_on + timedelta(days=k * 90)
                if p.committee_on + timedelta(days=k * 90) <= today
                else None,
            )
            for p in funded
            for k in range(3)
        ]
        loans = [
            Payment(
                project=p,
                kind="finanziamento garantito",
                amount=Decimal(10000),
                due_on=p.committee_on,
                paid_on=p.committee_on,
            )
            for p in rng.sample(funded, min(LOANS, len(funded)))
        ]
        Payment.objects.bulk_create(payments + loans, batch_size=5000)
        first = min(loan.due_on for loan in loans)
        movements = [
            FundMovement(
                on=first - timedelta(days=1), kind="versamento", amount=Decimal(10000 * len(loans))
            )
        ]
        for loan in loans:
            movements.append(
                FundMovement(on=loan.due_on, kind="garanzia", amount=Decimal(8000), loan=loan)
            )
            repaid = loan.due_on + timedelta(days=365)
            if repaid <= today:
                movements.append(
                    FundMovement(on=repaid, kind="svincolo", amount=Decimal(2000), loan=loan)
                )
        FundMovement.objects.bulk_create(movements, batch_size=5000)
        CommitteeSession.objects.bulk_create(
            CommitteeSession(held_on=today - timedelta(days=12 * n), members="Presidente")
            for n in range(300)
        )
        grant_call = GrantCall.objects.create(
            kind="incentivo over 55",
            title="Incentivo over 55 (volume)",
            year=today.year,
            opens_on=date(today.year - 5, 1, 1),
            yearly_cap=10000,
            minimum_age=55,
            eligible_kinds=["terzo settore"],
        )
        GrantApplication.objects.bulk_create(
            (
                GrantApplication(
                    call=grant_call,
                    organisation=bodies[n % len(bodies)],
                    email="amministrazione@example.org",
                    submitted_on=today - timedelta(days=rng.randint(0, 1800)),
                    amount_requested=10000,
                    fiscal_code="RSSMRA60A01A944X",
                    hired_on=today - timedelta(days=rng.randint(0, 1800)),
                    state=rng.choice(["presentata", "ammessa", "non ammessa"]),
                )
                for n in range(APPLICATIONS)
            ),
            batch_size=2000,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    open_seeded_bench()
    from django.db import transaction
    from django.utils import timezone

    from approdo.accounts.models import User
    from approdo.projects.models import GrantCall, Payment, Project, ProjectCall
    from approdo.projects.selectors import call_ranking, fund_position
    from approdo.projects.services import check_movement
    from approdo.reports.indicators import (
        Scope,
        guarantee_fund,
        self_employment,
        social_innovation,
    )

    seed_once(
        Project.objects.count() < SELF_EMPLOYMENT // 2,
        seed_project_volume,
        f"{SELF_EMPLOYMENT + SOCIAL_INNOVATION} projects, their money and the fund",
    )
    coordinator = User.objects.filter(role="coordinatore", is_active=True).first()
    busy = Project.objects.filter(kind="innovazione sociale", payments__isnull=False).first()
    call = ProjectCall.objects.order_by("-pk").first()
    grant_call = GrantCall.objects.order_by("-pk").first()
    pages = {
        f"project list ({Project.objects.count():,} projects)": ("/progetti/", {}),
        "projects in coaching": ("/progetti/", {"stato": "in accompagnamento"}),
        "a social-innovation project's page": (f"/progetti/{busy.pk}/", {}),
        "the fund's page (movements paged, loans held)": ("/progetti/fondo/", {}),
        f"a call's ranking ({call.projects.count():,} projects)": (
            f"/progetti/bandi/{call.pk}/",
            {},
        ),
        f"a call for grants ({grant_call.applications.count():,} applications)": (
            f"/contributi/{grant_call.pk}/",
            {},
        ),
    }
    print_pages(client_for(coordinator), pages, repeat=args.repeat, who="a coordinator")

    loan = Payment.objects.filter(kind="finanziamento garantito").first()
    today = timezone.localdate()

    def guarantee_checked_under_lock():
        with transaction.atomic():
            from approdo.projects.services import _lock_fund

            _lock_fund()
            check_movement(kind="svincolo", on=today, amount=Decimal(1), loan=loan)

    year = today.year - 1
    print_computations(
        {
            "self-employment figures of the year": lambda: self_employment(Scope.year(year)),
            "social-innovation figures of the year": lambda: social_innovation(Scope.year(year)),
            "the fund at the end of the year": lambda: guarantee_fund(Scope.year(year)),
            "the fund's position now": fund_position,
            "a call's ranking (weighted scores)": lambda: call_ranking(call),
            "a release checked under the fund's lock": guarantee_checked_under_lock,
        },
        repeat=min(args.repeat, 10),
    )


if __name__ == "__main__":
    main()
