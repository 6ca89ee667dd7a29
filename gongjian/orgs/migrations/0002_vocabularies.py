"""The seeds' village tags and resource kinds. The vocabularies stay open: admins add more."""

from django.db import migrations

TAGS = [("weak", "经济薄弱"), ("lax", "软弱涣散"), ("disorder", "治安乱"), ("poor", "贫困"), ("demo", "产业示范")]
RESOURCES = [
    ("funds", "资金"), ("technology", "技术"), ("talent", "人才"), ("market", "市场"),
    ("medical", "医疗"), ("education", "教育"), ("legal", "法律"), ("culture", "文化"),
    ("infrastructure", "基础设施"), ("employment", "就业"),
]


def add(apps, schema_editor):
    Tag = apps.get_model("orgs", "Tag")
    Resource = apps.get_model("orgs", "Resource")
    for code, name in TAGS:
        Tag.objects.get_or_create(code=code, defaults={"name": name})
    for code, name in RESOURCES:
        Resource.objects.get_or_create(code=code, defaults={"name": name})


def remove(apps, schema_editor):
    apps.get_model("orgs", "Tag").objects.filter(code__in=[c for c, _n in TAGS]).delete()
    apps.get_model("orgs", "Resource").objects.filter(code__in=[c for c, _n in RESOURCES]).delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
