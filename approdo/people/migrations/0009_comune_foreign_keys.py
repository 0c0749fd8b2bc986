# The comune moved to `places`: the foreign keys follow it (state only, same table).
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('people', '0008_figures_indexes'), ('places', '0001_initial')]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="person",
                    name="birth_comune",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="places.comune",
                        verbose_name="comune di nascita",
                    ),
                ),
                migrations.AlterField(
                    model_name="person",
                    name="domicile_comune",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        help_text="Solo se diverso dalla residenza.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="places.comune",
                        verbose_name="comune di domicilio",
                    ),
                ),
                migrations.AlterField(
                    model_name="person",
                    name="residence_comune",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="places.comune",
                        verbose_name="comune di residenza",
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
