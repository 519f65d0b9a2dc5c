"""The chat as pages: /communaute/<territoire>/discussion/ and the panel of the space page.

The server renders the latest messages (the page is useful before its script runs);
static/js/chat.js keeps them live (tests/e2e/test_chat_journey.py drives it).
"""

from datetime import timedelta
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.chat import services
from community.chat.selectors import chat_room_for_slug
from community.models import ChatMessage, ChatRoom
from tests.community.conftest import client_for, page_text
from tests.community.factories import MembershipFactory
from tests.factories import UserFactory, operator

pytestmark = pytest.mark.django_db

_client_ids = count(1)


@pytest.fixture
def no_rate_limit(monkeypatch):
    # The rate limit is the consumer tests' business; these tests write many messages.
    monkeypatch.setattr(services, "RATE_LIMITS", ())


def say(room, author, body) -> ChatMessage:
    return services.chat_message_send(
        room=room, author=author, body=body, client_id=f"page-test-{next(_client_ids)}"
    ).message


def chat_url(space) -> str:
    return f"/communaute/{space.slug}/discussion/"


def _chat(response) -> str:
    """The chat section of the page, entities decoded."""
    return page_text(response).split('<section class="portal-chat', 1)[1].split("</section>", 1)[0]


def _message(response, number: int) -> str:
    """One message of the chat, up to the next one."""
    after = _chat(response).split(f'id="message-{number}"', 1)[1]
    return after.split('<li class="portal-chat__message', 1)[0].split("</ol>", 1)[0]


# --- who may open the page -------------------------------------------------------------


def test_member_reads_the_latest_messages_and_may_write(open_cast, nord, no_rate_limit):
    room = chat_room_for_slug(slug="nord")
    say(room, open_cast.animator, "Bienvenue dans la discussion du **Nord** !")
    say(room, open_cast.member, "Merci, bonjour à toutes et tous.")

    response = client_for(open_cast.member).get(chat_url(nord))

    assert response.status_code == 200
    assert response.context["title"] == "Discussion en direct — Espace Nord"
    chat = _chat(response)
    first = _message(response, 1)
    assert "Alice Animatrice" in first
    assert "Bienvenue dans la discussion du <strong>Nord</strong> !" in first
    message = ChatMessage.objects.get(room=room, number=1)
    assert (
        f'<time class="fr-text--sm" datetime="{timezone.localtime(message.created_at).isoformat()}"'
        in first
    )
    second = _message(response, 2)
    assert "Inès Membre" in second
    assert '<span class="fr-badge fr-badge--sm fr-badge--no-icon">Mission locale</span>' in second
    # Written with a labelled field; the script connects to the room from these.
    assert '<label class="fr-label" for="chat-body">Votre message' in chat
    assert 'data-chat-room="nord"' in chat
    assert 'data-chat-after="2"' in chat
    assert f'data-chat-user="{open_cast.member.pk}"' in chat
    assert 'aria-live="polite"' in chat
    assert chat.count("aria-live") == 1  # one live region
    assert "0 / 2000 caractères" in chat


def test_chat_page_loads_its_script_as_a_module_and_no_inline_script(open_cast, nord):
    text = page_text(client_for(open_cast.member).get(chat_url(nord)))

    assert '<script type="module" src="/static/js/chat.js"></script>' in text
    assert '<link rel="stylesheet" href="/static/css/chat.css">' in text
    for script in text.split("<script")[1:]:
        assert " src=" in script.split(">", 1)[0], f"inline script: <script{script[:80]}"


def test_non_member_of_private_space_gets_the_refusal_page(private_cast, somme):
    response = client_for(private_cast.non_member).get(chat_url(somme))

    assert response.status_code == 403
    assert "Cet espace est privé : sa discussion en direct est réservée à ses membres." in (
        page_text(response)
    )
    assert 'id="message-' not in page_text(response)


def test_anonymous_visitor_of_private_space_gets_the_refusal_page(somme):
    response = client_for(None).get(chat_url(somme))

    assert response.status_code == 403
    assert "réservée à ses membres" in page_text(response)


def test_member_of_private_space_reads_its_chat(private_cast, somme):
    say(chat_room_for_slug(slug="somme"), private_cast.animator, "Point d'étape du pilote.")

    response = client_for(private_cast.member).get(chat_url(somme))

    assert response.status_code == 200
    assert "Point d'étape du pilote." in _message(response, 1)


def test_unknown_space_is_404(db):
    assert client_for(UserFactory()).get("/communaute/atlantide/discussion/").status_code == 404


# --- reading without writing -------------------------------------------------------------


def test_anonymous_visitor_of_open_space_reads_without_the_live_connection(open_cast, nord):
    say(chat_room_for_slug(slug="nord"), open_cast.member, "Qui vient au forum emploi de Lille ?")

    response = client_for(None).get(chat_url(nord))

    assert response.status_code == 200
    chat = _chat(response)
    assert "Qui vient au forum emploi de Lille ?" in _message(response, 1)
    assert "Connectez-vous pour participer" in chat
    assert "/comptes/login/?next=/communaute/nord/discussion/" in chat
    # The WebSocket refuses anonymous visitors: no script, no field, no buttons.
    assert "data-chat-room" not in chat
    assert "<textarea" not in chat
    assert "data-chat-action" not in chat
    assert "js/chat.js" not in page_text(response)


def test_non_member_of_open_space_reads_and_is_offered_to_join(open_cast, nord):
    response = client_for(open_cast.non_member).get(chat_url(nord))

    chat = _chat(response)
    assert "Rejoignez l'espace pour participer." in chat
    assert 'action="/communaute/nord/rejoindre/"' in chat
    assert "Rejoindre l'espace" in chat
    assert "<textarea" not in chat.split("<dialog", 1)[0]
    assert 'data-chat-may-post="false"' in chat


def test_non_member_with_incomplete_profile_is_told_what_to_complete(nord):
    incomplete = UserFactory(operator=None)

    chat = _chat(client_for(incomplete).get(chat_url(nord)))

    assert "Complétez votre profil avant de rejoindre la Communauté" in chat
    assert "Compléter mon profil" in chat
    assert "Rejoindre l'espace" not in chat


def test_suspended_member_reads_and_sees_why_they_cannot_write(open_cast, nord):
    chat = _chat(client_for(open_cast.suspended).get(chat_url(nord)))

    assert "Vous êtes suspendu(e) de cet espace jusqu'au" in chat
    assert "vous pouvez lire mais pas publier." in chat
    assert "<textarea" not in chat.split("<dialog", 1)[0]
    assert "Rejoindre l'espace" not in chat


# --- what each message shows ----------------------------------------------------------------


def test_own_recent_message_may_be_edited_and_deleted(open_cast, nord, no_rate_limit):
    room = chat_room_for_slug(slug="nord")
    say(room, open_cast.member, "Je corrige **bientôt** ce message.")

    mine = _message(client_for(open_cast.member).get(chat_url(nord)), 1)

    assert 'data-chat-action="edit"' in mine
    assert 'data-chat-action="delete"' in mine
    assert 'data-chat-action="report"' not in mine
    assert 'data-body="Je corrige **bientôt** ce message."' in mine  # the source, to edit


def test_own_message_older_than_15_minutes_may_only_be_deleted(open_cast, nord):
    room = chat_room_for_slug(slug="nord")
    message = say(room, open_cast.member, "Un vieux message.")
    ChatMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(minutes=16)
    )

    mine = _message(client_for(open_cast.member).get(chat_url(nord)), 1)

    assert 'data-chat-action="edit"' not in mine
    assert 'data-chat-action="delete"' in mine


def test_others_may_report_and_animateurs_may_delete_every_message(open_cast, nord):
    say(chat_room_for_slug(slug="nord"), open_cast.member, "Un message à signaler.")

    by_other = _message(client_for(open_cast.non_member).get(chat_url(nord)), 1)
    by_animator = _message(client_for(open_cast.animator).get(chat_url(nord)), 1)

    assert 'data-chat-action="report"' in by_other
    assert 'aria-controls="chat-report-modal"' in by_other
    assert 'data-chat-action="delete"' not in by_other
    assert 'data-chat-action="edit"' not in by_other
    assert 'data-chat-action="delete"' in by_animator
    assert 'data-chat-action="report"' in by_animator
    assert 'data-chat-action="edit"' not in by_animator
    assert "data-body=" not in by_animator  # the Markdown source is for its author only


def test_report_reason_is_asked_in_a_labelled_dsfr_dialog(open_cast, nord):
    chat = _chat(client_for(open_cast.member).get(chat_url(nord)))

    dialog = chat.split('<dialog id="chat-report-modal" class="fr-modal"', 1)[1]
    assert '<label class="fr-label" for="chat-report-reason">Motif du signalement' in dialog
    assert 'maxlength="1000"' in dialog


def test_edited_message_says_so_and_deleted_one_keeps_its_place(open_cast, nord, no_rate_limit):
    room = chat_room_for_slug(slug="nord")
    edited = say(room, open_cast.member, "Rendez-vous à 9h.")
    services.chat_message_edit(
        room=room, user=open_cast.member, number=edited.number, body="À 10h."
    )
    deleted = say(room, open_cast.member, "Un texte regretté.")
    services.chat_message_delete(room=room, user=open_cast.member, number=deleted.number)

    response = client_for(open_cast.animator).get(chat_url(nord))

    assert "À 10h." in _message(response, 1)
    assert "(modifié)" in _message(response, 1)
    second = _message(response, 2)
    assert "Message supprimé" in second
    assert "Un texte regretté." not in page_text(response)
    assert "data-chat-action" not in second
    # The script asks for the edits and deletions after these two when it connects.
    assert 'data-chat-change="2"' in response.content.decode()


def test_message_body_is_the_sanitised_html(open_cast, nord):
    say(
        chat_room_for_slug(slug="nord"),
        open_cast.member,
        '<script>alert("x")</script><img src=x onerror="alert(1)"> **important**',
    )

    response = client_for(open_cast.animator).get(chat_url(nord))

    raw = response.content.decode().split('id="message-1"', 1)[1].split("</li>", 1)[0]
    assert "<strong>important</strong>" in raw
    assert "<script>" not in raw
    assert "<img" not in raw


def test_a_page_view_does_not_create_the_room(open_cast, nord):
    response = client_for(open_cast.member).get(chat_url(nord))

    assert response.status_code == 200
    assert "Aucun message pour l'instant : lancez la discussion !" in _chat(response)
    assert not ChatRoom.objects.filter(space=nord).exists()
    assert 'data-chat-room="nord"' in _chat(response)


# --- the panel of the space page ---------------------------------------------------------


def test_space_page_shows_the_live_panel_with_the_latest_ten_messages(
    open_cast, nord, no_rate_limit
):
    room = chat_room_for_slug(slug="nord")
    for n in range(1, 13):
        say(room, open_cast.member, f"Message numéro {n}.")

    response = client_for(open_cast.member).get(nord.get_absolute_url())

    chat = _chat(response)
    assert '<h2 id="chat-title">Discussion en direct</h2>' in chat
    assert 'href="/communaute/nord/discussion/"' in chat
    assert 'id="message-2"' not in chat
    assert 'id="message-3"' in chat
    assert 'id="message-12"' in chat
    assert "Les messages plus anciens ne sont pas affichés ici." in chat
    assert 'data-chat-after="12"' in chat


def test_private_space_page_shows_no_chat_to_outsiders(private_cast, somme):
    say(chat_room_for_slug(slug="somme"), private_cast.member, "Confidentiel.")

    text = page_text(client_for(private_cast.non_member).get(somme.get_absolute_url()))

    assert "Discussion en direct" not in text
    assert "Confidentiel." not in text


# --- a fixed number of queries ------------------------------------------------------------

# Beyond the shell (session user, unread notifications; the portal settings come from the
# shared cache): space; my membership; the room; its latest messages with their authors
# and operators.
CHAT_PAGE_QUERIES = 6


def _fill(room, authors, n):
    for i in range(n):
        say(room, authors[i % len(authors)], f"Message {i} de la discussion.")


def _queries(client, url) -> list[dict]:
    assert client.get(url).status_code == 200  # warm: settings and session cached
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return context.captured_queries


def test_chat_page_queries_do_not_grow_with_messages(
    open_cast, nord, no_rate_limit, django_assert_max_num_queries
):
    room = chat_room_for_slug(slug="nord")
    authors = [
        MembershipFactory(space=nord, user=UserFactory(operator=operator(slug))).user
        for slug in ("france-travail", "mission-locale", "cap-emploi")
    ]
    _fill(room, authors, 5)
    client = client_for(open_cast.member)
    small = _queries(client, chat_url(nord))

    _fill(room, [*authors, open_cast.member, open_cast.animator], 55)
    big = _queries(client, chat_url(nord))

    assert len(small) == len(big) == CHAT_PAGE_QUERIES, "\n".join(q["sql"] for q in big)
    with django_assert_max_num_queries(CHAT_PAGE_QUERIES):
        response = client.get(chat_url(nord))
    assert _chat(response).count('id="message-') == 50
