"""Scoring of the skills assessment: a pure function of a questionnaire's rules and the answers.

No database, no clock: the same rules and answers always give the same result, which is stored
as a snapshot. The rules (areas, their plain words, job profiles, weights) are data, loaded with
the questionnaire version they belong to (see data/questionnaire-v*.json).

- Digital skills (five DigComp 2.2 areas): the points of an area's situational questions, scaled
  to a level 1–8 (rounded up, at least 1).
- Transferable skills: a percentage per skill; a strength from `soft_strength_percent`.
- Interests (RIASEC): the `top_interests` letters with the most points (ties in R, I, A, S, E, C
  order), letters with no point left out.
- Constraints: the chosen values, kept as they are (they weigh on the jobs and give notes).
- Jobs: each profile scores `interest` per shared top letter, `soft` per shared strength,
  `digital` per area at or above the profile's level, and penalties when it needs travelling
  (and the person can only work from home) or shift hours (and the person has limited hours).
  The best `jobs_min`–`jobs_max` are kept: every job with a positive score, up to the maximum,
  and at least the minimum; ties by ROME code.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DIGITAL, SOFT, INTERESTS, CONSTRAINTS = "digital", "soft", "interests", "constraints"
RIASEC = "RIASEC"


class AnswerError(ValueError):
    """The answers cannot be scored; the message is safe to show."""


@dataclass(frozen=True)
class QuestionRule:
    key: str
    part: str
    area: str
    # choice value -> points
    choices: Mapping[str, int]


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _join(words: Sequence[str]) -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s et %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def check_answers(questions: Sequence[QuestionRule], answers: Mapping[str, str]) -> None:
    """Raise `AnswerError` unless every question has exactly one known answer and nothing else."""
    keys = {question.key for question in questions}
    unknown = sorted(set(answers) - keys)
    if unknown:
        raise AnswerError(
            _("Ces réponses ne correspondent pas à ce questionnaire : %(keys)s.")
            % {"keys": ", ".join(unknown)}
        )
    missing = [question.key for question in questions if question.key not in answers]
    if missing:
        raise AnswerError(
            ngettext(
                "Il reste %(count)s question sans réponse.",
                "Il reste %(count)s questions sans réponse.",
                len(missing),
            )
            % {"count": len(missing)}
        )
    for question in questions:
        if answers[question.key] not in question.choices:
            raise AnswerError(
                _("La réponse à la question « %(key)s » n'est pas une des réponses proposées.")
                % {"key": question.key}
            )


def score(*, rules: Mapping, questions: Sequence[QuestionRule], answers: Mapping[str, str]) -> dict:
    """The result of `answers` under `rules`, as a JSON-ready dict (see the module docstring)."""
    check_answers(questions, answers)
    areas = rules["areas"]
    points: dict[str, int] = {}
    maximum: dict[str, int] = {}
    constraints: dict[str, str] = {}
    for question in questions:
        value = answers[question.key]
        if question.part == CONSTRAINTS:
            constraints[question.area] = value
            continue
        points[question.area] = points.get(question.area, 0) + question.choices[value]
        maximum[question.area] = maximum.get(question.area, 0) + max(question.choices.values())

    # Areas in the order their first question comes: never the order of a JSON object's keys, which
    # PostgreSQL's jsonb does not keep.
    order = list(dict.fromkeys(question.area for question in questions))

    def area_keys(part):
        return [key for key in order if key in maximum and areas[key]["part"] == part]

    max_level = rules["digital_max_level"]
    digital = [
        {
            "area": key,
            "label": areas[key]["label"],
            "level": max(1, _ceil_div(max_level * points[key], maximum[key])),
            "max": max_level,
        }
        for key in area_keys(DIGITAL)
    ]
    soft = [
        {"area": key, "label": areas[key]["label"], "percent": 100 * points[key] // maximum[key]}
        for key in area_keys(SOFT)
    ]
    interest_scores = [(letter, points[letter]) for letter in RIASEC if letter in maximum]
    ranked = sorted(interest_scores, key=lambda item: (-item[1], RIASEC.index(item[0])))
    top_letters = [letter for letter, value in ranked[: rules["top_interests"]] if value > 0]
    interests = [
        {"letter": letter, "label": areas[letter]["label"], "points": value, "top": letter in top_letters}
        for letter, value in interest_scores
    ]

    levels = {row["area"]: row["level"] for row in digital}
    soft_strengths = [row["area"] for row in soft if row["percent"] >= rules["soft_strength_percent"]]
    strengths = [areas[row["area"]]["strength"] for row in digital if row["level"] >= rules["strength_level"]]
    strengths += [areas[key]["strength"] for key in soft_strengths]
    if top_letters:
        strengths.append(
            _("Ce qui vous plaît : %(likes)s.")
            % {"likes": _join([areas[letter]["likes"] for letter in top_letters])}
        )

    jobs = _suggest_jobs(
        rules=rules,
        order=order,
        top_letters=top_letters,
        soft_strengths=soft_strengths,
        levels=levels,
        constraints=constraints,
    )
    return {
        "digital": digital,
        "soft": soft,
        "interests": interests,
        "top_interests": top_letters,
        "constraints": constraints,
        "strengths": strengths,
        "notes": _notes(constraints),
        "jobs": jobs,
    }


def _suggest_jobs(*, rules, order, top_letters, soft_strengths, levels, constraints) -> list[dict]:
    areas, weights = rules["areas"], rules["weights"]
    remote_only = constraints.get("mobility") == "domicile"
    limited_hours = constraints.get("hours") in {"journee", "partiel"}
    scored = []
    for profile in rules["jobs"]:
        liked = [letter for letter in top_letters if letter in profile["interests"]]
        soft = [key for key in profile["soft"] if key in soft_strengths]
        needed = profile["digital"]
        digital = [area for area in order if area in needed and levels.get(area, 0) >= needed[area]]
        total = (
            weights["interest"] * len(liked) + weights["soft"] * len(soft) + weights["digital"] * len(digital)
        )
        if profile.get("on_site") and remote_only:
            total += weights["on_site_remote_only"]
        if profile.get("shifts") and limited_hours:
            total += weights["shifts_limited_hours"]
        parts = []
        if liked:
            parts.append(
                _("vous aimez %(likes)s") % {"likes": _join([areas[letter]["likes"] for letter in liked])}
            )
        parts += [areas[key]["reason"] for key in soft]
        # Two short sentences rather than one long one: what you like, then what you already know.
        sentences = [_join(parts)] if parts else []
        if digital:
            sentences.append(
                _("vous avez déjà de bonnes bases : %(areas)s")
                % {"areas": ", ".join(areas[area]["label"].lower() for area in digital)}
            )
        if sentences:
            reason = " ".join(sentence[0].upper() + sentence[1:] + "." for sentence in sentences)
        else:
            reason = _("Un métier accessible pour découvrir le numérique.")
        scored.append(
            {
                "code": profile["code"],
                "title": profile["title"],
                "score": total,
                "reason": reason,
                "matches": {"interests": liked, "soft": soft, "digital": digital},
            }
        )
    scored.sort(key=lambda job: (-job["score"], job["code"]))
    positive = [job for job in scored if job["score"] > 0]
    count = min(max(len(positive), rules["jobs_min"]), rules["jobs_max"])
    return scored[:count]


def _notes(constraints: Mapping[str, str]) -> list[str]:
    notes = []
    if constraints.get("equipment") in {"telephone", "rien"} or constraints.get("internet") in {
        "limite",
        "aucun",
    }:
        notes.append(
            _(
                "Pour vous former, vous aurez besoin d'un ordinateur et d'une connexion : parlez-en à votre "
                "conseiller·ère, des aides et des prêts de matériel existent."
            )
        )
    if constraints.get("childcare") == "oui":
        notes.append(
            _("Pensez à demander une aide à la garde d'enfants : votre conseiller·ère peut vous orienter.")
        )
    if constraints.get("mobility") == "domicile":
        notes.append(_("Nous avons mis en avant les métiers qui se font souvent à distance."))
    return notes
