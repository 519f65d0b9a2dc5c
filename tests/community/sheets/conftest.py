"""Practice sheets' fixtures: the index, published sheets, members who propose them."""

import uuid

import pytest
from django.contrib.auth.models import Group

from community.models import PracticeSheetPage

# What CommunityConfig.ready imports: notification kinds, search provider, receivers.
from community.sheets import notifications, search, services, signals  # noqa: F401
from tests.factories import UserFactory, operator, territory


def publish_sheet(
    *,
    territory_slug: str = "nord",
    title: str = "Un job-dating entre France Travail et la Mission locale",
    summary: str = "Cinquante candidats et douze entreprises en une matinée.",
    operators=("france-travail", "mission-locale"),
    tags=("Recrutement",),
    owner=None,
    **fields,
) -> PracticeSheetPage:
    """A published sheet, as an editor would publish it (its discussion opens)."""
    index = services.sheet_index_ensure()
    sheet = PracticeSheetPage(
        title=title,
        slug=f"fiche-{uuid.uuid4().hex[:8]}",
        owner=owner,
        territory=territory(territory_slug),
        summary=summary,
        context=fields.pop("context", "<p>Des offres non pourvues dans la métropole.</p>"),
        target_public=fields.pop("target_public", "Demandeurs d'emploi de moins de 26 ans"),
        steps=[("step", {"title": "Choisir les offres", "detail": "<p>Avec les entreprises.</p>"})],
        **fields,
    )
    sheet.operators.set([operator(slug) for slug in operators])
    sheet.tags.add(*tags)
    index.add_child(instance=sheet)
    sheet.save_revision(user=owner).publish()
    return PracticeSheetPage.objects.get(pk=sheet.pk)


def proposal_data(**overrides) -> dict:
    data = {
        "title": "Un référent unique pour les allocataires du RSA",
        "summary": "Un seul interlocuteur pour l'emploi et le social.",
        "context": "Des parcours morcelés entre le Département et France Travail.",
        "target_public": "Allocataires du RSA soumis aux droits et devoirs",
        "steps": "Désigner les référents\nUn binôme par secteur.\n\nSigner le contrat\n\n"
        "Faire le point à trois mois",
        "results": "Deux fois plus de contrats signés dans le mois.",
        "operators": [
            str(operator("france-travail").pk),
            str(operator("conseil-departemental").pk),
        ],
        "contact": "Camille, Département de la Somme",
        "tags": "RSA, référent unique",
    }
    data.update(overrides)
    return data


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Runs on-commit work (search indexing, e-mails) of the block it wraps."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def moderator(db):
    user = UserFactory(display_name="Modérateur Wagtail")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user
