"""ProConnect's claims mapped to a person, and a SIRET to an operator (no provider needed)."""

import pytest

from portal.people.proconnect.claims import (
    MissingClaims,
    identity_from_claims,
    operator_slug_for_siret,
)

CLAIMS = {
    "sub": "a1b2",
    "email": " camille.durand@francetravail.fr ",
    "given_name": "Camille Marie",
    "usual_name": "Durand",
    "siret": "130 005 481 00010",
    "idp_id": "fia1v2",
}


def test_the_claims_give_the_names_the_email_the_siret_and_the_identity_provider():
    identity = identity_from_claims(CLAIMS)

    assert identity.email == "camille.durand@francetravail.fr"
    assert (identity.first_name, identity.last_name) == ("Camille Marie", "Durand")
    assert identity.siret == "13000548100010"  # spaces removed
    assert identity.idp_id == "fia1v2"
    assert identity.email_verified  # ProConnect's addresses are verified by the federation


def test_an_email_said_unverified_is_believed():
    assert not identity_from_claims({**CLAIMS, "email_verified": False}).email_verified
    assert not identity_from_claims({**CLAIMS, "email_verified": "false"}).email_verified
    assert identity_from_claims({**CLAIMS, "email_verified": True}).email_verified


@pytest.mark.parametrize("missing", ["sub", "email"])
def test_an_identity_without_sub_or_email_is_refused(missing):
    with pytest.raises(MissingClaims) as refused:
        identity_from_claims({**CLAIMS, missing: ""})
    assert refused.value.names == [missing]


def test_optional_claims_may_be_absent_and_a_malformed_siret_is_dropped():
    identity = identity_from_claims({"sub": "x", "email": "a@b.fr", "siret": "1234"})

    assert (identity.first_name, identity.last_name, identity.siret) == ("", "", "")
    assert (
        identity_from_claims({**CLAIMS, "usual_name": None, "family_name": "Martin"}).last_name
        == "Martin"
    )


@pytest.mark.parametrize(
    ("siret", "operator"),
    [
        ("13000548100010", "france-travail"),  # France Travail, any of its establishments
        ("13000548104152", "france-travail"),
        ("22590001800017", "conseil-departemental"),  # a département
        ("23590001500015", "conseil-regional"),  # a région
        ("21590350100017", "commune-intercommunalite"),  # a commune
        ("24590041000011", "commune-intercommunalite"),  # an EPCI
        ("88012345600017", None),  # an association: not in the table
        ("", None),
        ("1300054810001", None),  # 13 digits
    ],
)
def test_a_siret_names_the_operator_when_the_table_knows_it(siret, operator):
    assert operator_slug_for_siret(siret) == operator
