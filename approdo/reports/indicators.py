"""The programme's figures, each defined once with its Italian definition.

The same functions feed the dashboard, the yearly report (page, PDF, XLSX, CLI) and
the manual (docs/indicatori.md is generated from INDICATORS). Each takes a Scope: a
period (a calendar year for the report) and, for the dashboard, filters on the people.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

from django.db import connection, transaction
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone

from approdo.companies.models import Company
from approdo.companies.selectors import board_members_on
from approdo.intake.models import Interview, InterviewKind, InterviewStatus
from approdo.matching.models import CandidacyEvent, CandidacyStage, RefusalReason
from approdo.people.choices import FirstInterviewOutcome, Readiness, Sex, Status
from approdo.people.identity import age_band_q, age_on
from approdo.people.models import Person, StatusChange
from approdo.placements.choices import EndReason
from approdo.placements.models import Placement
from approdo.places.geography import CitizenshipArea, citizenship_area, citizenship_area_q
from approdo.projects.selectors import (
    FUND_DEFINITION,
    guarantee_fund_figures,
    self_employment_figures,
    social_innovation_figures,
)
from approdo.training.models import (
    TAKING_PART,
    Course,
    Participation,
    PathEndReason,
    ProgrammePath,
)
from approdo.training.selectors import COURSE_OUTCOMES_DEFINITION, Rates, course_outcomes
from approdo.vacancies.terms import Contract, PlacementType

UNDER_AGE = 35


@dataclass(frozen=True)
class Scope:
    """A period (both days included) and the people it is about.

    The filters describe people: their comune of residence, citizenship, age band
    (age on the last day of the period), sex and special programme (IPS). Figures
    about companies (Board, companies contacted) do not depend on them.
    """

    start: date
    end: date
    comune_id: int | None = None
    citizenship: str = ""
    age_band: str = ""
    sex: str = ""
    programme: str = ""

    @classmethod
    def year(cls, year: int, **filters) -> "Scope":
        return cls(date(year, 1, 1), date(year, 12, 31), **filters)

    @property
    def is_filtered(self) -> bool:
        return any((self.comune_id, self.citizenship, self.age_band, self.sex, self.programme))

    def moments(self) -> tuple[datetime, datetime]:
        """The period as [start, end) instants in the programme's time zone."""
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )

    def people(self, prefix: str = "") -> Q:
        """The filter on people, for a query on Person (or, with a prefix, through a link)."""
        q = Q()
        if self.comune_id:
            q &= Q(**{f"{prefix}residence_comune_id": self.comune_id})
        if self.citizenship:
            q &= citizenship_area_q(self.citizenship, f"{prefix}citizenship")
        if self.age_band:
            q &= age_band_q(self.age_band, self.end, f"{prefix}birth_date")
        if self.sex:
            q &= Q(**{f"{prefix}sex": self.sex})
        if self.programme:
            person = OuterRef(f"{prefix}pk" if not prefix else prefix.removesuffix("__") + "_id")
            q &= Q(Exists(ProgrammePath.objects.filter(person=person, programme=self.programme)))
        return q


def as_scope(scope: "Scope | int") -> Scope:
    return scope if isinstance(scope, Scope) else Scope.year(scope)


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


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


@indicator(
    "registrations",
    "Iscrizioni",
    "Persone la cui data di iscrizione cade nel periodo, più le riammissioni del periodo "
    "(chi era uscito dal programma e si iscrive di nuovo conta di nuovo, come nel vecchio "
    "gestionale); anche per mese.",
)
def registrations(scope: Scope | int) -> int:
    return sum(registrations_by_month(scope).values())


def registrations_by_month(scope: Scope | int) -> dict[tuple[int, int], int]:
    """(year, month) -> registrations, every month of the period included."""
    scope = as_scope(scope)
    start, end = scope.moments()
    zone = timezone.get_current_timezone()
    first_registrations = (
        Person.objects.filter(scope.people(), registered_at__gte=start, registered_at__lt=end)
        .annotate(month=TruncMonth("registered_at", tzinfo=zone))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    readmissions = (
        StatusChange.objects.filter(
            scope.people("person__"),
            is_readmission=True,
            changed_at__gte=start,
            changed_at__lt=end,
        )
        .annotate(month=TruncMonth("changed_at", tzinfo=zone))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[int, int], int] = {}
    for month, n in [*first_registrations, *readmissions]:
        key = (month.year, month.month)
        counts[key] = counts.get(key, 0) + n
    months, year, month = {}, scope.start.year, scope.start.month
    while (year, month) <= (scope.end.year, scope.end.month):
        months[(year, month)] = counts.get((year, month), 0)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _first_interviews(scope: Scope):
    start, end = scope.moments()
    return Interview.objects.filter(
        scope.people("person__"),
        kind=InterviewKind.PRIMO,
        status=InterviewStatus.HELD,
        scheduled_at__gte=start,
        scheduled_at__lt=end,
    )


@indicator(
    "first_interviews_YYYY",
    "Primi colloqui",
    "Colloqui di tipo «primo colloquio» svolti con data nel periodo.",
)
def first_interviews(scope: Scope | int) -> int:
    return _first_interviews(as_scope(scope)).count()


@indicator(
    "in_target_YYYY",
    "Primi colloqui in target",
    "Tra i primi colloqui del periodo, quelli con esito «in target».",
)
def in_target(scope: Scope | int) -> int:
    return (
        _first_interviews(as_scope(scope)).filter(outcome=FirstInterviewOutcome.IN_TARGET).count()
    )


def _readiness(scope: Scope | int, readiness: str) -> int:
    return (
        _first_interviews(as_scope(scope))
        .filter(outcome=FirstInterviewOutcome.IN_TARGET, readiness=readiness)
        .count()
    )


@indicator(
    "ready_YYYY",
    "In target pronti",
    "Tra i primi colloqui in target del periodo, quelli valutati «pronto».",
)
def ready(scope: Scope | int) -> int:
    return _readiness(scope, Readiness.PRONTO)


@indicator(
    "not_ready_YYYY",
    "In target non pronti",
    "Tra i primi colloqui in target del periodo, quelli valutati «non pronto».",
)
def not_ready(scope: Scope | int) -> int:
    return _readiness(scope, Readiness.NON_PRONTO)


@indicator(
    "fragile_YYYY",
    "In target con profilo fragile",
    "Tra i primi colloqui in target del periodo, quelli valutati «profilo fragile».",
)
def fragile(scope: Scope | int) -> int:
    return _readiness(scope, Readiness.FRAGILE)


@indicator(
    "waiting_days_YYYY",
    "Attesa del primo colloquio (giorni)",
    "Per i primi colloqui del periodo, i giorni dall'iscrizione al colloquio: mediana e "
    "90° percentile (il valore sotto cui sta il 90% delle attese).",
)
def waiting_days(scope: Scope | int) -> dict[str, float | None]:
    scope = as_scope(scope)
    zone = str(timezone.get_current_timezone())
    # Unordered: the interviews' default order would sort them once more for nothing.
    interviews = _first_interviews(scope).order_by().values("scheduled_at", "person__registered_at")
    sql, params = interviews.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # Days are counted in the programme's time zone; PostgreSQL ranks the waits.
        cursor.execute(
            f"""
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY wait),
                   percentile_disc(0.9) WITHIN GROUP (ORDER BY wait)
            FROM (
                SELECT (firsts.scheduled_at AT TIME ZONE %s)::date
                       - (firsts.registered_at AT TIME ZONE %s)::date AS wait
                FROM ({sql}) AS firsts (scheduled_at, registered_at)
            ) waits
            """,
            [zone, zone, *params],
        )
        median, p90 = cursor.fetchone()
    return {"median": median, "p90": p90}


def _placements(scope: Scope):
    return Placement.objects.filter(
        scope.people("person__"), start_on__gte=scope.start, start_on__lte=scope.end
    )


@indicator(
    "placements",
    "Inserimenti",
    "Inserimenti con data di inizio nel periodo, compresi rinnovi, proroghe e "
    "trasformazioni (ognuno è un inserimento).",
)
def placements(scope: Scope | int) -> int:
    return _placements(as_scope(scope)).count()


@indicator(
    "placements_YYYY_by_type",
    "Inserimenti per tipologia",
    "Gli inserimenti del periodo divisi per tipologia.",
)
def placements_by_type(scope: Scope | int) -> dict[str, int]:
    counts = dict(
        _placements(as_scope(scope))
        .values_list("placement_type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {kind: counts.get(kind, 0) for kind in PlacementType.values}


def _hirings(scope: Scope):
    return _placements(scope).filter(placement_type=PlacementType.ASSUNZIONE)


@indicator(
    "hirings_YYYY_by_contract",
    "Assunzioni per contratto",
    "Gli inserimenti del periodo di tipo «assunzione» divisi per contratto (i contratti "
    "senza assunzioni non compaiono).",
)
def hirings_by_contract(scope: Scope | int) -> dict[str, int]:
    counts = dict(
        _hirings(as_scope(scope)).values_list("contract").annotate(n=Count("pk")).order_by()
    )
    return {contract: counts[contract] for contract in Contract.values if counts.get(contract)}


@indicator(
    "permanent_share_of_hirings",
    "Quota di tempi indeterminati",
    "Assunzioni a tempo indeterminato diviso assunzioni, tra gli inserimenti del periodo "
    "(tre decimali).",
)
def permanent_share(scope: Scope | int) -> float:
    hirings = _hirings(as_scope(scope))
    return _share(hirings.filter(contract=Contract.TEMPO_INDETERMINATO).count(), hirings.count())


def trend(scope: Scope | int, years: int = 5) -> dict[int, dict]:
    """Placements and the permanent share of hirings in each of the last years of the period."""
    scope = as_scope(scope)
    first_year = scope.end.year - years + 1
    rows = (
        Placement.objects.filter(
            scope.people("person__"),
            start_on__gte=date(first_year, 1, 1),
            start_on__lte=scope.end,
        )
        .annotate(year=ExtractYear("start_on"))
        .values_list("year")
        .annotate(
            n=Count("pk"),
            hirings=Count("pk", filter=Q(placement_type=PlacementType.ASSUNZIONE)),
            permanent=Count(
                "pk",
                filter=Q(
                    placement_type=PlacementType.ASSUNZIONE,
                    contract=Contract.TEMPO_INDETERMINATO,
                ),
            ),
        )
        .order_by()
    )
    found = {year: (n, hirings, permanent) for year, n, hirings, permanent in rows}
    result = {}
    for year in range(first_year, scope.end.year + 1):
        n, hirings, permanent = found.get(year, (0, 0, 0))
        result[year] = {"placements": n, "permanent_share": _share(permanent, hirings)}
    return result


def placed_summary(scope: Scope | int) -> dict:
    """The people placed in the period in one query: how many, women, under 35, citizenship.

    One row per person with the start of their first placement in the period; the
    placed-people indicators below are read from it.
    """
    scope = as_scope(scope)
    people = (
        _placements(scope)
        .values_list("person_id", "person__sex", "person__birth_date", "person__citizenship")
        .annotate(first_start=Min("start_on"))
        .order_by()
    )
    summary = {
        "people": 0,
        "women": 0,
        "under35": 0,
        "by_citizenship": dict.fromkeys(CitizenshipArea.values, 0),
    }
    for _, sex, birth_date, citizenship, first_start in people:
        summary["people"] += 1
        summary["women"] += sex == Sex.F
        summary["under35"] += age_on(birth_date, first_start) < UNDER_AGE
        summary["by_citizenship"][citizenship_area(citizenship)] += 1
    return summary


@indicator(
    "placed_people_YYYY",
    "Persone inserite",
    "Persone distinte con almeno un inserimento iniziato nel periodo.",
)
def placed_people(scope: Scope | int, summary: dict | None = None) -> int:
    return (summary or placed_summary(scope))["people"]


@indicator("placed_women_YYYY", "Donne inserite", "Tra le persone inserite nel periodo, le donne.")
def placed_women(scope: Scope | int, summary: dict | None = None) -> int:
    return (summary or placed_summary(scope))["women"]


@indicator(
    "placed_under35_YYYY",
    "Under 35 inseriti",
    "Tra le persone inserite nel periodo, quelle con meno di 35 anni alla data di inizio "
    "del loro primo inserimento del periodo.",
)
def placed_under35(scope: Scope | int, summary: dict | None = None) -> int:
    return (summary or placed_summary(scope))["under35"]


@indicator(
    "placed_by_citizenship_YYYY",
    "Persone inserite per cittadinanza",
    "Le persone inserite nel periodo per cittadinanza: italiana, UE, extra UE.",
)
def placed_by_citizenship(scope: Scope | int, summary: dict | None = None) -> dict[str, int]:
    return (summary or placed_summary(scope))["by_citizenship"]


@indicator(
    "board",
    "Aziende del Board",
    "Aziende che hanno aderito al Board entro l'ultimo giorno del periodo (il 31 dicembre "
    "per un anno) e non ne sono uscite entro quella data.",
)
def board(scope: Scope | int) -> int:
    return board_members_on(as_scope(scope).end).values("company").distinct().count()


@indicator(
    "companies_contacted_YYYY",
    "Aziende contattate",
    "Aziende con un primo contatto entro l'ultimo giorno del periodo.",
)
def companies_contacted(scope: Scope | int) -> int:
    return Company.objects.filter(first_contact_on__lte=as_scope(scope).end).count()


@indicator(
    "top_companies_YYYY",
    "Aziende che hanno inserito di più",
    "Le quattro aziende con più inserimenti iniziati nel periodo (a parità, in ordine alfabetico).",
)
def top_companies(scope: Scope | int, limit: int = 4) -> list[list]:
    rows = (
        _placements(as_scope(scope))
        .values_list("company__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "company__name")[:limit]
    )
    return [[name, n] for name, n in rows]


@indicator(
    "courses",
    "Corsi: tasso di inserimento e di occupazione",
    "Per ogni corso svolto nel periodo (nel rapporto annuale: negli ultimi tre anni). "
    + COURSE_OUTCOMES_DEFINITION,
)
def courses(scope: Scope | int, today: date | None = None) -> dict[str, dict]:
    scope = as_scope(scope)
    today = today or timezone.localdate()
    running = list(
        Course.objects.filter(start_on__lte=scope.end)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=scope.start))
        .order_by("start_on", "title")
    )
    outcomes = course_outcomes(
        [course.pk for course in running], today=today, people=scope.people("person__")
    )
    result = {}
    for course in running:
        outcome = outcomes.get(course.pk)
        everyone = outcome.everyone if outcome else Rates()
        qualified = outcome.qualified if outcome else Rates()
        title = (
            course.title
            if course.title not in result
            else f"{course.title} ({course.start_on:%d/%m/%Y})"
        )
        result[title] = {
            "participants": everyone.participants,
            "placements": everyone.placements,
            "employed": everyone.employed,
            "placement_rate": everyone.placement_rate,
            "employment_rate": everyone.employment_rate,
            "qualified": qualified.participants,
            "qualified_placements": qualified.placements,
            "qualified_employed": qualified.employed,
        }
    return result


@indicator(
    "ips_YYYY",
    "Percorso IPS",
    "Inserimenti del periodo ottenuti nel percorso IPS: quanti, quante persone, le "
    "assunzioni per contratto, quanti in lavoro autonomo.",
)
def ips(scope: Scope | int) -> dict:
    in_ips = _placements(as_scope(scope)).filter(is_ips=True)
    by_contract = dict(
        in_ips.filter(placement_type=PlacementType.ASSUNZIONE)
        .values_list("contract")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "placements": in_ips.count(),
        "people": in_ips.values("person").distinct().count(),
        "by_contract": {c: by_contract[c] for c in Contract.values if by_contract.get(c)},
        "self_employed": in_ips.filter(placement_type=PlacementType.LAVORO_AUTONOMO).count(),
    }


@indicator(
    "ips_paths_YYYY",
    "Percorsi IPS",
    "Percorsi IPS aperti nel periodo (data di inizio nel periodo); chiusi nel periodo, per "
    "motivo; attivi alla fine del periodo (iniziati entro la fine e non chiusi prima); "
    "persone seguite (con un percorso aperto almeno un giorno del periodo); durata mediana "
    "in giorni dei percorsi chiusi nel periodo.",
)
def ips_paths(scope: Scope | int) -> dict:
    scope = as_scope(scope)
    paths = ProgrammePath.objects.filter(scope.people("person__"), programme="IPS")
    followed = Q(start_on__lte=scope.end) & (Q(end_on__isnull=True) | Q(end_on__gte=scope.start))
    counts = paths.aggregate(
        opened=Count("pk", filter=Q(start_on__gte=scope.start, start_on__lte=scope.end)),
        active_at_end=Count(
            "pk",
            filter=Q(start_on__lte=scope.end) & (Q(end_on__isnull=True) | Q(end_on__gt=scope.end)),
        ),
        people_followed=Count("person", filter=followed, distinct=True),
    )
    closed = list(
        paths.filter(end_on__gte=scope.start, end_on__lte=scope.end).values_list(
            "end_reason", "start_on", "end_on"
        )
    )
    by_reason = Counter(reason for reason, _, _ in closed)
    lengths = [(end - start).days for _, start, end in closed]
    return {
        "opened": counts["opened"],
        "closed": len(closed),
        "closed_by_reason": {
            label: by_reason[value] for value, label in PathEndReason.choices if by_reason[value]
        },
        "active_at_end": counts["active_at_end"],
        "people_followed": counts["people_followed"],
        "median_closed_days": round(median(lengths)) if lengths else None,
    }


@indicator(
    "stages_YYYY",
    "Stage",
    "Stage nuovi del periodo (senza un inserimento che continuano); proroghe (stage che "
    "continua uno stage); trasformazioni in assunzione a tempo determinato o "
    "indeterminato (assunzione che continua uno stage).",
)
def stages(scope: Scope | int) -> dict[str, int]:
    in_period = _placements(as_scope(scope))
    after_stage = in_period.filter(continues__placement_type=PlacementType.STAGE)
    hired_after_stage = after_stage.filter(placement_type=PlacementType.ASSUNZIONE)
    return {
        "new": in_period.filter(placement_type=PlacementType.STAGE, continues__isnull=True).count(),
        "extensions": after_stage.filter(placement_type=PlacementType.STAGE).count(),
        "transformed_fixed_term": hired_after_stage.filter(
            contract=Contract.TEMPO_DETERMINATO
        ).count(),
        "transformed_permanent": hired_after_stage.filter(
            contract=Contract.TEMPO_INDETERMINATO
        ).count(),
    }


@indicator(
    "ended_early_YYYY",
    "Inserimenti conclusi in anticipo",
    "Inserimenti conclusi prima del termine con la data di conclusione nel periodo, per "
    "motivo: dimissioni, licenziamento, periodo di prova non superato, fine anticipata del "
    "contratto, chiusura dell'azienda, altro.",
)
def ended_early(scope: Scope | int) -> dict[str, int]:
    scope = as_scope(scope)
    counts = dict(
        Placement.objects.filter(
            scope.people("person__"),
            ended_early_on__gte=scope.start,
            ended_early_on__lte=scope.end,
        )
        .values_list("end_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {reason: counts[reason] for reason in EndReason.values if counts.get(reason)}


@indicator(
    "refusals_YYYY",
    "Rifiuti per motivo",
    "Selezioni concluse nel periodo con un rifiuto, per chi ha rifiutato (la persona una "
    "proposta, l'azienda una candidatura) e per motivo, dall'elenco dei motivi di rifiuto.",
)
def refusals(scope: Scope | int) -> dict[str, int]:
    scope = as_scope(scope)
    start = datetime.combine(scope.start, time.min, tzinfo=timezone.get_current_timezone())
    end = datetime.combine(scope.end + timedelta(days=1), time.min, tzinfo=start.tzinfo)
    counts = (
        CandidacyEvent.objects.filter(
            scope.people("candidacy__person__"),
            stage__in=[CandidacyStage.REFUSED, CandidacyStage.NOT_CHOSEN],
            at__gte=start,
            at__lt=end,
            candidacy__refusal__isnull=False,
        )
        .values_list("candidacy__refusal__side", "candidacy__refusal__label")
        .annotate(n=Count("pk"))
        .order_by("candidacy__refusal__side", "-n", "candidacy__refusal__label")
    )
    sides = dict(RefusalReason.Side.choices)
    return {f"{sides[side]}: {label.lower()}": n for side, label, n in counts}


@indicator(
    "current_readiness",
    "Persone in carico per valutazione attuale",
    "Oggi, tra le persone in carico che rispondono ai filtri, quante per valutazione attuale "
    "(pronto, non pronto, profilo fragile): la valutazione può essere cambiata dopo il "
    "primo colloquio, che resta contato con la sua.",
)
def current_readiness(scope: Scope | int) -> dict[str, int]:
    scope = as_scope(scope)
    counts = dict(
        Person.objects.filter(scope.people(""), status=Status.IN_CARICO)
        .exclude(readiness="")
        .values_list("readiness")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {level: counts.get(level, 0) for level in Readiness.values}


@indicator(
    "training_packages_YYYY",
    "Pacchetti formativi",
    "Partecipazioni a corsi iniziati nel periodo (chi è iscritto, l'ha completato o si è "
    "ritirato; non chi è rimasto in lista d'attesa).",
)
def training_packages(scope: Scope | int) -> int:
    scope = as_scope(scope)
    return Participation.objects.filter(
        scope.people("person__"),
        course__start_on__gte=scope.start,
        course__start_on__lte=scope.end,
        outcome__in=TAKING_PART,
    ).count()


@indicator(
    "self_employment",
    "Autoimpiego",
    "Progetti di autoimpiego candidati dall'avvio del programma alla fine del periodo "
    "(in tutto e per anno di candidatura, ogni anno fino a quello del periodo); persone "
    "proponenti distinte; i progetti per stato attuale; contributi e finanziamenti "
    "garantiti erogati dall'avvio alla fine del periodo (euro; il microcredito escluso).",
)
def self_employment(scope: Scope | int) -> dict:
    scope = as_scope(scope)
    return self_employment_figures(scope.start, scope.end)


@indicator(
    "social_innovation",
    "Innovazione sociale",
    "Progetti di innovazione sociale valutati: candidati dall'avvio alla fine del periodo e "
    "non più solo candidati, anche per stato attuale; selezionati (valutati e non "
    "rifiutati); importi approvati dal comitato nel periodo; contributi e finanziamenti "
    "garantiti erogati nel periodo; microcredito erogato nel periodo (euro); posti di "
    "lavoro e stage creati per le persone del programma dai progetti candidati dall'avvio "
    "(quelli contati dal vecchio gestionale più gli inserimenti collegati, iniziati entro "
    "la fine del periodo). Nel rapporto annuale le chiavi del periodo portano l'anno "
    "(approved_YYYY, paid_YYYY, microcredit_YYYY).",
)
def social_innovation(scope: Scope | int) -> dict:
    scope = as_scope(scope)
    return social_innovation_figures(scope.start, scope.end)


@indicator(
    "guarantee_fund",
    "Fondo di garanzia",
    "Alla fine del periodo. " + FUND_DEFINITION + " Escusso: le garanzie chiamate dalla "
    "banca fino a quella data (denaro perso dal fondo).",
)
def guarantee_fund(scope: Scope | int) -> dict:
    return guarantee_fund_figures(as_scope(scope).end)


def _with_year(figures: dict, year: str) -> dict:
    """The period's keys of a section with the year, as the yearly report names them."""
    return {
        (f"{key}_{year}" if key in ("approved", "paid", "microcredit") else key): value
        for key, value in figures.items()
    }


def period_figures(scope: Scope, *, today: date | None = None) -> dict:
    """The dashboard's figures for a period and its filters."""
    by_type = placements_by_type(scope)
    placed = placed_summary(scope)
    return {
        "registrations": registrations(scope),
        "registrations_by_month": registrations_by_month(scope),
        "first_interviews": first_interviews(scope),
        "in_target": in_target(scope),
        "ready": ready(scope),
        "not_ready": not_ready(scope),
        "fragile": fragile(scope),
        "waiting_days": waiting_days(scope),
        "placements": sum(by_type.values()),
        "placements_by_type": by_type,
        "hirings_by_contract": hirings_by_contract(scope),
        "permanent_share": permanent_share(scope),
        "trend": trend(scope),
        "placed_people": placed_people(scope, placed),
        "placed_women": placed_women(scope, placed),
        "placed_under35": placed_under35(scope, placed),
        "placed_by_citizenship": placed_by_citizenship(scope, placed),
        "board": board(scope),
        "companies_contacted": companies_contacted(scope),
        "top_companies": top_companies(scope, limit=10),
        "courses": courses(scope, today=today),
        "ips": ips(scope),
        "ips_paths": ips_paths(scope),
        "stages": stages(scope),
        "ended_early": ended_early(scope),
        "refusals": refusals(scope),
        "current_readiness": current_readiness(scope),
        "training_packages": training_packages(scope),
        "self_employment": self_employment(scope),
        "social_innovation": social_innovation(scope),
        "guarantee_fund": guarantee_fund(scope),
    }


def annual_report(year: int, *, today: date | None = None) -> dict:
    """The yearly figures with the keys of the board's JSON contract."""
    y = str(year)
    scope = Scope.year(year)
    three_years = Scope(date(year - 2, 1, 1), date(year, 12, 31))
    placed = placed_summary(scope)
    return {
        "year": year,
        "registrations": {str(year - 1): registrations(year - 1), y: registrations(scope)},
        "registrations_by_month": {
            str(month): n for (_, month), n in registrations_by_month(scope).items()
        },
        f"first_interviews_{y}": first_interviews(scope),
        f"in_target_{y}": in_target(scope),
        f"ready_{y}": ready(scope),
        f"not_ready_{y}": not_ready(scope),
        f"fragile_{y}": fragile(scope),
        f"waiting_days_{y}": waiting_days(scope),
        "placements": {str(v): placements(v) for v in (year - 2, year - 1, year)},
        f"placements_{y}_by_type": placements_by_type(scope),
        f"hirings_{y}_by_contract": hirings_by_contract(scope),
        "permanent_share_of_hirings": {
            str(year - 1): permanent_share(year - 1),
            y: permanent_share(scope),
        },
        "trend": {str(v): figures for v, figures in trend(scope).items()},
        f"placed_people_{y}": placed_people(scope, placed),
        f"placed_women_{y}": placed_women(scope, placed),
        f"placed_under35_{y}": placed_under35(scope, placed),
        f"placed_by_citizenship_{y}": placed_by_citizenship(scope, placed),
        f"top_companies_{y}": top_companies(scope),
        "board": {str(year - 1): board(year - 1), y: board(scope)},
        f"companies_contacted_{y}": companies_contacted(scope),
        "courses": courses(three_years, today=today),
        f"ips_{y}": ips(scope),
        f"ips_paths_{y}": ips_paths(scope),
        f"stages_{y}": stages(scope),
        f"ended_early_{y}": ended_early(scope),
        f"refusals_{y}": refusals(scope),
        f"training_packages_{y}": training_packages(scope),
        "self_employment": self_employment(scope),
        "social_innovation": _with_year(social_innovation(scope), y),
        "guarantee_fund": guarantee_fund(scope),
    }


def definitions_markdown() -> str:
    """The indicators' definitions as the manual prints them (docs/indicatori.md)."""
    lines = [
        "# Indicatori: le definizioni",
        "",
        "Generato da `approdo report definitions` a partire da `approdo/reports/indicators.py`: "
        "le stesse funzioni calcolano le cifre del cruscotto, del rapporto annuale e delle "
        "esportazioni. Nel rapporto annuale il periodo è l'anno solare Y; nel cruscotto è "
        "quello scelto, con i filtri sulle persone.",
        "",
        "| indicatore | chiave nel JSON | definizione |",
        "|---|---|---|",
    ]
    lines += [f"| {i.title} | `{i.key}` | {i.definition} |" for i in INDICATORS]
    return "\n".join(lines) + "\n"


def definitions_by_key() -> dict[str, Indicator]:
    """The indicators by their JSON key with the year left out, for templates."""
    return {
        indicator.key.replace("_YYYY", "").replace("YYYY_", ""): indicator
        for indicator in INDICATORS
    }
