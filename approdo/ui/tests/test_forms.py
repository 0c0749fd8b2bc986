import pytest
from django import forms

from approdo.ui.forms import CommaListField


def test_a_comma_list_is_cleaned_into_items():
    assert CommaListField(required=False).clean(" magazziniere, , cuoco ") == [
        "magazziniere",
        "cuoco",
    ]


def test_too_many_items_are_refused_in_italian():
    with pytest.raises(forms.ValidationError, match="Al massimo 20 voci"):
        CommaListField().clean(", ".join(f"lavoro {n}" for n in range(21)))


def test_an_overlong_item_or_text_is_refused():
    with pytest.raises(forms.ValidationError, match="troppo lungo"):
        CommaListField().clean("x" * 101)
    with pytest.raises(forms.ValidationError):
        CommaListField().clean("lavoro, " * 10_000)
