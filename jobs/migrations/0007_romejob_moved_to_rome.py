"""RomeJob leaves the jobs app for the rome app (declics/rome): state only, the table and its rows stay.

The foreign keys of every app point to rome.RomeJob first (this one's below, programs 0009 and
mentoring 0005), then the model is removed from this app's state.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0006_public_id_unique"),
        ("rome", "0001_initial"),
        ("programs", "0009_romejob_moved_to_rome"),
        ("mentoring", "0005_romejob_moved_to_rome"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="joboffer",
                    name="rome_job",
                    field=models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="job_offers",
                        to="rome.romejob",
                        verbose_name="métier (ROME)",
                    ),
                ),
                migrations.AlterField(
                    model_name="training",
                    name="rome_jobs",
                    field=models.ManyToManyField(
                        related_name="trainings", to="rome.romejob", verbose_name="métiers visés (ROME)"
                    ),
                ),
                migrations.DeleteModel(name="RomeJob"),
            ],
            database_operations=[],
        ),
    ]
