"""Reading and checking the legacy export: every file, every row, nothing written.

Every problem names file, line, column, value and reason; a row with errors is
rejected whole, a row with warnings is imported with the value flagged. The
records that pass are what `writing.ExportWriter` stores.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from stdnum import luhn

from approdo.companies.sectors import lookup_sector
from approdo.intake.models import InterviewKind, InterviewMode
from approdo.occupations.services import closest_occupation
from approdo.people.choices import (
    Channel,
    Education,
    FirstInterviewOutcome,
    ItalianLevel,
    Readiness,
    Status,
)
from approdo.people.identity import decode_fiscal_code
from approdo.places.geography import canonical_country, normalise
from approdo.places.models import Comune
from approdo.training.models import (
    CourseCategory,
    CourseMode,
    ParticipationOutcome,
)
from approdo.vacancies.models import VacancyStatus
from approdo.vacancies.terms import Contract, PlacementType, terms_errors

from . import reading
from .reading import FieldError, SourceRow

# The columns of each file, as FORMAT.md describes them (the header must match).
COLUMNS = {
    "persone.csv": (
        "id",
        "cognome",
        "nome",
        "codice_fiscale",
        "sesso",
        "data_nascita",
        "cittadinanza",
        "comune_residenza",
        "provincia",
        "cap",
        "email",
        "telefono",
        "data_iscrizione",
        "canale",
        "titolo_studio",
        "livello_italiano",
        "patenti",
        "stato",
        "motivo_fuori_protocollo",
        "data_fuori_protocollo",
        "consenso_privacy",
        "data_consenso",
    ),
    "colloqui.csv": (
        "id",
        "id_persona",
        "data",
        "tipo",
        "esito",
        "valutazione",
        "modalita",
        "operatore",
        "note",
    ),
    "aziende.csv": (
        "id",
        "ragione_sociale",
        "partita_iva",
        "codice_ateco",
        "comune",
        "data_primo_contatto",
        "board",
        "data_adesione_board",
        "referente",
        "email",
        "telefono",
    ),
    "richieste.csv": (
        "id",
        "id_azienda",
        "data",
        "mansione",
        "posti",
        "comune",
        "tipologia",
        "contratto",
        "ore_settimanali",
        "patenti_richieste",
        "livello_italiano_minimo",
        "requisiti",
        "stato",
    ),
    "inserimenti.csv": (
        "id",
        "id_persona",
        "id_azienda",
        "id_richiesta",
        "data_inizio",
        "data_fine",
        "tipologia",
        "contratto",
        "ore_settimanali",
        "mansione",
        "rinnovo_di",
        "programma",
    ),
    "corsi.csv": (
        "id",
        "titolo",
        "ente",
        "categoria",
        "data_inizio",
        "data_fine",
        "modalita",
        "ore",
        "costo",
    ),
    "partecipazioni.csv": (
        "id_corso",
        "id_persona",
        "data_iscrizione",
        "esito",
        "qualifica_ottenuta",
    ),
    "percorsi.csv": (
        "id_persona",
        "programma",
        "data_inizio",
        "data_fine",
    ),
}
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
    # About the whole file (missing, unreadable header): an error stops the import.
    file_level: bool = False

    def __str__(self) -> str:
        where = f"{self.file}, riga {self.line}"
        if self.file_level:
            where = self.file
        elif self.column:
            where += f", colonna {self.column} «{self.value}»"
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

    def done(self, validator: "ExportValidator") -> None:
        if self.problems:
            raise RowProblems(self.problems)
        for column, value, reason in self.warnings:
            validator.result.problems.append(
                Problem(self.row.file, self.row.line, column, value, reason, "avviso")
            )


class ExportValidator:
    """Reads the files of an export folder and keeps the valid records by file and id."""

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
        self._closest_by_title: dict[str, tuple | None] = {}
        # Later registrations of a person (same fiscal code): legacy id -> the first one's.
        self.person_aliases: dict[int, int] = {}
        # (first legacy id, later legacy id, date of the later registration)
        self.readmissions: list[tuple[int, int, object]] = []

    def validate(self) -> ImportResult:
        """Read and check every file; nothing is written."""
        missing = [name for name in FILES if not (self.folder / name).exists()]
        for name in missing:
            self.result.problems.append(
                Problem(name, 0, "", "", "file mancante nella cartella", file_level=True)
            )
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
            try:
                source = reading.read_file(self.folder / name, COLUMNS[name])
            except reading.FileError as error:
                self.result.problems.append(Problem(name, 1, "", "", str(error), file_level=True))
                continue
            header, rows = source.header, source.rows
            for note in source.notes:
                self.result.problems.append(
                    Problem(name, 1, "", "", note, severity="avviso", file_level=True)
                )
            for line, reason in source.unreadable:
                self._reject(SourceRow(name, line, {}), [("", "", reason)])
            self.headers[name] = header
            self.result.rows[name] = len(rows) + len(source.unreadable)
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
            if name == "persone.csv":
                self._merge_people_registered_twice(valid)
            if name == "colloqui.csv":
                self._one_first_interview_each(valid)
            if name == "inserimenti.csv":
                self._check_continuations(valid)
            self.result.rejected[name] = len(self.rejected_rows[name])
        return self.result

    def _merge_people_registered_twice(self, people: dict[int, dict]) -> None:
        """The old system recorded a readmission as a new registration: rows with one fiscal
        code are one person. The first registration makes the file (with the latest row's
        contacts and state); each later one becomes a readmission of it."""
        by_code: dict[str, list[int]] = {}
        for legacy_id, record in people.items():
            if record["fiscal_code"]:
                by_code.setdefault(record["fiscal_code"], []).append(legacy_id)
        for ids in by_code.values():
            if len(ids) < 2:
                continue
            ids.sort(key=lambda legacy_id: (people[legacy_id]["registered_on"], legacy_id))
            first, latest = people[ids[0]], people[ids[-1]]
            for name in ("email", "phone", "postcode", "residence_comune", "status"):
                first[name] = latest[name]
            first["exit_reason"], first["left_on"] = latest["exit_reason"], latest["left_on"]
            for again in ids[1:]:
                record = people.pop(again)
                self.person_aliases[again] = ids[0]
                self.readmissions.append((ids[0], again, record["registered_on"]))
                self.result.problems.append(
                    Problem(
                        "persone.csv",
                        record["_row"].line,
                        "codice_fiscale",
                        record["fiscal_code"],
                        f"stessa persona della riga {first['_row'].line} (id {ids[0]}): "
                        "importata come sua riammissione",
                        "avviso",
                    )
                )

    def _one_first_interview_each(self, interviews: dict[int, dict]) -> None:
        """One first interview per person: a later one (after a readmission, in the old system)
        happened, and is imported as a follow-up interview."""
        seen: set[int] = set()
        for key in sorted(interviews, key=lambda k: (interviews[k]["day"], k)):
            record = interviews[key]
            if record["kind"] != InterviewKind.PRIMO:
                continue
            if record["person"] in seen:
                record["kind"] = InterviewKind.MONITORAGGIO
                record["outcome"] = record["readiness"] = ""
                self.result.problems.append(
                    Problem(
                        "colloqui.csv",
                        record["_row"].line,
                        "tipo",
                        "primo colloquio",
                        "la persona ha già un primo colloquio precedente: importato come "
                        "colloquio di monitoraggio",
                        "avviso",
                    )
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
        self.rejected_rows[row.file].append(
            (row, [f"{c}: {r}" if c else r for c, _, r in problems])
        )

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
        if file == "persone.csv":
            key = self.person_aliases.get(key, key)  # a later registration of the same person
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
                r.fail(column, f"fa riferimento all'id {key} di {file}, {why}")
            else:
                r.warn(
                    column,
                    f"fa riferimento all'id {key} di {file}, {why}: importata "
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
        record["review"] = []
        record["occupation"] = self._occupation(r, record)
        self._check_terms(r, record)
        unknown = [item for item in record["licences"] if item not in LEGACY_LICENCES]
        if unknown:
            r.fail("patenti_richieste", "patente non prevista: " + ", ".join(unknown))
        r.done(self)
        return record

    def _check_terms(self, r: _Row, record: dict) -> None:
        """Type, contract and hours by today's rules (vacancies.terms). History that breaks
        them happened: it is imported as it was and flagged for review, never refused; a
        contract on something that is not a hiring cannot be stored and is dropped."""
        problems = terms_errors(
            placement_type=record["placement_type"],
            contract=record["contract"],
            weekly_hours=record["weekly_hours"],
        )
        if any(column == "contratto" for column, _, _ in r.problems):
            problems.pop("contract", None)  # unreadable: already reported
        if record["weekly_hours"] is None:
            problems.pop("weekly_hours", None)  # the old system often left hours out
        for name, message in problems.items():
            if name == "contract" and record["contract"]:
                record["contract"] = ""
                r.warn("contratto", "contratto non importato: vale solo per le assunzioni")
                continue
            r.warn(TERM_COLUMNS[name], f"da verificare: {message}")
            record["review"].append(message)

    def _closest(self, title: str):
        if title not in self._closest_by_title:
            self._closest_by_title[title] = closest_occupation(title)
        return self._closest_by_title[title]

    def _occupation(self, r: _Row, record: dict):
        """The vocabulary entry of a free-text job title; never a reason to refuse the row."""
        title = record["job_title"] or ""
        found = self._closest(title)
        if found is None:
            r.warn("mansione", "da verificare: mansione fuori dal vocabolario delle professioni")
            record["review"].append(f"Mansione «{title}» fuori dal vocabolario delle professioni.")
            return None
        occupation, likeness = found
        if likeness < 1:
            r.warn("mansione", f"associata alla professione «{occupation.name}» (da verificare)")
        return occupation

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
        record["review"] = []
        self._check_terms(r, record)
        # A placement does not need an occupation: no warning when the title names none.
        found = self._closest(record["job_title"])
        record["occupation"] = found[0] if found else None
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
