# The comune moved to `places`: the foreign keys follow it (state only, same table).
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('companies', '0001_initial'), ('places', '0001_initial')]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="company",
                    name="comune",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="places.comune",
                        verbose_name="comune della sede legale",
                    ),
                ),
                migrations.AlterField(
                    model_name="companysite",
                    name="comune",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="places.comune",
                        verbose_name="comune",
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
