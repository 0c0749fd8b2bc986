"""Benchmark of events and the job fair at a regional volume.

Runs on a database of its own (`approdo_bench_events`, seeded once with 200,000 people,
on the embedded server or on the server of DATABASE_URL): a cycle of 7 webinars with
3,000 registrations each (a third from the programme, five held with attendance) and a
job fair with 250 stands of 24 slots, 4,000 of them booked. Times the coordinator's pages,
the public pages a visitor opens, a registration and a booking (lock, checks, the person
found by address among 200,000, the confirmation queued) and the import of a 3,000-row
attendance report.

    .venv/bin/python scripts/bench_events.py [--repeat 30]
"""

import argparse
import itertools
import os
import random
import sys
from datetime import date, time, timedelta
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
SESSIONS = 7
PER_SESSION = 3_000
STANDS = 250
BOOKED = 4_000


def seed_event_volume(rng: random.Random) -> None:
    from django.db import transaction
    from django.utils import timezone

    from approdo.companies.models import BoardMembership, Company
    from approdo.events.models import Event, Registration, Session
    from approdo.jobfair.models import Booking, JobFair, Slot, Stand
    from approdo.people.models import Person
    from approdo.places.models import Comune

    seed_people(PEOPLE)
    now = timezone.now()
    with transaction.atomic():
        cycle = Event.objects.create(
            title="Lavoro in pratica", description="Sette webinar.", is_series=True, published=True
        )
        # One registration per address and session: people sharing an address count once.
        people = list(
            {
                email.lower(): (pk, email)
                for pk, email in Person.objects.order_by("?").values_list("pk", "email")[
                    : PER_SESSION * 3
                ]
            }.values()
        )
        for number in range(SESSIONS):
            start = now + timedelta(days=7 * (number - 4))
            session = Session.objects.create(
                event=cycle,
                title=f"Webinar {number + 1}",
                starts_at=start,
                ends_at=start + timedelta(minutes=90),
                room_url="https://video.example.org/webinar",
            )
            held = start < now
            rows = []
            for index in range(PER_SESSION):
                person = people[index] if index % 3 == 0 else None
                minutes = rng.choice([None, 20, 75, 90]) if held else None
                rows.append(
                    Registration(
                        session=session,
                        person_id=person[0] if person else None,
                        first_name="Nome",
                        last_name=f"Cognome{index}",
                        email=(person[1].lower() if person else f"visitatore{index}@example.org"),
                        attended=(minutes or 0) >= 68 if held else None,
                        attended_minutes=minutes,
                    )
                )
            Registration.objects.bulk_create(rows, batch_size=2000)

        comune = Comune.objects.first()
        companies = Company.objects.bulk_create(
            Company(name=f"Azienda della fiera {n:03d}", search_name=f"azienda {n}", comune=comune)
            for n in range(STANDS)
        )
        BoardMembership.objects.bulk_create(
            BoardMembership(company=company, joined_on=date(2024, 1, 1)) for company in companies
        )
        fair = JobFair.objects.create(
            title="Fiera metropolitana",
            description="Incontri uno a uno.",
            day=timezone.localdate() + timedelta(days=20),
            opens_at=time(9, 0),
            closes_at=time(17, 0),
            slot_minutes=20,
            published=True,
        )
        stands = Stand.objects.bulk_create(
            Stand(
                fair=fair,
                company=company,
                description="Cerchiamo persone.",
                video_room_url="https://video.example.org/stand",
            )
            for company in companies
        )
        from approdo.jobfair.services import slot_times

        times = slot_times(fair)
        slots = Slot.objects.bulk_create(
            Slot(stand=stand, starts_at=start, ends_at=end)
            for stand in stands
            for start, end in times
        )
        Booking.objects.bulk_create(
            (
                Booking(
                    slot=slot,
                    first_name="Nome",
                    last_name=f"Visitatore{index}",
                    email=f"fiera{index}@example.org",
                )
                for index, slot in enumerate(rng.sample(slots, BOOKED))
            ),
            batch_size=2000,
        )


def attendance_report(session) -> bytes:
    lines = ["Nome,E-mail utente,Durata (minuti)"]
    for index, email in enumerate(
        session.registrations.order_by("pk").values_list("email", flat=True)
    ):
        lines.append(f"Partecipante {index},{email},{30 + index % 60}")
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    open_bench("approdo_bench_events")
    from django.test import Client
    from django.utils import timezone

    from approdo.accounts.models import User
    from approdo.events import services as events
    from approdo.events.models import Event
    from approdo.events.selectors import event_figures
    from approdo.jobfair import services as fair_services
    from approdo.jobfair.models import JobFair
    from approdo.jobfair.selectors import free_slots

    seed_once(
        not Event.objects.exists(),
        seed_event_volume,
        f"{PEOPLE:,} people, {SESSIONS * PER_SESSION:,} registrations, {STANDS} stands",
    )
    cycle = Event.objects.latest("pk")
    held = cycle.sessions.filter(ends_at__lt=timezone.now()).order_by("-starts_at").first()
    coming = cycle.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    fair = JobFair.objects.latest("pk")
    stand = fair.stands.order_by("pk").first()
    coordinator = User.objects.filter(role="coordinatore").order_by("pk").first()
    print_pages(
        client_for(coordinator),
        {
            "the list of events": ("/eventi/", {}),
            "a cycle of 7 sessions with its figures (21,000 registrations)": (
                f"/eventi/{cycle.pk}/",
                {},
            ),
            "a session's registrations and attendance (3,000)": (
                f"/eventi/sessioni/{held.pk}/presenze/",
                {},
            ),
            "the list of fairs": ("/fiera/", {}),
            "a fair with 250 stands and its figures": (f"/fiera/{fair.pk}/", {}),
            "a stand's agenda": (f"/fiera/stand/{stand.pk}/", {}),
        },
        repeat=args.repeat,
        who="a coordinator",
    )
    print_pages(
        Client(),
        {
            "the public registration page of the cycle": (f"/eventi/e/{cycle.code}/", {}),
            "the public page of the fair (250 stands)": (f"/fiera/f/{fair.code}/", {}),
            "a stand's public page": (f"/fiera/f/{fair.code}/stand/{stand.pk}/", {}),
            "the company's agenda, from its link": (f"/fiera/agenda/{stand.agenda_token}/", {}),
        },
        repeat=args.repeat,
        who="a visitor, not logged in",
    )
    addresses = (f"bench{n}-{random.random()}@example.org" for n in itertools.count())
    free = iter(list(free_slots(fair.stands.order_by("-pk").first())))
    report = attendance_report(held)

    def register():
        events.register(
            event=cycle,
            session_ids=[coming.pk],
            first_name="Prova",
            last_name="Bench",
            email=next(addresses),
        )

    def book():
        slot = next(free, None)
        if slot is not None:
            fair_services.book(
                slot_id=slot.pk, first_name="Prova", last_name="Bench", email=next(addresses)
            )

    print_computations(
        {
            "a public registration (lock, checks, address among 200,000 files, e-mail)": (register),
            "a booking at the fair (lock, checks, e-mail)": book,
            "the import of a 3,000-row attendance report": lambda: events.import_attendance(
                session=held, content=report, by=coordinator
            ),
            "the figures of the cycle": lambda: event_figures(cycle),
        },
        repeat=min(args.repeat, 20),
    )


if __name__ == "__main__":
    main()
