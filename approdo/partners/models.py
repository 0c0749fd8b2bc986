"""The programme's partner organisations (training providers, the mental-health service,
Caritas and the other bodies that refer people, INPS, employment agencies), their
contacts and agreements, and the people they refer."""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from approdo.core.fields import staff_reference


class PartnerKind(models.TextChoices):
    ENTE_FORMAZIONE = "ente di formazione", "Ente di formazione"
    SALUTE_MENTALE = "salute mentale", "Servizio di salute mentale"
    SERVIZI_SOCIALI = "servizi sociali", "Servizi sociali"
    TERZO_SETTORE = "terzo settore", "Ente del terzo settore (Caritas, associazioni)"
    INPS = "INPS", "INPS"
    AGENZIA_LAVORO = "agenzia per il lavoro", "Agenzia per il lavoro"
    CENTRO_IMPIEGO = "centro per l'impiego", "Centro per l'impiego"
    ALTRO = "altro", "Altro"


class Partner(models.Model):
    name = models.CharField("nome", max_length=200)
    kind = models.CharField("tipo", max_length=30, choices=PartnerKind.choices)
    fiscal_code = models.CharField("codice fiscale o partita IVA", max_length=16, blank=True)
    email = models.EmailField(
        "e-mail",
        blank=True,
        help_text="Riceve la conferma delle persone che il partner invia al programma.",
    )
    phone = models.CharField("telefono", max_length=30, blank=True)
    address = models.CharField("indirizzo", max_length=200, blank=True)
    comune = models.ForeignKey(
        "places.Comune",
        verbose_name="comune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField("note", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "partner"
        verbose_name_plural = "partner"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="partner_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class PartnerRelated:
    def get_additional_data(self):
        return {"partner_id": self.partner_id}


class PartnerContact(PartnerRelated, models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField("referente", max_length=150)
    role = models.CharField("ruolo", max_length=100, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("telefono", max_length=30, blank=True)

    class Meta:
        verbose_name = "referente del partner"
        verbose_name_plural = "referenti del partner"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.partner})"


class Agreement(PartnerRelated, models.Model):
    """A convention or protocol with a partner: its term and what each side commits to."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField("titolo", max_length=200)
    start_on = models.DateField("in vigore dal")
    end_on = models.DateField("fino al", null=True, blank=True)
    programme_commits = models.TextField("impegni del programma", blank=True)
    partner_commits = models.TextField("impegni del partner", blank=True)
    recorded_by = staff_reference("registrato da")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "accordo"
        verbose_name_plural = "accordi"
        ordering = ["-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="agreement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def in_force_on(self, day) -> bool:
        return self.start_on <= day and (self.end_on is None or self.end_on >= day)


class Referral(models.Model):
    """A person sent to the programme by a partner: who sent them, when and why."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="referrals")
    partner = models.ForeignKey(
        Partner, verbose_name="partner", on_delete=models.PROTECT, related_name="referrals"
    )
    contact = models.ForeignKey(
        PartnerContact,
        verbose_name="referente che invia",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    referred_on = models.DateField("data dell'invio")
    reason = models.TextField("motivo dell'invio", blank=True)
    confirmation_to = models.EmailField("conferma inviata a", blank=True)
    recorded_by = staff_reference("registrato da")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "invio da un partner"
        verbose_name_plural = "invii dai partner"
        ordering = ["-referred_on", "-pk"]
        indexes = [models.Index(fields=["partner", "-referred_on"], name="referral_partner")]

    def __str__(self) -> str:
        return f"Inviata da {self.partner} il {self.referred_on:%d/%m/%Y}"

    def get_additional_data(self):
        return {"person_id": self.person_id}
