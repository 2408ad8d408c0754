import pytest

from jobs.trainings import services
from jobs.trainings.models import TrainingInterest
from tests.jobs.factories import (
    EnrolmentFactory,
    MembershipFactory,
    TrainingBodyFactory,
    TrainingFactory,
)
from tests.jobs.helpers import queued, step_done

pytestmark = pytest.mark.django_db


# --- trainings --------------------------------------------------------------------------------------
def test_save_training_refuses_another_partners_body():
    membership = MembershipFactory(partner=TrainingBodyFactory())
    other_body = TrainingBodyFactory()
    training = TrainingFactory(body=other_body, title="Avant")
    training.title = "Après"
    with pytest.raises(services.TrainingError, match="un autre partenaire"):
        services.save_training(
            training=training, body=other_body, by=membership.user, rome_jobs=[], communes=[], start_dates=[]
        )
    training.refresh_from_db()
    assert training.title == "Avant"


def test_express_interest_needs_consent_completes_step_5_and_tells_the_body_once():
    membership = MembershipFactory(partner=TrainingBodyFactory(), user__email="of@example.org")
    training = TrainingFactory(body=membership.partner, title="Développeur web")
    enrolment = EnrolmentFactory(job_seeker__first_name="Samira", job_seeker__last_name="Benali")

    with pytest.raises(services.TrainingError, match="acceptez de lui transmettre"):
        services.express_interest(training=training, enrolment=enrolment, message="", consent=False)
    assert not TrainingInterest.objects.exists()

    services.express_interest(training=training, enrolment=enrolment, message="Bonjour", consent=True)
    assert step_done(enrolment, 5)
    assert [(m.to_email, m.subject) for m in queued()] == [
        ("of@example.org", "[DéClics] Une personne est intéressée par « Développeur web »")
    ]
    assert f"Samira Benali ({enrolment.job_seeker.email})" in queued()[0].body_text

    with pytest.raises(services.TrainingError, match="déjà signalé"):
        services.express_interest(training=training, enrolment=enrolment, message="", consent=True)
    assert len(queued()) == 1


# --- meetings: tests/jobs/trainings/test_meetings.py -------------------------------------------------
