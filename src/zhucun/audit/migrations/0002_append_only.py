"""Audit events become append-only in the database itself (audit/guard.py): triggers refuse
UPDATE and DELETE (and TRUNCATE on PostgreSQL); the actor is PROTECTed (SET_NULL would UPDATE)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def install(apps, schema_editor):
    from zhucun.audit.guard import install_sql, remove_sql

    for sql in remove_sql(schema_editor.connection) + install_sql(schema_editor.connection):
        schema_editor.execute(sql, params=None)


def remove(apps, schema_editor):
    from zhucun.audit.guard import remove_sql

    for sql in remove_sql(schema_editor.connection):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(install, remove, elidable=False),
    ]
