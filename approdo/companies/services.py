"""Writes on companies: the card, sites, contacts, the Board, the interaction log."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from stdnum.it import iva

from approdo.core.services import assign_fields

from .models import BoardMembership, Company, CompanyContact, CompanyInteraction, CompanySite
from .sectors import lookup_sector

COMPANY_FIELDS = (
    "name",
    "vat_number",
    "fiscal_code",
    "is_private_family",
    "comune",
    "first_contact_on",
    "notes",
)


def clean_vat_number(raw: str) -> str:
    """Validate an Italian VAT number (partita IVA) including its check digit."""
    # As people write it: "IT 031 2345 0375", "031.2345.0375", "03123450375".
    number = re.sub(r"[\s.\-/]", "", raw or "").upper().removeprefix("IT")
    if not number.isdigit() or len(number) != 11:
        raise ValidationError({"vat_number": "La partita IVA ha 11 cifre."})
    if not iva.is_valid(number):
        raise ValidationError(
            {
                "vat_number": f"La partita IVA {number} non è valida: la cifra di "
                "controllo non corrisponde."
            }
        )
    return number


@transaction.atomic
def save_company(*, company: Company | None = None, data: dict, ateco_code: str = "") -> Company:
    """Create or change a company card; VAT and ATECO are checked before anything is written."""
    company = company or Company()
    assign_fields(instance=company, fields=COMPANY_FIELDS, data=data)
    if company.is_private_family:
        company.vat_number = None
    elif company.vat_number:
        company.vat_number = clean_vat_number(company.vat_number)
    else:
        company.vat_number = None
    if ateco_code:
        sector = lookup_sector(ateco_code)
        if sector is None:
            raise ValidationError(
                {
                    "ateco_code": f"Il codice ATECO «{ateco_code}» non esiste "
                    "nelle edizioni 2025, 2022 e 2007."
                }
            )
        company.ateco_code, company.ateco_edition = sector.code, sector.edition
        company.ateco_title, company.sector = sector.title, sector.section
    else:
        company.ateco_code = company.ateco_edition = company.ateco_title = company.sector = ""
    company.full_clean(exclude=["search_name"])
    company.save()
    return company


@transaction.atomic
def join_board(*, company: Company, joined_on: date) -> BoardMembership:
    if company.board_memberships.filter(left_on__isnull=True).exists():
        raise ValidationError("L'azienda fa già parte del Board.")
    return BoardMembership.objects.create(company=company, joined_on=joined_on)


@transaction.atomic
def leave_board(*, company: Company, left_on: date) -> BoardMembership:
    membership = company.board_memberships.filter(left_on__isnull=True).first()
    if membership is None:
        raise ValidationError("L'azienda non fa parte del Board.")
    if left_on < membership.joined_on:
        raise ValidationError("L'uscita dal Board non può precedere l'adesione.")
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    return membership


def add_site(*, company: Company, data: dict) -> CompanySite:
    site = CompanySite(company=company, **data)
    site.full_clean()
    site.save()
    return site


def add_contact(*, company: Company, data: dict) -> CompanyContact:
    contact = CompanyContact(company=company, **data)
    contact.full_clean()
    contact.save()
    return contact


def log_interaction(*, company: Company, data: dict, by) -> CompanyInteraction:
    interaction = CompanyInteraction(company=company, operator=by, **data)
    interaction.full_clean()
    interaction.save()
    return interaction
