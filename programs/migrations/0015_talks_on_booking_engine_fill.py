"""Role-model talks on the booking engine, step 2 of 3 (data only: PostgreSQL refuses a schema
change in the transaction that updated the rows): each talk's `seats_taken`, each registration's
public id, person, confirmation time, and the engine's reminder stamps where the old ones were set
(the start time they were sent for), so no reminder already sent goes out again."""

from django.db import migrations
from django.db.models import Count, F, OuterRef, Subquery

from declics.public_ids import fill


def forwards(apps, schema_editor):
    Talk = apps.get_model("programs", "Talk")
    TalkRegistration = apps.get_model("programs", "TalkRegistration")
    Enrolment = apps.get_model("programs", "Enrolment")
    talks = Talk.objects.annotate(n=Count("registrations")).filter(n__gt=0)
    for talk in talks.only("pk").iterator():
        Talk.objects.filter(pk=talk.pk).update(seats_taken=talk.n)
    registrations = TalkRegistration.objects.all()
    registrations.filter(job_seeker__isnull=True).update(
        job_seeker=Subquery(Enrolment.objects.filter(pk=OuterRef("enrolment_id")).values("job_seeker_id")[:1])
    )
    registrations.filter(confirmed_at__isnull=True).update(confirmed_at=F("booked_at"))
    starts_at = Subquery(Talk.objects.filter(pk=OuterRef("talk_id")).values("starts_at")[:1])
    registrations.filter(reminded_day_before_at__isnull=False).update(reminded_24h_for=starts_at)
    registrations.filter(reminded_hour_before_at__isnull=False).update(reminded_1h_for=starts_at)
    assert not registrations.filter(job_seeker__isnull=True).exists()


class Migration(migrations.Migration):
    dependencies = [("programs", "0014_talks_on_booking_engine")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
        fill("programs", "TalkRegistration"),
    ]
