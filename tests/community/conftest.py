"""The cast of the Communauté's tests: one person per role, around the spaces of
Nord (open) and Somme (private), with Aisne as "another space"."""

import html
from dataclasses import dataclass

import pytest
from django.test import Client

from community.models import Space
from tests.community.factories import MembershipFactory, space
from tests.factories import UserFactory, operator, territory


@pytest.fixture
def nord(db) -> Space:
    return space("nord", description="Les professionnels de l'emploi du Nord.")


@pytest.fixture
def somme(db) -> Space:
    return space("somme", private=True, description="Le pilote référent unique RSA.")


@pytest.fixture
def aisne(db) -> Space:
    return space("aisne")


@dataclass
class Cast:
    non_member: object
    member: object
    suspended: object
    other_animator: object
    animator: object
    staff: object


def cast_for(target: Space, other: Space) -> Cast:
    """One user per role in `target`; the other animateur animates `other`."""
    ml = operator("mission-locale")
    somme_dept = [territory("somme"), territory("nord")]
    member = UserFactory(display_name="Inès Membre", operator=ml, territories=somme_dept)
    suspended = UserFactory(display_name="Hugo Suspendu", territories=somme_dept)
    animator = UserFactory(display_name="Alice Animatrice", territories=somme_dept)
    other_animator = UserFactory(display_name="Omar Autre-Espace", territories=somme_dept)
    MembershipFactory(space=target, user=member)
    MembershipFactory(space=target, user=suspended, suspended=True)
    MembershipFactory(space=target, user=animator, animator=True)
    MembershipFactory(space=other, user=other_animator, animator=True)
    return Cast(
        non_member=UserFactory(display_name="Nadia Extérieure", territories=somme_dept),
        member=member,
        suspended=suspended,
        other_animator=other_animator,
        animator=animator,
        staff=UserFactory(display_name="Sam Équipe", is_staff=True, territories=somme_dept),
    )


@pytest.fixture
def private_cast(somme, aisne) -> Cast:
    return cast_for(somme, aisne)


@pytest.fixture
def open_cast(nord, aisne) -> Cast:
    return cast_for(nord, aisne)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page_text(response) -> str:
    """The response body with HTML entities decoded, to compare with French text."""
    return html.unescape(response.content.decode())
