"""Approdo's entity in the SPID/CIE federation: make its keys once, bring its configuration in
line with the settings and print what the onboarding asks for (README, "SPID e CIE")."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from approdo.area import federation


class Command(BaseCommand):
    help = (
        "Prepara l'entità di Approdo nella federazione SPID/CIE (chiavi, metadati) e stampa "
        "i dati da dare al registro della federazione."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--trust-marks",
            type=Path,
            help="file JSON con i trust mark rilasciati dalla federazione (lista di oggetti "
            '{"id": ..., "trust_mark": ...})',
        )
        parser.add_argument(
            "--public-out", type=Path, help="scrive qui, in JSON, i dati pubblici dell'entità"
        )

    def handle(self, *args, trust_marks, public_out, **options):
        marks = None
        if trust_marks is not None:
            try:
                marks = json.loads(trust_marks.read_text())
            except (OSError, ValueError) as error:
                raise CommandError(
                    f"Non riesco a leggere i trust mark da {trust_marks}: {error}"
                ) from error
            if not isinstance(marks, list) or not all(
                isinstance(mark, dict) and {"id", "trust_mark"} <= mark.keys() for mark in marks
            ):
                raise CommandError(
                    f"{trust_marks}: serve una lista di oggetti con 'id' e 'trust_mark'."
                )
        if not federation.is_configured():
            self.stderr.write(
                "Attenzione: APPRODO_FEDERATION_TRUST_ANCHORS e APPRODO_SPID_PROVIDERS (o "
                "APPRODO_CIE_PROVIDERS) non sono impostati: l'area non mostrerà SPID né CIE."
            )
        entity = federation.ensure_relying_party(trust_marks=marks)
        data = federation.onboarding_data(entity)
        if public_out is not None:
            public_out.write_text(json.dumps(data, indent=2))
        self.stdout.write(json.dumps(data, indent=2))
