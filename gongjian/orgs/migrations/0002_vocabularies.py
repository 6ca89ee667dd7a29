"""The seeds' village tags and resource kinds."""

from django.db import migrations

from gongjian.orgs.vocabulary import RESOURCES, TAGS, ensure_vocabularies


def add(apps, schema_editor):
    ensure_vocabularies(apps.get_model("orgs", "Tag"), apps.get_model("orgs", "Resource"))


def remove(apps, schema_editor):
    apps.get_model("orgs", "Tag").objects.filter(code__in=[c for c, _n in TAGS]).delete()
    apps.get_model("orgs", "Resource").objects.filter(code__in=[c for c, _n in RESOURCES]).delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
