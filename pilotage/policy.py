"""Who reads which territory's indicators: the one answer every surface asks (pages,
exports, API).

- staff (is_staff, superusers) read every territory;
- a pilote reads the territory of each of their roles and every territory inside it
  (national → régions → départements → comités locaux);
- an animateur reads the territory of the space they animate, and nothing inside it
  (their own space's indicators);
- nobody else reads any.

The territory tree is small (about a hundred and twenty rows) and changes only when
staff edit the territories: it is kept with the shared copies (portal/page_cache.py,
renewed by every territory write), and the person's roles are read once per request:
one query, whatever the number of territories.
"""

from dataclasses import dataclass, field

from portal.page_cache import shared
from portal.people.models import Territory
from portal.people.selectors import collation_key


@dataclass
class TerritoryTree:
    by_id: dict[int, Territory]
    children: dict[int | None, list[Territory]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "TerritoryTree":
        territories = shared("territory-tree", lambda: list(Territory.objects.order_by("name")))
        tree = cls(by_id={t.pk: t for t in territories})
        for territory in territories:
            tree.children.setdefault(territory.parent_id, []).append(territory)
        return tree

    def root(self) -> Territory | None:
        roots = self.children.get(None, [])
        return roots[0] if roots else None

    def ancestors(self, territory_id: int) -> list[Territory]:
        """From the nation down to the territory's parent."""
        chain = []
        territory = self.by_id[territory_id]
        while territory.parent_id is not None:
            territory = self.by_id[territory.parent_id]
            chain.append(territory)
        return chain[::-1]

    def with_ancestors(self, territory_id: int) -> list[int]:
        return [t.pk for t in self.ancestors(territory_id)] + [territory_id]

    def subtree(self, territory_id: int) -> set[int]:
        found, todo = set(), [territory_id]
        while todo:
            current = todo.pop()
            found.add(current)
            todo.extend(child.pk for child in self.children.get(current, []))
        return found


# From the nation down: how deep each level sits.
LEVEL_ORDER = {
    Territory.Level.NATIONAL: 0,
    Territory.Level.REGION: 1,
    Territory.Level.DEPARTEMENT: 2,
    Territory.Level.LOCAL: 3,
}


def readable_territory_ids(user, tree: TerritoryTree) -> set[int]:
    """The territories whose indicators `user` reads."""
    if not user.is_authenticated:
        return set()
    if user.is_staff or user.is_superuser:
        return set(tree.by_id)
    from community.models import Membership

    readable: set[int] = set()
    for territory_id in user.pilote_roles.values_list("territory_id", flat=True):
        readable |= tree.subtree(territory_id)
    readable |= set(
        Membership.objects.filter(user=user, role=Membership.Role.ANIMATOR).values_list(
            "space__territory_id", flat=True
        )
    )
    return readable


def home_territories(user, tree: TerritoryTree) -> list[Territory]:
    """The widest territories `user` reads (where /pilotage/ takes them): none of them
    inside another."""
    readable = readable_territory_ids(user, tree)
    widest = [
        tree.by_id[pk] for pk in readable if not any(a.pk in readable for a in tree.ancestors(pk))
    ]
    return sorted(widest, key=lambda t: (LEVEL_ORDER[t.level], collation_key(t.name)))
