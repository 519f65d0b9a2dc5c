"""Forums, topics and posts of Nord (open), Somme (private) and Aisne (another space),
written directly: the forum pages' own services are not under test here."""

import itertools

import pytest

from community.forums.services import post_published
from community.models import Forum, Post, Topic
from tests.community.factories import MembershipFactory
from tests.factories import UserFactory

_positions = itertools.count()


def make_forum(space, name="Accompagnement des allocataires du RSA", slug=None) -> Forum:
    return Forum.objects.create(space=space, name=name, slug=slug or f"forum-{next(_positions)}")


def make_topic(forum, *, author=None, title="Référent unique : vos retours ?") -> Topic:
    return Topic.objects.create(forum=forum, author=author, title=title)


def make_post(topic, *, author=None, body="Bonjour à toutes et à tous.", state=None) -> Post:
    position = topic.posts.count()
    post = Post.objects.create(
        topic=topic,
        author=author,
        position=position,
        body=body,
        body_html=f"<p>{body}</p>",
        state=state or Post.State.PUBLISHED,
    )
    if post.state == Post.State.PUBLISHED:
        # What the forums do when a post appears: counters and the topic's last post.
        post_published(post=post, notify_readers=False)
    return post


@pytest.fixture
def author(nord):
    """The writer of the posts under moderation: a member of Nord, no other role."""
    user = UserFactory(display_name="Paul Auteur")
    MembershipFactory(space=nord, user=user)
    return user


@pytest.fixture
def nord_forum(nord):
    return make_forum(nord, slug="accompagnement")


@pytest.fixture
def nord_other_forum(nord):
    return make_forum(nord, name="Relations entreprises et recrutement", slug="entreprises")


@pytest.fixture
def aisne_forum(aisne):
    return make_forum(aisne, name="Formation et compétences", slug="formation")


@pytest.fixture
def topic(nord_forum, author):
    return make_topic(nord_forum, author=author)


@pytest.fixture
def post(topic, author):
    return make_post(topic, author=author, body="Un message qui dérape.")
