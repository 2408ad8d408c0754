import pytest
from django.db.models import Count, Q
from django.utils import timezone

from declics.accounts import demo as accounts_demo
from programs import demo
from programs.models import Step, StepProgress
from programs.workshops import demo as workshops_demo
from programs.workshops.models import Workshop, WorkshopBooking

pytestmark = pytest.mark.django_db


def test_demo_seed_workshops_in_every_session_booked_in_the_closed_ones_and_idempotent():
    accounts_demo.seed()
    demo.seed()
    workshops_demo.seed()
    counts = (Workshop.objects.count(), WorkshopBooking.objects.count())
    demo.seed()
    workshops_demo.seed()

    assert (Workshop.objects.count(), WorkshopBooking.objects.count()) == counts
    per_session = dict(Workshop.objects.values_list("session__slug").annotate(n=Count("pk")))
    assert per_session == {
        "declics-numeriques-herault-2020": 10,
        "declics-numeriques-haute-garonne-2020": 10,
        "declics-numeriques-occitanie": 10,
        "declics-numeriques-ariege": 10,
    }
    for workshop in Workshop.objects.annotate(n=Count("bookings", filter=Q(bookings__status="confirmed"))):
        assert workshop.seats_taken == workshop.n <= workshop.seats
    # The one booking to come: the demo candidate's, in the running session.
    assert list(
        WorkshopBooking.objects.filter(workshop__starts_at__gt=timezone.now()).values_list(
            "workshop__session__slug", "job_seeker__email"
        )
    ) == [("declics-numeriques-occitanie", "candidate@declics.example")]
    # Whoever finished step 4 in the Hérault edition attended two workshops.
    done = StepProgress.objects.done().filter(
        step=Step.WORKSHOPS, enrolment__session__slug__endswith="herault-2020"
    )
    attended = dict(
        WorkshopBooking.objects.filter(attended=True).values_list("enrolment_id").annotate(n=Count("pk"))
    )
    assert done.count() > 300
    assert {attended.get(progress.enrolment_id) for progress in done} == {2}
    assert set(Workshop.objects.values_list("facilitators__email", flat=True)) == {
        "mentor@declics.example",
        "staff@declics.example",
    }
