"""The standard skills vocabulary."""

from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    from gongjian.dispatch.vocabulary import ensure_skills

    ensure_skills(apps.get_model("dispatch", "Skill"))


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
