"""Each course's provider name becomes a partner (a training provider), and each course
title an entry of the catalogue, so that editions recorded before have both."""

from django.db import migrations


def providers_and_catalogue(apps, schema_editor):
    Course = apps.get_model("training", "Course")
    CatalogueCourse = apps.get_model("training", "CatalogueCourse")
    Partner = apps.get_model("partners", "Partner")
    partners = {partner.name.lower(): partner for partner in Partner.objects.all()}
    catalogue = {entry.title.lower(): entry for entry in CatalogueCourse.objects.all()}
    for course in Course.objects.order_by("start_on", "pk"):
        name = course.provider_name.strip()
        if name and name.lower() not in partners:
            partners[name.lower()] = Partner.objects.create(name=name, kind="ente di formazione")
        title = course.title.strip()
        if title.lower() not in catalogue:
            catalogue[title.lower()] = CatalogueCourse.objects.create(
                title=title, category=course.category, mode=course.mode, hours=course.hours
            )
        course.provider = partners.get(name.lower())
        course.catalogue = catalogue[title.lower()]
        course.save(update_fields=["provider", "catalogue"])


class Migration(migrations.Migration):
    dependencies = [("training", "0005_courses"), ("partners", "0001_initial")]

    operations = [migrations.RunPython(providers_and_catalogue, migrations.RunPython.noop)]
