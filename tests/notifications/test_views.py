import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.notifications import kinds
from portal.notifications.models import Notification, NotificationPreference
from portal.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("notifications:index")
PREFERENCES = reverse("notifications:preferences")


@pytest.fixture
def member(client, user):
    client.force_login(user)
    return user


def note(recipient, title="Nouvelle réponse", url="/academie/"):
    return notify(recipient=recipient, kind="system.welcome", context={"title": title, "url": url})


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_centre_requires_login(client):
    response = client.get(INDEX)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_centre_lists_only_own_notifications(client, member):
    note(member, "Pour moi")
    note(UserFactory(), "Pour quelqu'un d'autre")

    response = client.get(INDEX)

    assert response.status_code == 200
    assert response.context["title"] == "Mes notifications"
    assert "Pour moi" in response.text
    assert "Pour quelqu&#x27;un d&#x27;autre" not in response.text


def test_centre_marks_unread_visually_and_in_text(client, member):
    unread = note(member, "Pas encore lue")
    read = note(member, "Déjà lue")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())

    html = client.get(INDEX).text

    assert html.index("Pas encore lue") < html.index("Déjà lue")
    assert html.count("portal-unread") == 1
    assert html.count(">Non lue</span>") == 1
    assert '<span class="fr-sr-only">Lue : </span>' in html
    assert reverse("notifications:mark_read", args=[unread.pk]) in html
    assert reverse("notifications:mark_read", args=[read.pk]) not in html


def test_centre_is_paginated_by_twenty(client, member):
    for i in range(25):
        note(member, f"Notification {i:02d}")

    first = client.get(INDEX)
    second = client.get(INDEX, {"page": 2})

    assert len(first.context["notifications"]) == 20
    assert len(second.context["notifications"]) == 5
    assert 'class="fr-pagination"' in first.text


def test_centre_query_count_does_not_grow_with_notifications(client, member):
    def queries_for_centre():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(INDEX).status_code == 200
        return len(captured)

    client.get(INDEX)  # the first page view ever also creates the site settings row
    actor = UserFactory()
    for _ in range(5):
        notify(recipient=member, kind="system.welcome", actor=actor, target=actor)
    with_five = queries_for_centre()
    for _ in range(35):
        notify(recipient=member, kind="system.welcome", actor=UserFactory(), target=actor)
    with_forty = queries_for_centre()

    assert with_five == with_forty


def test_centre_query_count_is_pinned(client, member, django_assert_max_num_queries):
    actor = UserFactory()
    for _ in range(40):
        notify(recipient=member, kind="system.welcome", actor=actor, target=actor)

    client.get(INDEX)  # the first page view ever also creates the site settings row
    # user, page count, site settings, unread count (header and page), page rows with actors
    with django_assert_max_num_queries(5):
        client.get(INDEX)


def test_open_marks_read_and_redirects_to_target(client, member):
    notification = note(member, url="/academie/")

    response = client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response.url == "/academie/"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize(
    "url", ["https://ailleurs.example.com/piege/", "//ailleurs.example.com/", ""]
)
def test_open_never_redirects_off_site(client, member, url):
    notification = note(member, url=url)

    response = client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response.url == INDEX


def test_other_user_cannot_open_someone_elses_notification(client, member):
    notification = note(UserFactory())

    response = client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_read_marks_one_and_redirects_back_with_message(client, member):
    notification, other = note(member), note(member)

    response = client.post(
        reverse("notifications:mark_read", args=[notification.pk]),
        {"next": INDEX + "?page=1"},
        follow=True,
    )

    assert response.redirect_chain == [(INDEX + "?page=1", 302)]
    assert messages_of(response) == ["La notification « Nouvelle réponse » est marquée comme lue."]
    notification.refresh_from_db()
    other.refresh_from_db()
    assert notification.read_at is not None
    assert other.read_at is None


def test_mark_read_refuses_get(client, member):
    notification = note(member)

    response = client.get(reverse("notifications:mark_read", args=[notification.pk]))

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_read_requires_csrf_token(member):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(member)
    notification = note(member)

    response = csrf_client.post(reverse("notifications:mark_read", args=[notification.pk]))

    assert response.status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


def test_other_user_cannot_mark_someone_elses_notification_read(client, member):
    notification = note(UserFactory())

    response = client.post(reverse("notifications:mark_read", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_read_ignores_off_site_next(client, member):
    notification = note(member)

    response = client.post(
        reverse("notifications:mark_read", args=[notification.pk]),
        {"next": "https://ailleurs.example.com/"},
    )

    assert response.url == INDEX


def test_mark_all_read_marks_only_own_notifications(client, member):
    mine = [note(member), note(member)]
    theirs = note(UserFactory())

    response = client.post(reverse("notifications:mark_all_read"), follow=True)

    assert messages_of(response) == ["Toutes vos notifications sont marquées comme lues."]
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "Vous n'avez aucune notification non lue." in response.text


def test_mark_all_read_with_nothing_unread_says_so(client, member):
    response = client.post(reverse("notifications:mark_all_read"), follow=True)

    assert messages_of(response) == ["Vous n'aviez aucune notification non lue."]


def test_mark_all_read_refuses_get(client, member):
    note(member)

    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    assert Notification.objects.filter(read_at=None).count() == 1


def test_header_badge_and_centre_show_unread_count(client, member):
    note(member)
    note(member)

    html = client.get(INDEX).text

    assert 'data-testid="unread-count">2<' in html
    assert "Vous avez 2 notifications non lues." in html


def test_preferences_page_shows_one_labelled_choice_per_kind_with_defaults(client, member):
    response = client.get(PREFERENCES)

    assert response.status_code == 200
    assert response.context["title"] == "Préférences de notification"
    html = response.text
    assert '<label for="id_system-welcome" class="fr-label">' in html
    assert "Message de l&#x27;équipe du portail" in html
    assert "Annonces et nouveautés du portail" in html
    assert html.count('class="fr-select"') == len(kinds.all_kinds())
    form = response.context["form"]
    assert form["system-welcome"].value() == "immediate"
    assert form["system-announcement"].value() == "daily"


def preferences_post(**changes):
    data = {kind.key.replace(".", "-"): kind.default_delivery for kind in kinds.all_kinds()}
    return data | changes


def test_preferences_are_saved(client, member):
    response = client.post(
        PREFERENCES,
        preferences_post(**{"system-welcome": "never", "system-announcement": "immediate"}),
        follow=True,
    )

    assert messages_of(response) == ["Vos préférences de notification sont enregistrées."]
    saved = dict(NotificationPreference.objects.filter(user=member).values_list("kind", "delivery"))
    assert saved["system.welcome"] == "never"
    assert saved["system.announcement"] == "immediate"
    assert response.context["form"]["system-welcome"].value() == "never"


def test_preferences_refuse_unknown_choice_and_change_nothing(client, member):
    response = client.post(PREFERENCES, preferences_post(**{"system-welcome": "hourly"}))

    assert response.status_code == 200
    assert "Ce choix n&#x27;existe pas." in response.text
    assert messages_of(response) == [
        "Les préférences n'ont pas été enregistrées : corrigez les erreurs signalées."
    ]
    assert not NotificationPreference.objects.exists()


def test_preferences_require_login(client):
    assert client.get(PREFERENCES).status_code == 302
