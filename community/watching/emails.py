"""Signed unwatch links, and the provider that puts them under reply notifications in
e-mails (see portal.notifications.links).

A link names one member and one watched topic, forum or space: it works without
logging in, for its member only, until NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE (the age
limit of every link in the notification e-mails).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db.models import Q
from django.urls import reverse

from community.forums.notifications import REPLY
from community.models import Topic, Watch
from portal.notifications.emails import absolute_url
from portal.notifications.links import EmailLink, register_email_links

UNWATCH_SALT = "community.watching.unwatch"
TARGETS = ("topic", "forum", "space")


def unwatch_token(*, user_id: int, target: str, target_id: int) -> str:
    if target not in TARGETS:
        raise ValueError(f"Cannot unwatch a {target!r}.")
    return signing.TimestampSigner(salt=UNWATCH_SALT).sign_object([user_id, target, target_id])


def unwatch_payload(token: str) -> tuple[int, str, int]:
    """(user id, "topic" | "forum" | "space", its id); raises SignatureExpired or BadSignature."""
    payload = signing.TimestampSigner(salt=UNWATCH_SALT).unsign_object(
        token, max_age=settings.NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE
    )
    match payload:
        case [int(user_id), str(target), int(target_id)] if target in TARGETS:
            return user_id, target, target_id
    raise signing.BadSignature("Unexpected unwatch payload.")


def unwatch_url(*, user_id: int, target: str, target_id: int) -> str:
    token = unwatch_token(user_id=user_id, target=target, target_id=target_id)
    return absolute_url(reverse("community:unwatch", args=[token]))


def reply_email_links(*, user, notifications) -> dict[int, list[EmailLink]]:
    """Under each reply or new-topic notification, a link per watch that brought it.

    A notification of a reply names its topic; the member may watch the topic, its
    forum or its space (or several). Each watch gets one link per e-mail, under the
    first notification it brought: a batch of several topics has one link per topic.
    Two queries, whatever the number of notifications.
    """
    topic_type = ContentType.objects.get_for_model(Topic)
    topic_ids = {
        int(n.target_object_id)
        for n in notifications
        if n.target_content_type_id == topic_type.pk and n.target_object_id.isdigit()
    }
    if not topic_ids:
        return {}
    topics = Topic.objects.select_related("forum__space__territory").in_bulk(topic_ids)
    forum_ids = {topic.forum_id for topic in topics.values()}
    space_ids = {topic.forum.space_id for topic in topics.values()}
    watched = set()
    for topic_id, forum_id, space_id in (
        Watch.objects.filter(user=user)
        .filter(Q(topic_id__in=topics) | Q(forum_id__in=forum_ids) | Q(space_id__in=space_ids))
        .values_list("topic_id", "forum_id", "space_id")
    ):
        if topic_id:
            watched.add(("topic", topic_id))
        elif forum_id:
            watched.add(("forum", forum_id))
        else:
            watched.add(("space", space_id))
    links: dict[int, list[EmailLink]] = {}
    given = set()
    for notification in notifications:
        if (
            notification.target_content_type_id != topic_type.pk
            or not notification.target_object_id.isdigit()
        ):
            continue
        topic = topics.get(int(notification.target_object_id))
        if topic is None:
            continue
        forum, space = topic.forum, topic.forum.space
        for target, target_id, label in (
            ("topic", topic.pk, f"Ne plus suivre le sujet « {topic.title} »"),
            ("forum", forum.pk, f"Ne plus suivre le forum « {forum.name} »"),
            ("space", space.pk, f"Ne plus suivre l'espace {space.name}"),
        ):
            key = (target, target_id)
            if key in watched and key not in given:
                given.add(key)
                url = unwatch_url(user_id=user.pk, target=target, target_id=target_id)
                links.setdefault(notification.pk, []).append(EmailLink(label=label, url=url))
    return links


register_email_links(REPLY, reply_email_links)
