import pytest
from django import forms

from approdo.places.forms import ComuneField
from approdo.places.services import load_comuni


def test_a_comune_is_found_by_its_name_in_any_case_and_accent(db):
    assert ComuneField().clean("casalecchio di reno").name == "Casalecchio di Reno"
    assert ComuneField().clean("Forli").name == "Forlì"


def test_a_name_shared_by_two_comuni_needs_the_province(db):
    with pytest.raises(forms.ValidationError, match="aggiunga la provincia"):
        ComuneField().clean("Livo")
    assert ComuneField().clean("Livo (TN)").province_code == "TN"


def test_an_unknown_comune_is_refused_in_italian(db):
    with pytest.raises(forms.ValidationError, match="non è nell'elenco ISTAT"):
        ComuneField().clean("Gotham")


def test_loading_the_list_again_changes_nothing(db):
    from approdo.places.models import Comune

    before = Comune.objects.count()
    bologna = Comune.objects.get(name="Bologna")
    assert load_comuni() == before
    assert Comune.objects.count() == before
    assert Comune.objects.get(name="Bologna").latitude == bologna.latitude
