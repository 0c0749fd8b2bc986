from django.db import migrations


def create_weights(apps, schema_editor):
    apps.get_model("matching", "MatchingWeights").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [migrations.RunPython(create_weights, migrations.RunPython.noop)]
