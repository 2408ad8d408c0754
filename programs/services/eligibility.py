"""Who may join a session: a commune of its départements, in a QPV or classified FRR/ZRR."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from declics.territories.models import QPV, Commune
from declics.territories.selectors import is_commune_in, qpvs_for_commune, rural_zone_for_commune

from ..models import Session
from .errors import EligibilityInputError

BASIS_QPV = "qpv"
BASIS_RURAL = "frr"


@dataclass(frozen=True)
class EligibilityDecision:
    """The answer for one commune (and declared QPV) and one session; nothing is stored.

    `snapshot` is what the enrolment keeps, so that later list changes never rewrite history.
    """

    eligible: bool
    basis: str = ""  # BASIS_QPV, BASIS_RURAL, or "" when not eligible
    reason: str = ""  # a plain French explanation when not eligible
    snapshot: dict = field(default_factory=dict)


def outside_territory_reason(*, name: str) -> str:
    """Why a commune called `name` may not join a session: it lies outside the session's départements."""
    return _(
        "%(commune)s n'est pas dans le territoire de cette session. "
        "Regardez si une autre session couvre votre département, ou parlez-en à votre conseiller·ère."
    ) % {"commune": name}


def refuse_outside_territory(*, name: str) -> EligibilityDecision:
    """The refusal for homonyms that all lie outside the session's départements (nothing to choose)."""
    return EligibilityDecision(eligible=False, reason=outside_territory_reason(name=name))


def check_eligibility(*, session: Session, commune: Commune, qpv: QPV | None = None) -> EligibilityDecision:
    """Decide whether a person living in `commune` (in `qpv`, if declared) may join `session`.

    The lists are read on the session's first day. A QPV that is not one of the commune's QPVs
    on that day is a malformed request (the form only offers the commune's own): it raises
    `EligibilityInputError` rather than returning a refusal.
    """
    on = session.reference_date
    if qpv is not None and not qpvs_for_commune(commune, on=on).filter(pk=qpv.pk).exists():
        raise EligibilityInputError(
            _("Le quartier choisi n'est pas un quartier prioritaire de %(commune)s.")
            % {"commune": commune.name}
        )
    departement_codes = set(session.departements.values_list("code", flat=True))
    snapshot = {
        "decided_at": timezone.now().isoformat(),
        "reference_date": on.isoformat(),
        "session": session.slug,
        "commune": {"code": commune.code, "name": commune.name, "departement": commune.departement_id},
        "session_departements": sorted(departement_codes),
    }
    if not is_commune_in(commune, departement_codes):
        return EligibilityDecision(
            eligible=False,
            reason=outside_territory_reason(name=commune.name),
            snapshot={**snapshot, "eligible": False, "basis": ""},
        )
    if qpv is not None:
        return EligibilityDecision(
            eligible=True,
            basis=BASIS_QPV,
            snapshot={
                **snapshot,
                "eligible": True,
                "basis": BASIS_QPV,
                "qpv": {
                    "code": qpv.code,
                    "name": qpv.name,
                    "valid_from": qpv.valid_from.isoformat(),
                    "valid_to": qpv.valid_to.isoformat() if qpv.valid_to else None,
                    "source": qpv.source,
                    "is_sample": qpv.is_sample,
                },
            },
        )
    zone = rural_zone_for_commune(commune, on=on)
    if zone is not None:
        return EligibilityDecision(
            eligible=True,
            basis=BASIS_RURAL,
            snapshot={
                **snapshot,
                "eligible": True,
                "basis": BASIS_RURAL,
                "rural_zone": {
                    "classification": zone.classification,
                    "valid_from": zone.valid_from.isoformat(),
                    "valid_to": zone.valid_to.isoformat() if zone.valid_to else None,
                    "source": zone.source,
                    "is_sample": zone.is_sample,
                },
            },
        )
    has_qpv = qpvs_for_commune(commune, on=on).exists()
    if has_qpv:
        reason = _(
            "Pour participer depuis %(commune)s, il faut habiter un de ses quartiers prioritaires (QPV). "
            "Si vous n'êtes pas sûr·e, votre conseiller·ère peut vous aider à le vérifier."
        )
    else:
        reason = _(
            "%(commune)s n'a pas de quartier prioritaire et n'est pas classée France Ruralités "
            "Revitalisation (FRR, ex-ZRR) aux dates de la session. Votre conseiller·ère peut vous "
            "proposer d'autres accompagnements vers le numérique."
        )
    return EligibilityDecision(
        eligible=False,
        reason=reason % {"commune": commune.name},
        snapshot={**snapshot, "eligible": False, "basis": ""},
    )
