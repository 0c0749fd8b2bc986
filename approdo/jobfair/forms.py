from django import forms
from django.utils import timezone

from approdo.companies.models import Company, CompanyContact
from approdo.companies.selectors import board_members_on
from approdo.events.forms import VisitorFields
from approdo.people.selectors import person_by_reference
from approdo.vacancies.models import Vacancy

from .models import JobFair, Stand


class FairForm(forms.ModelForm):
    class Meta:
        model = JobFair
        fields = [
            "title",
            "description",
            "day",
            "opens_at",
            "closes_at",
            "slot_minutes",
            "published",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", "La chiusura deve venire dopo l'apertura.")
        if (
            self.instance.pk
            and self.instance.stands.exists()
            and self.changed_data
            and ({"day", "opens_at", "closes_at", "slot_minutes"} & set(self.changed_data))
        ):
            raise forms.ValidationError(
                "Gli stand hanno già i loro orari: giorno, orari e durata degli incontri non "
                "si cambiano più."
            )
        return data


class StandForm(forms.ModelForm):
    video_room_url = forms.URLField(
        label="Stanza video dello stand",
        assume_scheme="https",
        help_text="Dove si tengono gli incontri: lo ricevono le persone che prenotano.",
    )

    class Meta:
        model = Stand
        fields = ["company", "description", "video_room_url", "contact", "vacancies"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "vacancies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, fair: JobFair, **kwargs):
        super().__init__(*args, **kwargs)
        members = board_members_on(fair.day).values("company_id")
        self.fields["company"].queryset = Company.objects.filter(pk__in=members).order_by("name")
        if self.instance.pk:
            # The company stays; its contacts and open requests are offered.
            del self.fields["company"]
            company = self.instance.company_id
            self.fields["contact"].queryset = CompanyContact.objects.filter(company_id=company)
            self.fields["vacancies"].queryset = Vacancy.objects.filter(
                company_id=company, status=Vacancy.OPEN_STATUS
            ).order_by("job_title")
        else:
            del self.fields["contact"]
            del self.fields["vacancies"]


def slot_label(slot) -> str:
    return f"{timezone.localtime(slot.starts_at):%H:%M}–{timezone.localtime(slot.ends_at):%H:%M}"


class _BookingFields(forms.Form):
    slot = forms.ChoiceField(label="Orario")
    vacancy = forms.ChoiceField(label="Richiesta di cui parlare", required=False)
    note = forms.CharField(
        label="Di cosa vorrebbe parlare",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, stand, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [("", "Scelga un orario")] + [
            (str(slot.pk), slot_label(slot)) for slot in slots
        ]
        self.fields["vacancy"].choices = [("", "Nessuna in particolare")] + [
            (str(vacancy.pk), vacancy.job_title) for vacancy in stand.vacancies.all()
        ]


class PublicBookingForm(_BookingFields, VisitorFields):
    field_order = ["slot", "vacancy", "first_name", "last_name", "email", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "email"
        ].help_text = "Qui arrivano la conferma e il collegamento alla stanza video."
        self.fields["privacy_accepted"].error_messages["required"] = (
            "Per prenotare occorre aver letto l'informativa."
        )


class StaffBookingForm(_BookingFields):
    person = forms.CharField(
        label="Codice fiscale o numero della scheda",
        max_length=16,
        help_text="La persona riceve la conferma all'indirizzo della sua scheda.",
    )

    def clean_person(self):
        text = self.cleaned_data["person"].strip().upper()
        person = person_by_reference(text)
        if person is None:
            raise forms.ValidationError(f"Nessuna persona con codice fiscale o scheda «{text}».")
        if not person.email:
            raise forms.ValidationError("La persona non ha un indirizzo e-mail nella scheda.")
        if person.consent_proposal_at is None:
            # The company reads the name of whom it meets: that is proposing the person.
            raise forms.ValidationError(
                "La persona non ha dato il consenso a essere proposta alle aziende."
            )
        return person
