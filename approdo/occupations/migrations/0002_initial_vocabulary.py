from django.db import migrations


def load_vocabulary(apps, schema_editor):
    from approdo.occupations.vocabulary import INITIAL_VOCABULARY
    from approdo.places.geography import normalise

    Occupation = apps.get_model("occupations", "Occupation")
    for name, isco_code, synonyms in INITIAL_VOCABULARY:
        terms = sorted({normalise(name), *(normalise(s) for s in synonyms)})
        Occupation.objects.update_or_create(
            name=name,
            defaults={"isco_code": isco_code, "synonyms": synonyms, "search_terms": terms},
        )


class Migration(migrations.Migration):
    dependencies = [("occupations", "0001_initial")]

    operations = [migrations.RunPython(load_vocabulary, migrations.RunPython.noop)]
