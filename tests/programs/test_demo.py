import pytest

from declics.accounts import demo as accounts_demo
from declics.accounts.models import User
from declics.notifications.models import OutboxMessage
from programs import demo, services
from programs.models import Enrolment, Session, SessionStatus
from programs.tasks import advance_calendars
from tests.programs.test_services import PROFILE

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_with_one_session_running_and_one_open():
    accounts_demo.seed()
    demo.seed()
    demo.seed()
    statuses = dict(Session.objects.values_list("slug", "status"))
    assert statuses == {
        "declics-numeriques-herault-2020": SessionStatus.CLOSED,
        "declics-numeriques-haute-garonne-2020": SessionStatus.CLOSED,
        "declics-numeriques-occitanie": SessionStatus.RUNNING,
        "declics-numeriques-ariege": SessionStatus.REGISTRATION_OPEN,
    }
    assert Enrolment.objects.filter(session__slug="declics-numeriques-herault-2020").count() == 600
    assert (
        not User.objects.filter(email__endswith="@demo.declics.example")
        .exclude(password__startswith="!")
        .exists()
    )
    # The past editions' calendar is complete and the running session's steps are all open and
    # told: the periodic task sends nothing (the one message is the candidate's welcome).
    assert list(OutboxMessage.objects.values_list("to_email", flat=True)) == ["candidate@declics.example"]
    advance_calendars()
    assert OutboxMessage.objects.count() == 1


def test_demo_candidate_can_enrol_in_the_open_session():
    accounts_demo.seed()
    sessions = demo.seed()
    candidate = User.objects.get(email="candidate@declics.example")
    open_session = sessions[-1]
    assert open_session.slug == "declics-numeriques-ariege"
    assert open_session.is_open_for_registration()
    from declics.territories.models import Commune

    massat = Commune.objects.get(code="09182", kind="commune-actuelle")
    enrolment = services.enrol_job_seeker(
        session=open_session, job_seeker=candidate, commune=massat, profile=PROFILE
    )
    assert enrolment.eligibility["basis"] == "frr"
