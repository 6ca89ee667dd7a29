"""Joint organizations leave ``orgs`` for their own app (``joint/migrations/0001_initial.py``):
the models go from this app's migration state only; their tables stay, now the joint app's
(``db_table``). Reversible: back, the models return to this app's state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0007_personal_data_sm4"),
        ("joint", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name="jointmembership",
                    name="joint",
                ),
                migrations.RemoveField(
                    model_name="jointmembership",
                    name="member",
                ),
                migrations.RemoveField(
                    model_name="jointprofile",
                    name="organization",
                ),
                migrations.DeleteModel(
                    name="JointCharter",
                ),
                migrations.DeleteModel(
                    name="JointMembership",
                ),
                migrations.DeleteModel(
                    name="JointProfile",
                ),
            ],
        ),
    ]
