"""Builders of Communauté data on top of the spaces the data migration created."""

from datetime import timedelta

import factory
from django.db.models import Count
from django.utils import timezone

from community.models import JoinRequest, Membership, Space
from tests.factories import UserFactory


def space(slug: str, *, private: bool = False, description: str | None = None) -> Space:
    """The space of a reference territory, with the visibility the test needs."""
    found = Space.objects.select_related("territory", "territory__parent").get(territory__slug=slug)
    found.visibility = Space.Visibility.PRIVATE if private else Space.Visibility.OPEN
    fields = ["visibility"]
    if description is not None:
        found.description = description
        fields.append("description")
    found.save(update_fields=fields)
    return found


def refresh_member_counts() -> None:
    """What the services keep up to date, for rows the factories wrote directly."""
    counts = dict(
        Membership.objects.values_list("space").annotate(n=Count("pk")).values_list("space", "n")
    )
    for row in Space.objects.all().only("pk", "member_count"):
        if row.member_count != counts.get(row.pk, 0):
            Space.objects.filter(pk=row.pk).update(member_count=counts.get(row.pk, 0))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    space = factory.LazyFunction(lambda: Space.objects.get(territory__slug="nord"))
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER

    class Params:
        animator = factory.Trait(role=Membership.Role.ANIMATOR)
        suspended = factory.Trait(
            suspended_until=factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
        )

    @factory.post_generation
    def count(self, create, extracted, **kwargs):
        # Pass count=False when creating many rows, then call refresh_member_counts().
        if create and extracted is not False:
            Space.objects.filter(pk=self.space_id).update(
                member_count=Membership.objects.filter(space_id=self.space_id).count()
            )


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    space = factory.LazyFunction(lambda: Space.objects.get(territory__slug="somme"))
    user = factory.SubFactory(UserFactory)
    message = "Je coordonne le référent unique RSA dans la Somme."


def chat_messages(room, *, authors, count: int, body: str = "Message {n}") -> list:
    """`count` messages in a live-chat room, numbered after its last one, authors in turn.

    Written directly (one insert) where a test needs many: the chat services would
    rate-limit them. Tests of sending go through community.chat.services.
    """
    from community.models import ChatMessage, ChatRoom
    from portal.markdown import render_markdown

    room.refresh_from_db(fields=["last_number"])
    first = room.last_number + 1
    rows = []
    for n in range(first, first + count):
        text = body.format(n=n)
        rows.append(
            ChatMessage(
                room=room,
                number=n,
                author=authors[(n - first) % len(authors)],
                client_id=f"factory-{n}",
                body=text,
                body_html=render_markdown(text, inline_only=True),
            )
        )
    ChatMessage.objects.bulk_create(rows)
    ChatRoom.objects.filter(pk=room.pk).update(last_number=first + count - 1)
    room.last_number = first + count - 1
    return rows
