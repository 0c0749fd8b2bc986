from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
        ("people", "0010_comune_moved_to_places"),
    ]

    operations = [migrations.AlterModelTable(name="comune", table=None)]
