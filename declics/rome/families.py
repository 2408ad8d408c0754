"""The digital jobs grouped in a few families with plain names, for job seekers choosing jobs.

A job seeker does not know ROME codes: pages that list many digital jobs show them by family, with
the job's name and no code. A code in no family (a new ROME sheet) falls in "Autres métiers".
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Family:
    key: str
    label: Promise
    codes: frozenset[str]


FAMILIES = (
    Family(
        "support",
        _("Aider les utilisateurs"),
        frozenset({"M1810", "M1813", "M1869", "M1871", "M1874", "M1876", "M1878"}),
    ),
    Family(
        "development",
        _("Créer des sites et des logiciels"),
        frozenset(
            {
                "M1805", "M1818", "M1821", "M1827", "M1831", "M1836", "M1837", "M1841", "M1848",
                "M1852", "M1855", "M1861", "M1865", "M1877", "M1887", "M1892",
            }
        ),
    ),
    Family(
        "design",
        _("Design et réseaux sociaux"),
        frozenset(
            {
                "E1101", "E1104", "E1113", "E1115", "E1124", "E1125", "E1127", "E1205", "E1206",
                "E1207", "E1210", "M1834", "M1850",
            }
        ),
    ),
    Family(
        "data",
        _("Données et intelligence artificielle"),
        frozenset({"M1811", "M1824", "M1851", "M1868", "M1872", "M1873", "M1889", "M1894"}),
    ),
    Family(
        "networks",
        _("Réseaux, serveurs et cloud"),
        frozenset(
            {
                "M1801", "M1802", "M1804", "M1816", "M1822", "M1826", "M1829", "M1830", "M1835",
                "M1839", "M1843", "M1845", "M1847", "M1849", "M1854", "M1857", "M1860", "M1862",
                "M1879", "M1884", "M1885",
            }
        ),
    ),
    Family(
        "security",
        _("Sécurité informatique"),
        frozenset(
            {
                "M1812", "M1817", "M1819", "M1833", "M1844", "M1846", "M1856", "M1863", "M1866",
                "M1882", "M1883",
            }
        ),
    ),
    Family(
        "quality",
        _("Tester les logiciels"),
        frozenset({"M1815", "M1820", "M1832", "M1842"}),
    ),
    Family(
        "projects",
        _("Gérer des projets, conseiller"),
        frozenset(
            {
                "M1803", "M1806", "M1814", "M1823", "M1825", "M1828", "M1838", "M1840", "M1853",
                "M1858", "M1859", "M1864", "M1867", "M1870", "M1875", "M1880", "M1881", "M1886",
            }
        ),
    ),
)  # fmt: skip
OTHERS = Family("others", _("Autres métiers"), frozenset())
_FAMILY_OF = {code: family for family in FAMILIES for code in family.codes}


def family_of(code: str) -> Family:
    return _FAMILY_OF.get(code, OTHERS)
