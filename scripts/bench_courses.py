"""Benchmark of the courses' pages and figures at a regional programme's volume.

Runs on the benchmark database of bench_people.py (200,000 people) and adds, once, a
catalogue of 60 courses given by 40 providers in 1,500 editions over ten years, with
40,000 participations, 12,000 lessons and their registers (about 300,000 marks). Times
real requests as an operator (the course list, open editions for a missing licence, the
outcomes per provider, a large edition's page, a lesson's register, a ranking's page with
its links to courses), the yearly figures, and an enrolment.

    .venv/bin/python scripts/bench_courses.py [--repeat 30]
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

CATALOGUE, PROVIDERS, EDITIONS, PARTICIPATIONS, LESSONS_PER_EDITION = 60, 40, 1_500, 40_000, 8
LICENCES = ("CQC", "muletto", "HACCP", "OSS", "sicurezza", "primo soccorso", "antincendio")


def seed_course_volume(rng: random.Random) -> None:
    from django.db import transaction
    from django.utils import timezone

    from approdo.partners.models import Partner
    from approdo.people.models import Person
    from approdo.training.models import (
        Attendance,
        CatalogueCourse,
        Course,
        CourseCategory,
        CourseSession,
        Participation,
    )

    today = timezone.localdate()
    people = list(Person.objects.filter(status="in carico").values_list("pk", flat=True))
    with transaction.atomic():
        providers = Partner.objects.bulk_create(
            Partner(name=f"Ente di formazione {n}", kind="ente di formazione")
            for n in range(PROVIDERS)
        )
        catalogue = CatalogueCourse.objects.bulk_create(
            CatalogueCourse(
                title=f"Corso {n}",
                category=rng.choice(CourseCategory.values),
                mode="presenza",
                hours=rng.choice([16, 40, 120, 200]),
                qualification=f"Attestato {n}" if n % 2 else "",
                gives_licence=LICENCES[n % len(LICENCES)] if n % 3 == 0 else "",
            )
            for n in range(CATALOGUE)
        )
        editions = []
        for n in range(EDITIONS):
            entry = catalogue[n % CATALOGUE]
            start = today - timedelta(days=rng.randint(-60, 3650))
            end = start + timedelta(days=rng.randint(14, 120))
            editions.append(
                Course(
                    catalogue=entry,
                    title=entry.title,
                    provider=providers[n % PROVIDERS],
                    category=entry.category,
                    start_on=start,
                    end_on=end,
                    mode="presenza",
                    hours=entry.hours,
                    cost=Decimal(entry.hours * 100),
                    seats=30,
                    placement_target=6,
                    closed_on=end if end < today else None,
                )
            )
        Course.objects.bulk_create(editions, batch_size=1000)
        per_edition = PARTICIPATIONS // EDITIONS
        participations = []
        for course in editions:
            ended = course.end_on < today
            for person_id in rng.sample(people, per_edition):
                outcome = rng.choice(["completato"] * 3 + ["ritirato"]) if ended else "in corso"
                participations.append(
                    Participation(
                        course=course,
                        person_id=person_id,
                        enrolled_on=course.start_on,
                        outcome=outcome,
                        completed_on=course.end_on if outcome == "completato" else None,
                        qualification_obtained=outcome == "completato" and rng.random() < 0.6,
                    )
                )
        Participation.objects.bulk_create(participations, batch_size=5000)
        sessions = CourseSession.objects.bulk_create(
            (
                CourseSession(
                    course=course, on=course.start_on + timedelta(days=3 * k), hours=Decimal(4)
                )
                for course in editions
                for k in range(LESSONS_PER_EDITION)
            ),
            batch_size=5000,
        )
        enrolled: dict[int, list[int]] = {}
        for participation in participations:
            enrolled.setdefault(participation.course_id, []).append(participation.pk)
        Attendance.objects.bulk_create(
            (
                Attendance(session=session, participation_id=pk, present=rng.random() < 0.85)
                for session in sessions
                if session.on <= today
                for pk in enrolled[session.course_id]
            ),
            batch_size=10000,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    open_seeded_bench()
    from django.db import transaction
    from django.utils import timezone

    from approdo.accounts.models import User
    from approdo.matching.services import run_matching
    from approdo.people.models import Person
    from approdo.reports.indicators import Scope, courses, training_packages
    from approdo.training.models import Course, CourseSession
    from approdo.training.services import enrol
    from approdo.vacancies.models import Vacancy

    seed_once(
        Course.objects.count() < EDITIONS // 2,
        seed_course_volume,
        f"{EDITIONS} editions and their registers",
    )
    coordinator = User.objects.filter(role="coordinatore", is_active=True).first()
    today = timezone.localdate()
    running = Course.objects.filter(closed_on__isnull=True).order_by("-start_on").first()
    lesson = CourseSession.objects.filter(course=running, on__lte=today).first() or (
        CourseSession.objects.filter(on__lte=today).order_by("-on").first()
    )
    pages = {
        f"course list ({Course.objects.count()} editions)": ("/corsi/", {}),
        "open editions giving the CQC": ("/corsi/", {"patente": "CQC", "state": "aperti"}),
        "outcomes per provider (all editions)": ("/corsi/", {"per_ente": "1"}),
        "an edition's page (26 people, 8 lessons)": (f"/corsi/{running.pk}/", {}),
        "a lesson's register": (f"/corsi/{lesson.course_id}/lezioni/{lesson.pk}/registro/", {}),
        "the catalogue": ("/corsi/catalogo/", {}),
    }
    vacancy = Vacancy.objects.filter(status="aperta", occupation__isnull=False).first()
    if vacancy is not None:
        run, _ = run_matching(vacancy=vacancy, by=coordinator)
        pages["a ranking's page, with links to courses"] = (
            f"/abbinamento/abbinamenti/{run.pk}/",
            {},
        )
    print_pages(client_for(coordinator), pages, repeat=args.repeat, who="a coordinator")

    def enrol_and_roll_back():
        with transaction.atomic():
            enrol(course=running, person=Person.objects.filter(status="in carico").last())
            transaction.set_rollback(True)

    year = date.today().year
    print_computations(
        {
            "courses of the yearly report (three years)": lambda: courses(Scope.year(year)),
            "training packages of the year": lambda: training_packages(Scope.year(year)),
            "one enrolment (seat check under lock)": enrol_and_roll_back,
        },
        repeat=min(args.repeat, 10),
    )


if __name__ == "__main__":
    main()
