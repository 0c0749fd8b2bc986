from django.core.management.base import BaseCommand, CommandError

from approdo.demo.seed import (
    ensure_demo_staff,
    open_demo_agendas,
    seed_casework,
    seed_companies,
    seed_events,
    seed_mailings,
    seed_people,
    seed_projects,
    seed_training,
)
from approdo.people.models import Person


class Command(BaseCommand):
    help = (
        "Carica dati dimostrativi realistici: operatori, persone, colloqui, agende, corsi, "
        "percorsi IPS, aziende, richieste, inserimenti, progetti, fondo di garanzia e bandi, "
        "comunicazioni, eventi e fiera del lavoro."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=3000, help="Quante persone creare.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Non fa nulla se ci sono già persone."
        )

    def handle(self, *args, people, if_empty, **options):
        if people < 0 or people > 1_000_000:
            raise CommandError("--people deve essere tra 0 e 1.000.000.")
        ensure_demo_staff()
        open_demo_agendas()
        if if_empty and Person.objects.exists():
            self.stdout.write("Ci sono già persone: dati dimostrativi non ricaricati.")
            return
        start = Person.objects.count()
        created = seed_people(people, start_index=start)
        courses = seed_training()
        companies = seed_companies()
        seed_projects()
        seed_casework()
        seed_mailings()
        seed_events()
        self.stdout.write(
            self.style.SUCCESS(
                f"Create {created} persone, {courses} corsi e {companies} aziende dimostrative, "
                "con richieste e inserimenti."
            )
        )
