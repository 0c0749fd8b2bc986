"""Reference data of places: the ISTAT list of comuni with their coordinates."""

from django.db import transaction

from .geography import comune_coordinates, istat_comuni_rows, normalise
from .models import Comune


@transaction.atomic
def load_comuni() -> int:
    """Create or refresh every comune of the ISTAT list (the migrations do it on install;
    this serves a database whose rows were flushed, and updates of the list)."""
    points = comune_coordinates()
    comuni = [
        Comune(
            search_name=normalise(row["name"]),
            latitude=points.get(row["istat_code"], (None, None))[0],
            longitude=points.get(row["istat_code"], (None, None))[1],
            **row,
        )
        for row in istat_comuni_rows()
    ]
    Comune.objects.bulk_create(
        comuni,
        update_conflicts=True,
        unique_fields=["istat_code"],
        update_fields=[
            "name",
            "province_code",
            "region",
            "cadastral_code",
            "search_name",
            "latitude",
            "longitude",
        ],
    )
    return len(comuni)
