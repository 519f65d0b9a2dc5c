"""The moderation queue fits its page: reasons wrap, decisions are within reach."""

import pytest

from community.models import Membership
from community.moderation import services as moderation
from portal.setup import site_setup
from tests.community.factories import MembershipFactory, space
from tests.community.forums.factories import make_forum, publish_topic
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import DEFAULT_PASSWORD

REASON = (
    "Ce message donne le nom, l'adresse et la situation familiale d'une personne "
    "accompagnée : ce sont des données personnelles qui n'ont rien à faire sur le forum, "
    "merci de le masquer au plus vite et de rappeler la charte à son auteur."
)


@pytest.fixture
def queue():
    site_setup()
    nord = space("nord")
    animator = MembershipFactory(space=nord, animator=True).user
    author = MembershipFactory(space=nord).user
    reporter = MembershipFactory(space=nord).user
    topic = publish_topic(
        make_forum(nord),
        author,
        title="Une situation compliquée à partager avec tous les collègues du département",
        body="Madame X, 12 rue des Lilas, trois enfants, sans ressources depuis mars. " * 4,
    )
    moderation.post_report(post=topic.posts.first(), reporter=reporter, reason=REASON)
    assert Membership.objects.filter(space=nord).count() == 3
    return animator


@pytest.mark.parametrize("width", [1280, 1024])
def test_queue_wraps_the_reason_and_keeps_decisions_on_screen(page, queue, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, email=queue.email, password=DEFAULT_PASSWORD)
    page.goto("/communaute/nord/moderation/")

    for name in ("Masquer le message", "Classer sans suite"):
        button = page.get_by_role("button", name=name)
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{name} hors de l'écran"
    reason = page.get_by_text(REASON[:40])
    assert reason.is_visible()
    overflow = reason.evaluate("e => e.scrollWidth - e.clientWidth")
    assert overflow <= 1, f"le motif est coupé de {overflow} px"
    wrapper = page.locator(".fr-table__container").first
    assert wrapper.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    assert_no_axe_violations(page)
