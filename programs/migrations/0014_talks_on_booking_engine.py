"""Role-model talks become slots of the booking engine (`programs.bookings`), step 1 of 3: the
renamed columns (`duration_minutes`, `seats`, `booked_at`) and the new ones the next migration
fills (`public_id` and `job_seeker` still nullable, see declics/public_ids.py)."""

from django.conf import settings
from django.db import migrations, models

from declics.public_ids import add_nullable


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0013_bulk_removal"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The checks name the old columns: dropped here, the engine's are added in 0013.
        migrations.RemoveConstraint(model_name="talk", name="talk_capacity_positive"),
        migrations.RemoveConstraint(model_name="talk", name="talk_duration_positive"),
        migrations.RenameField(model_name="talk", old_name="duration", new_name="duration_minutes"),
        migrations.RenameField(model_name="talk", old_name="capacity", new_name="seats"),
        migrations.AddField(
            model_name="talk",
            name="seats_taken",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Réservations confirmées et places proposées en attente.",
                verbose_name="places prises",
            ),
        ),
        migrations.RenameField(model_name="talkregistration", old_name="created_at", new_name="booked_at"),
        # Its ordering named `created_at`.
        migrations.AlterModelOptions(
            name="talkregistration",
            options={
                "ordering": ["talk", "booked_at", "pk"],
                "verbose_name": "inscription à un témoignage",
                "verbose_name_plural": "inscriptions aux témoignages",
            },
        ),
        add_nullable("talkregistration"),
        migrations.AddField(
            model_name="talkregistration",
            name="job_seeker",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.CASCADE,
                related_name="talk_registrations",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        # Every existing registration is a confirmed seat.
        migrations.AddField(
            model_name="talkregistration",
            name="status",
            field=models.CharField(
                choices=[
                    ("confirmed", "réservé"),
                    ("waiting", "liste d'attente"),
                    ("offered", "place proposée"),
                    ("cancelled", "annulé"),
                    ("expired", "proposition expirée"),
                ],
                default="confirmed",
                max_length=10,
                verbose_name="statut",
            ),
        ),
        migrations.AddField(
            model_name="talkregistration",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="confirmé le"),
        ),
        migrations.AddField(
            model_name="talkregistration",
            name="reminded_24h_for",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="talkregistration",
            name="reminded_1h_for",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
