"""Forums of a space: topics, posts, reactions, reading state, subscriptions."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from taggit.managers import TaggableManager
from taggit.models import GenericTaggedItemBase, TagBase
from wagtail.search import index


class Forum(models.Model):
    space = models.ForeignKey("community.Space", on_delete=models.CASCADE, related_name="forums")
    name = models.CharField("nom", max_length=120)
    slug = models.SlugField("identifiant d'URL", max_length=80)
    description = models.TextField("description", max_length=500, blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    # Denormalised for listings (updated by services).
    topic_count = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    last_post_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "forum"
        ordering = ["space", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["space", "slug"], name="forum_unique_slug_per_space")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "community:forum", kwargs={"slug": self.space.territory.slug, "forum": self.slug}
        )


class TopicTag(TagBase):
    class Meta:
        verbose_name = "étiquette"
        verbose_name_plural = "étiquettes"


class TaggedTopic(GenericTaggedItemBase):
    tag = models.ForeignKey(TopicTag, on_delete=models.CASCADE, related_name="items")


class Topic(index.Indexed, models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="topics")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="topics"
    )
    title = models.CharField("titre", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    pinned = models.BooleanField("épinglé", default=False)
    locked = models.BooleanField("verrouillé", default=False)
    accepted_post = models.ForeignKey(
        "community.Post",
        verbose_name="réponse acceptée",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Denormalised for listings and "sans réponse" (updated by services).
    reply_count = models.PositiveIntegerField(default=0)
    last_post_at = models.DateTimeField(null=True, blank=True)
    last_post = models.ForeignKey(
        "community.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = TaggableManager(through=TaggedTopic, blank=True, verbose_name="étiquettes")

    search_fields = [index.SearchField("title"), index.FilterField("forum_id")]

    class Meta:
        verbose_name = "sujet"
        ordering = ["-pinned", "-last_post_at"]
        indexes = [models.Index(fields=["forum", "-pinned", "-last_post_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "community:topic",
            kwargs={
                "slug": self.forum.space.territory.slug,
                "forum": self.forum.slug,
                "pk": self.pk,
            },
        )


class Post(index.Indexed, models.Model):
    """The opening message of a topic (position 0) or a reply."""

    class State(models.TextChoices):
        PUBLISHED = "published", "Publié"
        PENDING = "pending", "En attente de modération"
        HIDDEN = "hidden", "Masqué par l'animation"
        DELETED = "deleted", "Supprimé par son auteur"

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="posts"
    )
    position = models.PositiveIntegerField("rang dans le sujet")
    body = models.TextField("message (Markdown)", max_length=20_000)
    body_html = models.TextField("message (HTML nettoyé)")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PUBLISHED)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    quoted = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    useful_count = models.PositiveIntegerField(default=0)

    search_fields = [index.SearchField("body"), index.FilterField("state")]

    class Meta:
        verbose_name = "message"
        ordering = ["topic", "position"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "position"], name="post_unique_position")
        ]

    def __str__(self):
        return f"{self.topic} #{self.position}"


class PostRevision(models.Model):
    """An earlier version of a post, kept on every edit (readable by animateurs)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Version de {self.post} du {self.created_at:%d/%m/%Y %H:%M}"


class Reaction(models.Model):
    """ "Utile" on a post: one per user."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="reaction_unique")]

    def __str__(self):
        return f"{self.user} trouve utile {self.post}"


class TopicRead(models.Model):
    """One row per user × topic: the highest post position the user has seen."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="reads")
    last_read_position = models.PositiveIntegerField(default=0)
    read_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="topic_read_unique")]

    def __str__(self):
        return f"{self.user} a lu {self.topic} jusqu'au #{self.last_read_position}"


class Watch(models.Model):
    """A subscription to a topic, a forum or a space (exactly one of them)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="watches"
    )
    forum = models.ForeignKey(
        Forum, null=True, blank=True, on_delete=models.CASCADE, related_name="watches"
    )
    space = models.ForeignKey(
        "community.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="watches"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(topic__isnull=False, forum__isnull=True, space__isnull=True)
                    | models.Q(topic__isnull=True, forum__isnull=False, space__isnull=True)
                    | models.Q(topic__isnull=True, forum__isnull=True, space__isnull=False)
                ),
                name="watch_exactly_one_target",
            ),
            models.UniqueConstraint(fields=["user", "topic"], name="watch_unique_topic"),
            models.UniqueConstraint(fields=["user", "forum"], name="watch_unique_forum"),
            models.UniqueConstraint(fields=["user", "space"], name="watch_unique_space"),
        ]

    def __str__(self):
        return f"{self.user} suit {self.topic or self.forum or self.space}"


def attachment_path(instance, filename):
    # Never under a public URL: files are served by a view that checks permissions.
    return f"community/attachments/{instance.post.topic_id}/{filename}"


class Attachment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("community:attachment", kwargs={"pk": self.pk})
