import pytest

from programs.assessment.scoring import AnswerError, score

from .answer_sets import CREATIVE_REMOTE_PROFILE, LOWEST_PROFILE, SUPPORT_PROFILE, v1_rules


def _score(answers):
    rules, questions = v1_rules()
    return score(rules=rules, questions=questions, answers=answers)


def _levels(result):
    return {row["area"]: row["level"] for row in result["digital"]}


def test_scoring_support_profile_levels_interests_and_jobs():
    result = _score(SUPPORT_PROFILE)

    assert _levels(result) == {
        "information": 6,
        "communication": 6,
        "content": 4,
        "safety": 6,
        "problem_solving": 6,
    }
    assert {row["area"]: row["percent"] for row in result["soft"]} == {
        "organisation": 75,
        "teamwork": 50,
        "customer": 100,
        "autonomy": 50,
        "learning": 75,
    }
    assert result["top_interests"] == ["S", "C"]
    assert [(job["code"], job["score"]) for job in result["jobs"]] == [
        ("M1874", 12),
        ("E1113", 9),
        ("M1851", 9),
        ("M1869", 8),
        ("E1101", 7),
    ]
    assert result["jobs"][0]["title"] == "Technicien·ne support (assistance aux utilisateurs)"
    assert result["jobs"][0]["reason"] == (
        "Vous aimez aider les gens et organiser, vous avez le sens du contact et vous aimez apprendre. "
        "Vous avez déjà de bonnes bases : communiquer et travailler ensemble en ligne, résoudre "
        "des problèmes."
    )
    assert result["jobs"][0]["matches"] == {
        "interests": ["S", "C"],
        "soft": ["customer", "learning"],
        "digital": ["communication", "problem_solving"],
    }
    assert result["strengths"] == [
        "Vous savez trouver une information fiable et la ranger pour la retrouver.",
        "Vous êtes à l'aise pour échanger et travailler à plusieurs en ligne.",
        "Vous savez protéger vos données et repérer les arnaques.",
        "Face à une panne ou un nouvel outil, vous trouvez des solutions.",
        "Vous êtes organisé·e et vous tenez vos délais.",
        "Vous avez le sens du contact et de la patience.",
        "Vous aimez apprendre, c'est un atout dans le numérique où tout change vite.",
        "Ce qui vous plaît : aider les gens et organiser.",
    ]
    assert result["notes"] == []
    assert result["constraints"] == {
        "mobility": "proche",
        "hours": "journee",
        "childcare": "non",
        "equipment": "ordinateur",
        "internet": "bon",
    }


def test_scoring_remote_only_profile_penalises_on_site_jobs_and_gives_notes():
    result = _score(CREATIVE_REMOTE_PROFILE)

    assert _levels(result) == {
        "information": 1,
        "communication": 1,
        "content": 8,
        "safety": 1,
        "problem_solving": 1,
    }
    assert result["top_interests"] == ["A", "I"]
    assert [(job["code"], job["score"]) for job in result["jobs"]] == [
        ("E1206", 9),
        ("M1855", 9),
        ("M1887", 9),
        ("M1805", 6),
        ("M1844", 5),
    ]
    assert result["jobs"][1]["reason"] == (
        "Vous aimez créer et comprendre comment les choses marchent et vous aimez apprendre. "
        "Vous avez déjà de bonnes bases : créer des contenus."
    )
    assert result["strengths"] == [
        "Vous savez créer des documents et des visuels propres.",
        "Vous aimez apprendre, c'est un atout dans le numérique où tout change vite.",
        "Ce qui vous plaît : créer et comprendre comment les choses marchent.",
    ]
    assert len(result["notes"]) == 3
    assert result["notes"][2] == "Nous avons mis en avant les métiers qui se font souvent à distance."


def test_scoring_lowest_answers_still_suggest_three_jobs():
    result = _score(LOWEST_PROFILE)

    assert set(_levels(result).values()) == {1}
    assert result["top_interests"] == []
    assert result["strengths"] == []
    assert [job["code"] for job in result["jobs"]] == ["E1101", "E1113", "E1205"]
    assert {job["reason"] for job in result["jobs"]} == {"Un métier accessible pour découvrir le numérique."}


def test_scoring_is_deterministic():
    assert _score(SUPPORT_PROFILE) == _score(dict(reversed(list(SUPPORT_PROFILE.items()))))


def test_scoring_does_not_depend_on_the_order_of_json_keys():
    # PostgreSQL's jsonb reorders an object's keys: the result must not change.
    rules, questions = v1_rules()
    shuffled = {
        **rules,
        "areas": dict(sorted(rules["areas"].items(), reverse=True)),
        "jobs": [
            {**job, "digital": dict(sorted(job["digital"].items(), reverse=True))} for job in rules["jobs"]
        ],
    }

    assert score(rules=shuffled, questions=questions, answers=SUPPORT_PROFILE) == _score(SUPPORT_PROFILE)


def test_scoring_refuses_a_missing_answer():
    answers = dict(SUPPORT_PROFILE)
    del answers["gout-c"]
    with pytest.raises(AnswerError, match="Il reste 1 question"):
        _score(answers)


def test_scoring_refuses_a_value_outside_the_scale():
    with pytest.raises(AnswerError, match="soft-equipe"):
        _score({**SUPPORT_PROFILE, "soft-equipe": "5"})


def test_scoring_refuses_a_question_of_another_version():
    with pytest.raises(AnswerError, match="ne correspondent pas à ce questionnaire : question-v2"):
        _score({**SUPPORT_PROFILE, "question-v2": "oui"})
