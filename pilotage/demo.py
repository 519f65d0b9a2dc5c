"""Twelve months of activity in the Hauts-de-France, so that every indicator of the
demo's pilotage shows something real; and a demo pilote of the région.

Idempotent: the activity is generated once (its members exist afterwards), with a fixed
seed; every run of seed_demo then recomputes the indicators."""

import random
import uuid
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from academy.models import Certificate, CoursePage, Enrolment
from community.models import ChatMessage, ChatRoom, Forum, Membership, Post, Space, Topic
from pilotage.aggregation import run_aggregation
from pilotage.models import PiloteRole
from portal.demo import demo_user_ensure
from portal.people.models import Operator, OperatorPeriod, Territory, User

PILOTE_EMAIL = "claire.moreau@demo.academie.fr"
ACTIVITY_DOMAIN = "activite.demo.academie.fr"
DEPARTEMENTS = ["nord", "pas-de-calais", "somme", "aisne", "oise"]
OPERATORS = [
    ("france-travail", 40),
    ("mission-locale", 20),
    ("conseil-departemental", 15),
    ("cap-emploi", 10),
    ("association", 10),
    ("commune-intercommunalite", 5),
]
MEMBERS = 300
FIRST_NAMES = [
    "Léa", "Hugo", "Inès", "Lucas", "Chloé", "Nathan", "Manon", "Théo", "Sarah", "Louis",
    "Emma", "Jules", "Camille", "Adam", "Zoé", "Rayan", "Julie", "Maxime", "Anaïs", "Samir",
]  # fmt: skip
LAST_INITIALS = "ABCDEFGHJKLMNPRSTV"
QUESTIONS = [
    "Orientation d'un allocataire du RSA vers un organisme référent",
    "Contrat d'engagement jeune : qui signe en premier ?",
    "Aide à la mobilité pour une reprise d'emploi en zone rurale",
    "Accompagnement global : partager le diagnostic avec le département",
    "Personne en situation de handicap : quand passer le relais à Cap emploi ?",
    "Immersion professionnelle : la convention PMSMP pas à pas",
    "Solution de garde d'enfant pour suivre une formation",
    "Inscription d'un jeune sans domicile stable",
]
ANSWERS = [
    "Nous le faisons en réunion de coordination chaque mois : la fiche de liaison suffit.",
    "Contactez le référent de parcours du département, il a la main sur ce point.",
    "La plateforme mobilité du territoire peut financer les premiers trajets.",
    "Voici notre pratique à l'agence : un entretien à trois, puis un compte rendu partagé.",
    "La Mission locale de votre bassin a une permanence pour ces situations.",
]
CHAT_LINES = [
    "Bonjour à tous, quelqu'un a le contact de la plateforme mobilité ?",
    "Merci pour le partage de la fiche, très utile pour nos entretiens.",
    "Réunion du comité local jeudi : qui vient ?",
    "Je vous mets le lien vers la session de formation de mars.",
    "Bonne idée, on le teste dans notre agence.",
]


def _create_backdated(model, objects: list, field: str) -> list:
    """bulk_create, then the moments chosen (auto_now_add overwrites them on insert)."""
    moments = [getattr(obj, field) for obj in objects]
    created = model.objects.bulk_create(objects)
    for obj, moment in zip(created, moments, strict=True):
        setattr(obj, field, moment)
    model.objects.bulk_update(created, [field], batch_size=500)
    return created


def _when(rng: random.Random, now, days_back: int):
    return now - timedelta(days=days_back, hours=rng.randint(0, 9), minutes=rng.randint(0, 59))


def _members(rng: random.Random) -> list[User]:
    operators = {op.slug: op for op in Operator.objects.all()}
    territories = {t.slug: t for t in Territory.objects.filter(slug__in=DEPARTEMENTS)}
    weights = [weight for _, weight in OPERATORS]
    password = make_password(None)  # no sign-in: they only give the figures life
    members = []
    for number in range(MEMBERS):
        slug = rng.choices([s for s, _ in OPERATORS], weights)[0]
        first = rng.choice(FIRST_NAMES)
        members.append(
            User(
                email=f"membre-{number:03d}@{ACTIVITY_DOMAIN}",
                first_name=first,
                last_name=rng.choice(LAST_INITIALS),
                display_name=f"{first} {rng.choice(LAST_INITIALS)}.",
                operator=operators[slug],
                structure_name="Structure de démonstration",
                job_title="Conseiller ou conseillère",
                password=password,
            )
        )
    User.objects.bulk_create(members)
    members = list(User.objects.filter(email__endswith=f"@{ACTIVITY_DOMAIN}").order_by("email"))
    now = timezone.now()
    through = User.territories.through
    through.objects.bulk_create(
        through(user_id=member.pk, territory_id=territories[rng.choice(DEPARTEMENTS)].pk)
        for member in members
    )
    OperatorPeriod.objects.bulk_create(
        OperatorPeriod(user=m, operator=m.operator, since=now - timedelta(days=400))
        for m in members
    )
    # A few changed operator six months ago (France Travail → Mission locale).
    for member in members[:6]:
        OperatorPeriod.objects.create(
            user=member, operator=operators["mission-locale"], since=now - timedelta(days=180)
        )
        User.objects.filter(pk=member.pk).update(operator=operators["mission-locale"])
    return members


def _learning(rng, members, now) -> None:
    courses = list(CoursePage.objects.live())
    enrolments, certificates = [], []
    for member in members:
        for course in rng.sample(courses, k=min(len(courses), rng.randint(0, 3))):
            enrolled = _when(rng, now, rng.randint(1, 360))
            completed = None
            if rng.random() < 0.55:
                completed = enrolled + timedelta(days=rng.randint(1, 45))
                if completed > now:
                    completed = None
            enrolments.append(
                Enrolment(user=member, course=course, enrolled_at=enrolled, completed_at=completed)
            )
            if completed:
                certificates.append(
                    Certificate(
                        user=member, course=course, completed_at=completed, issued_at=completed
                    )
                )
    _create_backdated(Enrolment, enrolments, "enrolled_at")
    _create_backdated(Certificate, certificates, "issued_at")


def _forum(space: Space) -> Forum:
    forum = space.forums.order_by("position").first()
    if forum is None:
        forum = Forum.objects.create(
            space=space, slug="entraide", name="Entraide", description="Questions de pratique."
        )
    return forum


def _community(rng, members, now) -> None:
    by_territory: dict[int, list[User]] = {}
    for user_id, territory_id in User.territories.through.objects.filter(
        user__in=members
    ).values_list("user_id", "territory_id"):
        by_territory.setdefault(territory_id, []).append(
            next(m for m in members if m.pk == user_id)
        )
    for space in Space.objects.filter(territory__slug__in=DEPARTEMENTS).select_related("territory"):
        people = by_territory.get(space.territory_id, [])
        if len(people) < 2:
            continue
        Membership.objects.bulk_create(
            [Membership(space=space, user=person) for person in people], ignore_conflicts=True
        )
        forum = _forum(space)
        for _ in range(len(people)):
            asker = rng.choice(people)
            asked = _when(rng, now, rng.randint(1, 360))
            topic = Topic.objects.create(forum=forum, author=asker, title=rng.choice(QUESTIONS))
            posts = [Post(topic=topic, author=asker, position=0, created_at=asked)]
            moment = asked
            for position in range(1, rng.randint(0, 4) + 1):
                moment += timedelta(hours=rng.randint(1, 60))
                if moment > now:
                    break
                answerer = rng.choice([p for p in people if p != asker])
                useful = rng.randint(0, 3) if rng.random() < 0.6 else 0
                posts.append(
                    Post(
                        topic=topic,
                        author=answerer,
                        position=position,
                        created_at=moment,
                        useful_count=useful,
                    )
                )
            for post in posts:
                post.body = (
                    rng.choice(ANSWERS)
                    if post.position
                    else f"{topic.title} : comment faites-vous ?"
                )
                post.body_html = f"<p>{escape(post.body)}</p>"
            created = _create_backdated(Post, posts, "created_at")
            Topic.objects.filter(pk=topic.pk).update(
                created_at=asked,
                reply_count=len(posts) - 1,
                last_post_at=posts[-1].created_at,
                last_post=created[-1],
            )
        room, _ = ChatRoom.objects.get_or_create(
            space=space, defaults={"slug": space.territory.slug}
        )
        moments = sorted(_when(rng, now, rng.randint(0, 360)) for _ in range(len(people) * 3))
        messages = []
        for moment in moments:
            room.last_number += 1
            line = rng.choice(CHAT_LINES)
            messages.append(
                ChatMessage(
                    room=room,
                    number=room.last_number,
                    author=rng.choice(people),
                    client_id=uuid.uuid4().hex,
                    body=line,
                    body_html=escape(line),
                    created_at=moment,
                )
            )
        _create_backdated(ChatMessage, messages, "created_at")
        room.save(update_fields=["last_number"])


@transaction.atomic
def _activity() -> None:
    if User.objects.filter(email__endswith=f"@{ACTIVITY_DOMAIN}").exists():
        return
    rng = random.Random(2026)
    members = _members(rng)
    now = timezone.now()
    _learning(rng, members, now)
    _community(rng, members, now)


def seed(*, stdout) -> list[tuple[str, str]]:
    pilote, _ = demo_user_ensure(
        email=PILOTE_EMAIL,
        display_name="Claire M.",
        first_name="Claire",
        last_name="Moreau",
        operator_slug="services-etat",
        structure_name="Comité régional pour l'emploi des Hauts-de-France",
        job_title="Pilote du comité régional pour l'emploi",
        territory_slugs=["hauts-de-france"],
    )
    PiloteRole.objects.get_or_create(
        user=pilote, territory=Territory.objects.get(slug="hauts-de-france")
    )
    _activity()
    run_aggregation()
    return [(PILOTE_EMAIL, "pilote Hauts-de-France (/pilotage/)")]
