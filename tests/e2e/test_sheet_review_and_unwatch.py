"""In a real browser: an animatrice reviews a sheet proposed in her space from the
Communauté's review queue; a member stops watching a topic from the link of an e-mail,
without logging in. axe RGAA rules on every page visited."""

import re

from django.core import mail
from django.core.cache import cache

from community.models import PracticeSheetPage, Watch
from community.sheets import services as sheet_services
from community.sheets.services import Step
from portal.setup import site_setup
from tests.community.factories import MembershipFactory, space
from tests.community.forums.factories import make_forum, publish_reply, publish_topic
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import DEFAULT_PASSWORD, UserFactory, operator

TITLE = "Un référent unique pour les allocataires du RSA"
BAD_REQUEST = "Failed to load resource: the server responded with a status of 400 (Bad Request)"


def test_animatrice_asks_for_changes_then_publishes_a_proposed_sheet(page):
    site_setup()
    cache.clear()
    somme = space("somme", private=True)
    author = UserFactory(display_name="Inès Autrice")
    animatrice = UserFactory(display_name="Alice Animatrice")
    MembershipFactory(space=somme, user=author)
    MembershipFactory(space=somme, user=animatrice, animator=True)
    sheet = sheet_services.sheet_propose(
        user=author,
        space=somme,
        title=TITLE,
        summary="Un seul interlocuteur pour l'emploi et le social.",
        context="Des parcours morcelés.",
        target_public="Allocataires du RSA",
        steps=[Step("Désigner les référents", "Un binôme par secteur.")],
        operators=[operator("conseil-departemental")],
    )

    log_in(page, email=animatrice.email, password=DEFAULT_PASSWORD)
    page.goto("/communaute/somme/")
    page.get_by_role("link", name="Fiches pratiques à relire").click()
    assert page.get_by_role("heading", level=1, name="Fiches pratiques à relire").is_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name=TITLE).click()
    assert page.get_by_role("heading", level=1, name=TITLE).is_visible()
    assert page.get_by_text("Désigner les référents").is_visible()
    assert_no_axe_violations(page)

    # Asking for changes without saying which is refused, and changes nothing.
    page.get_by_role("button", name="Demander des modifications").click()
    assert page.get_by_text("Aucune décision n'a été enregistrée").is_visible()
    assert page.console_errors == [BAD_REQUEST]
    page.console_errors.clear()
    assert_no_axe_violations(page)
    assert PracticeSheetPage.objects.get(pk=sheet.pk).workflow_in_progress

    page.get_by_label("Commentaire pour l'auteur ou l'autrice").fill("Très clair, merci !")
    page.get_by_role("button", name="Publier la fiche").click()
    assert page.get_by_text(f"La fiche « {TITLE} » est publiée").is_visible()
    assert page.get_by_text("Aucune fiche n'attend de relecture dans cet espace.").is_visible()
    assert PracticeSheetPage.objects.get(pk=sheet.pk).live


def test_member_stops_watching_a_topic_from_the_link_of_an_email(page):
    site_setup()
    cache.clear()
    nord = space("nord")
    member = UserFactory(display_name="Inès Membre")
    other = UserFactory(display_name="Omar Répond")
    for user in (member, other):
        MembershipFactory(space=nord, user=user)
    forum = make_forum(nord, name="Mobilité", slug="mobilite")
    topic = publish_topic(forum, member, title="Covoiturage solidaire")
    mail.outbox.clear()
    publish_reply(topic, other)

    [message] = [m for m in mail.outbox if m.to == [member.email]]
    url = re.search(r"Ne plus suivre le sujet « Covoiturage solidaire » : (\S+)", message.body)[1]
    path = url[url.index("/communaute/") :]

    page.goto(path)
    assert page.get_by_role("heading", level=1, name="Ne plus suivre").is_visible()
    assert_no_axe_violations(page)
    assert Watch.objects.filter(user=member, topic=topic).exists()

    page.get_by_role("button", name="Ne plus suivre").click()
    assert page.get_by_text("Vous ne suivez plus le sujet « Covoiturage solidaire »").is_visible()
    assert_no_axe_violations(page)
    assert not Watch.objects.filter(user=member, topic=topic).exists()
