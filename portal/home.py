"""Reads behind the home page.

The Académie and the Communauté fill these lists once their apps exist; until
then the home page says that nothing is published yet.
"""

from django.apps import apps


def latest_courses(*, user, limit: int = 3) -> list:
    if not apps.is_installed("academy"):
        return []
    from academy.selectors import course_list_latest

    return course_list_latest(user=user, limit=limit)


def active_spaces(*, user, limit: int = 4) -> list:
    if not apps.is_installed("community"):
        return []
    from community.selectors import space_list_most_active

    return space_list_most_active(user=user, limit=limit)
