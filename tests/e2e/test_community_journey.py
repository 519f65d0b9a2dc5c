"""The forums in a real browser: two members of different operators in Hauts-de-France, one
asks, the other answers with a mention, the first is notified and accepts the answer; a
non-member cannot open the private Somme space's forum; the animateur's pages. axe RGAA
rules on every page visited."""

import re

from django.core.cache import cache

from community.models import Membership, Post, Report, Topic
from portal.notifications.models import Notification
from portal.setup import site_setup
from tests.community.factories import MembershipFactory, space
from tests.community.forums.factories import make_forum, publish_reply, publish_topic
from tests.community.sheets.conftest import publish_sheet
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import DEFAULT_PASSWORD, UserFactory, operator, territory

FORUM_NAME = "Accompagnement des allocataires du RSA"
QUESTION = "Comment lever les freins à la mobilité d'un allocataire du RSA ?"
QUESTION_BODY = (
    "Bonjour, un allocataire du RSA que j'accompagne à Amiens a trouvé une formation "
    "à Abbeville mais n'a ni permis ni voiture. Quelles aides avez-vous mobilisées ?"
)
ANSWER = (
    "la Mission locale finance des bons de transport et oriente vers la plateforme mobilité "
    "du Département : on peut monter le dossier ensemble."
)
REASON = "Publicité pour un organisme de formation privé."
SHEET = "Un job-dating France Travail et Mission locale"
PRIVATE_TOPIC = "Bilan confidentiel du pilote référent unique"
NOT_FOUND = "Failed to load resource: the server responded with a status of 404 (Not Found)"
BAD_REQUEST = "Failed to load resource: the server responded with a status of 400 (Bad Request)"
FORBIDDEN = "Failed to load resource: the server responded with a status of 403 (Forbidden)"


def _hauts_de_france_cast():
    hdf = space("hauts-de-france")
    conseillere = UserFactory(
        display_name="Claire Dubois",
        operator=operator("france-travail"),
        structure_name="France Travail Amiens Nord",
        job_title="Conseillère emploi",
        territories=[territory("hauts-de-france")],
    )
    conseiller = UserFactory(
        display_name="Karim Benali",
        operator=operator("mission-locale"),
        structure_name="Mission locale de l'Amiénois",
        job_title="Conseiller en insertion professionnelle",
        territories=[territory("hauts-de-france")],
    )
    MembershipFactory(space=hdf, user=conseillere)
    MembershipFactory(space=hdf, user=conseiller)
    return hdf, conseillere, conseiller


def _log_out(page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Se connecter").first.is_visible()


def _expect_status_error(page, error: str) -> None:
    """Chromium logs a 400 / 403 / 404 status: the one console error expected here."""
    assert page.console_errors == [error]
    page.console_errors.clear()


def test_question_reply_with_mention_notification_and_accepted_answer(page):
    site_setup()
    cache.clear()  # no rate limit left over from another test
    hdf, conseillere, conseiller = _hauts_de_france_cast()
    forum = make_forum(hdf, name=FORUM_NAME, slug="rsa")

    # The conseillère France Travail asks her question.
    log_in(page, email=conseillere.email, password=DEFAULT_PASSWORD)
    page.goto("/communaute/")
    assert page.get_by_role("heading", level=1, name="Communauté").is_visible()
    assert_no_axe_violations(page)

    mine = page.locator("section", has=page.get_by_role("heading", name="Mes espaces"))
    mine.get_by_role("link", name="Hauts-de-France", exact=True).click()
    page.wait_for_url("**/communaute/hauts-de-france/")
    assert page.get_by_role("heading", level=1, name="Hauts-de-France").is_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name=FORUM_NAME).click()
    page.wait_for_url("**/communaute/hauts-de-france/forums/rsa/")
    assert page.get_by_role("heading", level=1, name=FORUM_NAME).is_visible()
    assert page.get_by_text("Aucun sujet pour l'instant : lancez le premier !").is_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Nouveau sujet").click()
    page.wait_for_url("**/forums/rsa/nouveau-sujet/")
    assert page.get_by_role("heading", level=1, name="Nouveau sujet").is_visible()
    assert_no_axe_violations(page)
    # Sent empty, the form says what is missing.
    page.get_by_role("button", name="Publier le sujet").click()
    page.wait_for_load_state()
    assert page.get_by_text("Donnez un titre à votre sujet.").is_visible()
    assert page.get_by_text("Écrivez votre message avant de le publier.").is_visible()
    assert_no_axe_violations(page)
    _expect_status_error(page, BAD_REQUEST)
    page.get_by_label("Titre").fill(QUESTION)
    page.get_by_label("Message").fill(QUESTION_BODY)
    page.get_by_label("Étiquettes").fill("RSA, mobilité")
    page.get_by_role("button", name="Publier le sujet").click()
    page.wait_for_url(re.compile(r"/communaute/hauts-de-france/forums/rsa/\d+/$"))
    assert page.get_by_text("Votre sujet est publié.").is_visible()
    assert page.get_by_role("heading", level=1, name=QUESTION).is_visible()
    assert_no_axe_violations(page)
    topic = Topic.objects.get(forum=forum)
    assert topic.title == QUESTION and topic.author == conseillere
    _log_out(page)

    # The conseiller Mission locale answers, mentioning her with the keyboard.
    log_in(page, email=conseiller.email, password=DEFAULT_PASSWORD)
    page.goto(forum.get_absolute_url())
    assert_no_axe_violations(page)
    page.get_by_role("link", name=QUESTION).click()
    page.wait_for_url(f"**{topic.get_absolute_url()}")
    assert page.get_by_role("heading", level=1, name=QUESTION).is_visible()
    assert page.get_by_text(QUESTION_BODY).is_visible()
    assert_no_axe_violations(page)

    reply = page.get_by_label("Votre réponse")
    reply.click()
    reply.press_sequentially("Bonjour @Cla")
    suggestion = page.get_by_role("option", name="Claire Dubois (France Travail)")
    suggestion.wait_for()
    assert page.get_by_role("listbox", name="Membres à mentionner").is_visible()
    assert_no_axe_violations(page)  # the open suggestion list too
    page.keyboard.press("ArrowDown")
    assert suggestion.get_attribute("aria-selected") == "true"
    assert reply.get_attribute("aria-activedescendant") == suggestion.get_attribute("id")
    page.keyboard.press("Enter")
    assert reply.input_value() == "Bonjour @Claire Dubois "
    assert page.get_by_role("listbox", name="Membres à mentionner").is_hidden()
    reply.press_sequentially(ANSWER)
    page.get_by_role("button", name="Publier ma réponse").click()
    page.wait_for_url(re.compile(r"#post-\d+$"))
    assert page.get_by_text("Votre réponse est publiée.").is_visible()
    answer = Post.objects.get(topic=topic, position=1)
    assert answer.body == f"Bonjour @Claire Dubois {ANSWER}"
    assert page.locator(f"#post-{answer.pk}").get_by_text("Karim Benali").is_visible()
    assert_no_axe_violations(page)
    _log_out(page)

    # The conseillère sees the notification, follows it and accepts the answer.
    log_in(page, email=conseillere.email, password=DEFAULT_PASSWORD)
    unread = page.get_by_test_id("unread-count")
    assert unread.inner_text().startswith("1")
    assert "1 non lue" in unread.text_content()
    page.get_by_role("link", name=re.compile(r"^Notifications")).click()
    page.wait_for_url("**/mon-espace/notifications/")
    assert page.get_by_text("Vous avez 1 notification non lue.").is_visible()
    assert_no_axe_violations(page)
    [notification] = Notification.objects.filter(recipient=conseillere)
    assert notification.title == f"Karim Benali vous a mentionné(e) dans « {QUESTION} »"
    page.get_by_role("link", name=notification.title).click()
    page.wait_for_url(re.compile(rf"{re.escape(topic.get_absolute_url())}#post-{answer.pk}$"))
    assert page.get_by_test_id("unread-count").count() == 0
    assert page.locator(f"#post-{answer.pk}").get_by_text(ANSWER).is_visible()
    assert_no_axe_violations(page)

    page.locator(f"#post-{answer.pk}").get_by_role(
        "button", name="Marquer comme réponse acceptée"
    ).click()
    page.wait_for_load_state()
    assert page.get_by_text("Réponse acceptée : elle s'affiche sous la question.").is_visible()
    topic.refresh_from_db()
    assert topic.accepted_post_id == answer.pk
    # Shown first under the question, before the discussion.
    question_post = page.locator("article.portal-post").first
    accepted = page.locator("section.portal-accepted")
    assert accepted.get_by_role("heading", name="Réponse acceptée de Karim Benali").is_visible()
    assert accepted.get_by_text(ANSWER).is_visible()
    assert question_post.get_by_text(QUESTION_BODY).is_visible()
    order = page.locator("main article.portal-post, main section.portal-accepted").evaluate_all(
        "nodes => nodes.map(node => node.matches('section') ? 'accepted' : node.id)"
    )
    assert order[:2] == [f"post-{topic.posts.get(position=0).pk}", "accepted"]
    assert_no_axe_violations(page)
    _log_out(page)
    assert Notification.objects.filter(recipient=conseiller).count() == 1  # answer accepted

    # A logged-in professional who is not a member of the private Somme space.
    somme = space("somme", private=True)
    somme_animator = UserFactory(display_name="Alice Animatrice", territories=[territory("somme")])
    MembershipFactory(space=somme, user=somme_animator, animator=True)
    pilot = make_forum(somme, name="Pilote référent unique", slug="pilote")
    secret = publish_topic(pilot, somme_animator, title=PRIVATE_TOPIC, body="Chiffres internes.")
    outsider = UserFactory(
        display_name="Nadia Extérieure",
        operator=operator("mission-locale"),
        territories=[territory("somme")],
    )
    log_in(page, email=outsider.email, password=DEFAULT_PASSWORD)
    for url in (
        pilot.get_absolute_url(),
        secret.get_absolute_url(),
        f"{pilot.get_absolute_url()}nouveau-sujet/",
    ):
        response = page.goto(url)
        assert response.status == 404, url
        assert page.get_by_role("heading", level=1, name="Page non trouvée").is_visible()
        content = page.content()
        assert PRIVATE_TOPIC not in content and "Chiffres internes" not in content
        assert "Pilote référent unique" not in content
        assert_no_axe_violations(page)
        _expect_status_error(page, NOT_FOUND)

    # The space page itself only shows how to ask to join.
    page.goto("/communaute/somme/")
    assert page.get_by_role("button", name="Demander à rejoindre").is_visible()
    assert PRIVATE_TOPIC not in page.content()
    assert_no_axe_violations(page)
    assert not Membership.objects.filter(space=somme, user=outsider).exists()


def test_animateur_reviews_the_queue_the_log_and_the_practice_sheets(page):
    site_setup()
    cache.clear()
    hdf, conseillere, conseiller = _hauts_de_france_cast()
    animator = UserFactory(
        display_name="Alice Animatrice",
        operator=operator("conseil-departemental"),
        territories=[territory("hauts-de-france")],
    )
    MembershipFactory(space=hdf, user=animator, animator=True)
    forum = make_forum(hdf, name=FORUM_NAME, slug="rsa")
    topic = publish_topic(forum, conseillere, title=QUESTION, body=QUESTION_BODY)
    answer = publish_reply(topic, conseiller, body="Voyez mon site : promo-formations.example")
    publish_sheet(
        territory_slug="hauts-de-france",
        title=SHEET,
        summary="Cinquante candidats et douze entreprises en une matinée à Amiens.",
    )

    # The conseillère reports the reply from the topic page.
    log_in(page, email=conseillere.email, password=DEFAULT_PASSWORD)
    page.goto(topic.get_absolute_url())
    assert page.get_by_role("button", name="Épingler").count() == 0  # not an animateur
    page.locator(f"#post-{answer.pk}").get_by_role("link", name="Signaler ce message").click()
    page.wait_for_url(f"**/communaute/messages/{answer.pk}/signaler/**")
    assert page.get_by_role("heading", level=1, name="Signaler un message").is_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Motif du signalement").fill(REASON)
    page.get_by_role("button", name="Envoyer le signalement").click()
    page.wait_for_url(f"**{topic.get_absolute_url()}**")
    assert page.get_by_text("Merci : votre signalement est transmis").is_visible()
    assert_no_axe_violations(page)
    assert Report.objects.get(post=answer).reporter == conseillere
    _log_out(page)

    # The animateur sees the tools on the topic, then the queue.
    log_in(page, email=animator.email, password=DEFAULT_PASSWORD)
    page.goto(topic.get_absolute_url())
    assert page.get_by_role("list", name="Outils d'animation du sujet").is_visible()
    assert (
        page.locator(f"#post-{answer.pk}")
        .get_by_role("button", name="Masquer ce message")
        .is_visible()
    )
    assert_no_axe_violations(page)
    page.goto("/communaute/hauts-de-france/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="File de modération : 1 signalement à traiter").click()
    page.wait_for_url("**/communaute/hauts-de-france/moderation/")
    assert page.get_by_role(
        "heading", level=1, name=re.compile("Modération de l'espace")
    ).is_visible()
    assert page.get_by_text(REASON).is_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Note de décision (facultatif)").fill("Lien commercial retiré.")
    page.get_by_role("button", name=f"Masquer le message de {QUESTION}").click()
    page.wait_for_load_state()
    assert page.get_by_text("Aucun signalement à traiter.").is_visible()
    assert_no_axe_violations(page)
    assert Report.objects.get(post=answer).status == Report.Status.HIDDEN
    answer.refresh_from_db()
    assert answer.state == Post.State.HIDDEN

    page.get_by_role("link", name="Journal de modération").click()
    page.wait_for_url("**/communaute/hauts-de-france/moderation/journal/")
    row = page.get_by_role("row").filter(has_text="Alice Animatrice").first
    assert row.is_visible()
    assert_no_axe_violations(page)

    # The practice sheets: the listing, then the proposal form of the space.
    page.goto("/communaute/fiches/")
    assert page.get_by_role("heading", level=1, name="Fiches pratiques").is_visible()
    assert page.get_by_role("link", name=SHEET).is_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Proposer une fiche dans l'espace Hauts-de-France").click()
    page.wait_for_url("**/communaute/hauts-de-france/proposer-une-fiche/")
    assert page.get_by_role("heading", level=1, name="Proposer une fiche pratique").is_visible()
    assert_no_axe_violations(page)
    # Sent empty, the form says what is missing, with the RGAA rules still met.
    page.get_by_role("button", name="Envoyer pour relecture").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Votre fiche n'a pas été envoyée").is_visible()
    assert_no_axe_violations(page)
    _expect_status_error(page, BAD_REQUEST)

    # A member who does not animate the space is refused the queue and the log.
    page.context.clear_cookies()
    log_in(page, email=conseiller.email, password=DEFAULT_PASSWORD)
    for url in (
        "/communaute/hauts-de-france/moderation/",
        "/communaute/hauts-de-france/moderation/journal/",
    ):
        response = page.goto(url)
        assert response.status == 403
        assert page.get_by_role("heading", level=1, name="Accès refusé").is_visible()
        assert "Lien commercial retiré." not in page.content()
        assert_no_axe_violations(page)
        _expect_status_error(page, FORBIDDEN)
