"""The pages every installation needs: home page and the footer's legal pages.

Idempotent: it creates what is missing and never overwrites what editors changed.
Run by `manage.py setup_site` (production) and by `seed_demo`.
"""

from django.db import transaction
from wagtail.models import Page, Site

from portal.models import ContentPage, HomePage, PortalSettings

HOME = {
    "title": "Se former et partager entre professionnels du réseau pour l'emploi",
    "slug": "accueil",
    "intro": "France Travail, Missions locales, Cap emploi, départements, régions, communes, "
    "services de l'État, structures de l'insertion et associations : un même portail pour "
    "apprendre ensemble et s'entraider, territoire par territoire.",
    "academy_text": "<p>Des formations conçues par et pour le réseau : parcours en ligne, "
    "sessions en visio ou en présentiel près de chez vous, quiz pour vérifier ses acquis et "
    "attestation vérifiable en fin de parcours.</p>",
    "community_text": "<p>Un espace par territoire pour poser ses questions, partager ses "
    "fiches pratiques et échanger en direct avec les collègues des autres opérateurs du "
    "réseau.</p>",
}

LEGAL_PAGES = [
    {
        "slug": "accessibilite",
        "title": "Déclaration d'accessibilité",
        "intro": "Le portail Académie & Communauté s'engage à rendre son service accessible, "
        "conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.",
        "body": [
            ("heading", "État de conformité"),
            (
                "paragraph",
                "<p>Le portail est <b>non conforme</b> au référentiel général d'amélioration "
                "de l'accessibilité (RGAA 4.1) : aucun audit n'a encore été réalisé. Chaque "
                "page est vérifiée automatiquement avec les règles RGAA de l'outil axe.</p>",
            ),
            ("heading", "Retour d'information et contact"),
            (
                "paragraph",
                "<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, contactez "
                "l'équipe du portail pour être orienté vers une alternative accessible ou "
                "obtenir le contenu sous une autre forme.</p>",
            ),
            ("heading", "Voies de recours"),
            (
                "paragraph",
                "<p>Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un "
                "contenu, que vous nous l'avez signalé et que vous n'avez pas obtenu de "
                "réponse satisfaisante, vous pouvez saisir le Défenseur des droits.</p>",
            ),
        ],
    },
    {
        "slug": "mentions-legales",
        "title": "Mentions légales",
        "intro": "Éditeur, hébergement et conditions d'utilisation du portail.",
        "body": [
            ("heading", "Éditeur"),
            (
                "paragraph",
                "<p>Le portail est édité par l'opérateur France Travail pour le réseau pour "
                "l'emploi. Directeur de la publication : le directeur général de France "
                "Travail.</p>",
            ),
            ("heading", "Hébergement"),
            (
                "paragraph",
                "<p>Les coordonnées de l'hébergeur sont précisées à la mise en production.</p>",
            ),
            ("heading", "Réutilisation des contenus"),
            (
                "paragraph",
                "<p>Sauf mention contraire, les contenus sont publiés sous licence etalab-2.0.</p>",
            ),
        ],
    },
    {
        "slug": "donnees-personnelles",
        "title": "Données personnelles",
        "intro": "Quelles données le portail traite, pourquoi, et comment exercer vos droits.",
        "body": [
            ("heading", "Données traitées"),
            (
                "paragraph",
                "<p>Adresse électronique (connexion et notifications), nom affiché, "
                "opérateur, structure, fonction, territoires et présentation (profil visible "
                "des membres), parcours de formation et contributions à la communauté.</p>",
            ),
            ("heading", "Qui les voit"),
            (
                "paragraph",
                "<p>Votre adresse électronique n'est jamais montrée aux autres membres. Votre "
                "profil est visible des membres connectés.</p>",
            ),
            ("heading", "Vos droits"),
            (
                "paragraph",
                "<p>Vous pouvez consulter et corriger votre profil à tout moment depuis « Mon "
                "espace », et demander l'effacement de votre compte.</p>",
            ),
        ],
    },
]


@transaction.atomic
def site_setup() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's initial migration creates a placeholder "Welcome" page (and a
        # site on it): replace both.
        for child in root.get_children().exact_type(Page):
            child.delete()
        home = root.add_child(instance=HomePage(**HOME))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Académie & Communauté",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Académie & Communauté"
        site.save()

    existing = set(home.get_children().values_list("slug", flat=True))
    for spec in LEGAL_PAGES:
        if spec["slug"] in existing:
            continue
        page = ContentPage(
            title=spec["title"],
            slug=spec["slug"],
            intro=spec["intro"],
            body=[{"type": kind, "value": value} for kind, value in spec["body"]],
        )
        home.add_child(instance=page)
        page.save_revision().publish()

    PortalSettings.load()
    return home
