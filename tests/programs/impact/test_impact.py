from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from declics.suppression import Status
from programs import services
from programs.impact.impact import Figure, compute, compute_with_total, participants
from programs.models import (
    Enrolment,
    JobSeekerProfile,
    SessionStatus,
    StepProgress,
    SurveyKind,
    SurveyResponse,
)
from tests.factories import StaffFactory, UserFactory
from tests.programs.factories import DepartementFactory, EnrolmentFactory, RegionFactory, SessionFactory

WOMAN, MAN = JobSeekerProfile.Gender.WOMAN, JobSeekerProfile.Gender.MAN


@pytest.mark.parametrize(
    ("figure", "display", "share", "share_display", "share_cell"),
    [
        (Figure(12, 20, Status.SHOWN), "12", 60, "60 %", "60 %"),
        (Figure(1234, 2000, Status.SHOWN), "1\u00a0234", 62, "62 %", "62 %"),
        (Figure(3, 20, Status.SMALL), "moins de 5", None, "masquée", "moins de 5"),
        (Figure(0, 20, Status.SMALL), "moins de 5", None, "masquée", "moins de 5"),
        (Figure(17, 20, Status.MASKED), "masqué", None, "masquée", "masqué"),
        (Figure(12, 40, Status.SHOWN, Status.MASKED), "12", None, "masquée", "masquée"),  # of a hidden total
        (Figure(12, 40, Status.SHOWN, Status.UNPUBLISHED), "12", 30, "30 %", "30 %"),
        (Figure(40, None, Status.SHOWN), "40", None, "—", "—"),
    ],
)
def test_figure_shows_what_suppression_decided_in_words(figure, display, share, share_display, share_cell):
    assert (figure.display, figure.share, figure.share_display, figure.share_cell) == (
        display,
        share,
        share_display,
        share_cell,
    )
    assert figure.chart_value == share


def _person(
    session, *, gender, birth_year=1990, rqth=None, basis="qpv", steps=(), survey=None, follow_up=None
):
    user = UserFactory()
    JobSeekerProfile.objects.create(user=user, gender=gender, birth_year=birth_year, rqth=rqth)
    enrolment = EnrolmentFactory(
        session=session, job_seeker=user, eligibility={"eligible": True, "basis": basis}
    )
    now = timezone.now()
    for step in steps:
        StepProgress.objects.create(enrolment=enrolment, step=step, completed_at=now)
    if survey is not None:
        SurveyResponse.objects.create(
            enrolment=enrolment, kind=SurveyKind.SATISFACTION, sent_at=now, answered_at=now, overall=survey
        )
    if follow_up is not None:
        SurveyResponse.objects.create(
            enrolment=enrolment,
            kind=SurveyKind.FOLLOW_UP_6,
            sent_at=now,
            answered_at=now,
            situation=follow_up,
        )
    return enrolment


@pytest.fixture
def dataset(db):
    """20 people in a closed session with known answers (and one withdrawn person, not counted).

    - 12 women, 8 men; 15 QPV, 5 FRR; 6 with RQTH; born 2000 (10), 1985 (6), 1970 (4, in a 2020 session);
    - step 1 done by all 20, step 2 by 10; 10 satisfaction answers, 8 of them 4 or 5;
    - 10 answers at 6 months: 6 in a job, 4 in training.
    """
    start = timezone.now().replace(year=2020, month=6, day=1)
    session = SessionFactory(
        slug="declics-herault-2020",
        status=SessionStatus.CLOSED,
        registration_opens_at=start - timedelta(days=30),
        registration_closes_at=start - timedelta(days=1),
        starts_at=start,
        ends_at=start + timedelta(days=30),
    )
    for i in range(20):
        _person(
            session,
            gender=WOMAN if i < 12 else MAN,
            basis="qpv" if i < 15 else "frr",
            rqth=i < 6,
            birth_year=2000 if i < 10 else (1985 if i < 16 else 1970),
            steps=(1, 2) if i < 10 else (1,),
            survey=(5 if i < 8 else 2) if i < 10 else None,
            follow_up=("job" if i < 6 else "training") if i < 10 else None,
        )
    withdrawn = _person(session, gender=WOMAN)
    Enrolment.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    return session


def test_impact_figures_on_a_crafted_dataset(dataset):
    (row,) = compute(enrolments=participants(Enrolment.objects.filter(session=dataset)))
    assert row.participants.count == 20
    assert (row.women.count, row.women.share) == (12, 60)
    assert (row.qpv.share, row.rural.share, row.rqth.share) == (75, 25, 30)
    assert {code: (f.count, f.display) for code, f in row.ages.items()} == {
        "under_26": (10, "10"),
        # 4 people aged 45 or more and none of unknown age: with the other bands shown, the total
        # would give the 4 away; the next smallest band is masked too.
        "26_44": (6, "masqué"),
        "45_plus": (4, "moins de 5"),
        "unknown": (0, "moins de 5"),
    }
    assert [row.steps[n].share for n in (1, 2, 3)] == [100, 50, None]
    assert row.steps[3].display == "moins de 5"
    assert (row.respondents.count, row.satisfied.count, row.satisfied.display, row.satisfied.share) == (
        10,
        8,
        "masqué",  # 2 unsatisfied: a small group, found by subtraction were the 8 shown
        None,
    )
    six = row.outcomes[SurveyKind.FOLLOW_UP_6]
    # 6 in a job and 4 in training out of 10: the 4 are a small group, so the 6 is masked too.
    assert (six["job"].count, six["job"].display, six["job"].share) == (6, "masqué", None)
    assert (six["training"].display, six["training"].share) == ("moins de 5", None)


def test_impact_grouped_by_region_and_departement_take_three_queries(dataset, django_assert_num_queries):
    other_region = RegionFactory(code="11", name="Île-de-France")
    other = SessionFactory(
        region=other_region, departements=[DepartementFactory(code="75", name="Paris", region=other_region)]
    )
    _person(other, gender=WOMAN)
    with django_assert_num_queries(3):
        rows = compute(enrolments=participants(), grouping="region")
    assert sorted((r.label, r.participants.display) for r in rows) == [
        ("Occitanie", "20"),
        ("Île-de-France", "moins de 5"),
    ]


@pytest.mark.parametrize("sessions", [1, 3])
def test_impact_dashboard_query_count_is_constant(client, django_assert_num_queries, dataset, sessions):
    for _ in range(sessions):
        _person(SessionFactory(), gender=MAN)
    client.force_login(StaffFactory())
    # Login session and user, 3 to save the session, 3 for the groups (the totals are their sum:
    # 3 fewer than when they were computed apart), 3 for the filters.
    with django_assert_num_queries(11):
        response = client.get(reverse("programs:impact_dashboard"))
    assert len(response.context["groups"]) == sessions + 1
    # Cached: the figures cost no query on the next request (login session and user, the filters).
    with django_assert_num_queries(5):
        again = client.get(reverse("programs:impact_dashboard"))
    assert again.context["summary"] == response.context["summary"]


def test_impact_total_is_the_sum_of_the_groups_and_matches_a_direct_count(dataset):
    other = SessionFactory()
    _person(other, gender=WOMAN)
    _person(other, gender=MAN)
    enrolments = participants()
    (direct,) = compute(enrolments=enrolments)
    for grouping in ("session", "region", "departement"):
        total, groups = compute_with_total(enrolments=enrolments, grouping=grouping)
        assert _counts_of(total) == _counts_of(direct), grouping
        assert sum(group.participants.count for group in groups) == 22
    assert (direct.participants.count, direct.women.count) == (22, 13)
    assert direct.participants.display == "22"


def _counts_of(row):
    figures = [row.participants, row.women, row.qpv, row.rural, row.rqth, row.respondents, row.satisfied]
    figures += [*row.ages.values(), *row.steps.values()]
    figures += [f for outcome in row.outcomes.values() for f in outcome.values()]
    return [f.count for f in figures]


def test_impact_dashboard_hides_a_second_group_so_the_small_one_cannot_be_subtracted(client, dataset):
    """The issue's case: the total is the sum of the groups; a group of 2 next to a group of 20
    would be found as total − 20. The 20 is masked as well, and the page says why in words."""
    other = SessionFactory()
    _person(other, gender=WOMAN)
    _person(other, gender=MAN)
    client.force_login(StaffFactory())
    response = client.get(reverse("programs:impact_dashboard"))
    summary, groups = response.context["summary"], response.context["groups"]
    assert summary.participants.display == "22"
    assert sorted(group.participants.display for group in groups) == ["masqué", "moins de 5"]
    html = response.content.decode()
    assert "Les petits groupes sont masqués pour protéger les personnes" in html
    assert 'aria-describedby="impact-groups-note"' in html
    assert "&lt; 5" not in html
    assert "n. d." not in html


def test_public_session_summary_is_cached(client, dataset, django_assert_num_queries):
    url = reverse("programs:impact_session", args=[dataset.slug])
    first = client.get(url)
    with django_assert_num_queries(1):  # the session; the figures come from the cache
        second = client.get(url)
    assert second.context["summary"] == first.context["summary"]
    assert second.context["summary"].women.share == 60


def test_public_session_summary_suppresses_small_groups(client, dataset):
    response = client.get(reverse("programs:impact_session", args=[dataset.slug]))
    html = response.content.decode()
    assert response.context["summary"].women.share == 60
    assert "60 %" in html
    assert "RQTH" not in html  # disability stays with staff
    assert "moins de 5" in html
    assert "masqué" in html
    assert "Les petits groupes sont masqués pour protéger les personnes" in html
    assert 'id="impact-chart-data"' in html


def test_public_summary_of_a_session_not_closed_is_not_found(client, db):
    session = SessionFactory()
    assert client.get(reverse("programs:impact_session", args=[session.slug])).status_code == 404


def _done_step_2_one_more(dataset, capture):
    enrolment = (
        Enrolment.objects.filter(session=dataset, status="active").exclude(step_progress__step=2).first()
    )
    with capture(execute=True):  # the figures move once the service's transaction commits
        services.complete_step(enrolment=enrolment, step=2)


def test_a_change_in_the_session_shows_at_once_in_its_public_summary(
    client, dataset, django_capture_on_commit_callbacks
):
    url = reverse("programs:impact_session", args=[dataset.slug])
    assert client.get(url).context["summary"].steps[2].count == 10

    _done_step_2_one_more(dataset, django_capture_on_commit_callbacks)

    assert client.get(url).context["summary"].steps[2].count == 11


def test_the_staff_dashboard_of_one_session_follows_it_at_once_and_wider_scopes_within_their_time(
    client, dataset, django_capture_on_commit_callbacks
):
    client.force_login(StaffFactory())
    url = reverse("programs:impact_dashboard")
    assert client.get(url, {"session": dataset.pk}).context["summary"].steps[2].count == 10
    assert client.get(url).context["summary"].steps[2].count == 10

    _done_step_2_one_more(dataset, django_capture_on_commit_callbacks)

    assert client.get(url, {"session": dataset.pk}).context["summary"].steps[2].count == 11
    assert client.get(url).context["summary"].steps[2].count == 10  # every session: kept 10 minutes
