"""The territory tree every pilotage surface reads: from the cache, fresh after an edit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pilotage.policy import TerritoryTree
from portal.people.models import Territory

pytestmark = pytest.mark.django_db


def test_the_tree_is_read_from_the_database_once_then_from_the_cache():
    with CaptureQueriesContext(connection) as first:
        tree = TerritoryTree.load()
    with CaptureQueriesContext(connection) as second:
        again = TerritoryTree.load()
    assert len(first) == 1
    assert len(second) == 0
    assert again.by_id.keys() == tree.by_id.keys()


def test_a_renamed_added_or_deleted_territory_shows_in_the_next_tree():
    TerritoryTree.load()
    nord = Territory.objects.get(slug="nord")
    nord.name = "Nord (59)"
    nord.save()
    assert TerritoryTree.load().by_id[nord.pk].name == "Nord (59)"
    added = Territory.objects.create(
        name="Comité local de Roubaix", slug="roubaix", level=Territory.Level.LOCAL, parent=nord
    )
    assert added in TerritoryTree.load().children[nord.pk]
    added_pk = added.pk
    added.delete()
    assert added_pk not in TerritoryTree.load().by_id
