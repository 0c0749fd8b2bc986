from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import RegexValidator
from django.db import models

isco_code_validator = RegexValidator(
    r"^[1-9]\d{3}$|^0[1-3]\d{2}$",
    "Il codice ISCO-08 è un gruppo unitario di 4 cifre (ad esempio 4321 per i magazzinieri).",
)


class Occupation(models.Model):
    """A job of the programme's vocabulary, shared by vacancies, people and placements."""

    name = models.CharField("professione", max_length=120, unique=True)
    isco_code = models.CharField(
        "codice ISCO-08",
        max_length=4,
        validators=[isco_code_validator],
        help_text="Gruppo unitario della classificazione internazionale ISCO-08.",
    )
    synonyms = ArrayField(
        models.CharField(max_length=120),
        verbose_name="sinonimi e abbreviazioni",
        default=list,
        blank=True,
    )
    # Name and synonyms, lower case without accents: what free text is matched against.
    search_terms = ArrayField(models.CharField(max_length=120), default=list, editable=False)
    active = models.BooleanField("in uso", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "professione"
        verbose_name_plural = "professioni"
        indexes = [GinIndex(fields=["search_terms"], name="occupation_search_terms")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(isco_code__regex=r"^\d{4}$"), name="occupation_isco_4_digits"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from approdo.places.geography import normalise

        terms = {normalise(self.name), *(normalise(s) for s in self.synonyms)}
        self.search_terms = sorted(term for term in terms if term)
        super().save(*args, **kwargs)
