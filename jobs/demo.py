"""Demo partners of steps 5 and 6 (training bodies and companies across Occitanie) and the memberships
of the demo partner accounts (a company's, a training body's). Idempotent; the rooms' demos
(jobs.trainings, jobs.offers) then add what each partner offers.

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
    ("Numérique Sud Formation (démo)", "90000000510009", PartnerKind.TRAINING_BODY, ["66136", "30189"]),
    (
        "Campus Tarn et Aveyron Numérique (démo)",
        "90000000610007",
        PartnerKind.TRAINING_BODY,
        ["81004", "12202"],
    ),
    ("Données du Gard (démo)", "90000000710005", PartnerKind.COMPANY, ["30189"]),
    ("Pyrénées Cloud (démo)", "90000000810003", PartnerKind.COMPANY, ["65440", "66136"]),
]
# The demo partner accounts and the partner each works for (an index in PARTNERS).
MEMBERS = {"partner@declics.example": 2, "training@declics.example": 0}


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

    # The demo company account works for the web agency, the training body's for Code Occitanie.
    for user in User.objects.filter(email__in=MEMBERS, partner_membership__isnull=True):
        PartnerMembership.objects.create(user=user, partner=partners[MEMBERS[user.email]])
    if stdout is not None:
        stdout.write(f"jobs: {len(partners)} demo partners")
