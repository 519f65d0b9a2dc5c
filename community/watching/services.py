"""The one write of the unwatch links."""

from community.models import Watch


def watch_stop(*, user, target: str, obj) -> bool:
    """Stops this member watching the topic, forum or space; whether a watch was removed.

    No permission to check: stopping a subscription is always allowed, even to a
    member who may no longer read the space.
    """
    deleted, _ = Watch.objects.filter(user=user, **{target: obj}).delete()
    return bool(deleted)
