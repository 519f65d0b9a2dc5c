from django.db import transaction
from django.utils import timezone

from portal.people.models import OperatorPeriod, User

_UNKNOWN = object()

PROFILE_FIELDS = ("display_name", "operator", "structure_name", "job_title", "bio")


@transaction.atomic
def profile_update(*, user: User, data: dict) -> User:
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(user, field, data[field])
    user.save(update_fields=[f for f in PROFILE_FIELDS if f in data])
    if "territories" in data:
        user.territories.set(data["territories"])
    return user


def record_operator_period(sender, instance: User, created: bool, raw: bool = False, **kwargs):
    """post_save of User: a new period whenever the operator is set or changes, so that
    the pilotage counts past acts for the operator their author had then."""
    if raw:
        return
    before = getattr(instance, "_operator_id_at_load", _UNKNOWN)
    if not created and before == instance.operator_id:
        return
    update_fields = kwargs.get("update_fields")
    if not created and update_fields is not None and "operator" not in update_fields:
        return
    if not created and before is _UNKNOWN:
        # An instance built without loading (rare): compare with the last period.
        last = instance.operator_periods.order_by("-since", "-pk").first()
        if last is not None and last.operator_id == instance.operator_id:
            instance._operator_id_at_load = instance.operator_id
            return
    OperatorPeriod.objects.create(
        user=instance,
        operator_id=instance.operator_id,
        since=instance.date_joined if created else timezone.now(),
    )
    instance._operator_id_at_load = instance.operator_id
