"""Fiscal codes and birth dates: decoding, cross-checks and the rules of admission."""

from dataclasses import dataclass
from datetime import date

from codicefiscale import codicefiscale

from .geography import ITALY, canonical_country

MINIMUM_AGE = 16


@dataclass(frozen=True)
class DecodedFiscalCode:
    code: str
    birth_date: date
    sex: str
    birth_cadastral_code: str  # "A944" for Bologna, "" when born abroad
    birth_country: str  # "Italia" or the country's Italian name


def clean_fiscal_code(raw: str) -> str:
    return "".join((raw or "").split()).upper()


def decode_fiscal_code(raw: str) -> DecodedFiscalCode:
    """Decode a fiscal code; ValueError with an Italian message when it is not valid."""
    code = clean_fiscal_code(raw)
    if len(code) != 16:
        raise ValueError(
            f"Il codice fiscale deve avere 16 caratteri (ne ha {len(code)}): controlli di "
            "averlo scritto per intero."
        )
    if not codicefiscale.is_valid(code):
        raise ValueError(
            f"Il codice fiscale «{code}» non è valido: il carattere di controllo non "
            "corrisponde. Controlli lettere e cifre sulla tessera sanitaria."
        )
    decoded = codicefiscale.decode(code)
    place = decoded.get("birthplace") or {}
    born_abroad = place.get("province") == "EE"
    return DecodedFiscalCode(
        code=code,
        birth_date=decoded["birthdate"].date(),
        sex=decoded["gender"],
        birth_cadastral_code="" if born_abroad else place.get("code", ""),
        birth_country=(canonical_country(place.get("name", "")) or place.get("name", ""))
        if born_abroad
        else ITALY,
    )


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def birth_date_problems(birth_date: date, today: date) -> list[str]:
    """Reasons why a birth date cannot be accepted, in Italian (empty when fine)."""
    if birth_date > today:
        return ["La data di nascita è nel futuro: controlli giorno, mese e anno."]
    if age_on(birth_date, today) < MINIMUM_AGE:
        return [f"Per iscriversi al programma occorre avere almeno {MINIMUM_AGE} anni."]
    return []


def identity_mismatches(decoded: DecodedFiscalCode, *, birth_date=None, sex=None) -> dict:
    """Fields whose typed value contradicts the fiscal code: field -> Italian message."""
    problems = {}
    if birth_date and birth_date != decoded.birth_date:
        problems["birth_date"] = (
            f"La data di nascita ({birth_date:%d/%m/%Y}) non corrisponde a quella del codice "
            f"fiscale ({decoded.birth_date:%d/%m/%Y})."
        )
    if sex and sex != decoded.sex:
        problems["sex"] = "Il sesso indicato non corrisponde a quello del codice fiscale."
    return problems
