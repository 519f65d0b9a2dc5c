"""Hand-built activity at chosen moments, for the indicators' formulas."""

from datetime import datetime

from django.utils import timezone

from academy.models import Certificate, Enrolment, SessionRegistration
from community.models import ChatMessage, ChatRoom, Forum, Membership, Post, Space, Topic
from pilotage.models import PiloteRole
from tests.factories import UserFactory, territory


def at(year: int, month: int, day: int = 10, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


def enrol(user, course, when, *, completed=None, certificate=False) -> Enrolment:
    enrolment = Enrolment.objects.create(user=user, course=course, completed_at=completed)
    Enrolment.objects.filter(pk=enrolment.pk).update(enrolled_at=when)
    if certificate:
        issued = Certificate.objects.create(user=user, course=course, completed_at=completed)
        Certificate.objects.filter(pk=issued.pk).update(issued_at=completed)
    return enrolment


def register(session, user, status=SessionRegistration.Status.REGISTERED):
    return SessionRegistration.objects.create(session=session, user=user, status=status)


def forum_of(slug: str) -> Forum:
    space = Space.objects.get(territory__slug=slug)
    return Forum.objects.get_or_create(space=space, slug="questions", defaults={"name": "Q"})[0]


def _post(topic, author, position, when, **fields) -> Post:
    post = Post.objects.create(
        topic=topic, author=author, position=position, body="…", body_html="<p>…</p>", **fields
    )
    Post.objects.filter(pk=post.pk).update(created_at=when)
    return post


def question(slug, author, when, *, answers=()) -> Topic:
    """A topic opened by `author` at `when` in the space of `slug`; answers: (author,
    when, useful_count) triples, replies in that order."""
    topic = Topic.objects.create(forum=forum_of(slug), author=author, title="Une question")
    Topic.objects.filter(pk=topic.pk).update(created_at=when)
    _post(topic, author, 0, when)
    for position, (answerer, answered, useful) in enumerate(answers, start=1):
        _post(topic, answerer, position, answered, useful_count=useful)
    return topic


def chat(slug, author, when) -> ChatMessage:
    space = Space.objects.get(territory__slug=slug)
    room = ChatRoom.objects.get_or_create(space=space, defaults={"slug": slug})[0]
    room.last_number += 1
    room.save(update_fields=["last_number"])
    message = ChatMessage.objects.create(
        room=room,
        number=room.last_number,
        author=author,
        client_id=f"c{room.last_number}",
        body="…",
        body_html="…",
    )
    ChatMessage.objects.filter(pk=message.pk).update(created_at=when)
    return message


def pilote_of(*slugs):
    user = UserFactory()
    for slug in slugs:
        PiloteRole.objects.create(user=user, territory=territory(slug))
    return user


def _in_nord(role=Membership.Role.MEMBER):
    space = Space.objects.get(territory__slug="nord")
    return Membership.objects.create(user=UserFactory(), space=space, role=role).user


# Who reads the pilotage, for the matrices of the pages and of the API.
READERS = {
    "pilote_departement": lambda: pilote_of("nord"),
    "pilote_region": lambda: pilote_of("hauts-de-france"),
    "animateur": lambda: _in_nord(Membership.Role.ANIMATOR),
    "membre": _in_nord,
    "staff": lambda: UserFactory(is_staff=True),
}


def reader(who: str):
    """A person of the kind `who` (a key of READERS)."""
    return READERS[who]()
