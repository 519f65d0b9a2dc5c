"""Anonymous pages from the cache (portal/page_cache.py): shared by visitors only,
fresh after every write they show, each with its own CSP nonce."""

import re

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from academy import services as academy
from academy.models import CalendarFeed
from community.chat import services as chat
from community.chat.selectors import chat_room_for_slug
from community.forums import services as forums
from portal import page_cache
from portal.models import PortalSettings
from portal.notifications.models import Notification
from tests.academy.factories import course, course_session, course_tree, lesson, login, page_text
from tests.community.factories import MembershipFactory, space
from tests.community.forums.factories import make_forum
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NONCE = re.compile(r'nonce="([^"]+)"')


@pytest.fixture(autouse=True)
def _site_settings(db):
    # Created by the first page that reads them: a write, hence a new generation.
    PortalSettings.load()


@pytest.fixture
def tree(site_root):
    return course_tree(site_root, title="Accompagner les allocataires du RSA")


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_second_anonymous_visit_comes_from_the_cache(site_root):
    first = fetch(Client(), "/")
    second = fetch(Client(), "/")
    assert first["X-Cache"] == "MISS"
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert int(second["Content-Length"]) == len(second.content)


def test_a_stored_page_is_served_with_a_nonce_of_its_own(rf):
    request = rf.get("/")
    request._csp_nonce = "bm9uY2UtZGUtbGEtcGFnZQ=="
    html = f'<script nonce="{request._csp_nonce}" src="/static/a.js"></script>'
    response = HttpResponse(html)
    response["Content-Security-Policy"] = f"script-src 'self' 'nonce-{request._csp_nonce}'"
    frozen = page_cache._freeze(request, response)
    answers = [page_cache._thaw(frozen) for _ in range(2)]
    nonces = [NONCE.search(a.content.decode()).group(1) for a in answers]
    assert request._csp_nonce not in nonces
    assert nonces[0] != nonces[1]
    for answer, nonce in zip(answers, nonces, strict=True):
        assert answer["Content-Security-Policy"] == f"script-src 'self' 'nonce-{nonce}'"


def test_a_logged_in_page_never_comes_from_the_anonymous_entry(tree):
    url = tree.course.url
    fetch(Client(), url)
    assert fetch(Client(), url)["X-Cache"] == "HIT"
    learner = UserFactory(display_name="Camille Dupont")
    client = Client()
    client.force_login(learner)
    logged = fetch(client, url)
    assert "X-Cache" not in logged
    assert "Camille Dupont" in page_text(logged)
    assert "Se connecter" not in page_text(fetch(client, url))


def test_a_logged_in_page_is_never_stored_for_visitors(tree):
    learner = UserFactory(display_name="Camille Dupont")
    client = Client()
    client.force_login(learner)
    fetch(client, tree.course.url)
    visitor = fetch(Client(), tree.course.url)
    assert visitor["X-Cache"] == "MISS"
    assert "Camille Dupont" not in page_text(visitor)


def test_a_visitor_with_a_session_or_messages_is_served_afresh(tree):
    fetch(Client(), "/")
    with_session = Client()
    with_session.cookies["sessionid"] = "inconnue"
    assert "X-Cache" not in fetch(with_session, "/")
    with_messages = Client()
    with_messages.cookies["messages"] = "quelque-chose"
    assert "X-Cache" not in fetch(with_messages, "/")


def test_pages_that_set_a_cookie_are_never_stored():
    for _ in range(2):
        response = Client().get("/comptes/login/")
        assert response.status_code == 200
        assert "X-Cache" not in response


def test_a_wagtail_publish_shows_at_once(tree):
    url = tree.course.url
    fetch(Client(), url)
    course = tree.course.specific
    course.title = "Accompagner les allocataires du RSA, édition 2027"
    course.save_revision().publish()
    response = fetch(Client(), url)
    assert response["X-Cache"] == "MISS"
    assert "édition 2027" in page_text(response)


def test_a_session_registration_shows_at_once_in_the_seats_left(tree):
    session = course_session(tree.course, capacity=3)
    before = page_text(fetch(Client(), tree.course.url))
    assert "3 places restantes" in before
    academy.session_register(user=UserFactory(), session=session)
    assert "2 places restantes" in page_text(fetch(Client(), tree.course.url))


def test_a_new_post_shows_at_once_on_the_anonymous_topic_page(db):
    nord = space("nord")
    forum = make_forum(nord)
    author = MembershipFactory(space=nord, user__display_name="Rachid Benali").user
    other = MembershipFactory(space=nord).user
    topic = forums.topic_create(
        forum=forum, author=author, title="Orientation RSA", body="Comment orientez-vous ?"
    )
    url = topic.get_absolute_url()
    fetch(Client(), url)
    assert fetch(Client(), url)["X-Cache"] == "HIT"
    forums.post_create(topic=topic, author=other, body="Nous passons par le comité.")
    response = fetch(Client(), url)
    assert response["X-Cache"] == "MISS"
    assert "Nous passons par le comité." in page_text(response)


def test_writes_no_visitor_sees_keep_the_copy(tree):
    user = UserFactory()
    fetch(Client(), "/")
    Notification.objects.create(recipient=user, kind="mention", title="Vous êtes cité", url="/")
    user.save(update_fields=["last_login"])
    assert fetch(Client(), "/")["X-Cache"] == "HIT"


def test_zero_seconds_turns_the_cache_off(settings, site_root):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    fetch(Client(), "/")
    assert "X-Cache" not in fetch(Client(), "/")


def test_a_write_in_another_process_reaches_this_one(settings, site_root):
    # The task worker and the other server processes share the generation file
    # (or Redis): what they write ends this process' copies too.
    fetch(Client(), "/")
    assert fetch(Client(), "/")["X-Cache"] == "HIT"
    if settings.ANONYMOUS_PAGE_CACHE_GENERATION_FILE:
        settings.ANONYMOUS_PAGE_CACHE_GENERATION_FILE.write_text("écrit-par-un-autre-processus")
    else:
        from django.core.cache import caches

        # A cache object of its own, as another process would hold, on the same Redis.
        other = caches.create_connection("default")
        other.set(page_cache.GENERATION_KEY, "écrit-par-un-autre-processus", None)
    assert fetch(Client(), "/")["X-Cache"] == "MISS"


def test_personal_links_opened_without_a_session_are_never_stored(tree):
    # A calendar feed's address is its owner's secret; renewing it must end the old one.
    learner = UserFactory()
    login(learner).post(reverse("academy:calendar_feed_renew"))
    url = CalendarFeed.objects.get(user=learner).get_absolute_url()
    for _ in range(2):
        response = fetch(Client(), url)
        assert "X-Cache" not in response
        assert "private" in response["Cache-Control"]
    login(learner).post(reverse("academy:calendar_feed_renew"))
    assert Client().get(url).status_code == 404


def test_logged_in_pages_see_a_new_home_page_and_new_settings_at_once(site_root):
    # The Wagtail site with its root page, and the portal settings, come from the
    # shared cache for everyone: a publish or a settings change renews them.
    client = login(UserFactory())
    assert site_root.title in page_text(fetch(client, "/"))
    home = site_root.specific
    home.title = "Bienvenue sur le portail du réseau"
    home.save_revision().publish()
    assert "Bienvenue sur le portail du réseau" in page_text(fetch(client, "/"))
    portal_settings = PortalSettings.load()
    portal_settings.site_title = "Académie du réseau pour l'emploi"
    portal_settings.save()
    assert "<title>Bienvenue sur le portail du réseau — Académie du réseau pour l'emploi" in (
        page_text(fetch(client, "/"))
    )


def test_an_unknown_host_is_still_refused(site_root):
    assert Client(HTTP_HOST="ailleurs.example.org").get("/").status_code == 400


# --- logged in: every page is the reader's own ---------------------------------------------


def test_two_people_on_the_same_urls_each_get_their_own_page(tree):
    somme = space("somme", private=True)
    member = MembershipFactory(space=somme, user__display_name="Camille Dupont").user
    outsider = UserFactory(display_name="Rachid Benali")
    forums.topic_create(
        forum=make_forum(somme), author=member, title="Bilan confidentiel du comité", body="…"
    )
    academy.course_enrol(user=member, course=tree.course)
    Notification.objects.create(recipient=member, kind="mention", title="Citée", url="/")
    Notification.objects.create(recipient=member, kind="mention", title="Citée 2", url="/")
    clients = {"member": login(member), "outsider": login(outsider)}
    for _ in range(2):  # the second round is where a shared copy would show
        space_pages = {
            who: page_text(c.get(somme.get_absolute_url())) for who, c in clients.items()
        }
        course_pages = {who: page_text(fetch(c, tree.course.url)) for who, c in clients.items()}
        homes = {who: fetch(c, "/") for who, c in clients.items()}
        assert "Bilan confidentiel du comité" in space_pages["member"]
        assert "Bilan confidentiel du comité" not in space_pages["outsider"]
        assert "Camille Dupont" in course_pages["member"]
        assert "Rachid Benali" in course_pages["outsider"]
        assert "Camille Dupont" not in course_pages["outsider"]
        assert "Me désinscrire" in course_pages["member"]
        assert "Me désinscrire" not in course_pages["outsider"]
        assert 'data-testid="unread-count">2<' in homes["member"].content.decode()
        assert 'data-testid="unread-count"' not in homes["outsider"].content.decode()


def test_an_enrolment_and_a_chat_message_show_on_the_next_page(tree):
    nord = space("nord")
    learner = MembershipFactory(space=nord).user
    client = login(learner)
    assert "Me désinscrire" not in page_text(fetch(client, tree.course.url))
    academy.course_enrol(user=learner, course=tree.course)
    assert "Me désinscrire" in page_text(fetch(client, tree.course.url))
    chat_url = reverse("community:chat", kwargs={"slug": nord.slug})
    fetch(client, chat_url)
    room = chat_room_for_slug(slug=nord.slug)
    chat.chat_message_send(
        room=room, author=learner, body="Qui vient à la réunion RSA ?", client_id="c-1"
    )
    assert "Qui vient à la réunion RSA ?" in page_text(fetch(client, chat_url))


def test_a_lesson_published_or_unpublished_shows_at_once_in_the_course_outline(tree):
    # The outline is kept with the shared copies (academy.selectors.course_outline).
    client = login(UserFactory())
    assert "Le premier entretien" in page_text(fetch(client, tree.course.url))
    tree.lessons[1].unpublish()
    assert "Le premier entretien" not in page_text(fetch(client, tree.course.url))
    lesson(tree.modules[0], title="Orienter vers le bon accompagnement")
    assert "Orienter vers le bon accompagnement" in page_text(fetch(client, tree.course.url))


def test_a_new_theme_shows_at_once_in_the_catalogue_filters(tree):
    client = login(UserFactory())
    assert "Insertion des jeunes" not in page_text(fetch(client, tree.index.url))
    course = tree.course.specific
    course.tags.add("Insertion des jeunes")
    course.save_revision().publish()
    assert "Insertion des jeunes" in page_text(fetch(client, tree.index.url))


def test_a_new_course_shows_at_once_on_the_home_page(tree):
    client = login(UserFactory())
    assert tree.course.title in page_text(fetch(client, "/"))
    course(tree.index, title="Le repérage des jeunes sans solution")
    assert "Le repérage des jeunes sans solution" in page_text(fetch(client, "/"))
    assert "Le repérage des jeunes sans solution" in page_text(fetch(Client(), "/"))
