from django import forms
from django.utils import timezone

from approdo.companies.models import Company
from approdo.partners.models import Partner
from approdo.people.choices import ItalianLevel, Licence
from approdo.people.selectors import person_by_reference
from approdo.ui.forms import OwnIdsMixin

from .models import (
    CatalogueCourse,
    Course,
    CourseCategory,
    CourseCommitment,
    CourseSession,
    EmployerContact,
    IPSPhase,
    Participation,
    PathEndReason,
)
from .selectors import ips_specialists, open_for_enrolment
from .services import CATALOGUE_FIELDS, COURSE_FIELDS


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OpenPathForm(forms.Form):
    referring_partner = forms.ModelChoiceField(
        label="Servizio partner che invia la persona",
        queryset=Partner.objects.order_by("name"),
        required=False,
        help_text="Se il servizio è tra i partner del programma.",
    )
    referred_by = forms.CharField(
        label="Servizio che invia la persona",
        max_length=200,
        required=False,
        help_text="Se non è tra i partner, il suo nome; per esempio: Centro di salute "
        "mentale Bologna Est.",
    )
    referred_on = forms.DateField(label="Data dell'invio", widget=_date())
    referral_reason = forms.CharField(
        label="Motivo dell'invio", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    start_on = forms.DateField(label="Inizio del percorso", widget=_date())
    specialist = forms.ModelChoiceField(
        label="Specialista IPS che segue la persona", queryset=None, required=False
    )
    consent_given = forms.BooleanField(
        label="La persona ha dato il consenso al percorso IPS e al trattamento dei dati "
        "sulla salute che comporta",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].queryset = ips_specialists()
        today = timezone.localdate()
        self.fields["referred_on"].initial = today
        self.fields["start_on"].initial = today


class PhaseForm(OwnIdsMixin, forms.Form):
    ids = "fase"
    phase = forms.ChoiceField(label="Nuova fase", choices=IPSPhase.choices)
    on = forms.DateField(label="Dal giorno", widget=_date())
    note = forms.CharField(
        label="Nota (obbligatoria per tornare a una fase precedente)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EmployerContactForm(OwnIdsMixin, forms.ModelForm):
    ids = "contatto"
    company = forms.ModelChoiceField(
        label="Azienda tra i partner", required=False, queryset=Company.objects.order_by("name")
    )

    class Meta:
        model = EmployerContact
        fields = ["company", "employer", "contacted_on", "kind", "outcome"]
        widgets = {"contacted_on": _date(), "outcome": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"employer": "Se l'azienda non è tra i partner, il suo nome."}


class ClosePathForm(OwnIdsMixin, forms.Form):
    ids = "chiusura"
    end_on = forms.DateField(label="Data di chiusura", widget=_date())
    reason = forms.ChoiceField(
        label="Motivo", choices=[("", "Scelga il motivo"), *PathEndReason.choices]
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CaseloadFilterForm(forms.Form):
    specialist = forms.ChoiceField(label="Specialista", required=False)
    phase = forms.ChoiceField(
        label="Fase", required=False, choices=[("", "Tutte"), *IPSPhase.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].choices = [
            ("", "Tutti"),
            ("nessuno", "Senza specialista"),
            *((str(user.pk), user.get_full_name() or user.username) for user in ips_specialists()),
        ]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        chosen = self.cleaned_data["specialist"]
        specialist = None
        if chosen == "nessuno":
            specialist = False
        elif chosen:
            specialist = ips_specialists().get(pk=chosen)
        return {"specialist": specialist, "phase": self.cleaned_data["phase"]}


# Courses ----------------------------------------------------------------------------------


class CatalogueCourseForm(forms.ModelForm):
    class Meta:
        model = CatalogueCourse
        fields = list(CATALOGUE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "gives_licence": "Chi completa il corso la ottiene: le classifiche che la chiedono "
            "propongono questo corso a chi non ce l'ha.",
            "gives_italian_level": "Il livello che il corso fa raggiungere.",
        }


class CourseForm(forms.ModelForm):
    catalogue = forms.ModelChoiceField(label="Corso a catalogo", queryset=None)
    title = forms.CharField(
        label="Titolo dell'edizione",
        max_length=200,
        required=False,
        help_text="Se vuoto, quello del corso a catalogo.",
    )

    class Meta:
        model = Course
        fields = ["catalogue", "title", *COURSE_FIELDS]
        widgets = {"start_on": _date(), "end_on": _date()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["catalogue"].queryset = CatalogueCourse.objects.filter(active=True)
        self.fields["provider"].required = True
        self.fields["provider"].queryset = Partner.objects.order_by("name")
        self.fields["provider"].help_text = "Un partner; se manca, lo si crea tra i partner."

    def clean(self):
        data = super().clean()
        if data.get("start_on") and data.get("end_on") and data["end_on"] < data["start_on"]:
            self.add_error("end_on", "La fine del corso precede il suo inizio.")
        return data


class CommitmentForm(OwnIdsMixin, forms.ModelForm):
    ids = "impegno"

    class Meta:
        model = CourseCommitment
        fields = ["company", "positions", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Company.objects.order_by("name")


class EnrolForm(OwnIdsMixin, forms.Form):
    ids = "iscrizione"
    person = forms.CharField(
        label="Codice fiscale o numero della scheda",
        max_length=16,
        help_text="Il numero della scheda è quello nell'indirizzo della pagina della persona.",
    )

    def clean_person(self):
        text = self.cleaned_data["person"].strip().upper()
        person = person_by_reference(text)
        if person is None:
            raise forms.ValidationError(f"Nessuna persona con codice fiscale o scheda «{text}».")
        return person


class PersonEnrolForm(OwnIdsMixin, forms.Form):
    ids = "corso"
    course = forms.ModelChoiceField(label="Edizione del corso", queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = (
            open_for_enrolment(today=timezone.localdate())
            .select_related("provider")
            .order_by("start_on", "title")
        )


class WithdrawForm(forms.Form):
    on = forms.DateField(label="Data del ritiro", widget=_date())
    reason = forms.CharField(label="Motivo del ritiro", max_length=500)


class SupportForm(forms.ModelForm):
    class Meta:
        model = Participation
        fields = ["fee_paid", "allowance", "support_note"]


class SessionForm(OwnIdsMixin, forms.ModelForm):
    ids = "lezione"

    class Meta:
        model = CourseSession
        fields = ["on", "starts_at", "ends_at", "hours", "topic"]
        widgets = {
            "on": _date(),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class AttendanceImportForm(OwnIdsMixin, forms.Form):
    ids = "registro"
    file = forms.FileField(
        label="Registro in CSV",
        help_text="Colonne: data (GG/MM/AAAA o AAAA-MM-GG), codice_fiscale, presente (sì/no). "
        "Le lezioni devono essere già inserite.",
    )


class CloseCourseForm(OwnIdsMixin, forms.Form):
    ids = "chiusura"
    on = forms.DateField(label="Data di chiusura", widget=_date())


class CourseFilterForm(forms.Form):
    q = forms.CharField(label="Titolo", required=False)
    provider = forms.ModelChoiceField(label="Ente di formazione", queryset=None, required=False)
    category = forms.ChoiceField(label="Categoria", required=False)
    state = forms.ChoiceField(
        label="Stato",
        required=False,
        choices=[("", "Tutti"), ("aperti", "Aperti alle iscrizioni"), ("chiusi", "Chiusi")],
    )
    year = forms.IntegerField(
        label="Anno di inizio", required=False, min_value=2000, max_value=2100
    )
    patente = forms.ChoiceField(label="Dà la patente o certificazione", required=False)
    italiano = forms.ChoiceField(label="Dà almeno il livello di italiano", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Partner.objects.filter(courses__isnull=False).distinct()
        self.fields["category"].choices = [("", "Tutte"), *CourseCategory.choices]
        self.fields["patente"].choices = [("", "Qualsiasi"), *Licence.choices]
        self.fields["italiano"].choices = [("", "Qualsiasi"), *ItalianLevel.choices]
