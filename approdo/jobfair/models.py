from datetime import time

from django.db import models

from approdo.core.fields import staff_reference
from approdo.events.models import new_code, new_token


class JobFair(models.Model):
    """A digital job fair: companies of the Board take a stand, people book 1:1 meetings."""

    title = models.CharField("titolo", max_length=200)
    description = models.TextField("descrizione", max_length=4000)
    day = models.DateField("giorno")
    opens_at = models.TimeField("apertura", default=time(9, 0))
    closes_at = models.TimeField("chiusura", default=time(13, 0))
    slot_minutes = models.PositiveSmallIntegerField("durata di un incontro (minuti)", default=20)
    published = models.BooleanField(
        "prenotazioni aperte", default=False, help_text="La pagina pubblica accetta prenotazioni."
    )
    code = models.CharField(max_length=20, unique=True, default=new_code, editable=False)
    created_by = staff_reference("creata da")
    created_at = models.DateTimeField("creata il", auto_now_add=True)

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = "fiera del lavoro"
        verbose_name_plural = "fiere del lavoro"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="fair_closes_after"
            ),
            models.CheckConstraint(
                condition=models.Q(slot_minutes__gte=5, slot_minutes__lte=120),
                name="fair_slot_length",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Stand(models.Model):
    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="stands")
    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="fair_stands"
    )
    description = models.TextField("presentazione", max_length=2000)
    video_room_url = models.URLField("stanza video dello stand")
    contact = models.ForeignKey(
        "companies.CompanyContact",
        verbose_name="referente (riceve l'agenda)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    vacancies = models.ManyToManyField(
        "vacancies.Vacancy", blank=True, related_name="fair_stands", verbose_name="richieste"
    )
    # The company's agenda page, without an account: the link goes to its contact.
    agenda_token = models.CharField(max_length=40, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["company__name"]
        verbose_name = "stand"
        verbose_name_plural = "stand"
        constraints = [
            models.UniqueConstraint(fields=["fair", "company"], name="one_stand_per_company")
        ]

    def __str__(self) -> str:
        return f"{self.company} – {self.fair}"


class Slot(models.Model):
    stand = models.ForeignKey(Stand, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField("inizio")
    ends_at = models.DateTimeField("fine")

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.UniqueConstraint(fields=["stand", "starts_at"], name="slot_once")]

    def __str__(self) -> str:
        return f"{self.stand.company} {self.starts_at:%H:%M}"


class Booking(models.Model):
    """A 1:1 meeting booked at a stand, by a visitor from the public page (a person of the
    programme when the address is the one on their file) or by an operator for a person."""

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="bookings")
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="fair_bookings",
    )
    first_name = models.CharField("nome", max_length=100)
    last_name = models.CharField("cognome", max_length=100)
    email = models.EmailField("e-mail")  # lower case
    vacancy = models.ForeignKey(
        "vacancies.Vacancy",
        verbose_name="richiesta di cui parlare",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("di cosa vorrebbe parlare", max_length=300, blank=True)
    privacy_version = models.CharField(max_length=20, blank=True)
    token = models.CharField(max_length=40, unique=True, default=new_token)
    created_by = staff_reference("prenotato da")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField("annullata il", null=True, blank=True)
    # After the fair: whether the meeting took place, and the candidacy it became.
    held = models.BooleanField("incontro svolto", null=True, blank=True)
    candidacy = models.ForeignKey(
        "matching.Candidacy", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["slot__starts_at"]
        verbose_name = "prenotazione alla fiera"
        verbose_name_plural = "prenotazioni alla fiera"
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=models.Q(cancelled_at__isnull=True),
                name="slot_booked_once",
            )
        ]
        indexes = [
            models.Index(fields=["email"], name="booking_email"),
            models.Index(fields=["person"], name="booking_person"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} – {self.slot}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
