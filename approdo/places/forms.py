"""Form fields for places: a comune typed by name, a country from the fiscal-code list."""

import re

from django import forms

from .geography import countries, normalise
from .models import Comune

COMUNE_WITH_PROVINCE = re.compile(r"^(?P<name>.+?)\s*\((?P<province>[A-Za-z]{2})\)\s*$")


class ComuneField(forms.CharField):
    """A comune typed by name ("Casalecchio di Reno" or "Livo (TN)"), resolved on the ISTAT list."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 130)
        super().__init__(**kwargs)
        # Suggestions come from the portal's public endpoint into a shared <datalist>.
        self.widget.attrs.update(
            {
                "list": "comuni-suggeriti",
                "autocomplete": "off",
                "hx-get": "/portale/comuni/",
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#comuni-suggeriti",
                "hx-swap": "innerHTML",
            }
        )

    def prepare_value(self, value):
        if isinstance(value, Comune):
            return str(value)
        if isinstance(value, str) and value.isdigit() and len(value) == 6:
            comune = Comune.objects.filter(pk=value).first()
            return str(comune) if comune else value
        return value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        match = COMUNE_WITH_PROVINCE.match(value)
        name, province = (match["name"], match["province"].upper()) if match else (value, "")
        candidates = Comune.objects.filter(search_name=normalise(name))
        if province:
            candidates = candidates.filter(province_code=province)
        found = list(candidates[:2])
        if not found:
            raise forms.ValidationError(
                f"Il comune «{value}» non è nell'elenco ISTAT: controlli come è scritto o "
                "scelga uno dei suggerimenti."
            )
        if len(found) > 1:
            raise forms.ValidationError(
                f"Esistono più comuni chiamati «{name}»: aggiunga la provincia, "
                f"ad esempio «{found[0]}»."
            )
        return found[0]


def country_choices():
    return [("", "— scelga —"), *[(name, name) for name in countries()]]
