"""The many-to-many fields to RomeJob follow it to the rome app (state only: same tables, same columns)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0004_public_id_unique"),
        ("rome", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="menteepreferences",
                    name="rome_jobs",
                    field=models.ManyToManyField(
                        blank=True, related_name="+", to="rome.romejob", verbose_name="métiers qui vous intéressent"
                    ),
                ),
                migrations.AlterField(
                    model_name="mentorprofile",
                    name="rome_jobs",
                    field=models.ManyToManyField(
                        blank=True, related_name="mentors", to="rome.romejob", verbose_name="métiers (codes ROME)"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
