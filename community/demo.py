"""Demo content of the Communauté: who belongs to which territory space.

Idempotent like every seeder: memberships are looked up by (space, user).
"""

from community.models import Membership, Space
from community.services import member_counts_refresh, spaces_ensure
from portal.people.models import Operator, User

DESCRIPTIONS = {
    "national": "L'espace de tout le réseau pour l'emploi : annonces nationales, questions "
    "transverses, partage entre régions.",
    "hauts-de-france": "Conseillers France Travail, Missions locales, Cap emploi, "
    "départements et partenaires des Hauts-de-France : entraide et pratiques qui marchent.",
    "nord": "Le réseau pour l'emploi du Nord : accompagnement des allocataires du RSA, "
    "relations entreprises, actualité des comités locaux.",
    "aisne": "Le réseau pour l'emploi de l'Aisne : mobilité, recrutement en zone rurale, "
    "partenariats locaux.",
    "somme": "Espace réservé aux référents uniques de l'expérimentation RSA dans la Somme : "
    "coordination des parcours, situations individuelles anonymisées.",
}

# (space slug, user e-mail, role)
MEMBERSHIPS = [
    ("national", "admin@demo.academie.fr", Membership.Role.ANIMATOR),
    ("national", "elodie.rousseau@demo.academie.fr", Membership.Role.MEMBER),
    ("hauts-de-france", "nadia.haddad@demo.academie.fr", Membership.Role.ANIMATOR),
    ("hauts-de-france", "camille.dupont@demo.academie.fr", Membership.Role.MEMBER),
    ("hauts-de-france", "yanis.benali@demo.academie.fr", Membership.Role.MEMBER),
    ("hauts-de-france", "sophie.martin@demo.academie.fr", Membership.Role.MEMBER),
    ("hauts-de-france", "karim.lefevre@demo.academie.fr", Membership.Role.MEMBER),
    ("nord", "nadia.haddad@demo.academie.fr", Membership.Role.ANIMATOR),
    ("nord", "camille.dupont@demo.academie.fr", Membership.Role.MEMBER),
    ("nord", "karim.lefevre@demo.academie.fr", Membership.Role.MEMBER),
    ("aisne", "sophie.martin@demo.academie.fr", Membership.Role.MEMBER),
    ("aisne", "nadia.haddad@demo.academie.fr", Membership.Role.ANIMATOR),
    ("somme", "yanis.benali@demo.academie.fr", Membership.Role.MEMBER),
    ("somme", "nadia.haddad@demo.academie.fr", Membership.Role.ANIMATOR),
]

PRIVATE = {"somme"}


def seed(*, stdout) -> list:
    spaces_ensure()
    for slug, description in DESCRIPTIONS.items():
        space = Space.objects.get(territory__slug=slug)
        if not space.description:
            space.description = description
            space.visibility = (
                Space.Visibility.PRIVATE if slug in PRIVATE else Space.Visibility.OPEN
            )
            space.save(update_fields=["description", "visibility"])
    users = {u.email: u for u in User.objects.filter(email__in={m[1] for m in MEMBERSHIPS})}
    for slug, email, role in MEMBERSHIPS:
        if email in users:
            Membership.objects.get_or_create(
                space=Space.objects.get(territory__slug=slug),
                user=users[email],
                defaults={"role": role},
            )
    member_counts_refresh()
    seed_forums()
    seed_sheets()
    return []


# --- Forums, topics and practice sheets ------------------------------------------------------

FORUMS = {
    "hauts-de-france": [
        (
            "accompagnement-rsa",
            "Accompagnement des allocataires du RSA",
            "Contrat d'engagement, heures d'activité, coordination avec le département.",
        ),
        (
            "entreprises-recrutement",
            "Relations entreprises et recrutement",
            "Job datings, méthode de recrutement par simulation, besoins des employeurs.",
        ),
        (
            "formation-competences",
            "Formation et compétences",
            "Parcours de formation, financements, diagnostics de compétences.",
        ),
        (
            "outils-donnees",
            "Outils et partage de données",
            "Outils du quotidien et échanges d'informations entre partenaires.",
        ),
    ],
    "nord": [
        (
            "accompagnement-rsa",
            "Accompagnement des allocataires du RSA",
            "Les questions du Nord sur l'accompagnement des allocataires du RSA.",
        )
    ],
    "somme": [
        (
            "referent-unique",
            "Référent unique",
            "Coordination des parcours entre référents uniques (situations anonymisées).",
        )
    ],
}

# (space, forum, title, author, body, tags, replies [(author, body)], accepted reply index)
TOPICS = [
    (
        "hauts-de-france",
        "accompagnement-rsa",
        "Comment comptez-vous les heures d'activité quand la personne suit une formation ?",
        "camille.dupont@demo.academie.fr",
        "Bonjour à toutes et à tous,\n\nUne allocataire que j'accompagne entre en formation "
        "qualifiante à mi-temps. Est-ce que vous comptez ces heures dans les **15 à 20 heures "
        "d'activité** prévues par son contrat d'engagement, ou seulement les démarches à côté ?"
        "\n\nMerci pour vos retours.",
        ["RSA", "contrat d'engagement"],
        [
            (
                "karim.lefevre@demo.academie.fr",
                "Au Département du Nord, nous comptons les heures de formation : elles font "
                "partie des activités d'insertion inscrites au contrat. L'important est de les "
                "écrire dans le contrat dès la signature, avec la durée prévue.",
            ),
            (
                "yanis.benali@demo.academie.fr",
                "Même pratique côté Mission locale pour les jeunes allocataires. @Camille Dupont, "
                "pensez aussi à prévoir une révision du contrat à la fin de la formation : la "
                "durée d'activité change souvent à ce moment-là.",
            ),
        ],
        0,
    ),
    (
        "hauts-de-france",
        "entreprises-recrutement",
        "Un job dating commun France Travail – Mission locale : retours d'expérience ?",
        "yanis.benali@demo.academie.fr",
        "Nous préparons un job dating avec l'agence France Travail d'Amiens pour des postes "
        "en logistique. Qui a déjà organisé un événement commun ? Comment avez-vous réparti "
        "la préparation des candidats ?",
        ["recrutement", "job dating"],
        [
            (
                "camille.dupont@demo.academie.fr",
                "Nous l'avons fait à Lille l'an dernier. Chaque structure a préparé ses propres "
                "candidats, puis une réunion commune a permis de croiser les profils avec les "
                "besoins des employeurs. Je peux partager notre rétroplanning.",
            ),
        ],
        None,
    ),
    (
        "hauts-de-france",
        "formation-competences",
        "Quelles sources utilisez-vous pour repérer les métiers en tension de votre bassin ?",
        "sophie.martin@demo.academie.fr",
        "Je prépare un diagnostic des besoins en compétences pour le comité local de Laon. "
        "Au-delà de l'enquête Besoins en main-d'œuvre, quelles sources utilisez-vous ?",
        ["compétences", "diagnostic"],
        [],
        None,
    ),
    (
        "somme",
        "referent-unique",
        "Premier bilan de l'expérimentation du référent unique",
        "yanis.benali@demo.academie.fr",
        "Après trois mois, nous constatons que les personnes savent enfin qui appeler. Les "
        "points à améliorer : le partage d'informations entre structures et les délais de "
        "réorientation.",
        ["RSA", "référent unique"],
        [],
        None,
    ),
]

SHEETS = [
    (
        "hauts-de-france",
        "camille.dupont@demo.academie.fr",
        "Organiser un job dating commun France Travail et Mission locale",
        "Un événement de recrutement préparé à deux pour croiser les publics et les offres.",
        "Deux structures accompagnaient des publics proches pour les mêmes employeurs, sans "
        "se coordonner.",
        "Demandeurs d'emploi et jeunes accompagnés, employeurs de la logistique.",
        [
            ("Choisir les employeurs et les postes", "Partir des offres réelles du bassin."),
            ("Préparer les candidats", "Chaque structure prépare ses propres candidats."),
            ("Tenir l'événement", "Entretiens courts, puis suivi commun des candidatures."),
        ],
        ["france-travail", "mission-locale"],
        ["recrutement", "job dating"],
    ),
    (
        "somme",
        "yanis.benali@demo.academie.fr",
        "Expérimenter un référent unique pour les allocataires du RSA dans la Somme",
        "Un seul interlocuteur pour l'emploi et le social, quelle que soit la structure.",
        "Les allocataires avaient plusieurs interlocuteurs et ne savaient pas qui appeler.",
        "Allocataires du RSA nouvellement orientés.",
        [
            ("Désigner le référent", "Dès l'orientation, selon la situation de la personne."),
            (
                "Partager le diagnostic",
                "Un diagnostic commun, transmis avec l'accord de la personne.",
            ),
            ("Faire le point ensemble", "Une revue mensuelle des parcours entre référents."),
        ],
        ["conseil-departemental", "france-travail", "mission-locale"],
        ["RSA", "référent unique"],
    ),
    (
        "aisne",
        "sophie.martin@demo.academie.fr",
        "Diagnostiquer les besoins en compétences avec les employeurs locaux",
        "Des rencontres avec les employeurs pour compléter les données disponibles.",
        "Les données nationales ne suffisaient pas à décrire les besoins des petites entreprises.",
        "Employeurs du bassin de Laon, partenaires de l'emploi et de la formation.",
        [
            ("Rassembler les données", "Enquête Besoins en main-d'œuvre et offres déposées."),
            ("Rencontrer les employeurs", "Des entretiens courts par secteur d'activité."),
            ("Restituer au comité local", "Une synthèse partagée et des actions de formation."),
        ],
        ["cap-emploi", "france-travail", "conseil-regional"],
        ["compétences", "diagnostic"],
    ),
]


def seed_forums() -> None:
    from community.forums import services as forum_services
    from community.models import Forum, Topic

    for slug, forums in FORUMS.items():
        space = Space.objects.get(territory__slug=slug)
        for position, (forum_slug, name, description) in enumerate(forums):
            Forum.objects.get_or_create(
                space=space,
                slug=forum_slug,
                defaults={"name": name, "description": description, "position": position},
            )
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.academie.fr")}
    for slug, forum_slug, title, author, body, tags, replies, accepted in TOPICS:
        forum = Forum.objects.get(space__territory__slug=slug, slug=forum_slug)
        if Topic.objects.filter(forum=forum, title=title).exists():
            continue
        forum_services.rate_limit_reset(user=users[author])
        topic = forum_services.topic_create(
            forum=forum, author=users[author], title=title, body=body, tags=tags
        )
        posts = []
        for reply_author, reply_body in replies:
            # Demo seeding writes faster than the human rate limit allows.
            forum_services.rate_limit_reset(user=users[reply_author])
            posts.append(
                forum_services.post_create(topic=topic, author=users[reply_author], body=reply_body)
            )
        if accepted is not None:
            forum_services.answer_accept(post=posts[accepted], by=users[author])


def seed_sheets() -> None:
    from community.models import PracticeSheetPage
    from community.sheets import services as sheet_services

    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.academie.fr")}
    for slug, author, title, summary, context, public, steps, operators, tags in SHEETS:
        if PracticeSheetPage.objects.filter(title=title).exists():
            continue
        sheet = sheet_services.sheet_propose(
            user=users[author],
            space=Space.objects.get(territory__slug=slug),
            title=title,
            summary=summary,
            context=context,
            target_public=public,
            steps=[sheet_services.Step(title=t, detail=d) for t, d in steps],
            operators=Operator.objects.filter(slug__in=operators),
            tags=tags,
        )
        # The demo's editors have reviewed them: publish, as an approval would.
        sheet.get_latest_revision().publish(user=users["admin@demo.academie.fr"])
