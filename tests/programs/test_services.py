import dataclasses
from datetime import date, timedelta

import pytest
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from declics.territories.models import RuralZone
from programs import registry, services
from programs.models import Enrolment, EnrolmentStatus, JobSeekerProfile, SessionStatus, Step, StepProgress
from tests.factories import AdviserFactory, MentorFactory, StaffFactory, UserFactory

from .advisers.factories import AgencyFactory, agency_adviser
from .factories import CommuneFactory, DepartementFactory, EnrolmentFactory, QPVFactory, SessionFactory

pytestmark = pytest.mark.django_db

PROFILE = {
    "birth_year": 1990,
    "gender": "woman",
    "education_level": "bac",
    "situation": "job_seeker",
    "france_travail_id": "",
    "heard_from": "france_travail",
    "rqth": None,
    "rqth_consent": False,
    "privacy_consent": True,
}


def _launch_kwargs(**overrides):
    start = timezone.now() + timedelta(days=30)
    kwargs = {
        "title": "DéClics Aude 2027",
        "region": DepartementFactory(code="11", name="Aude").region,
        "departements": [DepartementFactory(code="11", name="Aude")],
        "capacity": 100,
        "registration_opens_at": start - timedelta(days=20),
        "registration_closes_at": start,
        "starts_at": start,
        "ends_at": start + timedelta(days=14),
        "survey_at": start + timedelta(days=14),
        "step_dates": {step.value: start + timedelta(days=2 * i) for i, step in enumerate(Step)},
    }
    kwargs.update(overrides)
    return kwargs


def test_launch_session_creates_a_draft_with_six_steps():
    staff = StaffFactory()
    session = services.launch_session(**_launch_kwargs(), created_by=staff)
    assert session.status == SessionStatus.DRAFT
    assert session.slug == "declics-aude-2027"
    assert session.published_at is None
    assert [s.step for s in session.steps.order_by("step")] == [1, 2, 3, 4, 5, 6]
    assert list(session.departements.values_list("code", flat=True)) == ["11"]


def test_launch_session_refuses_a_departement_outside_the_region():
    other_region = DepartementFactory(
        code="13", name="Bouches-du-Rhône", region__code="93", region__name="PACA"
    )
    with pytest.raises(services.SessionError, match="ne sont pas en Occitanie"):
        services.launch_session(**_launch_kwargs(departements=[other_region]))


def test_launch_session_refuses_a_step_outside_the_session():
    kwargs = _launch_kwargs()
    kwargs["step_dates"][6] = kwargs["ends_at"] + timedelta(days=1)
    with pytest.raises(services.SessionError, match="L'étape doit ouvrir pendant la session"):
        services.launch_session(**kwargs)


def test_calendar_errors_name_each_wrong_field():
    start = timezone.now()
    errors = services.calendar_errors(
        registration_opens_at=start,
        registration_closes_at=start - timedelta(days=1),
        starts_at=start,
        ends_at=start - timedelta(days=1),
        survey_at=None,
        step_dates={1: start + timedelta(days=2), 2: start + timedelta(days=1)},
    )
    assert set(errors) == {"registration_closes_at", "ends_at", "step_1", "step_2"}


def test_launch_session_copy_shifts_the_calendar_and_runs_the_copy_hooks():
    source = SessionFactory(description="Présentation d'origine", nudge_after_days=3)
    calls = []

    def hook(*, source, target, shift):
        calls.append((source.pk, target.pk, shift))

    # The hook stands in for what step 4 copies (the registry holds one entry per step).
    workshops = registry.entry(Step.WORKSHOPS)
    registry.register(dataclasses.replace(workshops, copy_into=hook))
    try:
        new_start = source.starts_at + timedelta(days=365)
        kwargs = _launch_kwargs(
            starts_at=new_start,
            registration_opens_at=new_start - timedelta(days=10),
            registration_closes_at=new_start,
            ends_at=source.ends_at + timedelta(days=365),
            survey_at=None,
            step_dates={},
            copy_from=source,
        )
        copy = services.launch_session(**kwargs)
    finally:
        registry.register(workshops)
    source_steps = {s.step: s.opens_at for s in source.steps.all()}
    assert {s.step: s.opens_at for s in copy.steps.all()} == {
        n: when + timedelta(days=365) for n, when in source_steps.items()
    }
    assert copy.survey_at == source.survey_at + timedelta(days=365)
    assert (copy.description, copy.nudge_after_days, copy.copied_from) == (
        "Présentation d'origine",
        3,
        source,
    )
    assert calls == [(source.pk, copy.pk, timedelta(days=365))]


def test_publish_session_announces_once_to_each_adviser():
    aude = DepartementFactory(code="11", name="Aude")
    advisers = [agency_adviser(agency=AgencyFactory(departement=aude)) for _ in range(2)]
    AdviserFactory()  # no agency in the Aude: not told
    MentorFactory()
    session = services.launch_session(**_launch_kwargs())
    published = services.publish_session(session=session)
    assert published.status == SessionStatus.PUBLISHED
    assert published.published_at is not None
    messages = OutboxMessage.objects.filter(
        dedup_key__startswith=f"programs:session-announcement:{session.pk}:"
    )
    assert sorted(messages.values_list("to_email", flat=True)) == sorted(a.email for a in advisers)
    assert "DéClics Aude 2027" in messages.first().subject
    with pytest.raises(services.SessionError, match="déjà publiée"):
        services.publish_session(session=session)


def test_publish_session_opens_registration_at_once_when_its_date_has_come():
    start = timezone.now() + timedelta(days=10)
    session = services.launch_session(
        **_launch_kwargs(
            starts_at=start,
            registration_opens_at=timezone.now() - timedelta(hours=1),
            registration_closes_at=start,
            ends_at=start + timedelta(days=14),
            step_dates={step.value: start + timedelta(days=i) for i, step in enumerate(Step)},
        )
    )
    assert services.publish_session(session=session).status == SessionStatus.REGISTRATION_OPEN


def test_check_eligibility_rural_commune_gives_a_snapshot(session, rural_commune):
    decision = services.check_eligibility(session=session, commune=rural_commune)
    assert (decision.eligible, decision.basis) == (True, "frr")
    assert decision.snapshot["commune"] == {"code": "34142", "name": "Lodève", "departement": "34"}
    assert decision.snapshot["rural_zone"]["classification"] == "FRR"
    assert decision.snapshot["reference_date"] == session.reference_date.isoformat()


def test_check_eligibility_declared_qpv(session, city):
    decision = services.check_eligibility(session=session, commune=city, qpv=city.sample_qpv)
    assert (decision.eligible, decision.basis) == (True, "qpv")
    assert decision.snapshot["qpv"]["name"] == "Quartier exemple Mosson"


def test_check_eligibility_city_without_declared_qpv_is_refused_with_a_reason(session, city):
    decision = services.check_eligibility(session=session, commune=city)
    assert decision.eligible is False
    assert "il faut habiter un de ses quartiers prioritaires" in decision.reason


def test_check_eligibility_commune_outside_the_session(session):
    toulouse = CommuneFactory(code="31555", name="Toulouse", departement=DepartementFactory(code="31"))
    RuralZone.objects.create(
        commune=toulouse, classification="FRR", valid_from=date(2015, 1, 1), source="test", is_sample=True
    )
    decision = services.check_eligibility(session=session, commune=toulouse)
    assert decision.eligible is False
    assert decision.reason.startswith("Toulouse n'est pas dans le territoire de cette session.")


def test_check_eligibility_rural_classification_expired_before_the_session(session):
    commune = CommuneFactory(name="Ancienne ZRR")
    RuralZone.objects.create(
        commune=commune,
        classification="ZRR",
        valid_from=date(2017, 7, 1),
        valid_to=session.reference_date - timedelta(days=1),
        source="test",
    )
    decision = services.check_eligibility(session=session, commune=commune)
    assert decision.eligible is False
    assert "n'est pas classée France Ruralités Revitalisation" in decision.reason


def test_check_eligibility_qpv_of_another_commune_is_an_input_error(session, city, rural_commune):
    with pytest.raises(services.EligibilityInputError, match="n'est pas un quartier prioritaire de Lodève"):
        services.check_eligibility(session=session, commune=rural_commune, qpv=city.sample_qpv)


def test_enrol_job_seeker_stores_the_snapshot_and_profile(session, rural_commune):
    person = UserFactory()
    enrolment = services.enrol_job_seeker(
        session=session, job_seeker=person, commune=rural_commune, profile=PROFILE, share_with_adviser=True
    )
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.eligibility["basis"] == "frr"
    assert enrolment.share_with_adviser is True
    profile = JobSeekerProfile.objects.get(user=person)
    assert (profile.birth_year, profile.commune, profile.rqth) == (1990, rural_commune, None)
    assert profile.privacy_consent_at is not None
    assert OutboxMessage.objects.filter(dedup_key=f"programs:enrolled:enrolment:{enrolment.pk}").count() == 1


def test_enrol_job_seeker_snapshot_survives_a_list_change(session, rural_commune):
    enrolment = services.enrol_job_seeker(
        session=session, job_seeker=UserFactory(), commune=rural_commune, profile=PROFILE
    )
    RuralZone.objects.filter(commune=rural_commune).delete()
    enrolment.refresh_from_db()
    assert enrolment.eligibility["basis"] == "frr"
    assert enrolment.eligibility["rural_zone"]["source"] == "fichier d'exemple des tests"


def test_enrol_job_seeker_rqth_needs_its_own_consent(session, rural_commune):
    person = UserFactory()
    services.enrol_job_seeker(
        session=session, job_seeker=person, commune=rural_commune, profile={**PROFILE, "rqth": True}
    )
    assert JobSeekerProfile.objects.get(user=person).rqth is None


def test_enrol_job_seeker_full_session_puts_on_the_waiting_list(rural_commune):
    session = SessionFactory(capacity=1)
    services.enrol_job_seeker(
        session=session, job_seeker=UserFactory(), commune=rural_commune, profile=PROFILE
    )
    second = services.enrol_job_seeker(
        session=session, job_seeker=UserFactory(), commune=rural_commune, profile=PROFILE
    )
    assert second.status == EnrolmentStatus.WAITING
    assert OutboxMessage.objects.filter(dedup_key=f"programs:waiting-list:enrolment:{second.pk}").count() == 1


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("closed", "Les inscriptions à cette session sont fermées."),
        ("twice", "Vous êtes déjà inscrit·e à cette session."),
        ("mentor", "Seules les personnes en recherche d'emploi"),
        ("not_eligible", "il faut habiter un de ses quartiers prioritaires"),
    ],
)
def test_enrol_job_seeker_refusals_save_nothing(session, rural_commune, city, setup, message):
    person = MentorFactory() if setup == "mentor" else UserFactory()
    commune = city if setup == "not_eligible" else rural_commune
    if setup == "closed":
        session.registration_closes_at = timezone.now() - timedelta(minutes=1)
        session.save()
    if setup == "twice":
        services.enrol_job_seeker(session=session, job_seeker=person, commune=commune, profile=PROFILE)
    before = (Enrolment.objects.count(), JobSeekerProfile.objects.count(), OutboxMessage.objects.count())
    with pytest.raises(services.EnrolmentError, match=message):
        services.enrol_job_seeker(session=session, job_seeker=person, commune=commune, profile=PROFILE)
    assert (
        Enrolment.objects.count(),
        JobSeekerProfile.objects.count(),
        OutboxMessage.objects.count(),
    ) == before


def test_enrol_job_seeker_without_privacy_consent_is_refused(session, rural_commune):
    with pytest.raises(services.EnrolmentError, match="acceptez la politique de données personnelles"):
        services.enrol_job_seeker(
            session=session,
            job_seeker=UserFactory(),
            commune=rural_commune,
            profile={**PROFILE, "privacy_consent": False},
        )
    assert Enrolment.objects.count() == 0


def test_withdraw_promotes_the_first_waiting_person_and_tells_them_once(rural_commune):
    session = SessionFactory(capacity=1)
    first = EnrolmentFactory(session=session, commune=rural_commune)
    waiting_1 = EnrolmentFactory(session=session, commune=rural_commune, status=EnrolmentStatus.WAITING)
    waiting_2 = EnrolmentFactory(session=session, commune=rural_commune, status=EnrolmentStatus.WAITING)

    promoted = services.withdraw(enrolment=first)

    assert promoted == waiting_1
    statuses = dict(Enrolment.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: EnrolmentStatus.WITHDRAWN,
        waiting_1.pk: EnrolmentStatus.ACTIVE,
        waiting_2.pk: EnrolmentStatus.WAITING,
    }
    assert OutboxMessage.objects.filter(dedup_key__startswith="programs:promoted:").count() == 1
    with pytest.raises(services.EnrolmentError, match="Vous n'êtes plus inscrit·e"):
        services.withdraw(enrolment=first)


def test_withdraw_from_the_waiting_list_promotes_nobody(rural_commune):
    session = SessionFactory(capacity=1)
    EnrolmentFactory(session=session, commune=rural_commune)
    waiting = EnrolmentFactory(session=session, commune=rural_commune, status=EnrolmentStatus.WAITING)
    assert services.withdraw(enrolment=waiting) is None
    assert session.enrolments.active().count() == 1


def test_enrol_job_seeker_after_withdrawal_reuses_the_row(session, rural_commune):
    person = UserFactory()
    enrolment = services.enrol_job_seeker(
        session=session, job_seeker=person, commune=rural_commune, profile=PROFILE
    )
    services.withdraw(enrolment=enrolment)
    again = services.enrol_job_seeker(
        session=session, job_seeker=person, commune=rural_commune, profile=PROFILE
    )
    assert (again.pk, again.status) == (enrolment.pk, EnrolmentStatus.ACTIVE)


def test_enrol_job_seeker_keeps_only_a_real_adviser(session, rural_commune):
    adviser = AdviserFactory()
    enrolment = services.enrol_job_seeker(
        session=session, job_seeker=UserFactory(), commune=rural_commune, profile=PROFILE, adviser=adviser
    )
    assert enrolment.adviser == adviser


def test_complete_step_is_idempotent_and_keeps_the_first_time():
    enrolment = EnrolmentFactory()
    first = timezone.now() - timedelta(days=1)
    services.complete_step(enrolment=enrolment, step=Step.ASSESSMENT, when=first)
    services.complete_step(enrolment=enrolment, step=Step.ASSESSMENT)
    progress = StepProgress.objects.get(enrolment=enrolment, step=Step.ASSESSMENT)
    assert progress.completed_at == first


def test_qpv_factory_links_communes():
    commune = CommuneFactory()
    qpv = QPVFactory(communes=[commune])
    assert list(qpv.communes.all()) == [commune]
