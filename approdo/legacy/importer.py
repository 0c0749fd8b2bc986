"""Import of the legacy export: validate everything first, then write all or the clean rows.

Every problem names file, line, column, value and reason. Legacy ids are kept, so
running the same import again changes nothing; people are matched by fiscal code.
"""

import csv
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, time
from pathlib import Path

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from stdnum import luhn

from approdo.accounts.models import User
from approdo.accounts.roles import Role
from approdo.companies.models import BoardMembership, Company
from approdo.companies.sectors import lookup_sector
from approdo.intake.models import Interview, InterviewKind, InterviewMode, InterviewStatus
from approdo.occupations.services import occupations_in_text
from approdo.people.choices import (
    Channel,
    Education,
    FirstInterviewOutcome,
    ItalianLevel,
    Readiness,
    Status,
)
from approdo.people.identity import decode_fiscal_code
from approdo.people.models import Person
from approdo.placements.models import Placement
from approdo.places.geography import canonical_country, normalise
from approdo.places.models import Comune
from approdo.training.models import (
    Course,
    CourseCategory,
    CourseMode,
    Participation,
    ParticipationOutcome,
    ProgrammePath,
)
from approdo.vacancies.models import Requirement, RequirementKind, Vacancy, VacancyStatus
from approdo.vacancies.terms import Contract, PlacementType, terms_errors

from . import reading
from .reading import FieldError, SourceRow

FILES = (
    "persone.csv",
    "colloqui.csv",
    "aziende.csv",
    "richieste.csv",
    "inserimenti.csv",
    "corsi.csv",
    "partecipazioni.csv",
    "percorsi.csv",
)
LEGACY_LICENCES = ("AM", "A", "B", "C", "CE", "D", "CQC", "muletto")
BATCH_SIZE = 5000
VACANCY_STATUS = {
    "aperta": VacancyStatus.APERTA,
    "chiusa": VacancyStatus.COPERTA,
    "annullata": VacancyStatus.ANNULLATA,
}

# The import report names the export's columns.
TERM_COLUMNS = {"weekly_hours": "ore_settimanali", "contract": "contratto"}


@dataclass
class Problem:
    file: str
    line: int
    column: str
    value: str
    reason: str
    # "errore" rejects the row; "avviso" imports it and asks someone to check the value.
    severity: str = "errore"

    def __str__(self) -> str:
        where = f"{self.file}, riga {self.line}, colonna {self.column} «{self.value}»"
        return f"{where}: {self.reason}" + (" (importata)" if self.severity == "avviso" else "")


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    written: bool = False
    report_dir: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "errore"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "avviso"]

    def as_dict(self) -> dict:
        data = asdict(self)
        data["problems"] = [asdict(p) for p in self.problems]
        return data


class RowProblems(Exception):
    def __init__(self, problems: list[tuple[str, str, str]]):
        self.problems = problems


class _Row:
    """Collects every problem of one row instead of stopping at the first."""

    def __init__(self, row: SourceRow):
        self.row = row
        self.problems: list[tuple[str, str, str]] = []
        self.warnings: list[tuple[str, str, str]] = []

    def get(self, column: str, reader: Callable | None = None, *args, **kwargs):
        value = self.row.values.get(column, "")
        if reader is None:
            return reading.text(value)
        try:
            return reader(value, *args, **kwargs)
        except FieldError as error:
            self.problems.append((column, value, str(error)))
            return None

    def fail(self, column: str, reason: str) -> None:
        self.problems.append((column, self.row.values.get(column, ""), reason))

    def warn(self, column: str, reason: str) -> None:
        self.warnings.append((column, self.row.values.get(column, ""), reason))

    def done(self, importer: "LegacyImport") -> None:
        if self.problems:
            raise RowProblems(self.problems)
        for column, value, reason in self.warnings:
            importer.result.problems.append(
                Problem(self.row.file, self.row.line, column, value, reason, "avviso")
            )


class LegacyImport:
    def __init__(self, folder: Path, *, progress: Callable[[int, str], None] | None = None):
        self.folder = Path(folder)
        self.progress = progress or (lambda percent, message: None)
        self.result = ImportResult()
        self.records: dict[str, dict[int, dict]] = {}
        self.rejected_rows: dict[str, list[tuple[SourceRow, list[str]]]] = defaultdict(list)
        self.headers: dict[str, list[str]] = {}
        self._comuni = {}
        self._comuni_by_cadastral_code = {}
        for comune in Comune.objects.all():
            self._comuni.setdefault(comune.search_name, []).append(comune)
            self._comuni_by_cadastral_code[comune.cadastral_code] = comune
        self._occupations_by_text: dict[str, list] = {}

    # ---------------------------------------------------------------- validation

    def validate(self) -> ImportResult:
        """Read and check every file; nothing is written."""
        missing = [name for name in FILES if not (self.folder / name).exists()]
        for name in missing:
            self.result.problems.append(Problem(name, 0, "", "", "file mancante nella cartella"))
        if missing:
            return self.result
        steps = [
            ("persone.csv", "id", self._person),
            ("colloqui.csv", "id", self._interview),
            ("aziende.csv", "id", self._company),
            ("richieste.csv", "id", self._vacancy),
            ("inserimenti.csv", "id", self._placement),
            ("corsi.csv", "id", self._course),
            ("partecipazioni.csv", None, self._participation),
            ("percorsi.csv", None, self._path),
        ]
        for position, (name, id_column, parse) in enumerate(steps):
            self.progress(int(position * 50 / len(steps)), f"Controllo di {name}")
            header, rows = reading.read_rows(self.folder / name)
            self.headers[name] = header
            self.result.rows[name] = len(rows)
            ids = [row.values.get(id_column, "").strip() for row in rows] if id_column else []
            repeated = {value for value, n in Counter(ids).items() if value and n > 1}
            valid: dict[int, dict] = {}
            for number, row in enumerate(rows):
                try:
                    key = number
                    if id_column:
                        key = reading.integer(row.values.get(id_column, ""), required=True)
                        if str(key) in repeated:
                            raise RowProblems(
                                [
                                    (
                                        id_column,
                                        str(key),
                                        "id ripetuto nel file: "
                                        "nessuna delle righe con questo id è importata",
                                    )
                                ]
                            )
                    valid[key] = parse(row)
                except RowProblems as problems:
                    self._reject(row, problems.problems)
                except FieldError as error:
                    self._reject(row, [(id_column, row.values.get(id_column, ""), str(error))])
            self.records[name] = valid
            if name == "colloqui.csv":
                self._one_first_interview_each(valid)
            if name == "inserimenti.csv":
                self._check_continuations(valid)
            self.result.rejected[name] = len(self.rejected_rows[name])
        return self.result

    def _one_first_interview_each(self, interviews: dict[int, dict]) -> None:
        seen: set[int] = set()
        for key in sorted(interviews, key=lambda k: (interviews[k]["day"], k)):
            record = interviews[key]
            if record["kind"] != InterviewKind.PRIMO:
                continue
            if record["person"] in seen:
                interviews.pop(key)
                self._reject(
                    record["_row"],
                    [("tipo", record["kind"], "la persona ha già un primo colloquio precedente")],
                )
            seen.add(record["person"])

    def _check_continuations(self, placements: dict[int, dict]) -> None:
        """`rinnovo_di` must name an importable placement of the same person."""
        changed = True
        while changed:
            changed = False
            for key, record in list(placements.items()):
                previous = record["continues"]
                if previous is None:
                    continue
                reason = ""
                if previous not in placements:
                    reason = f"l'inserimento {previous} da rinnovare è inesistente o scartato"
                elif placements[previous]["person"] != record["person"]:
                    reason = f"l'inserimento {previous} è di un'altra persona"
                elif placements[previous]["start_on"] > record["start_on"]:
                    reason = f"l'inserimento {previous} inizia dopo questo"
                if reason:
                    placements.pop(key)
                    self._reject(record["_row"], [("rinnovo_di", str(previous), reason)])
                    changed = True

    def _reject(self, row: SourceRow, problems: list[tuple[str, str, str]]) -> None:
        for column, value, reason in problems:
            self.result.problems.append(Problem(row.file, row.line, column, value, reason))
        self.rejected_rows[row.file].append((row, [f"{c}: {r}" for c, _, r in problems]))

    def _occupations(self, text: str) -> list:
        if text not in self._occupations_by_text:
            self._occupations_by_text[text] = occupations_in_text(text)
        return self._occupations_by_text[text]

    def _comune(self, r: _Row, column: str, province: str = "") -> Comune | None:
        name = r.get(column)
        if not name:
            return None
        candidates = self._comuni.get(normalise(name), [])
        if province:
            candidates = [
                c for c in candidates if c.province_code == province.upper()
            ] or candidates
        if len(candidates) == 1:
            return candidates[0]
        r.fail(
            column,
            "comune non presente nell'elenco ISTAT"
            if not candidates
            else "nome di comune ambiguo: manca la provincia",
        )
        return None

    def _ref(self, r: _Row, column: str, file: str, *, required: bool = True):
        """A reference to another file's row; an optional one that fails is dropped, warned."""
        key = r.get(column, reading.integer, required=required)
        if key is None:
            return None
        if key not in self.records.get(file, {}):
            why = (
                "scartata"
                if any(
                    row.values.get("id", "").strip() == str(key)
                    for row, _ in self.rejected_rows[file]
                )
                else "inesistente"
            )
            if required:
                r.fail(column, f"fa riferimento alla riga {key} di {file}, {why}")
            else:
                r.warn(
                    column,
                    f"fa riferimento alla riga {key} di {file}, {why}: importata "
                    "senza questo collegamento",
                )
            return None
        return key

    def _person(self, row: SourceRow) -> dict:
        r = _Row(row)
        record = {"_row": row, "last_name": r.get("cognome"), "first_name": r.get("nome")}
        if not record["last_name"] or not record["first_name"]:
            r.fail("cognome" if not record["last_name"] else "nome", "valore mancante")
        code = r.get("codice_fiscale").replace(" ", "").upper()
        birth = r.get("data_nascita", reading.day, required=not code)
        sex = r.get("sesso", reading.enum, ["M", "F"], required=not code)
        record.update(
            fiscal_code=None, birth_date=birth, sex=sex, birth_comune=None, birth_country="Italia"
        )
        if code:
            try:
                decoded = decode_fiscal_code(code)
            except ValueError as error:
                r.fail("codice_fiscale", str(error))
            else:
                record.update(
                    fiscal_code=decoded.code,
                    sex=sex or decoded.sex,
                    birth_date=birth or decoded.birth_date,
                    birth_country=decoded.birth_country,
                )
                if decoded.birth_cadastral_code:
                    record["birth_comune"] = self._comuni_by_cadastral_code.get(
                        decoded.birth_cadastral_code
                    )
                if birth and birth != decoded.birth_date:
                    r.fail(
                        "data_nascita",
                        "non corrisponde alla data del codice fiscale "
                        f"({decoded.birth_date:%d/%m/%Y})",
                    )
                if sex and sex != decoded.sex:
                    r.fail("sesso", "non corrisponde al codice fiscale")
        citizenship = canonical_country(r.get("cittadinanza"))
        if not citizenship:
            r.fail("cittadinanza", "stato non riconosciuto")
        record["citizenship"] = citizenship
        record["residence_comune"] = self._comune(r, "comune_residenza", r.get("provincia"))
        record["postcode"] = r.get("cap")[:5]
        email = r.get("email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                r.fail("email", "indirizzo e-mail non valido")
        record.update(email=email, phone=r.get("telefono")[:30])
        registered = r.get("data_iscrizione", reading.day, required=True)
        record["registered_on"] = registered
        record["channel"] = r.get("canale", reading.enum, Channel.values)
        record["education"] = r.get("titolo_studio", reading.enum, Education.values, required=False)
        record["italian_level"] = r.get(
            "livello_italiano", reading.enum, ItalianLevel.values, required=False
        )
        licences = reading.many(r.get("patenti"))
        unknown = [item for item in licences if item not in LEGACY_LICENCES]
        if unknown:
            r.fail("patenti", "patente non prevista: " + ", ".join(unknown))
        record["licences"] = licences
        state = r.get("stato", reading.enum, ["in carico", "fuori protocollo"])
        reason = r.get(
            "motivo_fuori_protocollo",
            reading.enum,
            ["lavora", "irreperibile", "non collaborativo", "altro"],
            required=False,
        )
        left_on = r.get("data_fuori_protocollo", reading.day)
        if state == "fuori protocollo" and not reason:
            r.fail("motivo_fuori_protocollo", "manca il motivo dell'uscita")
        if state == "in carico" and (reason or left_on):
            r.fail("motivo_fuori_protocollo", "motivo o data di uscita per una persona in carico")
        record.update(
            status=Status.FUORI_PROTOCOLLO if state == "fuori protocollo" else Status.IN_CARICO,
            exit_reason=reason or "",
            left_on=left_on,
        )
        consent = r.get("consenso_privacy", reading.yes_no)
        record["consent_on"] = r.get("data_consenso", reading.day) if consent else None
        if birth and registered and birth >= registered:
            r.fail("data_nascita", "successiva alla data di iscrizione")
        r.done(self)
        return record

    def _interview(self, row: SourceRow) -> dict:
        r = _Row(row)
        record = {
            "_row": row,
            "person": self._ref(r, "id_persona", "persone.csv"),
            "day": r.get("data", reading.day, required=True),
            "kind": r.get("tipo", reading.enum, InterviewKind.values),
            "mode": r.get("modalita", reading.enum, InterviewMode.values),
            "operator": r.get("operatore") or "operatore non indicato",
            "notes": row.values.get("note", "").strip(),
        }
        outcome = r.get("esito", reading.enum, FirstInterviewOutcome.values, required=False)
        readiness = r.get("valutazione", reading.enum, Readiness.values, required=False)
        if record["kind"] == InterviewKind.PRIMO and not outcome:
            r.fail("esito", "manca l'esito del primo colloquio")
        if record["kind"] == InterviewKind.MONITORAGGIO and (outcome or readiness):
            r.fail("esito", "esito e valutazione valgono solo per il primo colloquio")
        if readiness and outcome != FirstInterviewOutcome.IN_TARGET:
            r.fail("valutazione", "la valutazione vale solo per chi è in target")
        record.update(outcome=outcome or "", readiness=readiness or "")
        r.done(self)
        return record

    def _company(self, row: SourceRow) -> dict:
        r = _Row(row)
        record = {"_row": row, "name": r.get("ragione_sociale")}
        if not record["name"]:
            r.fail("ragione_sociale", "valore mancante")
        vat = r.get("partita_iva").replace(" ", "")
        if vat and not (vat.isdigit() and len(vat) == 11):
            r.fail("partita_iva", "la partita IVA ha 11 cifre")
        elif vat and not luhn.is_valid(vat):
            r.warn("partita_iva", "cifra di controllo della partita IVA errata: da verificare")
        record["vat_number"] = vat or None
        code = r.get("codice_ateco")
        sector = lookup_sector(code) if code else None
        if code and sector is None:
            r.warn(
                "codice_ateco",
                "codice ATECO inesistente nelle edizioni 2025, 2022, 2007: settore lasciato vuoto",
            )
        record["sector"] = sector
        record["comune"] = self._comune(r, "comune")
        record["first_contact_on"] = r.get("data_primo_contatto", reading.day)
        in_board = r.get("board", reading.yes_no)
        joined = r.get("data_adesione_board", reading.day)
        if in_board and not joined:
            r.fail("data_adesione_board", "adesione al Board senza data")
        record["board_joined_on"] = joined if in_board else None
        r.done(self)
        return record

    def _vacancy(self, row: SourceRow) -> dict:
        r = _Row(row)
        record = {
            "_row": row,
            "company": self._ref(r, "id_azienda", "aziende.csv"),
            "requested_on": r.get("data", reading.day, required=True),
            "job_title": r.get("mansione"),
            "positions": r.get("posti", reading.integer, required=True, minimum=1),
            "workplace": self._comune(r, "comune"),
            "placement_type": r.get("tipologia", reading.enum, PlacementType.values),
            "contract": r.get("contratto", reading.enum, Contract.values, required=False),
            "weekly_hours": r.get("ore_settimanali", reading.integer, minimum=1),
            "licences": reading.many(r.get("patenti_richieste")),
            "italian": r.get(
                "livello_italiano_minimo", reading.enum, ItalianLevel.values[:6], required=False
            ),
            "description": row.values.get("requisiti", "").strip(),
            "status": VACANCY_STATUS.get(r.get("stato", reading.enum, list(VACANCY_STATUS))),
        }
        found = self._occupations(record["job_title"])
        if not found:
            r.fail(
                "mansione",
                "mansione non riconosciuta nel vocabolario delle professioni: "
                "la aggiunga (o un sinonimo) in Professioni",
            )
        record["occupation"] = found[0] if found else None
        self._check_terms(r, record)
        unknown = [item for item in record["licences"] if item not in LEGACY_LICENCES]
        if unknown:
            r.fail("patenti_richieste", "patente non prevista: " + ", ".join(unknown))
        r.done(self)
        return record

    def _check_terms(self, r: _Row, record: dict) -> None:
        """Type, contract and hours by the rules of requests and placements (vacancies.terms)."""
        errors = terms_errors(
            placement_type=record["placement_type"],
            contract=record["contract"],
            weekly_hours=record["weekly_hours"],
        )
        if any(column == "contratto" for column, _, _ in r.problems):
            errors.pop("contract", None)  # unreadable: already reported
        if record["weekly_hours"] is None:
            errors.pop("weekly_hours", None)  # the old system often left hours out
        for name, message in errors.items():
            r.fail(TERM_COLUMNS[name], message)

    def _placement(self, row: SourceRow) -> dict:
        r = _Row(row)
        record = {
            "_row": row,
            "person": self._ref(r, "id_persona", "persone.csv"),
            "company": self._ref(r, "id_azienda", "aziende.csv"),
            "vacancy": self._ref(r, "id_richiesta", "richieste.csv", required=False),
            "start_on": r.get("data_inizio", reading.day, required=True),
            "end_on": r.get("data_fine", reading.day),
            "placement_type": r.get("tipologia", reading.enum, PlacementType.values),
            "contract": r.get("contratto", reading.enum, Contract.values, required=False),
            "weekly_hours": r.get("ore_settimanali", reading.integer, minimum=1),
            "job_title": r.get("mansione") or "non indicata",
            "continues": r.get("rinnovo_di", reading.integer),
            "is_ips": r.get("programma", reading.enum, ["IPS"], required=False) == "IPS",
        }
        if record["start_on"] and record["end_on"] and record["end_on"] < record["start_on"]:
            r.fail("data_fine", "precede la data di inizio")
        self._check_terms(r, record)
        r.done(self)
        return record

    def _course(self, row: SourceRow) -> dict:
        r = _Row(row)
        record = {
            "_row": row,
            "title": r.get("titolo"),
            "provider": r.get("ente"),
            "category": r.get("categoria", reading.enum, CourseCategory.values),
            "start_on": r.get("data_inizio", reading.day, required=True),
            "end_on": r.get("data_fine", reading.day),
            "mode": r.get("modalita", reading.enum, CourseMode.values),
            "hours": r.get("ore", reading.integer, required=True, minimum=1),
            "cost": r.get("costo", reading.decimal),
        }
        if record["start_on"] and record["end_on"] and record["end_on"] < record["start_on"]:
            r.fail("data_fine", "precede la data di inizio")
        if not record["title"]:
            r.fail("titolo", "valore mancante")
        r.done(self)
        return record

    def _participation(self, row: SourceRow) -> dict:
        r = _Row(row)
        record = {
            "_row": row,
            "course": self._ref(r, "id_corso", "corsi.csv"),
            "person": self._ref(r, "id_persona", "persone.csv"),
            "enrolled_on": r.get("data_iscrizione", reading.day),
            "outcome": r.get("esito", reading.enum, ParticipationOutcome.values),
            "qualification": r.get("qualifica_ottenuta", reading.yes_no),
        }
        r.done(self)
        return record

    def _path(self, row: SourceRow) -> dict:
        r = _Row(row)
        record = {
            "_row": row,
            "person": self._ref(r, "id_persona", "persone.csv"),
            "programme": r.get("programma", reading.enum, ["IPS"]),
            "start_on": r.get("data_inizio", reading.day, required=True),
            "end_on": r.get("data_fine", reading.day),
        }
        if record["start_on"] and record["end_on"] and record["end_on"] < record["start_on"]:
            r.fail("data_fine", "precede la data di inizio")
        r.done(self)
        return record

    # ---------------------------------------------------------------- writing

    def run(
        self,
        *,
        dry_run: bool = False,
        skip_invalid: bool = False,
        report_dir: Path | None = None,
        actor=None,
        job_id: str = "riga di comando",
    ) -> ImportResult:
        """Validate; then write everything, or only the clean rows when asked to skip."""
        self.validate()
        can_write = not any(p.line == 0 for p in self.result.errors)  # no missing file
        if can_write and not dry_run and (skip_invalid or not self.result.errors):
            # One import writes thousands of rows: they carry their legacy ids and the report
            # lists them; the per-row audit entries would triple the time.
            with transaction.atomic(), disable_auditlog():
                self._write_people()
                self._write_interviews()
                self._write_companies()
                self._write_vacancies()
                self._write_placements()
                self._write_training()
                self._audit(actor, job_id)
            self.result.written = True
        if report_dir is not None:
            self._write_report(Path(report_dir), skip_invalid=skip_invalid)
        self.progress(
            100, "Importazione completata" if self.result.written else "Controllo completato"
        )
        return self.result

    def _audit(self, actor, job_id: str) -> None:
        """One audit entry for the whole import (the rows themselves carry their legacy ids)."""
        from approdo.audit.services import record_bulk_change

        from .models import ImportJob

        def counts(numbers: dict) -> str:
            return ", ".join(f"{entity} {n}" for entity, n in numbers.items()) or "nessuna"

        record_bulk_change(
            actor=actor,
            model=ImportJob,
            object_pk=job_id,
            object_repr=f"Importazione dal vecchio gestionale ({self.folder.name})",
            detail=f"Importazione dal vecchio gestionale. Create: {counts(self.result.created)}. "
            f"Aggiornate: {counts(self.result.updated)}.",
        )

    def _upsert_many(
        self, entity: str, model, key_fields: tuple[str, ...], rows: list[tuple[tuple, dict]]
    ) -> dict[tuple, int]:
        """Create or update rows found by their key fields, in batches; key -> primary key.

        Values name plain columns (`company_id`, not `company`), so comparing them with
        what is stored costs no query; unchanged rows are not written again.
        """
        ids: dict[tuple, int] = {}
        first = key_fields[0]
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            compared = sorted({name for _, values in batch for name in values})
            width = len(key_fields)
            # Stored rows as plain tuples (model instances of wide rows cost 0.1 ms each).
            stored = {
                row[:width]: (row[width], dict(zip(compared, row[width + 1 :], strict=True)))
                for row in model.objects.filter(
                    **{f"{first}__in": {key[0] for key, _ in batch}}
                ).values_list(*key_fields, "pk", *compared)
            }
            new, changed, changed_fields = [], [], set()
            for key, values in batch:
                if key not in stored:
                    new.append((key, model(**dict(zip(key_fields, key, strict=True)), **values)))
                    continue
                pk, before = stored[key]
                ids[key] = pk
                differences = [name for name, value in values.items() if before[name] != value]
                if differences:
                    changed.append(model(pk=pk, **{**before, **values}))
                    changed_fields.update(differences)
                else:
                    self.result.unchanged[entity] = self.result.unchanged.get(entity, 0) + 1
            if new:
                _copy_into(model, [obj for _, obj in new])
                created = model.objects.filter(
                    **{f"{first}__in": {key[0] for key, _ in new}}
                ).values_list(*key_fields, "pk")
                keys = {key for key, _ in new}
                ids.update((tuple(row[:-1]), row[-1]) for row in created if tuple(row[:-1]) in keys)
            if changed:
                model.objects.bulk_update(changed, sorted(changed_fields))
            if new:
                self.result.created[entity] = self.result.created.get(entity, 0) + len(new)
            if changed:
                self.result.updated[entity] = self.result.updated.get(entity, 0) + len(changed)
        return ids

    def _upsert_merging(
        self, entity: str, model, natural_key: str, rows: dict[int, dict]
    ) -> dict[int, int]:
        """Rows found by legacy id, else by a natural key (fiscal code, VAT number), so that
        what Approdo already has is merged, not duplicated; legacy id -> primary key."""
        by_legacy_id = self._stored_ids(model, "legacy_id", list(rows))
        by_natural_key = self._stored_ids(
            model,
            natural_key,
            [
                values[natural_key]
                for legacy_id, values in rows.items()
                if values[natural_key] and legacy_id not in by_legacy_id
            ],
        )
        known, new = [], []
        for legacy_id, values in rows.items():
            pk = by_legacy_id.get(legacy_id) or by_natural_key.get(values[natural_key])
            if pk:
                known.append((legacy_id, pk, values))
            else:
                new.append(((legacy_id,), {k: v for k, v in values.items() if k != "legacy_id"}))
        ids = self._upsert_many(entity, model, ("id",), [((pk,), v) for _, pk, v in known])
        result = {legacy_id: ids[(pk,)] for legacy_id, pk, _ in known}
        created = self._upsert_many(entity, model, ("legacy_id",), new)
        result.update((key[0], pk) for key, pk in created.items())
        return result

    @staticmethod
    def _stored_ids(model, field: str, values: list) -> dict:
        """Existing rows by the value of one field (legacy id, fiscal code, VAT number)."""
        found = {}
        for start in range(0, len(values), BATCH_SIZE):
            found.update(
                model.objects.filter(**{f"{field}__in": values[start : start + BATCH_SIZE]})
                .values_list(field, "pk")
                .iterator()
            )
        return found

    @staticmethod
    def _moment(day) -> datetime | None:
        if day is None:
            return None
        return datetime.combine(day, time(9), tzinfo=timezone.get_current_timezone())

    @staticmethod
    def _pk(obj) -> int | None:
        return obj.pk if obj is not None else None

    def _write_people(self) -> None:
        self.progress(55, "Scrittura delle persone")
        records = self.records["persone.csv"]
        # The outcome of the first interview and the IPS path are copied on the person's file.
        first_interviews = {
            interview["person"]: interview
            for interview in self.records["colloqui.csv"].values()
            if interview["kind"] == InterviewKind.PRIMO
        }
        in_ips = {path["person"] for path in self.records["percorsi.csv"].values()}
        rows = {}
        for legacy_id, record in records.items():
            first = first_interviews.get(legacy_id)
            values = {
                "legacy_id": legacy_id,
                "first_name": record["first_name"],
                "last_name": record["last_name"],
                "search_name": normalise(f"{record['last_name']} {record['first_name']}"),
                "fiscal_code": record["fiscal_code"],
                "sex": record["sex"],
                "birth_date": record["birth_date"],
                "birth_comune_id": self._pk(record["birth_comune"]),
                "birth_country": record["birth_country"],
                "citizenship": record["citizenship"],
                "residence_comune_id": self._pk(record["residence_comune"]),
                "postcode": record["postcode"],
                "email": record["email"],
                "phone": record["phone"],
                "education": record["education"] or "",
                "italian_level": record["italian_level"] or "",
                "licences": record["licences"],
                "registered_at": self._moment(record["registered_on"]),
                "channel": record["channel"],
                "status": record["status"],
                "exit_reason": record["exit_reason"],
                "status_changed_at": self._moment(record["left_on"] or record["registered_on"]),
                "privacy_accepted_at": self._moment(record["consent_on"]),
                "privacy_notice_version": "gestionale" if record["consent_on"] else "",
            }
            if first:
                values["first_interview_at"] = self._moment(first["day"])
                values["first_interview_outcome"] = first["outcome"]
                values["readiness"] = first["readiness"]
            if legacy_id in in_ips:
                values["in_ips_path"] = True  # never taken away: Approdo may have started one
            rows[legacy_id] = values
        self.person_ids = self._upsert_merging("persone", Person, "fiscal_code", rows)

    def _operator(self, name: str) -> User:
        """Legacy operators become inactive users named as in the export (no login)."""
        username = "gestionale-" + (slugify(name)[:120] or "sconosciuto")
        first, _, last = name.partition(" ")
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_active": False,
                "role": Role.OPERATORE,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    def _write_interviews(self) -> None:
        self.progress(65, "Scrittura dei colloqui")
        operators: dict[str, int] = {}
        rows = []
        for legacy_id, record in self.records["colloqui.csv"].items():
            name = record["operator"]
            if name not in operators:
                operators[name] = self._operator(name).pk
            person_id = self.person_ids[record["person"]]
            values = {
                "person_id": person_id,
                "operator_id": operators[name],
                "kind": record["kind"],
                "mode": record["mode"],
                "scheduled_at": self._moment(record["day"]),
                "status": InterviewStatus.HELD,
                "outcome": record["outcome"],
                "readiness": record["readiness"],
                "notes": record["notes"],
                "calendar_uid": f"gestionale-{legacy_id}@approdo",
            }
            rows.append(((legacy_id,), values))
        self._upsert_many("colloqui", Interview, ("legacy_id",), rows)

    def _write_companies(self) -> None:
        self.progress(72, "Scrittura delle aziende")
        records = self.records["aziende.csv"]
        rows = {}
        for legacy_id, record in records.items():
            sector = record["sector"]
            values = {
                "legacy_id": legacy_id,
                "name": record["name"],
                "search_name": normalise(record["name"]),
                "vat_number": record["vat_number"],
                "is_private_family": record["vat_number"] is None,
                "ateco_code": sector.code if sector else "",
                "ateco_edition": sector.edition if sector else "",
                "ateco_title": sector.title if sector else "",
                "sector": sector.section if sector else "",
                "comune_id": self._pk(record["comune"]),
                "first_contact_on": record["first_contact_on"],
            }
            rows[legacy_id] = values
        self.company_ids = self._upsert_merging("aziende", Company, "vat_number", rows)
        self._upsert_many(
            "adesioni al Board",
            BoardMembership,
            ("company_id", "joined_on"),
            [
                ((self.company_ids[legacy_id], record["board_joined_on"]), {})
                for legacy_id, record in records.items()
                if record["board_joined_on"]
            ],
        )

    def _write_vacancies(self) -> None:
        self.progress(80, "Scrittura delle richieste")
        records = self.records["richieste.csv"]
        rows = [
            (
                (legacy_id,),
                {
                    "company_id": self.company_ids[record["company"]],
                    "occupation_id": self._pk(record["occupation"]),
                    "job_title": record["job_title"],
                    "description": record["description"],
                    "positions": record["positions"],
                    "workplace_id": self._pk(record["workplace"]),
                    "placement_type": record["placement_type"],
                    "contract": record["contract"] or "",
                    "weekly_hours": record["weekly_hours"],
                    "requested_on": record["requested_on"],
                    "status": record["status"],
                },
            )
            for legacy_id, record in records.items()
        ]
        self.vacancy_ids = {
            key[0]: pk
            for key, pk in self._upsert_many("richieste", Vacancy, ("legacy_id",), rows).items()
        }
        # The must-have requirements: replaced where they differ from the export's.
        wanted: dict[int, set] = {}
        for legacy_id, record in records.items():
            requirements = {(RequirementKind.LICENCE, licence) for licence in record["licences"]}
            if record["italian"]:
                requirements.add((RequirementKind.ITALIAN, record["italian"]))
            wanted[self.vacancy_ids[legacy_id]] = requirements
        present: dict[int, set] = defaultdict(set)
        vacancy_ids = list(wanted)
        for start in range(0, len(vacancy_ids), BATCH_SIZE):
            for vacancy_id, kind, value in Requirement.objects.filter(
                vacancy_id__in=vacancy_ids[start : start + BATCH_SIZE]
            ).values_list("vacancy_id", "kind", "value"):
                present[vacancy_id].add((kind, value))
        different = [pk for pk, requirements in wanted.items() if present[pk] != requirements]
        Requirement.objects.filter(vacancy_id__in=different).delete()
        Requirement.objects.bulk_create(
            Requirement(vacancy_id=pk, kind=kind, value=value, is_must=True)
            for pk in different
            for kind, value in sorted(wanted[pk])
        )

    def _write_placements(self) -> None:
        self.progress(88, "Scrittura degli inserimenti")
        records = self.records["inserimenti.csv"]
        placement_ids: dict[int, int] = {}
        pending = sorted(records)
        while pending:  # predecessors first: one batch per link of the renewal chains
            ready, waiting = [], []
            for legacy_id in pending:
                previous = records[legacy_id]["continues"]
                if previous is not None and previous not in placement_ids:
                    waiting.append(legacy_id)
                else:
                    ready.append(legacy_id)
            if not ready:
                raise RuntimeError("rinnovo_di forma un ciclo")  # excluded by validation
            rows = []
            for legacy_id in ready:
                record = records[legacy_id]
                previous = record["continues"]
                continuation = ""
                if previous is not None:
                    before = records[previous]
                    same = (before["placement_type"], before["contract"]) == (
                        record["placement_type"],
                        record["contract"],
                    )
                    continuation = "rinnovo" if same else "trasformazione"
                found = self._occupations(record["job_title"])
                rows.append(
                    (
                        (legacy_id,),
                        {
                            "person_id": self.person_ids[record["person"]],
                            "company_id": self.company_ids[record["company"]],
                            "vacancy_id": self.vacancy_ids.get(record["vacancy"]),
                            "placement_type": record["placement_type"],
                            "contract": record["contract"] or "",
                            "start_on": record["start_on"],
                            "end_on": record["end_on"],
                            "weekly_hours": record["weekly_hours"],
                            "job_title": record["job_title"],
                            "occupation_id": found[0].pk if found else None,
                            "is_ips": record["is_ips"],
                            "continues_id": placement_ids.get(previous),
                            "continuation": continuation,
                        },
                    )
                )
            ids = self._upsert_many("inserimenti", Placement, ("legacy_id",), rows)
            placement_ids.update((key[0], pk) for key, pk in ids.items())
            pending = waiting

    def _write_training(self) -> None:
        self.progress(95, "Scrittura di corsi, partecipazioni e percorsi")
        fields = ("title", "provider", "category", "start_on", "end_on", "mode", "hours", "cost")
        course_ids = {
            key[0]: pk
            for key, pk in self._upsert_many(
                "corsi",
                Course,
                ("legacy_id",),
                [
                    ((legacy_id,), {name: record[name] for name in fields})
                    for legacy_id, record in self.records["corsi.csv"].items()
                ],
            ).items()
        }
        self._upsert_many(
            "partecipazioni",
            Participation,
            ("course_id", "person_id"),
            [
                (
                    (course_ids[record["course"]], self.person_ids[record["person"]]),
                    {
                        "enrolled_on": record["enrolled_on"],
                        "outcome": record["outcome"],
                        "qualification_obtained": record["qualification"],
                    },
                )
                for record in self.records["partecipazioni.csv"].values()
            ],
        )
        paths = self.records["percorsi.csv"].values()
        self._upsert_many(
            "percorsi",
            ProgrammePath,
            ("person_id", "programme", "start_on"),
            [
                (
                    (self.person_ids[record["person"]], record["programme"], record["start_on"]),
                    {"end_on": record["end_on"]},
                )
                for record in paths
            ],
        )

    # ---------------------------------------------------------------- report

    def _write_report(self, folder: Path, *, skip_invalid: bool) -> None:
        """The report, and the rejected rows of each file with their reasons (scarti/)."""
        folder.mkdir(parents=True, exist_ok=True)
        self.result.report_dir = str(folder)
        (folder / "rapporto.txt").write_text(report_text(self.result), encoding="utf-8")
        (folder / "rapporto.json").write_text(
            json.dumps(self.result.as_dict(), ensure_ascii=False, indent=2, default=str),
            encoding="utf-8",
        )
        if not skip_invalid:
            return
        rejects = folder / "scarti"
        rejects.mkdir(exist_ok=True)
        for name, rows in self.rejected_rows.items():
            with open(rejects / name, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle, delimiter=";")
                writer.writerow([*self.headers.get(name, []), "riga", "motivi"])
                for row, reasons in rows:
                    writer.writerow([*row.raw, row.line, " | ".join(reasons)])


def _copy_into(model, objects: list) -> None:
    """Insert new rows with PostgreSQL's COPY: ten times faster than INSERT for an import."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and not field.generated
    ]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objects:
            copy.write_row(
                [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
            )


def report_text(result: ImportResult) -> str:
    """The import report in Italian, for the CLI and the page."""
    lines = ["Importazione dal vecchio gestionale", ""]
    for name, count in result.rows.items():
        lines.append(f"{name}: {count} righe, {result.rejected.get(name, 0)} con problemi")
    lines.append("")
    if result.errors:
        lines.append(f"Errori: righe non importabili ({len(result.errors)}):")
        lines += [f"- {problem}" for problem in result.errors]
    else:
        lines.append("Nessun errore.")
    if result.warnings:
        lines += [
            "",
            f"Avvisi: righe importate con un valore da verificare ({len(result.warnings)}):",
        ]
        lines += [f"- {problem}" for problem in result.warnings]
    if result.written:
        lines += ["", "Scritto:"]
        entities = sorted(set(result.created) | set(result.updated) | set(result.unchanged))
        lines += [
            f"- {e}: {result.created.get(e, 0)} nuovi, {result.updated.get(e, 0)} "
            f"aggiornati, {result.unchanged.get(e, 0)} invariati"
            for e in entities
        ]
    else:
        lines += ["", "Non è stato scritto nulla."]
    return "\n".join(lines) + "\n"
