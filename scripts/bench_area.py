"""Benchmark of the person's own area at the reference volume.

Runs on a database of its own (`approdo_bench_area`, seeded once with 200,000 people, on
the embedded server or on the server of DATABASE_URL): 15 operators with a year of agenda
(8 slots a working day), 25,000 interviews (a third to come), two e-mails sent to every
person (400,000) and one past visit to the area each (200,000 sessions). Times the pages a
person opens on their phone, and asking for a link (the address found among 200,000),
using it, a request inside a session and moving an appointment.

    .venv/bin/python scripts/bench_area.py [--repeat 30]
"""

import argparse
import itertools
import os
import random
import sys
from datetime import datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "approdo.settings")

from bench_mailing import seed_people  # noqa: E402
from bench_people import open_bench, print_computations, print_pages, seed_once  # noqa: E402

PEOPLE = 200_000
OPERATORS = 15
INTERVIEWS = 25_000


def seed_area_volume(rng: random.Random) -> None:
    from django.db import transaction
    from django.utils import timezone

    from approdo.accounts.models import User
    from approdo.area.models import AreaSession
    from approdo.area.services import token_hash
    from approdo.comms.models import OutboundEmail
    from approdo.intake.models import AgendaSlot, Interview
    from approdo.people.models import Person

    if not Person.objects.exists():  # a seed interrupted after the people keeps them
        seed_people(PEOPLE)
    zone = timezone.get_current_timezone()
    today = timezone.localdate()
    with transaction.atomic():
        operators = [
            User.objects.create(username=f"agenda{n}", first_name="Op", last_name=f"Agenda{n}")
            for n in range(OPERATORS)
        ]
        days = [
            today + timedelta(days=offset)
            for offset in range(-250, 120)
            if (today + timedelta(days=offset)).weekday() < 5
        ]
        slots = AgendaSlot.objects.bulk_create(
            (
                AgendaSlot(
                    operator=operator,
                    starts_at=datetime.combine(day, time(9 + hour), tzinfo=zone),
                    ends_at=datetime.combine(day, time(9 + hour, 45), tzinfo=zone),
                )
                for operator in operators
                for day in days
                for hour in range(8)
            ),
            batch_size=5000,
        )
        people = list(Person.objects.values_list("pk", flat=True))
        booked = rng.sample(slots, INTERVIEWS)
        now = timezone.now()
        Interview.objects.bulk_create(
            (
                Interview(
                    person_id=people[index],
                    operator_id=slot.operator_id,
                    slot=slot,
                    kind="monitoraggio",
                    mode="presenza",
                    scheduled_at=slot.starts_at,
                    status="fissato" if slot.starts_at > now else "svolto",
                    calendar_uid=f"colloquio-{index}@approdo",
                )
                for index, slot in enumerate(booked)
            ),
            batch_size=5000,
        )
        OutboundEmail.objects.bulk_create(
            (
                OutboundEmail(
                    person_id=pk,
                    kind="promemoria colloquio",
                    to=f"persona{n}@esempio.it",
                    subject=f"Messaggio {round_}",
                    body="Gentile persona, le ricordiamo il suo appuntamento.",
                    status="inviata",
                    sent_at=now - timedelta(days=round_ * 30),
                )
                for n, pk in enumerate(people)
                for round_ in (1, 2)
            ),
            batch_size=5000,
        )
        AreaSession.objects.bulk_create(
            (
                AreaSession(
                    person_id=pk,
                    token_hash=token_hash(f"vecchia-{pk}"),
                    method="link",
                    started_at=now - timedelta(days=10),
                    last_seen_at=now - timedelta(days=10),
                    ended_at=now - timedelta(days=10),
                    end_reason="uscita",
                )
                for pk in people
            ),
            batch_size=5000,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    open_bench("approdo_bench_area")
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from approdo.area import rules, services
    from approdo.area.models import LoginLink
    from approdo.area.selectors import slots_for_moving
    from approdo.intake.models import Interview

    seed_once(
        not Interview.objects.filter(calendar_uid__startswith="colloquio-").exists(),
        seed_area_volume,
        f"{PEOPLE:,} people, {INTERVIEWS:,} interviews, {2 * PEOPLE:,} e-mails, "
        f"{PEOPLE:,} past visits",
    )
    visitor = services.Visitor(ip_address="192.0.2.1", user_agent="bench")
    coming = list(
        Interview.objects.filter(
            status="fissato", scheduled_at__gte=timezone.now() + timedelta(days=3)
        )
        .select_related("person", "operator")
        .order_by("pk")[:200]
    )
    person = coming[0].person
    _, token = services.start_session(person=person, method="link", visitor=visitor)
    client = Client()
    client.cookies[settings.AREA_COOKIE_NAME] = token
    print_pages(
        client,
        {
            "the area's home (appointments)": ("/area/", {}),
            "moving an appointment: the free slots of the same operator": (
                f"/area/appuntamenti/{coming[0].pk}/sposta/",
                {},
            ),
            "the person's data": ("/area/dati/", {}),
            "consents": ("/area/consensi/", {}),
            "messages (e-mails received, among 400,000)": ("/area/messaggi/", {}),
            "courses, events and questionnaires": ("/area/corsi-ed-eventi/", {}),
            "the access history (among 200,000 visits)": ("/area/accessi/", {}),
        },
        repeat=args.repeat,
        who="a person in their area",
    )
    print_pages(
        Client(),
        {"the login page": ("/area/entra/", {})},
        repeat=args.repeat,
        who="someone not logged in",
    )
    keys = (f"bench-{n}-{random.random()}" for n in itertools.count())
    addresses = itertools.cycle(f"persona{n}@esempio.it" for n in range(0, PEOPLE, 997))
    tokens = []

    def ask_for_link():
        services.request_login_link(email=next(addresses), connection_key=next(keys))

    def use_link():
        raw = f"bench-link-{random.random()}"
        LoginLink.objects.create(
            person=person,
            token_hash=services.token_hash(raw),
            expires_at=timezone.now() + rules.LINK_VALIDITY,
        )
        tokens.append(services.redeem_login_link(token=raw, visitor=visitor)[1])

    movable = iter(coming[1:])

    def move():
        interview = next(movable)
        slot = slots_for_moving(interview).first()
        if slot is not None:
            services.move_appointment(
                person=interview.person, interview_id=interview.pk, slot_id=slot.pk
            )

    print_computations(
        {
            "asking for a link (address among 200,000 files, e-mail queued)": ask_for_link,
            "using a link (a session opened)": use_link,
            "a request's session check (among 200,000 visits)": lambda: services.session_of(token),
            "moving an appointment (free slots, lock, invitation, task)": move,
        },
        repeat=min(args.repeat, 20),
    )


if __name__ == "__main__":
    main()
