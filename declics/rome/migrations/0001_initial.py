"""RomeJob moves here from the jobs app without touching its table (`jobs_romejob`, rows kept).

The model is created in the migration state only; jobs 0007 (with programs 0009 and mentoring 0005,
which point their foreign keys here) removes it from the jobs app's state. The content type is
renamed rather than recreated, so permissions and admin history follow the model.
"""

from django.db import migrations, models


def rename_content_type(apps, schema_editor, old="jobs", new="rome"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=new, model="romejob").exists():
        ContentType.objects.using(db).filter(app_label=old, model="romejob").update(app_label=new)


def restore_content_type(apps, schema_editor):
    rename_content_type(apps, schema_editor, old="rome", new="jobs")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The table was created there: anything pointing at rome.RomeJob finds it in place.
        ("jobs", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RomeJob",
                    fields=[
                        (
                            "code",
                            models.CharField(
                                max_length=5, primary_key=True, serialize=False, verbose_name="code ROME"
                            ),
                        ),
                        ("label", models.CharField(max_length=200, verbose_name="intitulé")),
                        (
                            "is_digital",
                            models.BooleanField(db_index=True, default=False, verbose_name="métier du numérique"),
                        ),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                    ],
                    options={
                        "verbose_name": "métier (ROME)",
                        "verbose_name_plural": "métiers (ROME)",
                        "db_table": "jobs_romejob",
                        "ordering": ["code"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]
