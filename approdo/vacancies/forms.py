from django import forms
from django.utils import timezone

from approdo.companies.models import Company
from approdo.occupations.models import Occupation
from approdo.people.choices import Education, ItalianLevel, Licence
from approdo.places.forms import ComuneField
from approdo.ui.forms import CommaListField, OwnIdsMixin, PlainFilterForm

from .models import RequirementKind, Vacancy, VacancyStatus
from .services import VACANCY_FIELDS
from .terms import PlacementType


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


LEVEL_CHOICES = [("", "—"), *ItalianLevel.choices]
EDUCATION_CHOICES = [("", "—"), *Education.choices]


class VacancyForm(forms.ModelForm):
    company = forms.ModelChoiceField(label="Azienda", queryset=Company.objects.order_by("name"))
    occupation = forms.ModelChoiceField(
        label="Professione (vocabolario)", queryset=Occupation.objects.filter(active=True)
    )
    workplace = ComuneField(label="Comune del luogo di lavoro")
    requested_on = forms.DateField(
        label="Data della richiesta", widget=_date(), initial=timezone.localdate
    )
    start_on = forms.DateField(label="Inizio previsto", widget=_date(), required=False)

    must_licences = forms.MultipleChoiceField(
        label="Patenti e attestati indispensabili",
        choices=Licence.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    nice_licences = forms.MultipleChoiceField(
        label="Patenti e attestati graditi",
        choices=Licence.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    must_italian = forms.ChoiceField(
        label="Italiano minimo indispensabile", required=False, choices=LEVEL_CHOICES
    )
    nice_italian = forms.ChoiceField(
        label="Italiano gradito", required=False, choices=LEVEL_CHOICES
    )
    must_education = forms.ChoiceField(
        label="Titolo di studio indispensabile", required=False, choices=EDUCATION_CHOICES
    )
    nice_education = forms.ChoiceField(
        label="Titolo di studio gradito", required=False, choices=EDUCATION_CHOICES
    )
    must_skills = CommaListField(
        label="Competenze indispensabili", required=False, help_text="Separate da virgole."
    )
    nice_skills = CommaListField(
        label="Competenze gradite", required=False, help_text="Separate da virgole."
    )
    must_experience = forms.BooleanField(
        label="Esperienza nella professione indispensabile", required=False
    )
    must_own_transport = forms.BooleanField(label="Mezzo proprio indispensabile", required=False)
    nice_own_transport = forms.BooleanField(label="Mezzo proprio gradito", required=False)
    max_distance_km = forms.IntegerField(
        label="Distanza massima da casa (km)", required=False, min_value=1, max_value=500
    )
    distance_is_must = forms.BooleanField(
        label="La distanza massima è indispensabile", required=False
    )

    class Meta:
        model = Vacancy
        fields = [name for name in VACANCY_FIELDS if name != "legacy_id"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.update(requirements_initial(self.instance))

    def requirements(self) -> list[dict]:
        data = self.cleaned_data
        result = []
        for is_must, prefix in ((True, "must"), (False, "nice")):
            for licence in data[f"{prefix}_licences"]:
                result.append(
                    {"kind": RequirementKind.LICENCE, "value": licence, "is_must": is_must}
                )
            if data[f"{prefix}_italian"]:
                result.append(
                    {
                        "kind": RequirementKind.ITALIAN,
                        "value": data[f"{prefix}_italian"],
                        "is_must": is_must,
                    }
                )
            if data[f"{prefix}_education"]:
                result.append(
                    {
                        "kind": RequirementKind.EDUCATION,
                        "value": data[f"{prefix}_education"],
                        "is_must": is_must,
                    }
                )
            for skill in data[f"{prefix}_skills"]:
                result.append({"kind": RequirementKind.SKILL, "value": skill, "is_must": is_must})
            if data[f"{prefix}_own_transport"]:
                result.append({"kind": RequirementKind.TRANSPORT, "value": "", "is_must": is_must})
        if data["must_experience"]:
            result.append({"kind": RequirementKind.EXPERIENCE, "value": "", "is_must": True})
        if data["max_distance_km"]:
            result.append(
                {
                    "kind": RequirementKind.DISTANCE,
                    "value": str(data["max_distance_km"]),
                    "is_must": data["distance_is_must"],
                }
            )
        return result


def requirements_initial(vacancy) -> dict:
    initial = {"must_licences": [], "nice_licences": [], "must_skills": [], "nice_skills": []}
    for requirement in vacancy.requirements.all():
        prefix = "must" if requirement.is_must else "nice"
        kind = requirement.kind
        if kind == RequirementKind.LICENCE:
            initial[f"{prefix}_licences"].append(requirement.value)
        elif kind == RequirementKind.SKILL:
            initial[f"{prefix}_skills"].append(requirement.value)
        elif kind == RequirementKind.ITALIAN:
            initial[f"{prefix}_italian"] = requirement.value
        elif kind == RequirementKind.EDUCATION:
            initial[f"{prefix}_education"] = requirement.value
        elif kind == RequirementKind.TRANSPORT:
            initial[f"{prefix}_own_transport"] = True
        elif kind == RequirementKind.EXPERIENCE:
            initial["must_experience"] = True
        elif kind == RequirementKind.DISTANCE:
            initial["max_distance_km"] = int(requirement.value)
            initial["distance_is_must"] = requirement.is_must
    return initial


class VacancyStatusForm(OwnIdsMixin, forms.Form):
    ids = "stato"

    to_status = forms.ChoiceField(label="Nuovo stato", choices=VacancyStatus.choices)
    note = forms.CharField(label="Nota", required=False, max_length=300)


class VacancyFilterForm(PlainFilterForm):
    date_ranges = (("requested_from", "requested_to"),)

    q = forms.CharField(label="Mansione, azienda o partita IVA", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Stato", required=False, choices=[("", "Tutte"), *VacancyStatus.choices]
    )
    occupation = forms.ModelChoiceField(
        label="Professione", required=False, queryset=Occupation.objects.all()
    )
    placement_type = forms.ChoiceField(
        label="Tipologia", required=False, choices=[("", "Tutte"), *PlacementType.choices]
    )
    requested_from = forms.DateField(label="Richieste dal", required=False, widget=_date())
    requested_to = forms.DateField(label="Richieste fino al", required=False, widget=_date())
