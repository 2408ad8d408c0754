"""declics/db.py: a unique violation from a twin request becomes the service's own refusal."""

import pytest
from django.db import IntegrityError

from declics.db import duplicate_raises, is_unique_violation
from mentoring.models import MentorProfile
from programs.models import Agency
from tests.mentoring.factories import MentorProfileFactory
from tests.programs.advisers.factories import AgencyFactory

pytestmark = pytest.mark.django_db


class Refused(Exception):
    pass


def test_a_unique_violation_becomes_the_given_error_and_the_transaction_goes_on():
    agency = AgencyFactory(name="France Travail Sète")

    with pytest.raises(Refused) as raised, duplicate_raises(Refused("Cette agence existe déjà.")):
        Agency.objects.create(name=agency.name, kind=agency.kind, departement=agency.departement)

    assert isinstance(raised.value.__cause__, IntegrityError)
    assert is_unique_violation(raised.value.__cause__)
    assert list(Agency.objects.values_list("name", flat=True)) == ["France Travail Sète"]  # still usable


def test_other_integrity_errors_are_not_taken_for_a_duplicate():
    profile = MentorProfileFactory(capacity=2)

    with pytest.raises(IntegrityError) as raised, duplicate_raises(Refused("jamais")):
        MentorProfile.objects.filter(pk=profile.pk).update(active_mentees=3)  # a check constraint

    assert not is_unique_violation(raised.value)
