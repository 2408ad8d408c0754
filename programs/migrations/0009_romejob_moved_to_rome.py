"""The foreign keys to RomeJob follow it to the rome app (state only: same table, same columns)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0008_public_id_unique"),
        ("rome", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="jobpageview",
                    name="rome",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="rome.romejob"
                    ),
                ),
                migrations.AlterField(
                    model_name="rolemodel",
                    name="rome",
                    field=models.ForeignKey(
                        limit_choices_to={"is_digital": True},
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="role_models",
                        to="rome.romejob",
                        verbose_name="code ROME",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
