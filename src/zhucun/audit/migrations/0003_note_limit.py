"""Event.note gets the project's free-text limit (issue 10). On SQLite an AlterField remakes the
table, which drops its triggers: the append-only triggers (audit/guard.py) are installed again
after it, as in 0002."""

from django.db import migrations, models


def install(apps, schema_editor):
    from zhucun.audit.guard import install_sql, remove_sql

    for sql in remove_sql(schema_editor.connection) + install_sql(schema_editor.connection):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
    ]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="note",
            field=models.TextField(blank=True, max_length=2000, verbose_name="说明"),
        ),
        migrations.RunPython(install, migrations.RunPython.noop, elidable=False),
    ]
