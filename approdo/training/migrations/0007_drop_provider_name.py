from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("training", "0006_course_providers_and_catalogue")]

    operations = [migrations.RemoveField(model_name="course", name="provider_name")]
