from datetime import date

import pytest

from approdo.people.identity import (
    birth_date_problems,
    decode_fiscal_code,
    identity_mismatches,
)


def test_valid_fiscal_code_is_decoded_into_birth_date_sex_and_birthplace():
    decoded = decode_fiscal_code(" rssmra85t10a944c ")
    assert decoded.code == "RSSMRA85T10A944C"
    assert decoded.birth_date == date(1985, 12, 10)
    assert decoded.sex == "M"
    assert decoded.birth_cadastral_code == "A944"
    assert decoded.birth_country == "Italia"


def test_fiscal_code_of_someone_born_abroad_names_the_country():
    from approdo.people.identity import fiscal_code_for

    code = fiscal_code_for("El Amrani", "Fatima", "F", date(1990, 3, 4), "Z330")
    decoded = decode_fiscal_code(code)
    assert decoded.birth_country == "Marocco"
    assert decoded.birth_cadastral_code == ""
    assert decoded.sex == "F"


@pytest.mark.parametrize(
    "code, message",
    [
        ("RSSMRA85T10A944X", "carattere di controllo"),
        ("RSSMRA85T10", "16 caratteri"),
    ],
)
def test_invalid_fiscal_code_is_refused_with_an_italian_reason(code, message):
    with pytest.raises(ValueError, match=message):
        decode_fiscal_code(code)


def test_typed_birth_date_must_match_the_fiscal_code():
    decoded = decode_fiscal_code("RSSMRA85T10A944C")
    problems = identity_mismatches(decoded, birth_date=date(1985, 12, 11), sex="F")
    assert "10/12/1985" in problems["birth_date"]
    assert "sesso" in problems["sex"]


def test_birth_date_in_the_future_or_under_sixteen_is_refused():
    today = date(2026, 11, 27)
    assert "futuro" in birth_date_problems(date(2027, 1, 1), today)[0]
    assert "16 anni" in birth_date_problems(date(2011, 1, 1), today)[0]
    assert "controlli l'anno" in birth_date_problems(date(1800, 5, 1), today)[0]
    assert birth_date_problems(date(1930, 1, 1), today) == []
    assert birth_date_problems(date(2010, 11, 27), today) == []


def _library_decodes():
    from codicefiscale import codicefiscale

    codes = codicefiscale.decode("RSSMRA85T10A944C")["omocodes"][:12]
    codes.append(codicefiscale.encode("Amrani", "Fatima", "F", "04/03/1990", "Z330"))
    codes.append(codicefiscale.encode("Verdi", "Anna", "F", "31/12/2001", "F205"))
    return [(code, codicefiscale.decode(code)) for code in codes]


@pytest.mark.parametrize("code, expected", _library_decodes())
def test_decoding_agrees_with_python_codicefiscale_on_omocodes_and_foreign_births(code, expected):
    decoded = decode_fiscal_code(code)
    assert decoded.birth_date == expected["birthdate"].date()
    assert decoded.sex == expected["gender"]
    place = expected["birthplace"]
    if place["province"] == "EE":
        assert decoded.birth_country == place["name"] and decoded.birth_cadastral_code == ""
    else:
        assert decoded.birth_cadastral_code == place["code"]
