"""Factories for tests: valid fiscal codes, Bologna-area comuni, staff with 2FA."""

import itertools
from datetime import date, datetime, time, timedelta

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from approdo.accounts.models import Team, User
from approdo.accounts.roles import Role
from approdo.intake.models import AgendaSlot
from approdo.people.choices import Channel, Status
from approdo.people.identity import fiscal_code_for
from approdo.people.models import Person
from approdo.places.geography import normalise
from approdo.places.models import Comune

_birth_days = itertools.count()


def comune(name: str = "Bologna", province: str = "BO") -> Comune:
    return Comune.objects.get(name=name, province_code=province)


def ips_service() -> Team:
    return Team.objects.get_or_create(name="Servizio IPS", defaults={"is_ips_service": True})[0]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"operatore{n}")
    first_name = "Luca"
    last_name = factory.Sequence(lambda n: f"Operatore{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@approdo.test")
    role = Role.OPERATORE
    # IPS specialists belong to the IPS service: they read the people in the IPS path.
    team = factory.LazyAttribute(
        lambda user: ips_service() if user.role == Role.SPECIALISTA_IPS else None
    )
    password = factory.PostGenerationMethodCall("set_password", "password-di-prova-lunga")

    @factory.post_generation
    def totp(user, create, extracted, **kwargs):
        user.save()
        if create and extracted is not False:
            TOTPDevice.objects.create(user=user, name="Autenticatore", confirmed=True)


class PersonFactory(factory.django.DjangoModelFactory):
    """A person registered at the desk, with a valid fiscal code matching the registry data."""

    class Meta:
        model = Person

    first_name = factory.Iterator(["Mario", "Giulia", "Ahmed", "Elena", "Luca", "Fatima"])
    last_name = factory.Iterator(["Rossi", "Bianchi", "El Amrani", "Popescu", "Verdi", "Ndiaye"])
    sex = factory.LazyAttribute(
        lambda p: "F" if p.first_name in {"Giulia", "Elena", "Fatima"} else "M"
    )
    birth_date = factory.LazyFunction(lambda: date(1985, 1, 1) + timedelta(days=next(_birth_days)))
    birth_comune = factory.LazyFunction(lambda: comune("Bologna"))
    birth_country = "Italia"
    fiscal_code = factory.LazyAttribute(
        lambda p: fiscal_code_for(
            p.last_name,
            p.first_name,
            p.sex,
            p.birth_date,
            p.birth_comune.cadastral_code if p.birth_comune else "Z330",
        )
    )
    citizenship = "Italia"
    residence_comune = factory.LazyFunction(lambda: comune("Bologna"))
    email = factory.Sequence(lambda n: f"persona{n}@esempio.it")
    phone = "3331234567"
    registered_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=5))
    channel = Channel.SPORTELLO
    status = Status.REGISTRATO
    privacy_accepted_at = factory.LazyFunction(timezone.now)
    privacy_notice_version = "2026-01"
    consent_proposal_at = factory.SelfAttribute("privacy_accepted_at")
    consent_cv_at = factory.SelfAttribute("privacy_accepted_at")
    search_name = factory.LazyAttribute(lambda p: normalise(f"{p.last_name} {p.first_name}"))


def working_day(*, days_ahead: int) -> date:
    """The first weekday at least `days_ahead` from today that is not a public holiday."""
    from approdo.intake.selectors import public_holidays

    day = timezone.localdate() + timedelta(days=days_ahead)
    holidays = public_holidays(day, day + timedelta(days=30))
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def slot_for(operator, *, days_ahead: int = 1, hour: int = 10) -> AgendaSlot:
    day = timezone.localdate() + timedelta(days=days_ahead)
    start = datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())
    return AgendaSlot.objects.create(
        operator=operator,
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
        location="Via Capramozza 13, Bologna",
    )


def ready_person(**fields) -> Person:
    """A person in charge and ready for work: the matching pool."""
    defaults = {
        "status": Status.IN_CARICO,
        "first_interview_outcome": "in target",
        "readiness": "pronto",
        "first_interview_at": timezone.now() - timedelta(days=10),
        "weekly_hours": 40,
        "shifts": ["mattina", "pomeriggio", "sera", "notte", "weekend"],
        "italian_level": "madrelingua",
        "education": "diploma",
    }
    cv_text = fields.pop("cv_text", "")
    person = PersonFactory(**{**defaults, **fields})
    if cv_text:
        from approdo.people.services import set_cv_text

        set_cv_text(person=person, text=cv_text)
    return person


def occupation(name: str = "Magazziniere"):
    from approdo.occupations.models import Occupation

    return Occupation.objects.get(name=name)


def company(name: str = "Logistica Emilia Srl", **fields):
    from approdo.companies.models import Company

    return Company.objects.create(
        name=name,
        vat_number=fields.pop("vat_number", None),
        comune=fields.pop("comune", None) or comune("Bologna"),
        **fields,
    )


def vacancy(*, requirements=(), **fields):
    """A request saved through the service, with requirements as (kind, value, is_must)."""
    from approdo.vacancies.services import save_vacancy

    data = {
        "company": fields.pop("company", None) or company(),
        "occupation": fields.pop("occupation", None) or occupation(),
        "job_title": "Magazziniere",
        "description": "Magazzino e inventario",
        "positions": 1,
        "workplace": comune("Bologna"),
        "placement_type": "assunzione",
        "contract": "tempo determinato",
        "weekly_hours": 30,
        "requested_on": timezone.localdate(),
        **fields,
    }
    return save_vacancy(
        data=data,
        by=None,
        requirements=[{"kind": k, "value": v, "is_must": m} for k, v, m in requirements],
    )


def ips_path(person: Person, *, specialist=None, start_on: date | None = None):
    """Open an IPS path for the person, as a specialist does on a referral."""
    from approdo.training.services import open_ips_path

    specialist = specialist or UserFactory(role=Role.SPECIALISTA_IPS, team=ips_service())
    start_on = start_on or timezone.localdate()
    path = open_ips_path(
        person=person,
        specialist=specialist,
        referred_by="Centro di salute mentale Bologna Est",
        referred_on=start_on,
        consent_given=True,
        start_on=start_on,
        by=specialist,
    )
    person.refresh_from_db()
    return path
