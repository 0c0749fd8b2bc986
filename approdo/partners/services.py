"""Partner records and the people partners refer to the programme."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from approdo.comms.services import queue_email

from .models import Agreement, Partner, PartnerContact, Referral

PARTNER_FIELDS = ("name", "kind", "fiscal_code", "email", "phone", "address", "comune", "notes")


@transaction.atomic
def save_partner(*, partner: Partner | None = None, data: dict) -> Partner:
    name = data["name"].strip()
    duplicate = Partner.objects.filter(name__iexact=name)
    if partner is not None:
        duplicate = duplicate.exclude(pk=partner.pk)
    if duplicate.exists():
        raise ValidationError({"name": f"Esiste già un partner che si chiama «{name}»."})
    partner = partner or Partner()
    for field in PARTNER_FIELDS:
        setattr(partner, field, data.get(field) or ("" if field != "comune" else None))
    partner.name = name
    partner.fiscal_code = partner.fiscal_code.strip().upper()
    partner.save()
    return partner


def add_contact(*, partner: Partner, data: dict) -> PartnerContact:
    return PartnerContact.objects.create(partner=partner, **data)


def add_agreement(*, partner: Partner, data: dict, by) -> Agreement:
    if data.get("end_on") and data["end_on"] < data["start_on"]:
        raise ValidationError({"end_on": "La fine dell'accordo precede il suo inizio."})
    return Agreement.objects.create(partner=partner, recorded_by=by, **data)


@transaction.atomic
def record_referral(
    *,
    person,
    partner: Partner,
    referred_on: date,
    reason: str = "",
    contact: PartnerContact | None = None,
    by=None,
) -> Referral:
    """Record that `partner` sent `person` to the programme, and confirm it to the partner
    (to the contact who sent them, else to the partner's address)."""
    if referred_on > timezone.localdate():
        raise ValidationError({"referred_on": "La data dell'invio non può essere futura."})
    if contact is not None and contact.partner_id != partner.pk:
        raise ValidationError({"contact": "Il referente scelto non appartiene a questo partner."})
    to = (contact.email if contact else "") or partner.email
    referral = Referral.objects.create(
        person=person,
        partner=partner,
        contact=contact,
        referred_on=referred_on,
        reason=reason,
        confirmation_to=to,
        recorded_by=by,
    )
    queue_email(
        to=to,
        kind="referral_confirmation",
        template="referral_confirmation",
        context={"referral": referral, "person": person, "partner": partner, "contact": contact},
        about=[person],
        requested_by=by,
    )
    return referral


def partners_by_name(names, *, kind_if_new: str) -> dict[str, int]:
    """Partners for these names, by lowercased name; those missing are created with
    `kind_if_new` (an import names organisations, Approdo keeps them as partners)."""
    wanted = {name.strip(): None for name in names if name and name.strip()}
    found = {
        name.lower(): pk
        for name, pk in Partner.objects.annotate(lowered=Lower("name"))
        .filter(lowered__in=[name.lower() for name in wanted])
        .values_list("name", "pk")
    }
    for name in wanted:
        if name.lower() not in found:
            found[name.lower()] = Partner.objects.create(name=name, kind=kind_if_new).pk
    return found
