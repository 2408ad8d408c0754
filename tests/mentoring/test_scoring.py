import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mentoring.scoring import MenteeFacts, MentorFacts, score_matrix, score_pair

SAMIRA = MenteeFacts(
    key=1,
    rome_codes=frozenset({"M1805"}),
    departement="34",
    region="76",
    availability=frozenset({"tue-evening", "thu-evening", "sat-morning"}),
    languages=frozenset({"fr", "ar"}),
    preferred_gender="woman",
)
LEA = MentorFacts(
    key=10,
    job_title="développeuse web",
    rome_codes=frozenset({"M1805", "M1810"}),
    region="76",
    departements=frozenset({"34", "31"}),
    availability=frozenset({"tue-evening", "mon-morning"}),
    languages=frozenset({"fr", "ar", "en"}),
    gender="woman",
)


def test_score_pair_gives_points_and_reasons_for_a_close_match():
    score = score_pair(SAMIRA, LEA, session_region="76")

    assert score.eligible is True
    assert score.points == 40 + 15 + 10 + 10 + 10
    assert [(r.code, r.points) for r in score.reasons] == [
        ("job", 40),
        ("departement", 15),
        ("availability", 10),
        ("language", 10),
        ("preference", 10),
    ]
    assert score.mentee_sentence == (
        "travaille comme développeuse web, comme le métier que vous avez choisi\u00a0; "
        "accompagne des personnes de votre département\u00a0; disponible le mardi soir\u00a0; "
        "parle arabe\u00a0; "
        "est une femme, comme vous le souhaitiez"
    )
    assert [r.staff_text for r in score.reasons] == [
        "ROME commun : M1805 (+40)",
        "Même département : 34 (+15)",
        "Créneaux communs : mardi soir (+10)",
        "Langue commune : arabe (+10)",
        "Préférence respectée : une femme (+10)",
    ]


def test_score_pair_counts_a_job_family_and_the_region_and_caps_availability():
    mentor = MentorFacts(
        key=11,
        job_title="testeur logiciel",
        rome_codes=frozenset({"M1806"}),
        region="76",
        availability=frozenset({"tue-evening", "thu-evening", "sat-morning"}),
        gender="man",
    )

    score = score_pair(SAMIRA, mentor, session_region="76")

    assert score.points == 20 + 8 + 25
    assert [r.code for r in score.reasons] == ["job_family", "region", "availability"]
    assert score.reasons[2].mentee_text == "disponible le mardi soir, jeudi soir et samedi matin"


def test_score_pair_gives_zero_points_and_no_reason_when_nothing_is_shared():
    score = score_pair(MenteeFacts(key=2), MentorFacts(key=12, region="11"), session_region=None)

    assert (score.eligible, score.points, score.reasons, score.mentee_sentence) == (True, 0, (), "")


def test_score_pair_excludes_by_hard_rules_with_the_reason_for_staff():
    cases = [
        (MentorFacts(key=20, region="76", approved=False), "not_approved", "Mentor·e non validé·e"),
        (MentorFacts(key=21, region="76", remaining=0), "full", "Mentor·e complet·e"),
        (MentorFacts(key=22, region="11"), "region", "Hors de la région de la session"),
        (MentorFacts(key=1, region="76"), "already_asked", "Déjà sollicité·e par cette personne"),
    ]
    mentee = MenteeFacts(key=3, rome_codes=frozenset({"M1805"}), asked_mentors=frozenset({1}))
    for mentor, code, text in cases:
        score = score_pair(mentee, mentor, session_region="76")
        assert (score.eligible, score.points) == (False, 0)
        assert [(r.code, r.staff_text) for r in score.reasons] == [(code, text)]


def test_score_pair_lets_a_nationwide_mentor_help_in_another_region():
    mentor = MentorFacts(key=23, region="11", nationwide=True, rome_codes=frozenset({"M1805"}))

    score = score_pair(SAMIRA, mentor, session_region="76")

    assert (score.eligible, score.points) == (True, 40)


codes = st.sampled_from(["M1805", "M1806", "M1810", "E1101", "E1104", "H1206"])
slots = st.sampled_from(["mon-morning", "tue-evening", "thu-evening", "sat-morning"])
languages = st.sampled_from(["fr", "en", "ar", "es"])
regions = st.sampled_from(["76", "11", None])
departements = st.sampled_from(["34", "31", "75"])
genders = st.sampled_from(["woman", "man", "other", "unsaid"])

mentees = st.builds(
    MenteeFacts,
    key=st.integers(0, 1000),
    rome_codes=st.frozensets(codes, max_size=3),
    departement=st.one_of(st.none(), departements),
    region=regions,
    availability=st.frozensets(slots),
    languages=st.frozensets(languages),
    preferred_gender=st.sampled_from(["", "woman", "man"]),
    asked_mentors=st.frozensets(st.integers(0, 5), max_size=2),
)
mentors = st.builds(
    MentorFacts,
    key=st.integers(0, 5),
    job_title=st.just("métier"),
    rome_codes=st.frozensets(codes, max_size=3),
    region=regions,
    departements=st.frozensets(departements, max_size=2),
    nationwide=st.booleans(),
    availability=st.frozensets(slots),
    languages=st.frozensets(languages),
    gender=genders,
    approved=st.booleans(),
    remaining=st.integers(-1, 3),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(mentees, min_size=1, max_size=5),
    st.lists(mentors, min_size=1, max_size=5, unique_by=lambda m: m.key),
    regions,
)
def test_score_matrix_agrees_with_score_pair(mentee_list, mentor_list, session_region):
    points, eligible = score_matrix(mentee_list, mentor_list, session_region=session_region)

    expected = [[score_pair(a, b, session_region=session_region) for b in mentor_list] for a in mentee_list]
    assert points.tolist() == [[s.points for s in row] for row in expected]
    assert eligible.tolist() == [[s.eligible for s in row] for row in expected]
    assert points.dtype == np.int16
