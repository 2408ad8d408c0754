import pytest

from mentoring import demo
from mentoring.models import MentorProfile, Mentorship, MentorStatus


@pytest.mark.django_db
def test_demo_seed_does_nothing_without_territories_and_sessions():
    assert demo.seed() == []
    assert MentorProfile.objects.count() == 0


@pytest.mark.django_db
def test_demo_seed_creates_approved_mentors_and_past_pairs_idempotently():
    from programs import demo as programs_demo

    programs_demo.seed()
    demo.seed()
    demo.seed()

    assert MentorProfile.objects.filter(status=MentorStatus.APPROVED).count() == len(demo.MENTORS)
    assert MentorProfile.objects.get(user__email="mentor@declics.example").job_title == "Développeur web"
    from programs.models import Enrolment

    ended = Mentorship.objects.filter(status="ended")
    expected = sum(
        min(
            demo.PAIRS_PER_CLOSED_SESSION,
            Enrolment.objects.filter(session__slug=slug, status="active").count(),
        )
        for slug in demo.CLOSED_SESSIONS
    )
    assert ended.count() == expected > 0
    assert all(m.logs.count() == 1 for m in ended[:5])
    assert set(MentorProfile.objects.values_list("active_mentees", flat=True)) == {0}
