"""Reads of the unwatch page: what a link names, and whether it is still watched."""

from community.models import Forum, Space, Topic, Watch

_MODELS = {
    "topic": Topic.objects.select_related("forum__space__territory"),
    "forum": Forum.objects.select_related("space__territory"),
    "space": Space.objects.select_related("territory"),
}


def watch_target(*, target: str, target_id: int):
    """The topic, forum or space of an unwatch link, or None if it no longer exists."""
    return _MODELS[target].filter(pk=target_id).first()


def watch_exists(*, user, target: str, obj) -> bool:
    return Watch.objects.filter(user=user, **{target: obj}).exists()


def watch_target_label(*, target: str, obj) -> str:
    """How the page names it: « le sujet « … » de l'espace Nord »."""
    if target == "topic":
        return f"le sujet « {obj.title} » (espace {obj.forum.space.name})"
    if target == "forum":
        return f"le forum « {obj.name} » (espace {obj.space.name})"
    return f"l'espace {obj.name}"
