import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from approdo.matching.engine import CRITERIA_LABELS
from approdo.matching.services import run_matching
from approdo.vacancies.models import Vacancy


class Command(BaseCommand):
    help = (
        "Classifica le persone per una richiesta di personale, con la spiegazione di ogni "
        "punteggio e di ogni esclusione (per verifiche e audit). L'esecuzione è registrata."
    )

    def add_arguments(self, parser):
        parser.add_argument("request_id", nargs="?", type=int, help="ID della richiesta.")
        parser.add_argument(
            "--legacy-id", type=int, help="ID della richiesta nel vecchio gestionale."
        )
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--limit", type=int, default=100, help="Quante persone in classifica.")

    def handle(self, *args, request_id, legacy_id, format, limit, **options):
        if (request_id is None) == (legacy_id is None):
            raise CommandError("Indichi l'ID della richiesta oppure --legacy-id (uno dei due).")
        lookup = {"pk": request_id} if request_id is not None else {"legacy_id": legacy_id}
        vacancy = (
            Vacancy.objects.select_related("occupation", "workplace", "company")
            .filter(**lookup)
            .first()
        )
        if vacancy is None:
            which = f"ID {request_id}" if request_id is not None else f"legacy-id {legacy_id}"
            raise CommandError(f"Nessuna richiesta di personale con {which}.")
        if limit < 1:
            raise CommandError("--limit deve essere almeno 1.")
        try:
            run, ranking = run_matching(
                vacancy=vacancy, by=None, ranked_limit=limit, excluded_limit=None
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        result = {
            "request": {
                "id": vacancy.pk,
                "legacy_id": vacancy.legacy_id,
                "job_title": vacancy.job_title,
                "company": vacancy.company.name,
            },
            "run_id": run.pk,
            "weights": ranking.weights,
            "pool_size": ranking.pool_size,
            "ranked": [
                {
                    "rank": r.rank,
                    "person_id": r.person_id,
                    "fiscal_code": r.fiscal_code,
                    "name": r.name,
                    "score": r.score,
                    "parts": r.parts,
                    "missing": r.missing,
                }
                for r in ranking.ranked
            ],
            "excluded": [
                {
                    "person_id": e.person_id,
                    "fiscal_code": e.fiscal_code,
                    "name": e.name,
                    "reasons": e.reasons,
                }
                for e in ranking.excluded
            ],
        }
        if format == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{vacancy} – {ranking.pool_size} persone in carico e pronte")
        for r in ranking.ranked:
            parts = ", ".join(f"{CRITERIA_LABELS[k]} {v}" for k, v in r.parts.items() if v)
            self.stdout.write(
                f"{r.rank:>3}. {r.score:5.1f}  {r.name} ({r.fiscal_code or '-'})  [{parts}]"
            )
        self.stdout.write(f"Escluse: {len(ranking.excluded)}")
        for e in ranking.excluded:
            self.stdout.write(f"   - {e.name} ({e.fiscal_code or '-'}): {'; '.join(e.reasons)}")
