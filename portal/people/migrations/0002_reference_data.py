"""Operators and territories of the employment network (COG 2024, see reference_data)."""

from django.db import migrations

OPERATORS = [
    ("france-travail", "France Travail"),
    ("mission-locale", "Mission locale"),
    ("cap-emploi", "Cap emploi"),
    ("conseil-departemental", "Conseil départemental"),
    ("conseil-regional", "Conseil régional"),
    ("commune-intercommunalite", "Commune / intercommunalité"),
    ("services-etat", "Services de l'État"),
    ("siae", "Structure de l'insertion par l'activité économique"),
    ("association", "Association"),
    ("autre", "Autre"),
]


def load(apps, schema_editor):
    from portal.people.reference_data import DEPARTEMENTS, REGIONS

    Operator = apps.get_model("people", "Operator")
    Territory = apps.get_model("people", "Territory")
    for position, (slug, name) in enumerate(OPERATORS):
        Operator.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})

    national, _ = Territory.objects.update_or_create(
        slug="national", defaults={"level": "national", "name": "National", "insee_code": ""}
    )
    regions = {}
    for code, name, slug in REGIONS:
        regions[code], _ = Territory.objects.update_or_create(
            slug=slug,
            defaults={"level": "region", "name": name, "insee_code": code, "parent": national},
        )
    for code, name, slug, region_code in DEPARTEMENTS:
        Territory.objects.update_or_create(
            slug=slug,
            defaults={
                "level": "departement",
                "name": name,
                "insee_code": code,
                "parent": regions[region_code],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
