import pytest

from programs.advisers import selectors
from tests.factories import MentorFactory, PartnerUserFactory, StaffFactory, UserFactory

from .factories import agency_adviser


def names(queryset):
    return sorted(e.job_seeker.first_name for e in queryset)


def test_enrolments_visible_to_adviser_are_their_consenting_people(world):
    assert names(selectors.enrolments_visible_to(world.adviser)) == ["Alice", "Bruno"]


def test_enrolments_counted_for_adviser_include_people_who_did_not_consent(world):
    assert names(selectors.enrolments_counted_for(world.adviser)) == ["Alice", "Bruno", "Chloe"]


def test_enrolments_visible_to_agency_head_are_the_agency_consenting_people(world):
    assert names(selectors.enrolments_visible_to(world.head)) == ["Alice", "Bruno", "Damien"]


def test_enrolments_visible_to_staff_are_everyone(world):
    assert names(selectors.enrolments_visible_to(StaffFactory())) == [
        "Alice",
        "Bruno",
        "Chloe",
        "Damien",
        "Elise",
    ]


@pytest.mark.parametrize("factory", [UserFactory, MentorFactory, PartnerUserFactory])
def test_enrolments_visible_to_other_roles_are_nobody(world, factory):
    user = factory()
    assert list(selectors.enrolments_visible_to(user)) == []
    assert list(selectors.enrolments_counted_for(user)) == []
    assert list(selectors.sessions_visible_to(user)) == []


def test_sessions_visible_to_adviser_are_their_departement_and_those_with_their_people(world):
    lone = agency_adviser(
        agency=world.agency.__class__.objects.create(
            name="Cap emploi Toulouse", kind="cap_emploi", departement=world.garonne
        )
    )
    assert list(selectors.sessions_visible_to(world.adviser)) == [world.session]
    # Agency B is in Haute-Garonne, but one of its advisers has a person in the Hérault session.
    assert list(selectors.sessions_visible_to(world.other_adviser)) == [world.session]
    assert list(selectors.sessions_visible_to(lone)) == []
