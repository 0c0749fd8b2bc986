# The comune moved to `places`: the foreign keys follow it (state only, same table).
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('vacancies', '0002_italian_messages'), ('places', '0001_initial')]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="vacancy",
                    name="workplace",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="places.comune",
                        verbose_name="comune del luogo di lavoro",
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
