"""Role-model talks on the booking engine, step 3 of 3: `public_id` unique and `job_seeker` required
(both filled by 0012), the old reminder stamps gone (the engine's `reminded_24h_for` / `_1h_for`
replace them), the engine's other columns, and its constraints (never overbooked, one registration
per person and talk)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from declics.public_ids import make_unique


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0015_talks_on_booking_engine_fill"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="talk",
            options={
                "ordering": ["starts_at", "id"],
                "verbose_name": "témoignage en direct",
                "verbose_name_plural": "témoignages en direct",
            },
        ),
        migrations.RemoveConstraint(
            model_name="talkregistration",
            name="talk_registration_unique",
        ),
        migrations.RemoveField(
            model_name="talkregistration",
            name="reminded_day_before_at",
        ),
        migrations.RemoveField(
            model_name="talkregistration",
            name="reminded_hour_before_at",
        ),
        migrations.AddField(
            model_name="talk",
            name="cancelled_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="annulé le"),
        ),
        migrations.AddField(
            model_name="talk",
            name="rescheduled_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="déplacé le"),
        ),
        migrations.AddField(
            model_name="talk",
            name="sequence",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="talk",
            name="status",
            field=models.CharField(
                choices=[("scheduled", "programmé"), ("cancelled", "annulé")],
                default="scheduled",
                max_length=10,
                verbose_name="statut",
            ),
        ),
        migrations.AddField(
            model_name="talkregistration",
            name="attendance_marked_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="talkregistration",
            name="cancelled_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="annulé le"),
        ),
        migrations.AddField(
            model_name="talkregistration",
            name="end_reason",
            field=models.CharField(blank=True, max_length=30),
        ),
        migrations.AddField(
            model_name="talkregistration",
            name="offer_expires_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="à confirmer avant"),
        ),
        migrations.AddField(
            model_name="talkregistration",
            name="offered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="place proposée le"),
        ),
        migrations.AddField(
            model_name="talkregistration",
            name="round",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="talkregistration",
            name="waiting_since",
            field=models.DateTimeField(blank=True, null=True, verbose_name="en attente depuis"),
        ),
        migrations.AlterField(
            model_name="talkregistration",
            name="booked_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="réservé le"),
        ),
        migrations.AlterField(
            model_name="talkregistration",
            name="job_seeker",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="talk_registrations",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        make_unique("talkregistration"),
        migrations.AddIndex(
            model_name="talkregistration",
            index=models.Index(fields=["talk", "status"], name="talk_registration_status_idx"),
        ),
        migrations.AddIndex(
            model_name="talkregistration",
            index=models.Index(
                condition=models.Q(("status", "offered")),
                fields=["offer_expires_at"],
                name="talk_offer_expiry_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="talk",
            constraint=models.CheckConstraint(
                condition=models.Q(("seats__isnull", True), ("seats__gt", 0), _connector="OR"),
                name="talk_seats_positive",
            ),
        ),
        migrations.AddConstraint(
            model_name="talk",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("seats__isnull", True), ("seats_taken__lte", models.F("seats")), _connector="OR"
                ),
                name="talk_never_overbooked",
            ),
        ),
        migrations.AddConstraint(
            model_name="talk",
            constraint=models.CheckConstraint(
                condition=models.Q(("duration_minutes__gt", 0)), name="talk_duration_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="talkregistration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "offered"), _negated=True),
                    ("offer_expires_at__isnull", False),
                    _connector="OR",
                ),
                name="talkregistration_offer_has_deadline",
            ),
        ),
        migrations.AddConstraint(
            model_name="talkregistration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "waiting"), _negated=True),
                    ("waiting_since__isnull", False),
                    _connector="OR",
                ),
                name="talkregistration_waiting_has_time",
            ),
        ),
        migrations.AddConstraint(
            model_name="talkregistration",
            constraint=models.UniqueConstraint(
                fields=("talk", "job_seeker"), name="talk_registration_one_per_person"
            ),
        ),
    ]
