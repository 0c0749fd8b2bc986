"""Realistic demo and benchmark data: Italian and foreign names, valid fiscal codes,
comuni of the Bologna metropolitan area, interviews and statuses."""

import random
from datetime import date, datetime, time, timedelta
from functools import cache

from codicefiscale import codicefiscale
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from faker import Faker

from approdo.accounts.models import Team, User
from approdo.accounts.roles import Role
from approdo.accounts.services import create_staff_user
from approdo.intake.models import (
    AgendaSlot,
    Interview,
    InterviewKind,
    InterviewMode,
    InterviewStatus,
)
from approdo.intake.selectors import public_holidays
from approdo.occupations.models import Occupation
from approdo.people.choices import (
    Channel,
    ConsentChannel,
    ConsentPurpose,
    Education,
    ExitReason,
    FirstInterviewOutcome,
    ItalianLevel,
    Licence,
    Readiness,
    Shift,
    Status,
)
from approdo.people.identity import fiscal_code_for
from approdo.people.models import (
    Consent,
    CurriculumText,
    Person,
    StatusChange,
    WorkExperience,
)
from approdo.places.geography import countries, normalise
from approdo.places.models import Comune

DEMO_PASSWORD = "approdo-demo-2026"

# (username, first name, last name, role); the demo prints these logins.
DEMO_STAFF = (
    ("coordinatrice", "Giulia", "Rinaldi", Role.COORDINATORE),
    ("operatore", "Marco", "Bertoni", Role.OPERATORE),
    ("operatrice", "Sara", "Lambertini", Role.OPERATORE),
    ("ips", "Elena", "Monti", Role.SPECIALISTA_IPS),
    ("revisore", "Paolo", "Fabbri", Role.SOLA_LETTURA),
    ("admin", "Anna", "Guidi", Role.AMMINISTRATORE),
)

# The programme's units: two desks and the IPS service (coordinators read every file).
DEMO_TEAMS = {
    "operatore": ("Sportello Centro", False),
    "operatrice": ("Sportello Navile", False),
    "ips": ("Servizio IPS", True),
}

# Citizenship mix of a programme like Bologna's, with a Faker locale for plausible names.
CITIZENSHIPS = (
    ("Italia", "it_IT", 62),
    ("Marocco", "fr_DZ", 7),
    ("Romania", "ro_RO", 5),
    ("Albania", "sq_AL", 4),
    ("Pakistan", "en_PK", 4),
    ("Nigeria", "en_NG", 3),
    ("Ucraina", "pl_PL", 3),
    ("Bangladesh", "en_BD", 3),
    ("Tunisia", "fr_DZ", 3),
    ("Filippine", "en_PH", 2),
    ("Peru'", "es_CO", 2),
    ("Moldova", "ro_RO", 2),
)
OPERATOR_USERNAMES = ("operatore", "operatrice", "coordinatrice", "ips")
DEMO_EMPLOYERS = (
    "Coop Alleanza 3.0",
    "Camst",
    "Interporto Bologna",
    "Hera",
    "Conad",
    "Ducati",
    "Cooperativa Dolce",
    "Manutencoop",
    "Yoox",
    "Bartolini",
    "un'impresa di pulizie",
    "un ristorante del centro",
    "una famiglia privata",
    "un'azienda agricola",
)
DEMO_SKILLS = (
    "lavoro in squadra",
    "uso del transpallet",
    "gestione inventario",
    "servizio ai tavoli",
    "preparazione pasti",
    "assistenza alla persona",
    "pulizia e sanificazione",
    "uso della cassa",
    "informatica di base",
    "lingua inglese",
    "lingua francese",
    "saldatura a filo",
    "montaggio",
    "guida di furgoni",
    "confezionamento",
    "accoglienza clienti",
    "HACCP",
    "manutenzione del verde",
    "piccola manutenzione",
    "etichettatura",
)
DEMO_CV_SENTENCES = (
    "Sono una persona puntuale e affidabile, abituata a lavorare su turni.",
    "Ho frequentato un corso di sicurezza sul lavoro e uno di lingua italiana.",
    "Disponibile da subito, anche per lavoro nel fine settimana.",
    "Mi piace il contatto con le persone e imparo in fretta.",
    "Cerco un lavoro stabile vicino a casa.",
)


@cache
def _faker(locale: str) -> Faker:
    return Faker(locale)


def ensure_demo_staff() -> list[tuple[User, str]]:
    """Create the demo logins once; return (user, TOTP secret in base32)."""
    from approdo.accounts.services import confirmed_totp_device, totp_secret_base32

    result = []
    for username, first, last, role in DEMO_STAFF:
        user = User.objects.filter(username=username).first()
        team = None
        if username in DEMO_TEAMS:
            name, is_ips = DEMO_TEAMS[username]
            team = Team.objects.get_or_create(name=name, defaults={"is_ips_service": is_ips})[0]
        if user is None:
            user, _ = create_staff_user(
                username=username,
                role=role,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@approdo.local",
                team=team,
                enrol_totp=True,
            )
        elif team is not None and user.team_id is None:  # a demo database from before teams
            user.team = team
            user.save(update_fields=["team"])
        device = confirmed_totp_device(user)
        result.append((user, totp_secret_base32(device) if device else ""))
    return result


def _weighted(rng: random.Random, options):
    return rng.choices([item[:-1] for item in options], weights=[item[-1] for item in options])[0]


def build_people(
    count: int,
    *,
    seed: int = 2026,
    today: date | None = None,
    start_index: int = 0,
    used_codes: set[str] | None = None,
) -> list[Person]:
    """Unsaved people with valid fiscal codes (unique across `used_codes`), and their CVs."""
    rng = random.Random(seed + start_index)
    today = today or timezone.localdate()
    comuni = list(Comune.objects.filter(province_code="BO"))
    bologna = next(c for c in comuni if c.name == "Bologna")
    country_codes = countries()
    occupation_ids = list(Occupation.objects.filter(active=True).values_list("pk", "name"))
    zone = timezone.get_current_timezone()
    people, cv_texts = [], []
    used_codes = set() if used_codes is None else used_codes
    for index in range(start_index, start_index + count):
        country, locale = _weighted(rng, CITIZENSHIPS)
        fake = _faker(locale)
        fake.seed_instance(seed + index)
        sex = rng.choice("MF")
        first = fake.first_name_male() if sex == "M" else fake.first_name_female()
        last = fake.last_name()
        birth = today - timedelta(days=rng.randint(18 * 365, 64 * 365))
        residence = bologna if rng.random() < 0.5 else rng.choice(comuni)
        born_abroad = country != "Italia" and rng.random() < 0.9
        birthplace = country_codes[country] if born_abroad else rng.choice(comuni).cadastral_code
        birth_comune = (
            None if born_abroad else next(c for c in comuni if c.cadastral_code == birthplace)
        )
        code = fiscal_code_for(last, first, sex, birth, birthplace)
        if code in used_codes:
            # Homonyms born the same day and place: the Agenzia delle Entrate
            # gives them an "omocodice" variant, so do we.
            code = next(
                (
                    variant
                    for variant in codicefiscale.decode(code)["omocodes"]
                    if variant not in used_codes
                ),
                None,
            )
        if country != "Italia" and rng.random() < 0.05:
            code = None  # a few foreign nationals without a fiscal code
        if code:
            used_codes.add(code)
        registered = min(
            datetime.combine(
                today - timedelta(days=int(rng.triangular(0, 730, 30))),
                time(rng.randint(8, 20), rng.randint(0, 59)),
                tzinfo=zone,
            ),
            timezone.now() - timedelta(minutes=rng.randint(5, 600)),
        )
        licences = [Licence.B] if rng.random() < 0.55 else []
        licences += [
            lic
            for lic, share in (
                (Licence.C, 0.06),
                (Licence.CQC, 0.04),
                (Licence.MULETTO, 0.12),
                (Licence.HACCP, 0.15),
                (Licence.OSS, 0.05),
            )
            if rng.random() < share
        ]
        desired = rng.sample(occupation_ids, rng.choice([1, 1, 2])) if occupation_ids else []
        done = [rng.choice(occupation_ids)] if occupation_ids and rng.random() < 0.7 else []
        skills = rng.sample(DEMO_SKILLS, rng.randint(1, 4))
        cv_text = " ".join(
            [
                f"{first} {last}.",
                *(
                    f"Esperienza come {name.lower()} presso {rng.choice(DEMO_EMPLOYERS)}."
                    for _, name in done
                ),
                f"Cerco lavoro come {', '.join(name.lower() for _, name in desired)}.",
                f"Competenze: {', '.join(skills)}.",
                rng.choice(DEMO_CV_SENTENCES),
            ]
        )
        cv_texts.append(cv_text)
        people.append(
            Person(
                first_name=first,
                last_name=last,
                search_name=normalise(f"{last} {first}"),
                fiscal_code=code,
                sex=sex,
                birth_date=birth,
                birth_comune=birth_comune,
                birth_country=country if born_abroad else "Italia",
                citizenship=country,
                residence_comune=residence,
                email=f"{normalise(first).replace(' ', '')}."
                f"{normalise(last).replace(' ', '').replace(chr(39), '')}.{index}@esempio.it",
                phone=f"3{rng.randint(20, 49)}{rng.randint(1000000, 9999999)}",
                education=rng.choice(Education.values),
                italian_level=ItalianLevel.MADRELINGUA
                if country == "Italia"
                else rng.choice(ItalianLevel.values[:5]),
                licences=licences,
                desired_occupations=[pk for pk, _ in desired],
                desired_jobs=[name.lower() for _, name in desired],
                experienced_occupations=[pk for pk, _ in done],
                skills=[normalise(skill) for skill in skills],
                weekly_hours=rng.choice([20, 24, 30, 36, 40]),
                shifts=rng.sample(Shift.values, rng.randint(1, 3)),
                own_transport=rng.random() < 0.4,
                registered_at=registered,
                channel=rng.choice(Channel.values),
                privacy_accepted_at=registered,
                privacy_notice_version="2026-01",
                # Most people agree to be proposed and to have their CV sent; a few do not.
                consent_proposal_at=registered if index % 20 != 7 else None,
                consent_cv_at=registered if index % 10 != 3 else None,
                status=Status.REGISTRATO,
                status_changed_at=registered,
            )
        )
    return people, cv_texts


def _outcomes(rng: random.Random, person: Person, today: date):
    """Decide, for an unsaved person, the first interview and status a real path would have."""
    waited = rng.randint(3, 25)
    interviewed_at = person.registered_at + timedelta(days=waited)
    if interviewed_at.date() >= today - timedelta(days=2):
        return None
    in_target = rng.random() < 0.82
    person.first_interview_at = interviewed_at.replace(hour=rng.randint(9, 16), minute=0)
    person.first_interview_outcome = (
        FirstInterviewOutcome.IN_TARGET if in_target else FirstInterviewOutcome.FUORI_TARGET
    )
    if in_target:
        person.readiness = _weighted(
            rng, ((Readiness.PRONTO, 55), (Readiness.NON_PRONTO, 30), (Readiness.FRAGILE, 15))
        )[0]
        person.status = Status.IN_CARICO
        if rng.random() < 0.25:
            person.status = Status.FUORI_PROTOCOLLO
            person.exit_reason = _weighted(
                rng,
                (
                    (ExitReason.LAVORA, 50),
                    (ExitReason.IRREPERIBILE, 30),
                    (ExitReason.NON_COLLABORATIVO, 10),
                    (ExitReason.ALTRO, 10),
                ),
            )[0]
    else:
        person.status = Status.FUORI_PROTOCOLLO
        person.exit_reason = ExitReason.NON_IN_TARGET
    person.status_changed_at = person.first_interview_at
    return person.first_interview_at


@transaction.atomic
def seed_people(
    count: int,
    *,
    seed: int = 2026,
    batch_size: int = 2000,
    with_history: bool = True,
    start_index: int = 0,
) -> int:
    """Insert `count` people with first interviews and status history, in batches."""
    rng = random.Random(seed)
    today = timezone.localdate()
    operators = list(User.objects.filter(username__in=OPERATOR_USERNAMES)) or [
        ensure_demo_staff()[0][0]
    ]
    created = 0
    used_codes = set(Person.objects.exclude(fiscal_code=None).values_list("fiscal_code", flat=True))
    occupations = {o.pk: o.name for o in Occupation.objects.all()}
    for offset in range(0, count, batch_size):
        people, cv_texts = build_people(
            min(batch_size, count - offset),
            seed=seed,
            today=today,
            start_index=start_index + offset,
            used_codes=used_codes,
        )
        interviewed = {id(p): _outcomes(rng, p, today) for p in people}
        # Whoever holds the first interview takes the person to their desk.
        interviewer = {id(p): rng.choice(operators) for p in people if interviewed[id(p)]}
        for person in people:
            if id(person) in interviewer and person.status != Status.FUORI_PROTOCOLLO:
                person.case_manager = interviewer[id(person)]
            if id(person) in interviewer:
                person.team_id = interviewer[id(person)].team_id
        Person.objects.bulk_create(people, batch_size=batch_size)
        Consent.objects.bulk_create(
            [
                Consent(
                    person=person,
                    purpose=purpose,
                    given=True,
                    notice_version=person.privacy_notice_version,
                    channel=ConsentChannel.PORTALE
                    if person.channel == Channel.PORTALE
                    else ConsentChannel.SPORTELLO,
                    recorded_at=person.registered_at,
                )
                for person in people
                for purpose, given_at in (
                    (ConsentPurpose.PROPOSTA, person.consent_proposal_at),
                    (ConsentPurpose.INVIO_CV, person.consent_cv_at),
                )
                if given_at
            ],
            batch_size=batch_size,
        )
        CurriculumText.objects.bulk_create(
            [CurriculumText(person=p, text=cv) for p, cv in zip(people, cv_texts, strict=True)],
            batch_size=batch_size,
        )
        created += len(people)
        if not with_history:
            continue
        interviews, changes = [], []
        for person in people:
            changes.append(
                StatusChange(
                    person=person,
                    to_status=Status.REGISTRATO,
                    changed_at=person.registered_at,
                    note="Iscrizione",
                )
            )
            held_at = interviewed[id(person)]
            if not held_at:
                continue
            operator = interviewer[id(person)]
            interviews.append(
                Interview(
                    person=person,
                    operator=operator,
                    kind=InterviewKind.PRIMO,
                    mode=rng.choice(InterviewMode.values),
                    scheduled_at=held_at,
                    status=InterviewStatus.HELD,
                    outcome=person.first_interview_outcome,
                    readiness=person.readiness,
                    calendar_uid=f"demo-{person.pk}@approdo",
                )
            )
            if person.first_interview_outcome == FirstInterviewOutcome.IN_TARGET:
                changes.append(
                    StatusChange(
                        person=person,
                        from_status=Status.REGISTRATO,
                        to_status=Status.IN_CARICO,
                        changed_at=held_at,
                        changed_by=operator,
                    )
                )
            if person.status == Status.FUORI_PROTOCOLLO:
                changes.append(
                    StatusChange(
                        person=person,
                        from_status=Status.IN_CARICO,
                        to_status=person.status,
                        reason=person.exit_reason,
                        changed_at=held_at + timedelta(days=1),
                        changed_by=operator,
                    )
                )
        Interview.objects.bulk_create(interviews, batch_size=batch_size)
        WorkExperience.objects.bulk_create(
            [
                WorkExperience(
                    person=person,
                    occupation_id=occupation_id,
                    job_title=occupations[occupation_id],
                    employer=rng.choice(DEMO_EMPLOYERS),
                    started_on=person.registered_at.date() - timedelta(days=rng.randint(400, 3000)),
                    ended_on=person.registered_at.date() - timedelta(days=rng.randint(30, 390)),
                )
                for person in people
                for occupation_id in person.experienced_occupations
            ],
            batch_size=batch_size,
        )
        StatusChange.objects.bulk_create(changes, batch_size=batch_size)
    return created


def open_demo_agendas(days: int = 14) -> int:
    """Interview slots for the demo operators over the next working days."""
    zone = timezone.get_current_timezone()
    slots = []
    operators = User.objects.filter(username__in=OPERATOR_USERNAMES)
    today = timezone.localdate()
    holidays = public_holidays(today, today + timedelta(days=days))
    for offset in range(1, days + 1):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5 or day in holidays:
            continue
        for operator in operators:
            for hour in (9, 10, 11, 14, 15):
                start = datetime.combine(day, time(hour), tzinfo=zone)
                slots.append(
                    AgendaSlot(
                        operator=operator,
                        starts_at=start,
                        ends_at=start + timedelta(minutes=45),
                        location="Via Capramozza 13, Bologna",
                    )
                )
    return len(AgendaSlot.objects.bulk_create(slots, ignore_conflicts=True))


# ATECO 2022 codes of the sectors where the programme places people (validated on use).
DEMO_ATECO = (
    "56.10.11",
    "52.10.10",
    "81.21.00",
    "87.30.00",
    "47.11.10",
    "10.71.10",
    "49.41.00",
    "88.10.00",
    "25.62.00",
    "43.21.01",
    "55.10.00",
    "82.20.00",
)
DEMO_REQUIREMENTS = (
    ("patente", "B"),
    ("patente", "muletto"),
    ("patente", "HACCP"),
    ("patente", "CQC"),
    ("italiano", "A2"),
    ("italiano", "B1"),
    ("competenza", "lavoro in squadra"),
    ("competenza", "uso del transpallet"),
    ("mezzo proprio", ""),
    ("distanza", "30"),
)


def _vat_number(rng: random.Random) -> str:
    from stdnum import luhn  # the partita IVA check digit is Luhn's

    body = f"{rng.randint(0, 9999999):07d}{rng.randint(1, 100):03d}"
    return body + luhn.calc_check_digit(body)


@transaction.atomic
def seed_companies(count: int = 60, *, seed: int = 2026) -> int:
    """Companies with Board memberships and interactions, requests, selections, placements."""
    from approdo.companies.models import BoardMembership, Company, CompanyInteraction
    from approdo.companies.sectors import lookup_sector
    from approdo.placements.models import Placement
    from approdo.vacancies.models import Requirement, Vacancy

    rng = random.Random(seed)
    fake = _faker("it_IT")
    fake.seed_instance(seed)
    today = timezone.localdate()
    comuni = list(Comune.objects.filter(province_code="BO"))
    occupations = list(Occupation.objects.all())
    operators = list(User.objects.filter(username__in=OPERATOR_USERNAMES))
    sectors = {code: lookup_sector(code) for code in DEMO_ATECO}
    companies = []
    for index in range(count):
        family = index % 12 == 11
        sector = sectors[rng.choice(DEMO_ATECO)]
        companies.append(
            Company(
                name=f"Famiglia {fake.last_name()}" if family else fake.company(),
                search_name="",
                vat_number=None if family else _vat_number(rng),
                is_private_family=family,
                comune=rng.choice(comuni),
                first_contact_on=today - timedelta(days=rng.randint(30, 1500)),
                **(
                    {}
                    if family
                    else {
                        "ateco_code": sector.code,
                        "ateco_edition": sector.edition,
                        "ateco_title": sector.title,
                        "sector": sector.section,
                    }
                ),
            )
        )
    vat_numbers = set(Company.objects.exclude(vat_number=None).values_list("vat_number", flat=True))
    for company in companies:
        company.search_name = normalise(company.name)
        while company.vat_number in vat_numbers:
            company.vat_number = _vat_number(rng)
        if company.vat_number:
            vat_numbers.add(company.vat_number)
    Company.objects.bulk_create(companies)
    BoardMembership.objects.bulk_create(
        BoardMembership(company=c, joined_on=c.first_contact_on + timedelta(days=60))
        for c in companies[: count // 3]
        if not c.is_private_family
    )
    CompanyInteraction.objects.bulk_create(
        CompanyInteraction(
            company=c,
            kind=rng.choice(CompanyInteraction.Kind.values),
            happened_on=today - timedelta(days=rng.randint(1, 400)),
            operator=rng.choice(operators) if operators else None,
            notes="Aggiornamento sulle ricerche di personale.",
        )
        for c in companies
        for _ in range(rng.randint(0, 3))
    )
    vacancies = []
    for _ in range(count * 2 // 3):
        occupation = rng.choice(occupations)
        placement_type = rng.choice(["assunzione", "assunzione", "stage", "tirocinio"])
        vacancies.append(
            Vacancy(
                company=rng.choice(companies),
                occupation=occupation,
                job_title=occupation.name,
                description=f"Ricerchiamo {occupation.name.lower()} per la sede di lavoro.",
                positions=rng.choice([1, 1, 2, 3]),
                workplace=rng.choice(comuni),
                placement_type=placement_type,
                contract=rng.choice(["tempo determinato", "tempo indeterminato", "apprendistato"])
                if placement_type == "assunzione"
                else "",
                weekly_hours=rng.choice([20, 30, 36, 40]),
                nights=rng.random() < 0.1,
                weekends=rng.random() < 0.2,
                requested_on=today - timedelta(days=rng.randint(0, 300)),
                status=rng.choice(["aperta", "aperta", "aperta", "coperta", "sospesa"]),
            )
        )
    Vacancy.objects.bulk_create(vacancies)
    Requirement.objects.bulk_create(
        Requirement(vacancy=v, kind=kind, value=value, is_must=rng.random() < 0.4)
        for v in vacancies
        for kind, value in rng.sample(DEMO_REQUIREMENTS, rng.randint(0, 3))
    )
    from approdo.training.models import ProgrammePath

    in_charge = list(Person.objects.filter(status=Status.IN_CARICO).order_by("pk"))
    in_charge = rng.sample(in_charge, k=min(300, len(in_charge)))
    # The IPS service's results are a figure of the yearly report: one person of an open
    # IPS path always finds a job while in it.
    ips_path = (
        ProgrammePath.objects.filter(programme=ProgrammePath.Programme.IPS, end_on=None)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    placements = []
    for person in in_charge:
        vacancy = rng.choice(vacancies) if rng.random() < 0.5 else None
        placement_type = (
            vacancy.placement_type
            if vacancy
            else rng.choice(["assunzione", "stage", "tirocinio", "mini job"])
        )
        start = today - timedelta(days=rng.randint(0, 600))
        placements.append(
            Placement(
                person=person,
                company=vacancy.company if vacancy else rng.choice(companies),
                vacancy=vacancy,
                placement_type=placement_type,
                contract=(vacancy.contract if vacancy else "tempo determinato")
                if placement_type == "assunzione"
                else "",
                start_on=start,
                end_on=start + timedelta(days=rng.choice([90, 180, 365])),
                weekly_hours=15 if placement_type == "mini job" else rng.choice([20, 30, 40]),
                job_title=vacancy.job_title if vacancy else rng.choice(occupations).name,
                monthly_stipend=450 if placement_type in ("stage", "tirocinio") else None,
            )
        )
    if ips_path is not None:
        start = ips_path.start_on + (today - ips_path.start_on) // 2
        placements.append(
            Placement(
                person=ips_path.person,
                company=rng.choice(companies),
                placement_type="assunzione",
                contract="tempo determinato",
                start_on=start,
                end_on=start + timedelta(days=365),
                weekly_hours=20,
                job_title=rng.choice(occupations).name,
            )
        )
    Placement.objects.bulk_create(placements)
    # A job that started during an IPS path counts as an IPS placement.
    from approdo.placements.services import refresh_ips_placements

    refresh_ips_placements(ProgrammePath.objects.values_list("person", flat=True))
    return len(companies)


# Title, provider, category, hours, licence or level of Italian it gives, qualification.
DEMO_COURSES = (
    ("Addetto alle pulizie professionali", "Ecipar", "tecnico-professionale", 120, "", ""),
    ("Italiano per il lavoro (A2)", "CPIA Bologna", "lingua italiana", 60, "A2", ""),
    (
        "Sicurezza sul lavoro – formazione generale",
        "IRECOOP",
        "sicurezza",
        16,
        "sicurezza",
        "Attestato di formazione generale sulla sicurezza",
    ),
    ("HACCP per addetti alla ristorazione", "CEFAL", "HACCP", 12, "HACCP", "Attestato HACCP"),
    (
        "Carrellista: patentino del muletto",
        "IRECOOP",
        "tecnico-professionale",
        24,
        "muletto",
        "Patentino per carrello elevatore",
    ),
    ("Orientamento al lavoro e curriculum", "Insieme per il lavoro", "orientamento", 20, "", ""),
    (
        "Competenze digitali di base",
        "Fondazione Aldini Valeriani",
        "competenze trasversali",
        40,
        "",
        "",
    ),
    ("Aiuto cuoco", "CEFAL", "tecnico-professionale", 200, "", "Qualifica di aiuto cuoco"),
)


DEMO_REFERRERS = (
    "Centro di salute mentale Bologna Est",
    "Centro di salute mentale Bologna Ovest",
    "Centro di salute mentale San Lazzaro",
)
DEMO_EMPLOYER_OUTCOMES = (
    "Interessati: richiamare tra due settimane",
    "Nessuna posizione ora; disponibili a un tirocinio",
    "Colloquio fissato con la persona",
    "Presentato il servizio IPS al titolare",
)


def seed_ips_paths(rng: random.Random, people: list, today: date) -> None:
    """IPS paths as the service runs them: most open, in every phase, followed by the IPS
    specialists (the person's flag follows the open path); some closed with a reason."""
    from approdo.training.models import (
        EmployerContact,
        IPSPhase,
        PathEndReason,
        PathPhaseChange,
        ProgrammePath,
    )
    from approdo.training.services import sync_ips_flag

    specialists = list(User.objects.filter(role=Role.SPECIALISTA_IPS).order_by("pk"))
    phases = list(IPSPhase.values)
    for person in people:
        start = today - timedelta(days=rng.randint(20, 500))
        length = (today - start).days
        closed = length > 240 and rng.random() < 0.5
        steps = rng.randint(1, len(phases))
        path = ProgrammePath.objects.create(
            person=person,
            programme=ProgrammePath.Programme.IPS,
            start_on=start,
            end_on=start + timedelta(days=rng.randint(180, min(length, 330))) if closed else None,
            specialist=rng.choice(specialists) if specialists and rng.random() < 0.95 else None,
            phase=phases[steps - 1],
            referred_by=rng.choice(DEMO_REFERRERS),
            referred_on=start - timedelta(days=rng.randint(3, 20)),
            consent_at=timezone.make_aware(datetime.combine(start, time(10))),
            end_reason=rng.choice(PathEndReason.values) if closed else "",
        )
        last = path.end_on or today
        PathPhaseChange.objects.bulk_create(
            PathPhaseChange(
                path=path,
                phase=phase,
                changed_on=start + (last - start) * index // steps,
                by=path.specialist,
            )
            for index, phase in enumerate(phases[:steps])
        )
        EmployerContact.objects.bulk_create(
            EmployerContact(
                path=path,
                employer=f"{rng.choice(['Bar', 'Cooperativa', 'Magazzino', 'Forno'])} "
                f"{Faker('it_IT').last_name()}",
                contacted_on=start + timedelta(days=rng.randint(0, (last - start).days)),
                kind=rng.choice(["visita", "telefonata", "incontro"]),
                outcome=rng.choice(DEMO_EMPLOYER_OUTCOMES),
                by=path.specialist,
            )
            for _ in range(rng.randint(0, 6) if steps >= 3 else 0)
        )
    sync_ips_flag(person.pk for person in people)


def seed_partners(rng: random.Random, people: list, today) -> None:
    """The partners a programme works with: the mental-health centres and Caritas that
    refer people (with a few referrals), INPS, an employment agency, and the training
    providers' agreement."""
    from approdo.partners.models import Agreement, Partner, PartnerContact, Referral

    for name in DEMO_REFERRERS:
        Partner.objects.create(name=name, kind="salute mentale", email=_demo_address(name))
    caritas = Partner.objects.create(
        name="Caritas diocesana", kind="terzo settore", email="ascolto@caritas.example.it"
    )
    contact = PartnerContact.objects.create(
        partner=caritas,
        name="Giulia Ferri",
        role="Centro di ascolto",
        email="giulia.ferri@caritas.example.it",
    )
    Agreement.objects.create(
        partner=caritas,
        title="Protocollo per l'invio delle persone seguite",
        start_on=date(today.year - 1, 1, 1),
        programme_commits="Primo colloquio entro 30 giorni dall'invio; riscontro sull'esito.",
        partner_commits="Invio con una breve relazione e il consenso della persona.",
    )
    Partner.objects.create(name="INPS – sede di Bologna", kind="INPS")
    Partner.objects.create(name="Agenzia Lavoro Emilia", kind="agenzia per il lavoro")
    Referral.objects.bulk_create(
        Referral(
            person=person,
            partner=caritas,
            contact=contact,
            referred_on=min(today, timezone.localdate(person.registered_at)),
            reason="Persona seguita dal centro di ascolto, in cerca di lavoro.",
            confirmation_to=contact.email,
        )
        for person in rng.sample(people, k=max(1, len(people) // 30))
    )


def _demo_address(name: str) -> str:
    return normalise(name).replace(" ", ".")[:40] + "@ausl.example.it"


@transaction.atomic
def seed_training(*, seed: int = 2026) -> int:
    """IPS paths for some people in charge, and courses of the last three years with
    their participants (before the placements, which follow them)."""
    from approdo.partners.models import Agreement
    from approdo.people.choices import ItalianLevel, Licence
    from approdo.training.models import CatalogueCourse, Course, Participation
    from approdo.training.services import training_providers_by_name

    rng = random.Random(seed)
    today = timezone.localdate()
    in_charge = list(Person.objects.filter(status=Status.IN_CARICO).order_by("pk"))
    if not in_charge:
        return 0
    seed_ips_paths(rng, rng.sample(in_charge, k=max(1, len(in_charge) // 25)), today)
    seed_partners(rng, in_charge, today)
    providers = training_providers_by_name(row[1] for row in DEMO_COURSES)
    catalogue = {}
    for title, _, category, hours, gives, qualification in DEMO_COURSES:
        catalogue[title] = CatalogueCourse.objects.create(
            title=title,
            category=category,
            mode="presenza",
            hours=hours,
            qualification=qualification,
            gives_licence=gives if gives in Licence.values else "",
            gives_italian_level=gives if gives in ItalianLevel.values else "",
        )
    courses = []
    for index, (title, provider, category, hours, *_) in enumerate(DEMO_COURSES * 2):
        # The second round of editions: some still to start, open for enrolment.
        start = (
            today + timedelta(days=rng.randint(10, 60))
            if index % 4 == 3
            else (today - timedelta(days=rng.randint(20, 1000)))
        )
        courses.append(
            Course(
                catalogue=catalogue[title],
                title=title if index < len(DEMO_COURSES) else f"{title} – seconda edizione",
                provider_id=providers[provider.lower()],
                category=category,
                start_on=start,
                end_on=start + timedelta(days=max(7, hours // 3)),
                mode=rng.choice(["presenza", "presenza", "mista", "FAD"]),
                hours=hours,
                cost=hours * rng.choice([90, 110, 140]),
                seats=rng.choice([12, 15, 20]),
                placement_target=rng.choice([4, 6, 8]),
            )
        )
    Course.objects.bulk_create(courses)
    Agreement.objects.bulk_create(
        Agreement(
            partner_id=partner_id,
            title="Convenzione per i corsi finanziati",
            start_on=date(today.year - 3, 1, 1),
            programme_commits="Finanzia i corsi concordati e segnala le persone.",
            partner_commits="Condivide il 30% del rischio economico, legato agli inserimenti "
            "dei partecipanti entro sei mesi dalla fine.",
        )
        for partner_id in set(providers.values())
    )
    for course in courses:
        if course.end_on < today:
            course.closed_on = course.end_on
    Course.objects.bulk_update(courses, ["closed_on"])
    participations = []
    for course in courses:
        ended = course.end_on < today
        for person in rng.sample(in_charge, k=min(len(in_charge), rng.randint(6, 12))):
            outcome = (
                rng.choice(["completato", "completato", "completato", "ritirato"])
                if ended
                else "in corso"
            )
            participations.append(
                Participation(
                    course=course,
                    person=person,
                    enrolled_on=min(today, course.start_on - timedelta(days=rng.randint(5, 30))),
                    enrolled_at=timezone.now(),
                    source="pagina del corso",
                    outcome=outcome,
                    completed_on=course.end_on if outcome == "completato" else None,
                    withdrawn_on=course.start_on + timedelta(days=3)
                    if outcome == "ritirato"
                    else None,
                    withdrawal_reason="Ha trovato lavoro durante il corso"
                    if outcome == "ritirato"
                    else "",
                    qualification_obtained=outcome == "completato"
                    and bool(course.catalogue.qualification)
                    and rng.random() < 0.6,
                )
            )
    Participation.objects.bulk_create(participations)
    return len(courses)


DEMO_TASKS = (
    (-3, "Richiamare per il colloquio di monitoraggio"),
    (-1, "Chiedere il curriculum aggiornato"),
    (0, "Verificare la disponibilità per il turno di notte"),
    (0, "Inviare il calendario del corso di sicurezza"),
    (5, "Preparare la proposta per la richiesta di magazzino"),
    (7, "Sentire il tutor dello stage"),
)


def seed_casework() -> int:
    """The demo operators' day: a few tasks and notes on their people, and the reminders
    Approdo raises by itself (checks after placements, stages ending)."""
    from approdo.casework.models import Note, Task
    from approdo.casework.services import raise_due_tasks
    from approdo.companies.models import Company

    today = timezone.localdate()
    created = 0
    for user in User.objects.filter(username__in=("operatore", "operatrice")):
        people = list(
            Person.objects.filter(case_manager=user, status=Status.IN_CARICO).order_by("pk")[
                : len(DEMO_TASKS)
            ]
        )
        for person, (days, title) in zip(people, DEMO_TASKS, strict=False):
            Task.objects.create(
                person=person,
                title=title,
                due_on=today + timedelta(days=days),
                assignee=user,
                origin=Task.Origin.MANUAL,
                created_by=user,
            )
            Note.objects.create(
                person=person,
                text="Sentita al telefono: conferma l'interesse e la disponibilità.",
                author=user,
                created_at=timezone.now() - timedelta(days=abs(days) + 2),
            )
            created += 1
        # And one on a company the operator follows: a call back to the contact person.
        company = Company.objects.filter(vacancies__created_by=user).first() or (
            Company.objects.order_by("pk").first()
        )
        if company is not None:
            Task.objects.create(
                company=company,
                title="Richiamare il referente per le nuove assunzioni di primavera",
                due_on=today + timedelta(days=1),
                assignee=user,
                origin=Task.Origin.MANUAL,
                created_by=user,
            )
            Note.objects.create(
                company=company,
                text="Il referente preferisce essere contattato per e-mail al mattino.",
                author=user,
            )
    return created + raise_due_tasks(today=today)


DEMO_BUSINESSES = (
    "Forno di quartiere",
    "Ciclofficina",
    "Servizi di pulizia",
    "Sartoria",
    "Manutenzione del verde",
    "Bar caffetteria",
    "Riparazione elettrodomestici",
    "Ditta di traslochi",
)
DEMO_SOCIAL_PROJECTS = (
    ("Bottega del riuso", "Coop. Soc. La Serra"),
    ("Orto terapeutico", "Coop. Soc. Il Ponte"),
    ("Laboratorio di riuso tessile", "APS Quartiere Aperto"),
    ("Emporio solidale", "Impresa sociale Riuso"),
    ("Manutenzione aree verdi", "Coop. Soc. La Serra"),
    ("Ristorante di comunità", "Coop. Soc. Il Ponte"),
)


@transaction.atomic
def seed_projects(*, seed: int = 2026) -> int:
    """Self-employment and social-innovation projects in every state, a committee, the
    guarantee fund (its ceiling raised from 100,000 to 150,000 euro) with loans and
    repayments, a call for projects with its criteria, and the two calls for grants."""
    from approdo.partners.models import Partner
    from approdo.placements.models import Placement
    from approdo.projects.models import (
        CallCriterion,
        CommitteeDecision,
        CommitteeSession,
        FundMovement,
        FundSettings,
        GrantApplication,
        GrantCall,
        GrantKind,
        Payment,
        Project,
        ProjectCall,
        ProjectState,
        ProjectStateChange,
    )

    rng = random.Random(seed)
    today = timezone.localdate()
    coordinator = User.objects.filter(username="coordinatrice").first()
    people = list(Person.objects.filter(status=Status.IN_CARICO).order_by("pk")[:400])
    if not people:
        return 0
    FundSettings.objects.update_or_create(
        pk=1, defaults={"bank": "Banca di Comunità (demo)", "warning_threshold": 20000}
    )
    three_years_ago = date(today.year - 3, 3, 1)
    FundMovement.objects.create(
        on=three_years_ago, kind="versamento", amount=100000, note="Dotazione iniziale"
    )
    FundMovement.objects.create(
        on=date(today.year - 1, 6, 1),
        kind="versamento",
        amount=50000,
        note="Plafond alzato a 150.000 euro perché non si esaurisse",
    )
    call = ProjectCall.objects.create(
        title=f"Bando innovazione sociale {today.year - 1}",
        opens_on=date(today.year - 1, 2, 1),
        closes_on=date(today.year - 1, 4, 30),
        description="Progetti del terzo settore che creano lavoro per le persone del programma.",
    )
    for name, weight in (("Impatto occupazionale", 40), ("Sostenibilità", 30), ("Rete", 30)):
        CallCriterion.objects.create(call=call, name=name, weight=weight)
    organisations = {
        name: Partner.objects.get_or_create(name=name, defaults={"kind": "terzo settore"})[0]
        for _, name in DEMO_SOCIAL_PROJECTS
    }
    states = [
        ProjectState.CANDIDATO,
        ProjectState.RIFIUTATO,
        ProjectState.RIFIUTATO,
        ProjectState.IN_ACCOMPAGNAMENTO,
        ProjectState.STAND_BY,
        ProjectState.VALUTATO_POSITIVAMENTE,
        ProjectState.AVVIATO,
        ProjectState.RITIRATO,
    ]
    projects = []
    for index, person in enumerate(rng.sample(people, k=min(30, len(people)))):
        submitted = today - timedelta(days=rng.randint(30, 1000))
        state = states[index % len(states)]
        projects.append(
            Project(
                kind="autoimpiego",
                title=DEMO_BUSINESSES[index % len(DEMO_BUSINESSES)],
                person=person,
                submitted_on=submitted,
                state=state,
                state_on=min(today, submitted + timedelta(days=rng.randint(20, 120))),
                coach=coordinator,
                created_by=coordinator,
            )
        )
    for index, (title, name) in enumerate(DEMO_SOCIAL_PROJECTS):
        submitted = call.opens_on + timedelta(days=10 + index * 7)
        projects.append(
            Project(
                kind="innovazione sociale",
                title=title,
                organisation=organisations[name],
                call=call,
                submitted_on=submitted,
                state=[
                    ProjectState.CONCLUSO,
                    ProjectState.VALUTATO_POSITIVAMENTE,
                    ProjectState.RIFIUTATO,
                    ProjectState.IN_ACCOMPAGNAMENTO,
                    ProjectState.IN_ACCOMPAGNAMENTO,
                    ProjectState.CANDIDATO,
                ][index],
                state_on=submitted + timedelta(days=60),
                unlinked_jobs=[2, 1, 0, 0, 0, 0][index],
                created_by=coordinator,
            )
        )
    Project.objects.bulk_create(projects)
    ProjectStateChange.objects.bulk_create(
        ProjectStateChange(
            project=project,
            to_state=project.state,
            on=project.state_on,
            reason="Stato di partenza della demo",
            by=coordinator,
        )
        for project in projects
    )
    approved = [
        p
        for p in projects
        if p.state in ("valutato positivamente", "avviato", "concluso e finanziato")
    ]
    session = CommitteeSession.objects.create(
        held_on=date(today.year - 1, 7, 10),
        members="Presidente del comitato, Comune\nReferente della Città metropolitana\n"
        "Referente della Diocesi\nEsperto di microcredito, banca partner",
        notes="Esaminati i progetti in accompagnamento.",
        created_by=coordinator,
    )
    for project in approved:
        amount = rng.choice([4000, 5000, 6500, 8000])
        project.committee_on = min(session.held_on, project.state_on)
        project.approved_amount = amount
        project.save(update_fields=["committee_on", "approved_amount"])
        if project.committee_on == session.held_on:
            CommitteeDecision.objects.create(
                session=session, project=project, decision="approvato", amount=amount
            )
    # Money: grants, microcredit and guaranteed loans, within what the fund could bear.
    available = 100000
    for index, project in enumerate(approved):
        paid_on = min(today, project.state_on + timedelta(days=15))
        Payment.objects.create(
            project=project,
            kind="contributo",
            amount=project.approved_amount / 2,
            due_on=paid_on,
            paid_on=paid_on,
            recorded_by=coordinator,
        )
        Payment.objects.create(
            project=project,
            kind="contributo",
            amount=project.approved_amount / 2,
            due_on=today + timedelta(days=60),
            recorded_by=coordinator,
        )
        if index % 2 == 0 and paid_on >= three_years_ago:
            loan_amount = rng.choice([8000, 10000, 15000])
            loan = Payment.objects.create(
                project=project,
                kind="finanziamento garantito",
                amount=loan_amount,
                due_on=paid_on,
                paid_on=paid_on,
                note="Banca di Comunità, 60 mesi",
                recorded_by=coordinator,
            )
            guarantee = min(loan_amount, available)
            FundMovement.objects.create(
                on=paid_on, kind="garanzia", amount=guarantee, loan=loan, recorded_by=coordinator
            )
            available -= guarantee
            if paid_on < today - timedelta(days=200):
                FundMovement.objects.create(
                    on=paid_on + timedelta(days=180),
                    kind="svincolo",
                    amount=guarantee / 4,
                    loan=loan,
                    note="Rate rimborsate",
                    recorded_by=coordinator,
                )
        elif project.kind == "innovazione sociale":
            Payment.objects.create(
                project=project,
                kind="microcredito",
                amount=3000,
                due_on=paid_on,
                paid_on=paid_on,
                recorded_by=coordinator,
            )
    done = next(p for p in projects if p.state == "concluso e finanziato")
    done.placements.add(*Placement.objects.order_by("-start_on")[:2])
    third_sector = Partner.objects.filter(kind="terzo settore").order_by("pk").first()
    over_55 = GrantCall.objects.create(
        kind=GrantKind.OVER_55,
        title="Incentivo per l'assunzione di persone dai 55 anni",
        year=today.year,
        opens_on=date(today.year, 1, 1),
        yearly_cap=10000,
        minimum_age=55,
        eligible_kinds=["terzo settore"],
        description="Fino a 10.000 euro all'anno per ogni assunzione, in proporzione per i "
        "contratti più brevi.",
    )
    deadline_year = today.year + 1 if today.month > 1 else today.year
    GrantCall.objects.create(
        kind=GrantKind.INTERMEDIARI,
        title=f"Progetti degli intermediari del lavoro {deadline_year}",
        year=deadline_year,
        opens_on=date(deadline_year - 1, 10, 1),
        deadline=date(deadline_year, 1, 31),
        yearly_cap=40000,
        eligible_kinds=["agenzia per il lavoro"],
        description="Progetti fino a 40.000 euro all'anno per inserire al lavoro le persone "
        "del programma.",
    )
    older = next((p for p in people if p.birth_date and p.birth_date.year <= today.year - 56), None)
    if older is not None and third_sector is not None and older.fiscal_code:
        GrantApplication.objects.create(
            call=over_55,
            organisation=third_sector,
            email=third_sector.email or "amministrazione@terzosettore.example.it",
            submitted_on=today - timedelta(days=5),
            amount_requested=10000,
            fiscal_code=older.fiscal_code,
            person=older,
            hired_on=today - timedelta(days=20),
            created_by=coordinator,
        )
    return len(projects)


# Name, subject and text of the programme's ready-made communications.
DEMO_MAILING_TEMPLATES = (
    (
        "Invito a rientrare",
        "{{ nome }}, il programma è di nuovo a sua disposizione",
        "Gentile {{ nome }},\nè passato un po' di tempo dall'ultima volta che ci siamo sentiti. "
        "Se cerca ancora lavoro, può tornare a farsi seguire: risponda a questa e-mail o chiami "
        "lo sportello, e fisseremo un colloquio.",
    ),
    (
        "Nuovo corso",
        "Un corso gratuito per lei",
        "Gentile {{ nome }},\nstanno per aprire le iscrizioni a un nuovo corso gratuito. Se le "
        "interessa, ne parli con {{ operatore }} al prossimo colloquio "
        "({{ prossimo_appuntamento }}) o risponda a questa e-mail.",
    ),
    (
        "Notizie dal programma",
        "Notizie dal programma",
        "Gentile {{ nome }},\nle scriviamo per darle alcune notizie sulle attività dei prossimi "
        "mesi: incontri con le aziende, corsi e sportelli aperti.",
    ),
)


@transaction.atomic
def seed_mailings() -> int:
    """The ready-made communications, a saved search of those who left for work, and a
    mailing to it sent last month (its messages as the outbox kept them)."""
    from approdo.comms.models import OutboundEmail
    from approdo.mailings.models import Mailing, MailingTemplate
    from approdo.mailings.services import start_sending, write_messages
    from approdo.people.models import SavedSearch

    coordinator = User.objects.filter(role=Role.COORDINATORE).order_by("pk").first()
    for name, subject, body in DEMO_MAILING_TEMPLATES:
        MailingTemplate.objects.get_or_create(
            name=name, defaults={"subject": subject, "body": body, "updated_by": coordinator}
        )
    search, _ = SavedSearch.objects.get_or_create(
        owner=coordinator,
        name="Uscite/i per lavoro",
        defaults={"query": "status=fuori+protocollo&exit_reason=lavora", "shared": True},
    )
    template = MailingTemplate.objects.get(name="Notizie dal programma")
    mailing = Mailing.objects.create(
        subject="Come va il lavoro? Ci racconti",
        body="Gentile {{ nome }},\nci piacerebbe sapere come va il lavoro che ha trovato. "
        + template.body.split("\n", 1)[1],
        people_query=search.query,
        search_name=search.name,
        reply_to=settings.PROGRAMME_EMAIL or "sportello@insiemeperillavoro.example.it",
        created_by=coordinator,
    )
    start_sending(mailing)
    written = write_messages(mailing.pk)
    sent_at = timezone.now() - timedelta(days=30)
    OutboundEmail.objects.filter(mailing=mailing, status=OutboundEmail.Status.QUEUED).update(
        status=OutboundEmail.Status.SENT, sent_at=sent_at, attempts=1
    )
    Mailing.objects.filter(pk=mailing.pk).update(
        state=Mailing.State.DONE, started_at=sent_at, finished_at=sent_at
    )
    # Its slices were queued by start_sending: nothing is left for them to send.
    seed_exit_survey(coordinator, sent_at)
    return written


def seed_exit_survey(coordinator, sent_at) -> None:
    """The questionnaire for people who left, sent to those who left, about a quarter of
    whom answered (half of them working)."""
    from approdo.surveys.models import Invitation, Survey
    from approdo.surveys.services import create_exit_survey

    rng = random.Random(2026)
    survey = create_exit_survey(by=coordinator)
    survey.state = Survey.State.OPEN
    survey.save(update_fields=["state"])
    questions = {question.text: question for question in survey.questions.all()}
    left = Person.objects.filter(status=Status.FUORI_PROTOCOLLO).order_by("pk")[:400]
    invitations = []
    for person in left:
        answers = {}
        if rng.random() < 0.25:
            working = rng.random() < 0.5
            answers[str(questions["Oggi lavora?"].pk)] = "Sì" if working else "No"
            if working:
                answers[str(questions["Con quale contratto?"].pk)] = rng.choice(
                    questions["Con quale contratto?"].choices
                )
                answers[str(questions["Ha trovato questo lavoro grazie al programma?"].pk)] = (
                    rng.choice(["Sì", "In parte", "No"])
                )
            answers[str(questions["Quanto è soddisfatta/o del programma?"].pk)] = str(
                rng.choice([3, 4, 4, 5, 5, 2])
            )
        invitations.append(
            Invitation(
                survey=survey,
                person=person,
                answers=answers,
                saved_at=sent_at + timedelta(days=2) if answers else None,
                submitted_at=sent_at + timedelta(days=2) if answers else None,
            )
        )
    Invitation.objects.bulk_create(invitations)


DEMO_WEBINARS = (
    "Come si scrive un curriculum che viene letto",
    "Il colloquio di lavoro: cosa chiedono le aziende",
    "Logistica e magazzino: i mestieri che cercano persone",
    "Lavorare nell'assistenza alle persone",
    "Contratti, buste paga e diritti: le basi",
    "Mettersi in proprio: dall'idea al progetto",
    "Le competenze digitali che servono per lavorare",
)
DEMO_SPEAKERS = (
    ("Chiara Montanari", "Ufficio del personale, Interporto Bologna"),
    ("Davide Benassi", "Consulente del lavoro"),
    ("Francesca Lodi", "Cooperativa sociale La Piazza"),
    ("Marco Ferri", "Centro per l'impiego di Bologna"),
    ("Silvia Gardini", "Fondazione per l'innovazione sociale"),
    ("Paolo Serra", "Rete delle aziende del Board"),
    ("Elisa Rinaldi", "Tutor del programma"),
    ("Associazione Lavoro e Comunità", ""),
)


def _visitor_address(first: str, last: str, number: int) -> str:
    return f"{normalise(first)}.{normalise(last)}{number}@example.org".replace(" ", "")


@transaction.atomic
def seed_events(*, seed: int = 2026) -> int:
    """A cycle of seven webinars (five held, with attendance; two to come, open on the
    public page) with their speakers, and a digital job fair in three weeks with the stands
    of Board companies and the first bookings. Returns the registrations created."""
    from approdo.companies.models import Company
    from approdo.companies.selectors import board_members_on
    from approdo.events.models import Event, Registration, Session, Speaker
    from approdo.jobfair.models import Booking, JobFair, Stand
    from approdo.jobfair.services import save_stand
    from approdo.vacancies.models import Vacancy

    rng = random.Random(seed)
    fake = _faker("it_IT")
    fake.seed_instance(seed)
    coordinator = User.objects.filter(role=Role.COORDINATORE).order_by("pk").first()
    speakers = [
        Speaker.objects.create(
            name=name,
            organisation=organisation,
            is_organisation=not organisation,
            bio=f"Da anni accompagna le persone nella ricerca del lavoro ({organisation or name}).",
        )
        for name, organisation in DEMO_SPEAKERS
    ]
    cycle = Event.objects.create(
        title="Lavoro in pratica: sette webinar",
        description="Un ciclo di incontri online, aperto a tutti, con aziende ed esperti.",
        is_series=True,
        published=True,
        created_by=coordinator,
    )
    people = list(
        Person.objects.exclude(email="")
        .order_by("pk")
        .values("pk", "first_name", "last_name", "email")[:400]
    )
    now = timezone.now()
    registrations = []
    for number, title in enumerate(DEMO_WEBINARS):
        start = (now + timedelta(days=7 * (number - 4))).replace(
            hour=17, minute=30, second=0, microsecond=0
        )
        session = Session.objects.create(
            event=cycle,
            title=title,
            starts_at=start,
            ends_at=start + timedelta(minutes=90),
            room_url=f"https://video.insiemeperillavoro.example.it/webinar-{number + 1}",
            capacity=200,
        )
        session.speakers.set(rng.sample(speakers, rng.randint(2, 4)))
        held = start < now
        for _ in range(rng.randint(110, 160) if held else rng.randint(30, 60)):
            if people and rng.random() < 0.35:
                person = people.pop(rng.randrange(len(people)))
                who = {
                    "person_id": person["pk"],
                    "first_name": person["first_name"],
                    "last_name": person["last_name"],
                    "email": person["email"].lower(),
                }
            else:
                first, last = fake.first_name(), fake.last_name()
                who = {
                    "first_name": first,
                    "last_name": last,
                    "email": _visitor_address(first, last, rng.randint(1, 999)),
                    "organisation": rng.choice(["", "", "Caritas", "Comune di Bologna", "ASP"]),
                }
            minutes = rng.choice([None, 20, 60, 75, 85, 90, 90]) if held else None
            registrations.append(
                Registration(
                    session=session,
                    privacy_version=settings.PRIVACY_NOTICE_VERSION,
                    attended=(minutes is not None and minutes >= 68) if held else None,
                    attended_minutes=minutes,
                    reminder_sent_at=start - timedelta(days=1) if held else None,
                    link_sent_at=start - timedelta(minutes=30) if held else None,
                    **who,
                )
            )
    Registration.objects.bulk_create(registrations, ignore_conflicts=True)

    fair = JobFair.objects.create(
        title="Fiera del lavoro metropolitana",
        description="Incontri online di venti minuti con le aziende del Board che assumono.",
        day=timezone.localdate() + timedelta(days=21),
        published=True,
        created_by=coordinator,
    )
    members = board_members_on(fair.day).values("company_id")
    open_requests = Vacancy.objects.filter(status=Vacancy.OPEN_STATUS, company_id__in=members)
    companies = list(
        Company.objects.filter(pk__in=open_requests.values("company_id")).order_by("name")[:6]
    )
    for company in companies:
        stand = save_stand(
            Stand(
                fair=fair,
                company=company,
                description=f"{company.name} presenta le sue ricerche di personale.",
                video_room_url=f"https://video.insiemeperillavoro.example.it/fiera-{company.pk}",
                contact=company.contacts.first(),
            ),
            vacancies=list(open_requests.filter(company=company)[:3]),
        )
        requests = list(stand.vacancies.all())
        for slot in rng.sample(list(stand.slots.all()), 4):
            first, last = fake.first_name(), fake.last_name()
            Booking.objects.create(
                slot=slot,
                first_name=first,
                last_name=last,
                email=_visitor_address(first, last, rng.randint(1, 999)),
                vacancy=rng.choice(requests) if requests else None,
                privacy_version=settings.PRIVACY_NOTICE_VERSION,
            )
    return len(registrations)
