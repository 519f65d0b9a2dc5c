"""Animateurs manage their space's forums from the front end: create, edit, reorder,
delete an empty forum. Every role × every action, the allowed and the refused path,
bad input kept with a French error, and a fixed number of queries for the page.

Roles: anonymous, logged-in non-member, member, suspended member, animateur of
another space (Aisne), animateur of this space, staff.
"""

import pytest
from django.urls import reverse

from community.forums import services
from community.models import Forum, ModerationLogEntry, Post, Watch
from tests.community.conftest import client_for, page_text
from tests.community.forums.factories import make_forum, publish_topic, topic_with_replies

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "non_member", "member", "suspended", "other_animator", "animator", "staff"]
MANAGERS = {"animator", "staff"}
Action = ModerationLogEntry.Action


def _user(cast, role):
    return None if role == "anonymous" else getattr(cast, role)


def _manage_url(space) -> str:
    return reverse("community:forum_manage", kwargs={"slug": space.slug})


def _url(name: str, forum: Forum) -> str:
    return reverse(f"community:{name}", kwargs={"slug": forum.space.slug, "pk": forum.pk})


def _assert_refused(response, role):
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == 403
        text = page_text(response)
        assert "Accès refusé" in text
        assert "Seuls les animateurs de l'espace gèrent ses forums." in text


def _names(space) -> list[str]:
    return list(
        Forum.objects.filter(space=space)
        .order_by("position", "name")
        .values_list("name", flat=True)
    )


@pytest.fixture
def three_forums(nord):
    return [
        make_forum(nord, name="Accompagnement", slug="accompagnement"),
        make_forum(nord, name="Entreprises", slug="entreprises"),
        make_forum(nord, name="Formation", slug="formation"),
    ]


# --- Who may manage -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_animateurs_of_the_space_and_staff_see_the_management_page(
    open_cast, three_forums, role
):
    response = client_for(_user(open_cast, role)).get(_manage_url(three_forums[0].space))

    if role in MANAGERS:
        assert response.status_code == 200
        text = page_text(response)
        assert "Gérer les forums" in text
        assert all(forum.name in text for forum in three_forums)
        assert "Créer un forum" in text
    else:
        _assert_refused(response, role)


@pytest.mark.parametrize("role", ROLES)
def test_only_animateurs_of_a_private_space_and_staff_manage_its_forums(
    private_cast, private_forum, role
):
    response = client_for(_user(private_cast, role)).get(_manage_url(private_forum.space))

    if role in MANAGERS:
        assert response.status_code == 200
        assert private_forum.name in page_text(response)
    else:
        _assert_refused(response, role)
        if role != "anonymous":
            assert private_forum.name not in page_text(response)


@pytest.mark.parametrize("role", ROLES)
def test_only_animateurs_of_the_space_and_staff_create_a_forum(open_cast, three_forums, role):
    nord = three_forums[0].space

    response = client_for(_user(open_cast, role)).post(
        _manage_url(nord),
        {"name": "Mobilité des jeunes", "description": "Permis, transports, covoiturage."},
    )

    if role in MANAGERS:
        assert response.status_code == 302
        assert response.url == _manage_url(nord)
        forum = Forum.objects.get(space=nord, name="Mobilité des jeunes")
        assert forum.slug == "mobilite-des-jeunes"
        assert forum.description == "Permis, transports, covoiturage."
        assert _names(nord)[-1] == "Mobilité des jeunes"  # a new forum comes last
        entry = ModerationLogEntry.objects.get()
        assert (entry.action, entry.actor, entry.space) == (
            Action.FORUM_CREATE,
            _user(open_cast, role),
            nord,
        )
        assert entry.target_label == "Mobilité des jeunes"
        assert entry.target_url == forum.get_absolute_url()
        assert client_for(None).get(forum.get_absolute_url()).status_code == 200
    else:
        _assert_refused(response, role)
        assert not Forum.objects.filter(name="Mobilité des jeunes").exists()
        assert not ModerationLogEntry.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_animateurs_of_the_space_and_staff_edit_a_forum(open_cast, three_forums, role):
    forum = three_forums[0]
    client = client_for(_user(open_cast, role))

    page = client.get(_url("forum_edit", forum))
    response = client.post(
        _url("forum_edit", forum),
        {"name": "Accompagnement RSA", "description": "Le référent unique et ses partenaires."},
    )

    forum.refresh_from_db()
    if role in MANAGERS:
        assert page.status_code == 200
        assert 'value="Accompagnement"' in page.content.decode()
        assert response.status_code == 302
        assert (forum.name, forum.description) == (
            "Accompagnement RSA",
            "Le référent unique et ses partenaires.",
        )
        entry = ModerationLogEntry.objects.get()
        assert entry.action == Action.FORUM_EDIT
        assert entry.detail == "Ancien nom : « Accompagnement ». Description modifiée."
    else:
        _assert_refused(page, role)
        _assert_refused(response, role)
        assert forum.name == "Accompagnement"
        assert not ModerationLogEntry.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_animateurs_of_the_space_and_staff_reorder_forums(open_cast, three_forums, role):
    nord = three_forums[0].space

    response = client_for(_user(open_cast, role)).post(
        _url("forum_reorder", three_forums[2]), {"direction": "up"}
    )

    if role in MANAGERS:
        assert response.status_code == 302
        assert _names(nord) == ["Accompagnement", "Formation", "Entreprises"]
        assert ModerationLogEntry.objects.get().action == Action.FORUM_ORDER
    else:
        _assert_refused(response, role)
        assert _names(nord) == ["Accompagnement", "Entreprises", "Formation"]
        assert not ModerationLogEntry.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_animateurs_of_the_space_and_staff_delete_an_empty_forum(
    open_cast, three_forums, role
):
    forum = three_forums[1]
    client = client_for(_user(open_cast, role))

    page = client.get(_url("forum_delete", forum))
    response = client.post(_url("forum_delete", forum))

    if role in MANAGERS:
        assert page.status_code == 200
        assert "Supprimer le forum « Entreprises »" in page_text(page)
        assert response.status_code == 302
        assert not Forum.objects.filter(pk=forum.pk).exists()
        entry = ModerationLogEntry.objects.get()
        assert (entry.action, entry.target_label) == (Action.FORUM_DELETE, "Entreprises")
    else:
        _assert_refused(page, role)
        _assert_refused(response, role)
        assert Forum.objects.filter(pk=forum.pk).exists()
        assert not ModerationLogEntry.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_space_page_offers_forum_management_to_animateurs_and_staff_only(
    open_cast, three_forums, role
):
    response = client_for(_user(open_cast, role)).get(three_forums[0].space.get_absolute_url())

    assert response.status_code == 200
    has_link = f'href="{_manage_url(three_forums[0].space)}"' in response.content.decode()
    assert has_link is (role in MANAGERS)


def test_animateur_of_another_space_cannot_manage_through_the_services(open_cast, three_forums):
    with pytest.raises(services.ActionRefused, match="Seuls les animateurs"):
        services.forum_create(space=three_forums[0].space, by=open_cast.other_animator, name="X")
    with pytest.raises(services.ActionRefused, match="Seuls les animateurs"):
        services.forum_delete(forum=three_forums[0], by=open_cast.member)

    assert Forum.objects.count() == 3
    assert not ModerationLogEntry.objects.exists()


def test_a_forum_of_another_space_is_not_found_under_this_space(open_cast, three_forums, aisne):
    aisne_forum = make_forum(aisne, name="Formation et compétences", slug="formation")
    client = client_for(open_cast.animator)
    under_nord = reverse("community:forum_edit", kwargs={"slug": "nord", "pk": aisne_forum.pk})

    assert client.get(under_nord).status_code == 404
    assert client.post(_url("forum_delete", aisne_forum)).status_code == 403
    assert Forum.objects.filter(pk=aisne_forum.pk).exists()


# --- Reordering -----------------------------------------------------------------------------


def test_moving_forums_up_and_down_changes_their_order_on_the_space_page(open_cast, three_forums):
    nord = three_forums[0].space
    client = client_for(open_cast.animator)

    client.post(_url("forum_reorder", three_forums[0]), {"direction": "down"})
    response = client.post(_url("forum_reorder", three_forums[2]), {"direction": "up"}, follow=True)

    assert _names(nord) == ["Entreprises", "Formation", "Accompagnement"]
    assert "« Formation » est maintenant en position 2 sur 3." in page_text(response)
    space_page = page_text(client.get(nord.get_absolute_url()))
    positions = [space_page.index(name) for name in ("Entreprises", "Formation", "Accompagnement")]
    assert positions == sorted(positions)


def test_the_first_forum_cannot_go_up_nor_the_last_go_down(open_cast, three_forums):
    nord = three_forums[0].space
    client = client_for(open_cast.animator)

    page = client.get(_manage_url(nord)).content.decode()
    up = client.post(_url("forum_reorder", three_forums[0]), {"direction": "up"}, follow=True)
    down = client.post(_url("forum_reorder", three_forums[2]), {"direction": "down"}, follow=True)
    odd = client.post(
        _url("forum_reorder", three_forums[1]), {"direction": "sideways"}, follow=True
    )

    # The page offers no button that would be refused: 2 "Monter" and 2 "Descendre".
    assert page.count('value="up"') == 2
    assert page.count('value="down"') == 2
    assert "« Accompagnement » est déjà le premier forum de l'espace." in page_text(up)
    assert "« Formation » est déjà le dernier forum de l'espace." in page_text(down)
    assert "Choisissez de monter ou de descendre le forum." in page_text(odd)
    assert _names(nord) == ["Accompagnement", "Entreprises", "Formation"]
    assert not ModerationLogEntry.objects.exists()


def test_reordering_renumbers_forums_that_shared_a_position(open_cast, nord):
    for name in ("Alpha", "Bravo", "Charlie"):
        Forum.objects.create(space=nord, name=name, slug=name.lower(), position=0)
    charlie = Forum.objects.get(name="Charlie")

    services.forum_reorder(forum=charlie, by=open_cast.animator, direction="up")

    assert list(
        Forum.objects.filter(space=nord).order_by("position").values_list("name", "position")
    ) == [("Alpha", 0), ("Charlie", 1), ("Bravo", 2)]


def test_reorder_is_post_only(open_cast, three_forums):
    response = client_for(open_cast.animator).get(_url("forum_reorder", three_forums[0]))

    assert response.status_code == 405


# --- Deleting -------------------------------------------------------------------------------


def test_a_forum_with_topics_cannot_be_deleted_and_nothing_changes(open_cast, three_forums):
    forum = three_forums[0]
    topic = topic_with_replies(forum, author=open_cast.member, replies=2)
    Watch.objects.create(user=open_cast.member, forum=forum)
    client = client_for(open_cast.animator)

    page = client.get(_url("forum_delete", forum))
    response = client.post(_url("forum_delete", forum))

    assert page.status_code == 200
    assert "Ce forum contient 1 sujet : il ne peut pas être supprimé." in page_text(page)
    assert 'type="submit">Supprimer le forum' not in page.content.decode()
    assert response.status_code == 400
    assert (
        "Le forum « Accompagnement » contient 1 sujet : il ne peut pas être supprimé. "
        "Déplacez ses sujets vers un autre forum, puis supprimez-le."
    ) in page_text(response)
    assert Forum.objects.filter(pk=forum.pk).exists()
    assert topic.posts.count() == 3
    assert Watch.objects.filter(forum=forum).exists()
    assert not ModerationLogEntry.objects.exists()


def test_a_forum_whose_only_topic_awaits_moderation_cannot_be_deleted(open_cast, three_forums):
    forum = three_forums[0]
    topic_with_replies(forum, author=open_cast.member, state=Post.State.PENDING)
    forum.refresh_from_db()
    assert forum.topic_count == 0  # the listings' counter does not count it

    with pytest.raises(services.ActionRefused, match="contient 1 sujet"):
        services.forum_delete(forum=forum, by=open_cast.animator)

    assert Forum.objects.filter(pk=forum.pk).exists()
    manage = client_for(open_cast.animator).get(_manage_url(forum.space)).content.decode()
    assert _url("forum_delete", forum) not in manage


def test_deleting_an_empty_forum_removes_its_subscriptions_and_is_logged(open_cast, three_forums):
    forum = three_forums[2]
    Watch.objects.create(user=open_cast.member, forum=forum)

    response = client_for(open_cast.staff).post(_url("forum_delete", forum), follow=True)

    assert "Le forum « Formation » est supprimé." in page_text(response)
    assert not Watch.objects.filter(forum_id=forum.pk).exists()
    entry = ModerationLogEntry.objects.get()
    assert entry.actor == open_cast.staff
    assert entry.target_url == _manage_url(forum.space)
    log = page_text(
        client_for(open_cast.animator).get(
            reverse("community:moderation_log", kwargs={"slug": "nord"})
        )
    )
    assert "Forum supprimé" in log
    assert "Formation" in log


# --- What the animateur types ---------------------------------------------------------------


def test_a_blank_name_is_refused_in_french_and_the_description_kept(open_cast, nord):
    response = client_for(open_cast.animator).post(
        _manage_url(nord), {"name": "   ", "description": "Une description soignée."}
    )

    assert response.status_code == 400
    text = page_text(response)
    assert "Donnez un nom au forum." in text
    assert "Une description soignée." in text
    assert not Forum.objects.filter(space=nord).exists()
    assert not ModerationLogEntry.objects.exists()


def test_a_too_long_name_is_refused_in_french_and_kept(open_cast, nord):
    name = "Forum " + "x" * 130

    response = client_for(open_cast.animator).post(_manage_url(nord), {"name": name})

    assert response.status_code == 400
    text = page_text(response)
    assert "Le nom compte au plus 120 caractères (il en compte 136)." in text
    assert name in text
    assert not Forum.objects.filter(space=nord).exists()


def test_a_name_already_used_in_the_space_is_refused_and_kept(open_cast, three_forums):
    nord = three_forums[0].space

    response = client_for(open_cast.animator).post(
        _manage_url(nord), {"name": "entreprises", "description": "Un doublon."}
    )

    assert response.status_code == 400
    text = page_text(response)
    assert (
        "Un forum de cet espace s'appelle déjà « entreprises » : choisissez un autre nom." in text
    )
    assert 'value="entreprises"' in response.content.decode()
    assert "Un doublon." in text
    assert Forum.objects.filter(space=nord).count() == 3


def test_an_invalid_edit_keeps_what_was_typed_and_changes_nothing(open_cast, three_forums):
    forum = three_forums[0]
    description = "d" * 501

    response = client_for(open_cast.animator).post(
        _url("forum_edit", forum), {"name": "Nouveau nom", "description": description}
    )

    assert response.status_code == 400
    text = page_text(response)
    assert "La description compte au plus 500 caractères (elle en compte 501)." in text
    assert 'value="Nouveau nom"' in response.content.decode()
    forum.refresh_from_db()
    assert forum.name == "Accompagnement"
    assert not ModerationLogEntry.objects.exists()


def test_renaming_keeps_the_forum_address_and_its_topics_links(open_cast, three_forums):
    forum = three_forums[0]
    topic = publish_topic(forum, open_cast.member)
    address = topic.get_absolute_url()

    services.forum_update(forum=forum, by=open_cast.animator, name="Accompagnement global")

    forum.refresh_from_db()
    assert forum.slug == "accompagnement"
    response = client_for(open_cast.member).get(address)
    assert response.status_code == 200
    assert "Accompagnement global" in page_text(response)


def test_saving_a_forum_unchanged_writes_nothing_to_the_log(open_cast, three_forums):
    forum = three_forums[0]

    services.forum_update(
        forum=forum, by=open_cast.animator, name=" Accompagnement ", description=forum.description
    )

    assert not ModerationLogEntry.objects.exists()


@pytest.mark.parametrize("name", ["Gérer", "Gerer"])
def test_a_new_forum_never_takes_the_management_address(open_cast, nord, name):
    forum = services.forum_create(space=nord, by=open_cast.animator, name=name)

    assert forum.slug not in services.RESERVED_FORUM_SLUGS
    assert client_for(None).get(forum.get_absolute_url()).status_code == 200
    assert client_for(open_cast.animator).get(_manage_url(nord)).status_code == 200


def test_forums_with_similar_names_get_distinct_addresses(open_cast, nord):
    first = services.forum_create(space=nord, by=open_cast.animator, name="Emploi des jeunes")
    second = services.forum_create(space=nord, by=open_cast.animator, name="Emploi des jeunes !")

    assert (first.slug, second.slug) == ("emploi-des-jeunes", "emploi-des-jeunes-2")


# --- Queries --------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 30])
def test_management_page_costs_a_fixed_number_of_queries(
    open_cast, nord, count, django_assert_max_num_queries
):
    for number in range(count):
        forum = make_forum(nord, name=f"Forum {number}", slug=f"forum-numero-{number}")
        if number % 2:
            topic_with_replies(forum, author=open_cast.member, replies=1)
    client = client_for(open_cast.animator)
    url = _manage_url(nord)
    client.get(url)  # warm the caches (sessions, shared settings)

    # user, unread notifications; space; membership; forums with has_topics
    with django_assert_max_num_queries(5):
        response = client.get(url)

    assert response.status_code == 200
    assert page_text(response).count("Monter") == count - 1
