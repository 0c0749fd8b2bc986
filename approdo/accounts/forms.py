from django import forms


class PasswordStepForm(forms.Form):
    username = forms.CharField(label="Nome utente", max_length=150)
    password = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)


class TokenStepForm(forms.Form):
    token = forms.CharField(
        label="Codice di verifica",
        max_length=8,
        help_text="Il codice a 6 cifre mostrato dalla app di autenticazione.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError("Il codice è formato da 6 cifre.")
        return token
