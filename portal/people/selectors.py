import unicodedata

from portal.people.models import Territory


def collation_key(name: str) -> str:
    # "Île-de-France" sorts with the I's, as a French reader expects.
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def territory_choices() -> list:
    """Choices for a territory select, grouped by région (national first)."""
    territories = list(Territory.objects.select_related("parent", "parent__parent"))
    national = [t for t in territories if t.level == Territory.Level.NATIONAL]
    regions = sorted(
        (t for t in territories if t.level == Territory.Level.REGION),
        key=lambda t: collation_key(t.name),
    )
    children: dict[int, list[Territory]] = {}
    for territory in territories:
        if territory.level == Territory.Level.DEPARTEMENT:
            children.setdefault(territory.parent_id, []).append(territory)
        elif territory.level == Territory.Level.LOCAL and territory.parent:
            children.setdefault(territory.parent.parent_id, []).append(territory)
    choices = [("National", [(t.pk, t.name) for t in national])] if national else []
    for region in regions:
        members = sorted(
            children.get(region.pk, []),
            key=lambda t: (t.level, t.insee_code, collation_key(t.name)),
        )
        group = [(region.pk, f"{region.name} (toute la région)")]
        group += [
            (t.pk, str(t) if t.level != Territory.Level.LOCAL else f"— {t.name}") for t in members
        ]
        choices.append((region.name, group))
    return choices
