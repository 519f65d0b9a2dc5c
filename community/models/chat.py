"""Live chat rooms and their messages: the database is the log (DESIGN.md, "Live chat")."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class ChatRoom(models.Model):
    """One live room. A territory space's room has the slug of its territory."""

    slug = models.SlugField(max_length=120, unique=True)
    space = models.OneToOneField(
        "community.Space",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chat_room",
    )
    # The number of the room's latest message. Messages are numbered 1, 2, 3… with no
    # gap: services raise it under the row lock in the transaction that saves a message.
    last_number = models.PositiveBigIntegerField(default=0)
    # The number of the room's latest edit or deletion: a client that comes back with
    # the last one it saw gets the changes to the messages it already shows.
    last_change = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "salon de discussion"
        verbose_name_plural = "salons de discussion"

    def __str__(self):
        return self.slug


class ChatMessage(models.Model):
    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="messages")
    # The id of the wire protocol: gapless within the room.
    number = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="chat_messages",
    )
    client_id = models.CharField(max_length=64)
    body = models.TextField("message", max_length=2000)
    body_html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The room's change number of this message's latest edit or deletion (0: none).
    change = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "message de discussion"
        verbose_name_plural = "messages de discussion"
        ordering = ["room", "number"]
        indexes = [
            models.Index(
                fields=["room", "change"],
                name="chat_message_changes",
                condition=models.Q(change__gt=0),
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["room", "number"], name="chat_message_number_unique"),
            models.UniqueConstraint(
                fields=["room", "author", "client_id"], name="chat_message_client_id_unique"
            ),
        ]

    def __str__(self):
        return f"{self.room} #{self.number}"

    def get_absolute_url(self) -> str:
        """Its place on the space's chat page (`room__space__territory` should be selected)."""
        slug = self.room.space.slug if self.room.space_id else self.room.slug
        return f"{reverse('community:chat', kwargs={'slug': slug})}#message-{self.number}"

    @property
    def moderation_label(self) -> str:
        """How the moderation log and the reporters' notices name it."""
        author = self.author.public_name if self.author_id else "un compte supprimé"
        return f"Message n° {self.number} de {author} dans la discussion"
