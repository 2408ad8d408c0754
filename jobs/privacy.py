"""What the partners' base holds about people: who works for a partner (their membership, deleted
at erasure) and a partner's contact address. Its rooms, trainings (step 5) and offers (step 6),
declare their own."""

from declics import personal_data
from declics.personal_data import iso

from .models import PartnerMembership


def export(user) -> dict:
    membership = PartnerMembership.objects.filter(user=user).select_related("partner").first()
    return {
        "roles": {
            "partner": None
            if membership is None
            else {"name": membership.partner.name, "since": iso(membership.created_at)}
        }
    }


def erase(*, user, now) -> None:
    PartnerMembership.objects.filter(user=user).delete()


PERSONAL_DATA = personal_data.PersonalData(
    app="jobs",
    order=personal_data.SPINE,
    personal={
        "jobs.PartnerMembership": "user partner created_at",
        # Often a named person's address at the company: the partner changes it in its profile.
        "jobs.Partner": "contact_email",
    },
    not_personal={"jobs.Partner": "kind name siret sector logo website"},
    export=export,
    erase=erase,
)
