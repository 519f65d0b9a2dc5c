from django.db import transaction

from portal.people.models import User

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
