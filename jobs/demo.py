"""Demo partners of steps 5 and 6 (two training bodies, two companies) and the demo partner account's
membership. Idempotent; the rooms' demos (jobs.trainings, jobs.offers) then add what each partner offers.

Called by `manage.py seed_demo` after programs and mentoring. Everything is clearly demo: names
end with "(démo)", SIRET numbers are made up (they pass the checksum), addresses use
@demo.declics.example. Missing sessions or communes are tolerated (the rows are then skipped).
"""

from django.db import transaction

from declics.accounts.models import User
from declics.rome.models import RomeJob
from declics.rome.services import load_rome_jobs
from declics.territories.models import Commune, Region

from .models import Partner, PartnerKind, PartnerMembership

# (name, SIRET, kind, INSEE codes of its towns)
PARTNERS = [
    ("Code Occitanie (démo)", "90000000100017", PartnerKind.TRAINING_BODY, ["34172"]),
    ("Numérique Pour Toutes Toulouse (démo)", "90000000200015", PartnerKind.TRAINING_BODY, ["31555"]),
    ("Agence Web du Lez (démo)", "90000000300013", PartnerKind.COMPANY, ["34172"]),
    ("Support Garonne Services (démo)", "90000000400011", PartnerKind.COMPANY, ["31555"]),
]


def communes(codes) -> list[Commune]:
    return list(Commune.objects.current().filter(code__in=codes))


def demo_partners() -> list[Partner]:
    """The demo partners, in the order of PARTNERS (seeded by `seed`): the rooms' demos index them."""
    by_siret = Partner.objects.in_bulk(
        [siret for _name, siret, _kind, _towns in PARTNERS], field_name="siret"
    )
    return [by_siret[siret] for _name, siret, _kind, _towns in PARTNERS]


@transaction.atomic
def seed(stdout=None) -> None:
    if not RomeJob.objects.exists():
        load_rome_jobs()
    partners = []
    occitanie = Region.objects.filter(code="76").first()
    for name, siret, kind, towns in PARTNERS:
        partner, created = Partner.objects.get_or_create(
            siret=siret,
            defaults={
                "name": name,
                "kind": kind,
                "sector": "Formation" if kind == PartnerKind.TRAINING_BODY else "Services numériques",
                "qualiopi": kind == PartnerKind.TRAINING_BODY,
                "website": "https://declics.example/demo",
                "contact_email": f"contact+{siret[-5:]}@demo.declics.example",
            },
        )
        if created:
            partner.communes.set(communes(towns))
            if occitanie:
                partner.regions.set([occitanie])
        partners.append(partner)

    # The demo partner account works for the web agency.
    partner_user = User.objects.filter(email="partner@declics.example").first()
    if partner_user and not hasattr(partner_user, "partner_membership"):
        PartnerMembership.objects.create(user=partner_user, partner=partners[2])
    if stdout is not None:
        stdout.write(f"jobs: {len(partners)} demo partners")
