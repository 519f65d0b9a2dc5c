"""@mentions notify the members they name; the autocomplete offers the space's members."""

import pytest
from django.urls import reverse

from community.forums import services
from community.models import Post, Space
from portal.notifications.models import Notification
from tests.community.conftest import client_for
from tests.community.factories import MembershipFactory
from tests.community.forums.factories import publish_reply, publish_topic
from tests.factories import UserFactory, operator

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.community.forums.urls_for_tests")]


def mentioned(kind="community.mention") -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__display_name", flat=True)
    )


@pytest.fixture
def topic(open_cast, forum):
    return publish_topic(forum, open_cast.animator, title="Job dating de mars")


def test_mention_notifies_the_mentioned_member_only(open_cast, topic):
    reply = publish_reply(topic, open_cast.staff, body="@Inès Membre, tu as la liste ?")

    notification = Notification.objects.get(kind="community.mention")
    assert notification.recipient == open_cast.member
    assert notification.actor == open_cast.staff
    assert notification.title == "Sam Équipe vous a mentionné(e) dans « Job dating de mars »"
    assert notification.url == reverse("community:post", kwargs={"pk": reply.pk})


def test_mention_matches_the_longest_display_name(open_cast, topic, nord):
    MembershipFactory(space=nord, user=UserFactory(display_name="Inès"))

    publish_reply(topic, open_cast.staff, body="Merci @inès membre !")

    assert mentioned() == ["Inès Membre"]


def test_mention_of_a_shorter_name_does_not_reach_the_longer_one(open_cast, topic, nord):
    MembershipFactory(space=nord, user=UserFactory(display_name="Inès"))

    publish_reply(topic, open_cast.staff, body="Merci @Inès, et bonne journée")

    assert mentioned() == ["Inès"]


def test_several_mentions_notify_each_member_once(open_cast, topic):
    publish_reply(
        topic, open_cast.staff, body="@Inès Membre et @Alice Animatrice, puis @Inès Membre."
    )

    assert mentioned() == ["Alice Animatrice", "Inès Membre"]


def test_mention_of_someone_who_is_not_a_member_notifies_nobody(open_cast, topic):
    publish_reply(topic, open_cast.staff, body="@Nadia Extérieure tu viens ?")

    assert mentioned() == []


def test_author_mentioning_themself_is_not_notified(open_cast, topic):
    publish_reply(topic, open_cast.member, body="Moi, @Inès Membre, je confirme.")

    assert mentioned() == []


def test_email_address_is_not_a_mention(open_cast, topic):
    publish_reply(topic, open_cast.staff, body="Écrire à contact@Inès Membre.fr")

    assert mentioned() == []


def test_quoted_mention_does_not_notify_again(open_cast, topic):
    publish_reply(topic, open_cast.staff, body="> @Inès Membre a dit oui\n\nD'accord.")

    assert mentioned() == []


def test_pending_post_mentions_nobody_yet(open_cast, topic, nord):
    Space.objects.filter(pk=nord.pk).update(premoderate_first_posts=5)

    reply = publish_reply(topic, open_cast.member, body="@Alice Animatrice bonjour")

    assert reply.state == Post.State.PENDING
    assert mentioned() == []


def test_editing_notifies_only_newly_mentioned_members(open_cast, topic):
    reply = publish_reply(topic, open_cast.staff, body="@Inès Membre bonjour")
    services.post_edit(post=reply, by=open_cast.staff, body="@Inès Membre et @Alice Animatrice")

    assert mentioned() == ["Alice Animatrice", "Inès Membre"]


# --- Autocomplete --------------------------------------------------------------------


def suggestions_url(space) -> str:
    return reverse("community:mention_autocomplete", kwargs={"slug": space.slug})


def test_autocomplete_offers_members_of_the_space_starting_with_the_query_first(
    open_cast, nord, aisne
):
    MembershipFactory(
        space=nord, user=UserFactory(display_name="Karine Dinès", operator=operator("cap-emploi"))
    )
    MembershipFactory(space=aisne, user=UserFactory(display_name="Inès Ailleurs"))

    response = client_for(open_cast.member).get(suggestions_url(nord), {"q": "inès"})

    assert response.status_code == 200
    assert response.json() == [
        {"id": open_cast.member.pk, "name": "Inès Membre", "operator": "Mission locale"},
        {"id": response.json()[1]["id"], "name": "Karine Dinès", "operator": "Cap emploi"},
    ]


def test_autocomplete_needs_two_characters(open_cast, nord):
    response = client_for(open_cast.member).get(suggestions_url(nord), {"q": "i"})

    assert response.json() == []


def test_autocomplete_never_shows_e_mail_addresses(open_cast, nord):
    response = client_for(open_cast.member).get(suggestions_url(nord), {"q": "membre"})

    assert "@" not in response.content.decode()


def test_autocomplete_requires_logging_in(nord):
    response = client_for(None).get(suggestions_url(nord), {"q": "in"})

    assert response.status_code == 302


def test_autocomplete_of_a_private_space_is_a_404_to_outsiders(private_cast, somme):
    response = client_for(private_cast.non_member).get(suggestions_url(somme), {"q": "in"})

    assert response.status_code == 404


def test_reply_textarea_loads_the_mentions_module_without_inline_script(open_cast, topic):
    page = client_for(open_cast.member).get(topic.get_absolute_url()).content.decode()

    assert f'data-mentions-url="{suggestions_url(topic.forum.space)}"' in page
    assert '<script type="module" src="/static/js/mentions.js"></script>' in page


# --- mentions as links to the member's card ---------------------------------------------


def _card(space, user) -> str:
    return reverse("community:member", kwargs={"slug": space.slug, "user_id": user.pk})


def test_mention_of_a_member_is_a_link_to_their_card_in_the_stored_html(open_cast, topic, nord):
    reply = publish_reply(topic, open_cast.staff, body="Merci @inès membre, et **bravo** !")

    assert reply.body_html == (
        f'<p>Merci <a class="portal-mention" href="{_card(nord, open_cast.member)}" '
        'rel="nofollow ugc noopener">@inès membre</a>, et <strong>bravo</strong> !</p>'
    )


def test_mention_of_someone_outside_the_space_or_in_code_stays_text(open_cast, topic):
    reply = publish_reply(
        topic,
        open_cast.staff,
        body="@Nadia Extérieure, voyez `@Inès Membre` et [@Inès Membre](https://exemple.fr).",
    )

    assert "portal-mention" not in reply.body_html
    assert "<code>@Inès Membre</code>" in reply.body_html
    assert reply.body_html.count("<a ") == 1  # the author's own link, as it was


def test_quoted_mention_is_a_link_but_notifies_nobody_again(open_cast, topic, nord):
    reply = publish_reply(topic, open_cast.staff, body="> @Inès Membre a écrit\n\nD'accord.")

    assert f'href="{_card(nord, open_cast.member)}"' in reply.body_html
    assert mentioned() == []


def test_mention_link_keeps_the_text_around_it_escaped(open_cast, topic):
    reply = publish_reply(topic, open_cast.staff, body="a < b & @Inès Membre <script>x</script>")

    assert "<script>" not in reply.body_html
    assert 'a &lt; b &amp; <a class="portal-mention"' in reply.body_html
    assert "&lt;script&gt;x&lt;/script&gt;</p>" in reply.body_html


def test_mention_added_by_an_edit_becomes_a_link(open_cast, topic, nord):
    reply = publish_reply(topic, open_cast.staff, body="Bonjour")

    edited = services.post_edit(post=reply, by=open_cast.staff, body="Bonjour @Alice Animatrice")

    assert f'href="{_card(nord, open_cast.animator)}"' in edited.body_html
    assert Post.objects.get(pk=reply.pk).body_html == edited.body_html
