"""A membership or a space changes: the chat's open connections read their access again.

A connection holds its membership from the moment it connects (no query per message,
bench/chat.py); these receivers, on commit, tell every process's hub through the
channel layer, and the connections concerned re-read it before their next send (a
suspension refuses it) and close with 4403 if they may no longer read the room.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from community.chat import broadcast
from community.models import ChatRoom, Membership, Space


def announce(*, space_id: int, user_id: int | None) -> None:
    """On commit: the rooms of the space hear that this user's (None: anyone's) access changed."""

    def send():
        for slug in ChatRoom.objects.filter(space_id=space_id).values_list("slug", flat=True):
            broadcast.publish_message(broadcast.access_message(room_slug=slug, user_id=user_id))

    transaction.on_commit(send, robust=True)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender, instance: Membership, **kwargs):
    announce(space_id=instance.space_id, user_id=instance.user_id)


@receiver(post_save, sender=Space)
def space_changed(sender, instance: Space, created: bool, **kwargs):
    if not created:  # its visibility may have changed: everyone reads it again
        announce(space_id=instance.pk, user_id=None)
