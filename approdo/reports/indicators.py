"""The programme's figures, each defined once with its Italian definition.

The same functions feed the CLI report, its exports and the manual
(docs/indicatori.md is generated from INDICATORS); pages will use them too.
All figures are for a calendar year Y in the programme's time zone.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from approdo.companies.models import Company
from approdo.companies.selectors import board_members_on
from approdo.intake.models import Interview, InterviewKind, InterviewStatus
from approdo.people.choices import FirstInterviewOutcome, Readiness
from approdo.people.geography import citizenship_area
from approdo.people.identity import age_on
from approdo.people.models import Person
from approdo.placements.choices import Contract, PlacementType
from approdo.placements.models import Placement
from approdo.training.models import Course, Participation

UNDER_AGE = 35


@dataclass(frozen=True)
class Indicator:
    key: str  # in the JSON report; YYYY stands for the year
    title: str
    definition: str
    compute: Callable


INDICATORS: list[Indicator] = []


def indicator(key: str, title: str, definition: str):
    def register(function):
        INDICATORS.append(Indicator(key, title, definition, function))
        return function

    return register


def _end_of(year: int) -> date:
    return date(year, 12, 31)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


@indicator(
    "registrations",
    "Iscrizioni",
    "Persone la cui data di iscrizione cade nell'anno (anche per mese).",
)
def registrations(year: int) -> int:
    return Person.objects.filter(registered_at__year=year).count()


def registrations_by_month(year: int) -> dict[int, int]:
    zone = timezone.get_current_timezone()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('TimeZone', %s, true)", [str(zone)])
        cursor.execute(
            "SELECT date_part('month', registered_at)::int, count(*) FROM people_person "
            "WHERE registered_at >= %s AND registered_at < %s GROUP BY 1",
            [
                datetime.combine(date(year, 1, 1), time.min, tzinfo=zone),
                datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=zone),
            ],
        )
        counts = dict(cursor.fetchall())
    return {month: counts.get(month, 0) for month in range(1, 13)}


def _first_interviews(year: int):
    return Interview.objects.filter(
        kind=InterviewKind.PRIMO, status=InterviewStatus.HELD, scheduled_at__year=year
    )


@indicator(
    "first_interviews_YYYY",
    "Primi colloqui",
    "Colloqui di tipo «primo colloquio» svolti con data nell'anno.",
)
def first_interviews(year: int) -> int:
    return _first_interviews(year).count()


@indicator(
    "in_target_YYYY",
    "Primi colloqui in target",
    "Tra i primi colloqui dell'anno, quelli con esito «in target».",
)
def in_target(year: int) -> int:
    return _first_interviews(year).filter(outcome=FirstInterviewOutcome.IN_TARGET).count()


def _readiness(year: int, readiness: str) -> int:
    return (
        _first_interviews(year)
        .filter(outcome=FirstInterviewOutcome.IN_TARGET, readiness=readiness)
        .count()
    )


@indicator(
    "ready_YYYY",
    "In target pronti",
    "Tra i primi colloqui in target dell'anno, quelli valutati «pronto».",
)
def ready(year: int) -> int:
    return _readiness(year, Readiness.PRONTO)


@indicator(
    "not_ready_YYYY",
    "In target non pronti",
    "Tra i primi colloqui in target dell'anno, quelli valutati «non pronto».",
)
def not_ready(year: int) -> int:
    return _readiness(year, Readiness.NON_PRONTO)


@indicator(
    "fragile_YYYY",
    "In target con profilo fragile",
    "Tra i primi colloqui in target dell'anno, quelli valutati «profilo fragile».",
)
def fragile(year: int) -> int:
    return _readiness(year, Readiness.FRAGILE)


@indicator(
    "waiting_days_YYYY",
    "Attesa del primo colloquio (giorni)",
    "Per i primi colloqui dell'anno, i giorni dall'iscrizione al colloquio: mediana e "
    "90° percentile (il valore sotto cui sta il 90% delle attese).",
)
def waiting_days(year: int) -> dict[str, float | None]:
    # The person's file keeps the date of the first interview; PostgreSQL ranks the waits.
    zone = timezone.get_current_timezone()
    start = datetime.combine(date(year, 1, 1), time.min, tzinfo=zone)
    end = datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=zone)
    with transaction.atomic(), connection.cursor() as cursor:
        # Dates are cut in the programme's time zone (the session's, for this query).
        cursor.execute("SELECT set_config('TimeZone', %s, true)", [str(zone)])
        cursor.execute(
            """
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY wait),
                   percentile_disc(0.9) WITHIN GROUP (ORDER BY wait)
            FROM (
                SELECT (i.scheduled_at AT TIME ZONE %(zone)s)::date
                       - (p.registered_at AT TIME ZONE %(zone)s)::date AS wait
                FROM intake_interview i JOIN people_person p ON p.id = i.person_id
                WHERE i.kind = %(kind)s AND i.status = %(status)s
                  AND i.scheduled_at >= %(start)s AND i.scheduled_at < %(end)s
            ) waits
            """,
            {
                "zone": str(zone),
                "kind": InterviewKind.PRIMO,
                "status": InterviewStatus.HELD,
                "start": start,
                "end": end,
            },
        )
        median, p90 = cursor.fetchone()
    return {"median": median, "p90": p90}


def _placements(year: int):
    return Placement.objects.filter(start_on__year=year)


@indicator(
    "placements",
    "Inserimenti",
    "Inserimenti con data di inizio nell'anno, compresi rinnovi, proroghe e "
    "trasformazioni (ognuno è un inserimento).",
)
def placements(year: int) -> int:
    return _placements(year).count()


@indicator(
    "placements_YYYY_by_type",
    "Inserimenti per tipologia",
    "Gli inserimenti dell'anno divisi per tipologia.",
)
def placements_by_type(year: int) -> dict[str, int]:
    counts = dict(_placements(year).values_list("placement_type").annotate(n=Count("pk")))
    return {kind: counts.get(kind, 0) for kind in PlacementType.values}


@indicator(
    "hirings_YYYY_by_contract",
    "Assunzioni per contratto",
    "Gli inserimenti dell'anno di tipo «assunzione» divisi per contratto (i contratti "
    "senza assunzioni non compaiono).",
)
def hirings_by_contract(year: int) -> dict[str, int]:
    counts = dict(
        _placements(year)
        .filter(placement_type=PlacementType.ASSUNZIONE)
        .values_list("contract")
        .annotate(n=Count("pk"))
    )
    return {contract: counts[contract] for contract in Contract.values if counts.get(contract)}


@indicator(
    "permanent_share_of_hirings",
    "Quota di tempi indeterminati",
    "Assunzioni a tempo indeterminato diviso assunzioni, tra gli inserimenti dell'anno "
    "(tre decimali).",
)
def permanent_share(year: int) -> float:
    hirings = _placements(year).filter(placement_type=PlacementType.ASSUNZIONE)
    return _share(hirings.filter(contract=Contract.TEMPO_INDETERMINATO).count(), hirings.count())


def _placed(year: int):
    """Each placed person with the start of their first placement in the year."""
    return (
        Person.objects.filter(placements__start_on__year=year)
        .annotate(
            first_start=Min("placements__start_on", filter=Q(placements__start_on__year=year))
        )
        .values_list("pk", "sex", "birth_date", "citizenship", "first_start")
    )


@indicator(
    "placed_people_YYYY",
    "Persone inserite",
    "Persone distinte con almeno un inserimento iniziato nell'anno.",
)
def placed_people(year: int) -> int:
    return Person.objects.filter(placements__start_on__year=year).distinct().count()


@indicator("placed_women_YYYY", "Donne inserite", "Tra le persone inserite nell'anno, le donne.")
def placed_women(year: int) -> int:
    return sum(1 for _, sex, *_ in _placed(year) if sex == "F")


@indicator(
    "placed_under35_YYYY",
    "Under 35 inseriti",
    "Tra le persone inserite nell'anno, quelle con meno di 35 anni alla data di inizio "
    "del loro primo inserimento dell'anno.",
)
def placed_under35(year: int) -> int:
    return sum(1 for _, _, birth, _, start in _placed(year) if age_on(birth, start) < UNDER_AGE)


@indicator(
    "placed_by_citizenship_YYYY",
    "Persone inserite per cittadinanza",
    "Le persone inserite nell'anno per cittadinanza: italiana, UE, extra UE.",
)
def placed_by_citizenship(year: int) -> dict[str, int]:
    counts = {"italiana": 0, "UE": 0, "extra UE": 0}
    for _, _, _, citizenship, _ in _placed(year):
        counts[citizenship_area(citizenship)] += 1
    return counts


@indicator(
    "board",
    "Aziende del Board",
    "Aziende che hanno aderito al Board entro il 31 dicembre dell'anno e non ne sono "
    "uscite entro quella data.",
)
def board(year: int) -> int:
    return board_members_on(_end_of(year)).values("company").distinct().count()


@indicator(
    "companies_contacted_YYYY",
    "Aziende contattate",
    "Aziende con un primo contatto entro il 31 dicembre dell'anno.",
)
def companies_contacted(year: int) -> int:
    return Company.objects.filter(first_contact_on__lte=_end_of(year)).count()


@indicator(
    "top_companies_YYYY",
    "Aziende che hanno inserito di più",
    "Le quattro aziende con più inserimenti iniziati nell'anno (a parità, in ordine alfabetico).",
)
def top_companies(year: int) -> list[list]:
    rows = (
        _placements(year)
        .values_list("company__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "company__name")[:4]
    )
    return [[name, n] for name, n in rows]


def _courses_running(year: int):
    return Course.objects.filter(start_on__lte=_end_of(year)).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=date(year - 2, 1, 1))
    )


@indicator(
    "courses",
    "Corsi: tasso di inserimento e di occupazione",
    "Per ogni corso svolto negli ultimi tre anni: partecipanti; inserimenti dei "
    "partecipanti iniziati dalla data di inizio del corso in poi (fino alla data del "
    "rapporto); occupati = partecipanti con almeno uno di quegli inserimenti. Tasso di "
    "inserimento = inserimenti / partecipanti (può superare il 100%); tasso di "
    "occupazione = occupati / partecipanti.",
)
def courses(year: int, today: date | None = None) -> dict[str, dict]:
    today = today or timezone.localdate()
    result = {}
    for course in _courses_running(year).order_by("start_on", "title"):
        people = Participation.objects.filter(course=course).values("person")
        later = Placement.objects.filter(
            person__in=people, start_on__gte=course.start_on, start_on__lte=today
        )
        participants = Participation.objects.filter(course=course).count()
        placements_count = later.count()
        employed = later.values("person").distinct().count()
        title = (
            course.title
            if course.title not in result
            else (f"{course.title} ({course.start_on:%d/%m/%Y})")
        )
        result[title] = {
            "participants": participants,
            "placements": placements_count,
            "employed": employed,
            "placement_rate": _share(placements_count, participants),
            "employment_rate": _share(employed, participants),
        }
    return result


@indicator(
    "ips_YYYY",
    "Percorso IPS",
    "Inserimenti dell'anno ottenuti nel percorso IPS: quanti, quante persone, le "
    "assunzioni per contratto, quanti in lavoro autonomo.",
)
def ips(year: int) -> dict:
    in_ips = _placements(year).filter(is_ips=True)
    by_contract = dict(
        in_ips.filter(placement_type=PlacementType.ASSUNZIONE)
        .values_list("contract")
        .annotate(n=Count("pk"))
    )
    return {
        "placements": in_ips.count(),
        "people": in_ips.values("person").distinct().count(),
        "by_contract": {c: by_contract[c] for c in Contract.values if by_contract.get(c)},
        "self_employed": in_ips.filter(placement_type=PlacementType.LAVORO_AUTONOMO).count(),
    }


@indicator(
    "stages_YYYY",
    "Stage",
    "Stage nuovi dell'anno (senza un inserimento che continuano); proroghe (stage che "
    "continua uno stage); trasformazioni in assunzione a tempo determinato o "
    "indeterminato (assunzione che continua uno stage).",
)
def stages(year: int) -> dict[str, int]:
    in_year = _placements(year)
    after_stage = in_year.filter(continues__placement_type=PlacementType.STAGE)
    hired_after_stage = after_stage.filter(placement_type=PlacementType.ASSUNZIONE)
    return {
        "new": in_year.filter(placement_type=PlacementType.STAGE, continues__isnull=True).count(),
        "extensions": after_stage.filter(placement_type=PlacementType.STAGE).count(),
        "transformed_fixed_term": hired_after_stage.filter(
            contract=Contract.TEMPO_DETERMINATO
        ).count(),
        "transformed_permanent": hired_after_stage.filter(
            contract=Contract.TEMPO_INDETERMINATO
        ).count(),
    }


@indicator(
    "training_packages_YYYY", "Pacchetti formativi", "Partecipazioni a corsi iniziati nell'anno."
)
def training_packages(year: int) -> int:
    return Participation.objects.filter(course__start_on__year=year).count()


def annual_report(year: int, *, today: date | None = None) -> dict:
    """The yearly figures with the keys of the board's JSON contract."""
    y = str(year)
    return {
        "year": year,
        "registrations": {str(year - 1): registrations(year - 1), y: registrations(year)},
        "registrations_by_month": {str(m): n for m, n in registrations_by_month(year).items()},
        f"first_interviews_{y}": first_interviews(year),
        f"in_target_{y}": in_target(year),
        f"ready_{y}": ready(year),
        f"not_ready_{y}": not_ready(year),
        f"fragile_{y}": fragile(year),
        f"waiting_days_{y}": waiting_days(year),
        "placements": {str(v): placements(v) for v in (year - 2, year - 1, year)},
        f"placements_{y}_by_type": placements_by_type(year),
        f"hirings_{y}_by_contract": hirings_by_contract(year),
        "permanent_share_of_hirings": {
            str(year - 1): permanent_share(year - 1),
            y: permanent_share(year),
        },
        f"placed_people_{y}": placed_people(year),
        f"placed_women_{y}": placed_women(year),
        f"placed_under35_{y}": placed_under35(year),
        f"placed_by_citizenship_{y}": placed_by_citizenship(year),
        f"top_companies_{y}": top_companies(year),
        "board": {str(year - 1): board(year - 1), y: board(year)},
        f"companies_contacted_{y}": companies_contacted(year),
        "courses": courses(year, today=today),
        f"ips_{y}": ips(year),
        f"stages_{y}": stages(year),
        f"training_packages_{y}": training_packages(year),
    }


def definitions_markdown() -> str:
    """The indicators' definitions as the manual prints them (docs/indicatori.md)."""
    lines = [
        "# Indicatori: le definizioni",
        "",
        "Generato da `approdo report definitions` a partire da `approdo/reports/indicators.py`: "
        "le stesse funzioni calcolano le cifre del rapporto annuale e delle esportazioni. "
        "Tutte le cifre si riferiscono a un anno solare Y.",
        "",
        "| indicatore | chiave nel JSON | definizione |",
        "|---|---|---|",
    ]
    lines += [f"| {i.title} | `{i.key}` | {i.definition} |" for i in INDICATORS]
    return "\n".join(lines) + "\n"
