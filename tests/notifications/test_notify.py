import pytest
from django.contrib.contenttypes.models import ContentType

from portal.notifications import kinds
from portal.notifications.models import Notification
from portal.notifications.selectors import notification_list, notification_unread_count
from portal.notifications.services import notify
from tests.factories import UserFactory, operator

pytestmark = pytest.mark.django_db


def test_notify_records_target_snapshot_and_actor(user):
    actor = UserFactory()
    notification = notify(recipient=user, kind="system.welcome", target=actor, actor=actor)

    notification.refresh_from_db()
    assert notification.recipient == user
    assert notification.actor == actor
    assert notification.target_content_type == ContentType.objects.get_for_model(actor)
    assert notification.target_object_id == str(actor.pk)
    assert notification.title == actor.public_name
    assert notification.url == actor.get_absolute_url()
    assert notification.read_at is None


def test_notify_snapshot_survives_target_change(user):
    target = UserFactory(display_name="Avant")
    notification = notify(recipient=user, kind="system.welcome", target=target)
    target.display_name = "Après"
    target.save()

    notification.refresh_from_db()
    assert notification.title == "Avant"


def test_notify_target_without_url_keeps_empty_url(user):
    notification = notify(recipient=user, kind="system.welcome", target=operator("france-travail"))

    assert notification.title == "France Travail"
    assert notification.url == ""


def test_notify_wagtail_page_target_uses_page_url(user, site_root):
    notification = notify(recipient=user, kind="system.welcome", target=site_root)

    assert notification.url == site_root.get_url()
    assert notification.title == site_root.title


def test_notify_without_target_uses_context_or_kind_label(user):
    plain = notify(recipient=user, kind="system.welcome")
    titled = notify(
        recipient=user,
        kind="system.welcome",
        context={"title": "Bienvenue sur le portail", "url": "/academie/"},
    )

    assert plain.title == "Message de l'équipe du portail"
    assert (titled.title, titled.url) == ("Bienvenue sur le portail", "/academie/")
    assert titled.context == {"title": "Bienvenue sur le portail", "url": "/academie/"}


def test_actor_is_not_notified_of_own_action(user):
    assert notify(recipient=user, kind="system.welcome", actor=user) is None
    assert not Notification.objects.exists()


def test_notify_unknown_kind_is_refused(user):
    with pytest.raises(LookupError):
        notify(recipient=user, kind="community.typo")
    assert not Notification.objects.exists()


def test_register_refuses_a_second_definition_of_a_kind():
    from django.core.exceptions import ImproperlyConfigured

    kinds.register("system.welcome", label="Message de l'équipe du portail")  # same: fine
    with pytest.raises(ImproperlyConfigured):
        kinds.register("system.welcome", label="Autre libellé")


def test_unread_count_counts_only_own_unread_notifications(user, django_assert_num_queries):
    other = UserFactory()
    for _ in range(3):
        notify(recipient=user, kind="system.welcome")
    notify(recipient=other, kind="system.welcome")
    Notification.objects.filter(pk=Notification.objects.filter(recipient=user).first().pk).update(
        read_at="2026-01-01T00:00:00Z"
    )

    with django_assert_num_queries(1):
        assert notification_unread_count(user=user) == 2


def test_unread_count_of_anonymous_visitor_is_zero_without_query(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert notification_unread_count(user=AnonymousUser()) == 0


def test_notification_list_puts_unread_first_then_newest(user):
    first = notify(recipient=user, kind="system.welcome", context={"title": "Première"})
    second = notify(recipient=user, kind="system.welcome", context={"title": "Deuxième"})
    third = notify(recipient=user, kind="system.welcome", context={"title": "Troisième"})
    Notification.objects.filter(pk=third.pk).update(read_at="2026-01-01T00:00:00Z")

    assert list(notification_list(user=user)) == [second, first, third]
