from io import StringIO

import pytest
from django.core.management import call_command

from community.models import Forum, PracticeSheetPage, Space, Topic
from portal.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "forums": Forum.objects.count(),
        "topics": Topic.objects.count(),
        "posts": sum(t.posts.count() for t in Topic.objects.all()),
        "sheets": PracticeSheetPage.objects.count(),
    }


def test_community_demo_is_idempotent_and_realistic(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first

    slugs = set(Space.objects.filter(member_count__gt=0).values_list("territory__slug", flat=True))
    assert {"national", "hauts-de-france", "nord", "aisne", "somme"} <= slugs
    assert Space.objects.get(territory__slug="somme").is_private
    names = set(
        Forum.objects.filter(space__territory__slug="hauts-de-france").values_list(
            "name", flat=True
        )
    )
    assert "Accompagnement des allocataires du RSA" in names
    assert "Relations entreprises et recrutement" in names

    answered = Topic.objects.exclude(accepted_post=None).get()
    operators = {p.author.operator.slug for p in answered.posts.select_related("author__operator")}
    assert len(operators) >= 3  # France Travail, département, Mission locale
    assert Notification.objects.filter(kind="community.mention").exists()
    assert PracticeSheetPage.objects.live().count() == 3
    assert all(s.discussion_topic_id for s in PracticeSheetPage.objects.live())
