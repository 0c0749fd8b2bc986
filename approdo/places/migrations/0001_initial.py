# The comune moved here from `people`; the table stays, only Django's state changes.
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("people", "0008_figures_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Comune",
                    fields=[
                        (
                            "istat_code",
                            models.CharField(
                                max_length=6,
                                primary_key=True,
                                serialize=False,
                                verbose_name="codice ISTAT",
                            ),
                        ),
                        ("name", models.CharField(max_length=120, verbose_name="denominazione")),
                        (
                            "province_code",
                            models.CharField(max_length=2, verbose_name="sigla provincia"),
                        ),
                        ("region", models.CharField(max_length=60, verbose_name="regione")),
                        (
                            "cadastral_code",
                            models.CharField(
                                max_length=4, unique=True, verbose_name="codice catastale"
                            ),
                        ),
                        ("search_name", models.CharField(db_index=True, max_length=120)),
                        ("latitude", models.FloatField(blank=True, null=True)),
                        ("longitude", models.FloatField(blank=True, null=True)),
                    ],
                    options={
                        "verbose_name": "comune",
                        "verbose_name_plural": "comuni",
                        "ordering": ["name"],
                        "db_table": "people_comune",
                    },
                )
            ],
            database_operations=[],
        )
    ]
