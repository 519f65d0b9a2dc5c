"""docs/indicateurs.md and the public page say each formula as the code defines it."""

import pytest
from django.conf import settings

from pilotage.indicators import INDICATORS
from tests.people.pages import assert_dsfr_page


def test_the_documentation_gives_every_indicator_and_its_formula():
    document = (settings.BASE_DIR / "docs" / "indicateurs.md").read_text()
    for indicator in INDICATORS:
        assert (
            f"| {indicator.label} | `{indicator.key}` | {indicator.unit} | {indicator.formula} |"
            in document
        )


@pytest.mark.django_db
def test_the_public_page_gives_every_formula(client):
    page = assert_dsfr_page(
        client.get("/pilotage/indicateurs/"), title="Indicateurs du pilotage et leurs formules"
    )
    for indicator in INDICATORS:
        assert page.find(id=indicator.key) is not None
        assert indicator.formula in page.get_text()
