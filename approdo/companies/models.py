from django.db import models
from django.db.models import F, Q

from approdo.core.fields import staff_reference
from approdo.core.validators import validate_plain_text


class Company(models.Model):
    """An employer: a company, a cooperative, or a private family hiring at home."""

    name = models.CharField("ragione sociale", max_length=200, validators=[validate_plain_text])
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    vat_number = models.CharField("partita IVA", max_length=11, null=True, blank=True)
    fiscal_code = models.CharField("codice fiscale", max_length=16, blank=True)
    is_private_family = models.BooleanField(
        "famiglia privata",
        default=False,
        help_text="Datore di lavoro domestico, senza partita IVA.",
    )
    ateco_code = models.CharField("codice ATECO", max_length=10, blank=True)
    ateco_edition = models.CharField("edizione ATECO", max_length=4, blank=True)
    ateco_title = models.CharField("attività ATECO", max_length=300, blank=True)
    # ATECO section letter (A–U), for filters and figures.
    sector = models.CharField("sezione ATECO", max_length=1, blank=True, db_index=True)
    comune = models.ForeignKey(
        "places.Comune",
        verbose_name="comune della sede legale",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    first_contact_on = models.DateField("primo contatto", null=True, blank=True)
    notes = models.TextField("note", blank=True)
    legacy_id = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "azienda"
        verbose_name_plural = "aziende"
        constraints = [
            models.UniqueConstraint(
                fields=["vat_number"],
                name="company_vat_unique",
                violation_error_message="Un'azienda con questa partita IVA è già registrata.",
            ),
            models.UniqueConstraint(fields=["legacy_id"], name="company_legacy_id_unique"),
            models.CheckConstraint(
                condition=Q(vat_number__isnull=True) | Q(vat_number__regex=r"^\d{11}$"),
                name="company_vat_11_digits",
            ),
            models.CheckConstraint(
                condition=Q(is_private_family=False) | Q(vat_number__isnull=True),
                name="company_family_has_no_vat",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from approdo.places.geography import normalise

        self.search_name = normalise(self.name)
        super().save(*args, **kwargs)


class CompanyRelated:
    def get_additional_data(self):
        return {"company_id": self.company_id}


class CompanySite(CompanyRelated, models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField("nome della sede", max_length=120)
    comune = models.ForeignKey(
        "places.Comune", verbose_name="comune", on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField("indirizzo", max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.comune.name})"


class CompanyContact(CompanyRelated, models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField("referente", max_length=150)
    role = models.CharField("ruolo", max_length=100, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("telefono", max_length=30, blank=True)

    class Meta:
        verbose_name = "referente"
        verbose_name_plural = "referenti"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BoardMembership(CompanyRelated, models.Model):
    """Membership of the companies' Board (the programme's network of committed employers)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="board_memberships")
    joined_on = models.DateField("adesione al Board")
    left_on = models.DateField("uscita dal Board", null=True, blank=True)

    class Meta:
        ordering = ["-joined_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="board_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"Board dal {self.joined_on:%d/%m/%Y}"


class CompanyInteraction(CompanyRelated, models.Model):
    class Kind(models.TextChoices):
        TELEFONATA = "telefonata", "Telefonata"
        VISITA = "visita", "Visita in azienda"
        INCONTRO = "incontro one-to-one", "Incontro one-to-one"
        EVENTO = "evento", "Evento"
        EMAIL = "e-mail", "E-mail"

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="interactions")
    kind = models.CharField("tipo", max_length=30, choices=Kind.choices)
    happened_on = models.DateField("data")
    notes = models.TextField("note", blank=True)
    operator = staff_reference("operatore")

    class Meta:
        ordering = ["-happened_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} del {self.happened_on:%d/%m/%Y}"
