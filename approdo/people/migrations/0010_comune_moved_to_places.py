from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0009_comune_foreign_keys"),
        ("companies", "0002_comune_in_places"),
        ("vacancies", "0003_comune_in_places"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Comune")],
            database_operations=[],
        )
    ]
