"""Known answer sets for the v1 questionnaire (programs/assessment/data/questionnaire-v1.json)."""

import json
from pathlib import Path

from programs.assessment.scoring import QuestionRule

V1_FILE = Path(__file__).resolve().parents[3] / "programs" / "assessment" / "data" / "questionnaire-v1.json"


def v1_data() -> dict:
    return json.loads(V1_FILE.read_text(encoding="utf-8"))


def v1_rules() -> tuple[dict, list[QuestionRule]]:
    data = v1_data()
    questions = [
        QuestionRule(
            key=q["key"],
            part=q["part"],
            area=q["area"],
            choices={c["value"]: c["score"] for c in q["choices"]},
        )
        for q in data["questions"]
    ]
    return data["scoring"], questions


# Likes helping and organising, solid everyday digital skills, can travel nearby, day hours.
SUPPORT_PROFILE = {
    "info-recherche": "site-officiel",
    "info-rangement": "dossier",
    "comm-visio": "micro",
    "comm-equipe": "partage",
    "contenu-cv": "texte",
    "contenu-image": "photo",
    "securite-mail": "supprime",
    "securite-mdp": "differents",
    "probleme-panne": "verifie",
    "probleme-outil": "tutoriel",
    "soft-organisation": "plutot",
    "soft-equipe": "un-peu",
    "soft-relation": "tout-a-fait",
    "soft-autonomie": "un-peu",
    "soft-apprendre": "plutot",
    "gout-r": "un-peu",
    "gout-i": "un-peu",
    "gout-a": "non",
    "gout-s": "enormement",
    "gout-e": "non",
    "gout-c": "beaucoup",
    "mobilite": "proche",
    "horaires": "journee",
    "garde": "non",
    "equipement": "ordinateur",
    "internet": "bon",
}

# Creative beginner who can only work from home, part time, with a phone and a limited connection.
CREATIVE_REMOTE_PROFILE = {
    "info-recherche": "je-ne-sais-pas",
    "info-rangement": "je-ne-sais-pas",
    "comm-visio": "je-ne-sais-pas",
    "comm-equipe": "je-ne-sais-pas",
    "contenu-cv": "modele",
    "contenu-image": "creation",
    "securite-mail": "je-ne-sais-pas",
    "securite-mdp": "je-ne-sais-pas",
    "probleme-panne": "je-ne-sais-pas",
    "probleme-outil": "je-ne-sais-pas",
    "soft-organisation": "pas-du-tout",
    "soft-equipe": "pas-du-tout",
    "soft-relation": "pas-du-tout",
    "soft-autonomie": "pas-du-tout",
    "soft-apprendre": "tout-a-fait",
    "gout-r": "non",
    "gout-i": "beaucoup",
    "gout-a": "enormement",
    "gout-s": "non",
    "gout-e": "non",
    "gout-c": "non",
    "mobilite": "domicile",
    "horaires": "partiel",
    "garde": "oui",
    "equipement": "telephone",
    "internet": "limite",
}

# The lowest answer everywhere: no interest, no strength.
LOWEST_PROFILE = {
    **{
        key: "je-ne-sais-pas"
        for key in CREATIVE_REMOTE_PROFILE
        if key.split("-")[0] in {"info", "comm", "contenu", "securite", "probleme"}
    },
    **{key: "pas-du-tout" for key in CREATIVE_REMOTE_PROFILE if key.startswith("soft-")},
    **{key: "non" for key in CREATIVE_REMOTE_PROFILE if key.startswith("gout-")},
    "mobilite": "proche",
    "horaires": "temps-plein",
    "garde": "non",
    "equipement": "ordinateur",
    "internet": "bon",
}
