"""Benchmark of surveys at a regional volume.

Runs on a database of its own (`approdo_bench_surveys`, seeded once with 200,000 people,
on the embedded server or on the server of DATABASE_URL) and sends the questionnaire for
people who left to 20,000 of them, a quarter of whom answered.
Times the coordinator's pages (the list, the survey with its results, the results page),
the results' computation, and the public answer page a person opens from the e-mail.

    .venv/bin/python scripts/bench_surveys.py [--repeat 30]
"""

import argparse
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approdo.settings")

from bench_mailing import seed_people  # noqa: E402
from bench_people import (  # noqa: E402
    client_for,
    open_bench,
    print_computations,
    print_pages,
    seed_once,
)

PEOPLE = 200_000

INVITED = 20_000


def seed_survey_volume(rng: random.Random) -> None:
    from django.db import transaction
    from django.utils import timezone

    from approdo.accounts.models import User
    from approdo.people.models import Person
    from approdo.surveys.models import Invitation, Survey
    from approdo.surveys.services import create_exit_survey

    coordinator = User.objects.filter(role="coordinatore").order_by("pk").first()
    seed_people(PEOPLE)
    with transaction.atomic():
        survey = create_exit_survey(by=coordinator)
        survey.state = Survey.State.OPEN
        survey.save(update_fields=["state"])
        questions = {question.text: question for question in survey.questions.all()}
        people = Person.objects.order_by("pk").values_list("pk", flat=True)[:INVITED]
        now = timezone.now()
        invitations = []
        for person_id in people:
            answers = {}
            if rng.random() < 0.25:
                working = rng.random() < 0.5
                answers[str(questions["Oggi lavora?"].pk)] = "Sì" if working else "No"
                if working:
                    answers[str(questions["Con quale contratto?"].pk)] = rng.choice(
                        questions["Con quale contratto?"].choices
                    )
                answers[str(questions["Che cosa l'ha aiutata di più nel programma?"].pk)] = (
                    rng.sample(questions["Che cosa l'ha aiutata di più nel programma?"].choices, 2)
                )
                answers[str(questions["Quanto è soddisfatta/o del programma?"].pk)] = str(
                    rng.randint(1, 5)
                )
                if rng.random() < 0.3:
                    answers[str(questions["Vuole dirci altro?"].pk)] = "Grazie per l'aiuto."
            invitations.append(
                Invitation(
                    survey=survey,
                    person_id=person_id,
                    answers=answers,
                    saved_at=now if answers else None,
                    submitted_at=now if answers else None,
                )
            )
        Invitation.objects.bulk_create(invitations, batch_size=2000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    open_bench("approdo_bench_surveys")
    from django.test import Client

    from approdo.accounts.models import User
    from approdo.surveys.models import Invitation, Survey
    from approdo.surveys.selectors import survey_results, surveys_with_counts

    seed_once(
        not Survey.objects.filter(invitations__isnull=False).exists(),
        seed_survey_volume,
        f"{PEOPLE:,} people and a survey sent to {INVITED:,} of them",
    )
    survey = Survey.objects.filter(invitations__isnull=False).distinct().latest("pk")
    waiting = Invitation.objects.filter(survey=survey, submitted_at__isnull=True).first()
    coordinator = User.objects.filter(role="coordinatore").order_by("pk").first()
    print_pages(
        client_for(coordinator),
        {
            "the list of surveys": ("/questionari/", {}),
            "a survey with its results (20,000 invited)": (f"/questionari/{survey.pk}/", {}),
            "the results page": (f"/questionari/{survey.pk}/risultati/", {}),
        },
        repeat=args.repeat,
        who="a coordinator",
    )
    print_pages(
        Client(),
        {"the answer page, from the e-mail's link": (f"/questionari/r/{waiting.token}/", {})},
        repeat=args.repeat,
        who="a person, not logged in",
    )
    print_computations(
        {
            "the results of a survey (20,000 invited, 5,000 answers)": lambda: survey_results(
                survey
            ),
            "the list's counts": lambda: list(surveys_with_counts()[:25]),
        },
        repeat=args.repeat,
    )


if __name__ == "__main__":
    main()
