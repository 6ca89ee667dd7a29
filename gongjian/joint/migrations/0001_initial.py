"""Joint organizations move from ``orgs`` into their own app. The tables stay where they are
(``db_table``: orgs_jointprofile, orgs_jointmembership, orgs_jointcharter): this migration
creates the models in the migration state only, and files their content types (and so their
permissions) under the new app. Reversible: back, the state goes and the content types
return to ``orgs`` (whose 0008 takes the models back into its state)."""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("jointprofile", "jointmembership", "jointcharter")


def _relabel(apps, old, new):
    """File the models' content types under ``new``; where ``new`` has one already (created
    after a migration back and forth), the stale one under ``old`` goes."""
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if content_type.objects.filter(app_label=new, model=model).exists():
            content_type.objects.filter(app_label=old, model=model).delete()
        else:
            content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def to_joint(apps, schema_editor):
    _relabel(apps, "orgs", "joint")


def to_orgs(apps, schema_editor):
    _relabel(apps, "joint", "orgs")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("orgs", "0007_personal_data_sm4"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='JointProfile',
                    fields=[
                        ('organization', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='joint_profile', serialize=False, to='orgs.organization', verbose_name='联建党组织')),
                        ('joint_type', models.CharField(choices=[('village_enterprise', '村企联建'), ('village_cooperative', '村社联建'), ('village_village', '村村联建'), ('joint_village_committee', '联村党委')], max_length=32, verbose_name='联建类型')),
                        ('founded_on', models.DateField(verbose_name='成立日期')),
                        ('purpose', models.TextField(blank=True, verbose_name='共建目标')),
                    ],
                    options={
                        'verbose_name': '联建党组织',
                        'verbose_name_plural': '联建党组织',
                        'db_table': 'orgs_jointprofile',
                    },
                ),
                migrations.CreateModel(
                    name='JointCharter',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveSmallIntegerField(verbose_name='版本')),
                        ('text', models.TextField(verbose_name='共同制度')),
                        ('items', models.JSONField(blank=True, default=list, verbose_name='共享事项')),
                        ('adopted_on', models.DateField(verbose_name='通过日期')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('joint', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='joint_charters', to='orgs.organization', verbose_name='联建党组织')),
                    ],
                    options={
                        'verbose_name': '联建章程',
                        'verbose_name_plural': '联建章程',
                        'db_table': 'orgs_jointcharter',
                        'ordering': ['joint', '-version'],
                        'constraints': [models.UniqueConstraint(fields=('joint', 'version'), name='joint_charter_unique_version')],
                    },
                ),
                migrations.CreateModel(
                    name='JointMembership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('lead', '牵头'), ('member', '成员')], default='member', max_length=16, verbose_name='角色')),
                        ('joined_on', models.DateField(verbose_name='加入日期')),
                        ('left_on', models.DateField(blank=True, null=True, verbose_name='退出日期')),
                        ('left_reason', models.CharField(blank=True, max_length=255, verbose_name='退出原因')),
                        ('joint', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='joint_memberships', to='orgs.organization', verbose_name='联建党组织')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships_in_joints', to='orgs.organization', verbose_name='成员组织')),
                    ],
                    options={
                        'verbose_name': '联建成员',
                        'verbose_name_plural': '联建成员',
                        'db_table': 'orgs_jointmembership',
                        'ordering': ['joint', 'left_on', 'role', 'member__path'],
                        'indexes': [models.Index(fields=['member', 'left_on'], name='orgs_jointm_member__582958_idx')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('left_on__isnull', True)), fields=('joint', 'member'), name='joint_member_unique_current'), models.UniqueConstraint(condition=models.Q(('left_on__isnull', True), ('role', 'lead')), fields=('joint',), name='joint_one_current_lead'), models.CheckConstraint(condition=models.Q(('joint', models.F('member')), _negated=True), name='joint_member_not_itself'), models.CheckConstraint(condition=models.Q(('left_on__isnull', True), ('left_on__gte', models.F('joined_on')), _connector='OR'), name='joint_left_after_joined')],
                    },
                ),
            ],
        ),
        migrations.RunPython(to_joint, to_orgs),
    ]
