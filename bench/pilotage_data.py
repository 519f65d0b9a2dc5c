"""A national portal's year, generated for bench/pilotage.py: members spread over every
territory and operator, and the raw events every indicator reads (pilotage/indicators.py).

Written with COPY (PostgreSQL only), with a fixed seed: the same arguments give the same
rows. Runs inside a configured Django process on a database that seed_demo has filled
(territories, operators, spaces, courses, the sheets' index page). Ids are allocated
here, after the rows seed_demo wrote, and the sequences are moved past them at the end.

The shapes follow the portal's constraints and relations: one enrolment per person and
course, one certificate per person and course, one registration per person and session
(registered up to the seats, then waiting), posts numbered from 0 in topics of a forum
of a space, "Utile" votes of other people with the post's useful_count equal to them,
accepted answers among the replies of others, chat messages numbered without gap in each
room, practice sheets as live Wagtail pages under the sheets' index. Acts come from
people of the territory of the space, session or sheet (or of a territory inside it).
"""

import random
import time
import uuid
from bisect import bisect
from collections import defaultdict
from datetime import UTC, datetime
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

DOMAIN = "banc.pilotage.example"
DAY = 86_400.0
HOUR = 3_600.0

# Shares of the events (the rest is chat messages).
SHARES = {
    "operator_changes": 0.005,
    "enrolments": 0.18,
    "sessions": 0.0025,
    "registrations": 0.06,
    "topics": 0.04,
    "posts": 0.18,  # openings and replies
    "reactions": 0.09,
    "sheets": 0.001,
}
OPERATOR_WEIGHTS = {
    "france-travail": 35,
    "mission-locale": 18,
    "conseil-departemental": 14,
    "cap-emploi": 7,
    "association": 8,
    "commune-intercommunalite": 5,
    "siae": 5,
    "services-etat": 3,
    "conseil-regional": 3,
    "autre": 2,
}
# Where forum and chat activity happens: a space of which level.
LEVEL_SHARES = (("departement", 0.70), ("region", 0.20), ("national", 0.10))
EXTRA_COURSES = [
    ("Accueillir un public en situation de handicap", ["handicap", "accompagnement"]),
    ("Mobiliser les aides à la mobilité", ["mobilite", "freins-peripheriques"]),
    ("Lever les freins liés à la garde d'enfants", ["freins-peripheriques", "familles"]),
    ("Accompagner vers la création d'entreprise", ["creation-entreprise"]),
    ("Le diagnostic global de la situation", ["diagnostic", "accompagnement"]),
    ("Travailler avec les structures de l'insertion par l'activité économique", ["iae"]),
    ("Prévenir les ruptures de parcours des jeunes", ["jeunes", "contrat-dengagement"]),
    ("Les immersions professionnelles (PMSMP)", ["immersion", "entreprises"]),
    ("Mobiliser la formation des demandeurs d'emploi", ["formation"]),
    ("Accompagner les seniors vers l'emploi", ["seniors", "accompagnement"]),
    ("Le numérique au service de l'accompagnement", ["numerique"]),
    ("Coordonner les acteurs du comité local pour l'emploi", ["partenariats"]),
]
FIRST_NAMES = [
    "Léa", "Hugo", "Inès", "Lucas", "Chloé", "Nathan", "Manon", "Théo", "Sarah", "Louis",
    "Emma", "Jules", "Camille", "Adam", "Zoé", "Rayan", "Julie", "Maxime", "Anaïs", "Samir",
    "Nadia", "Karim", "Élodie", "Yanis", "Sophie", "Claire", "Paul", "Lina",
]  # fmt: skip
QUESTIONS = [
    "Orientation d'un allocataire du RSA vers un organisme référent",
    "Contrat d'engagement jeune : qui signe en premier ?",
    "Aide à la mobilité pour une reprise d'emploi en zone rurale",
    "Accompagnement global : partager le diagnostic avec le département",
    "Immersion professionnelle : la convention PMSMP pas à pas",
    "Solution de garde d'enfant pour suivre une formation",
]
ANSWERS = [
    "Nous le faisons en réunion de coordination chaque mois : la fiche de liaison suffit.",
    "Contactez le référent de parcours du département, il a la main sur ce point.",
    "La plateforme mobilité du territoire peut financer les premiers trajets.",
    "Voici notre pratique : un entretien à trois, puis un compte rendu partagé.",
]
CHAT_LINES = [
    "Bonjour à tous, quelqu'un a le contact de la plateforme mobilité ?",
    "Merci pour le partage de la fiche, très utile pour nos entretiens.",
    "Réunion du comité local jeudi : qui vient ?",
    "Bonne idée, on le teste dans notre agence.",
]


def _copy(table: str, columns: tuple[str, ...], rows) -> int:
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]


def _moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class Pool:
    """People of one territory (or of a territory inside it), drawn by their activity."""

    __slots__ = ("cumulative", "people", "total")

    def __init__(self, people: list[int], activity: list[float]):
        self.people = people
        self.cumulative = list(accumulate(activity[p] for p in people))
        self.total = self.cumulative[-1] if people else 0.0

    def pick(self, rng: random.Random) -> int:
        return self.people[bisect(self.cumulative, rng.random() * self.total)]

    def distinct(self, rng: random.Random, count: int, exclude: int | None = None) -> list[int]:
        chosen: dict[int, None] = {}
        for _ in range(count * 4):
            if len(chosen) == count:
                break
            person = self.pick(rng)
            if person != exclude:
                chosen[person] = None
        return list(chosen)


class World:
    """What the generation draws from: the tree, the people, their pools."""

    def __init__(self, rng: random.Random, now: datetime):
        from portal.people.models import Operator, Territory

        self.rng = rng
        self.now = now.timestamp()
        self.start = self.now - 365 * DAY
        self.territories = {
            t.pk: t for t in Territory.objects.only("pk", "parent_id", "level", "slug", "name")
        }
        self.operators = dict(Operator.objects.values_list("slug", "pk"))
        self.operator_ids = [self.operators[slug] for slug in OPERATOR_WEIGHTS]
        self.operator_weights = list(accumulate(OPERATOR_WEIGHTS.values()))
        by_level = defaultdict(list)
        for territory in self.territories.values():
            by_level[territory.level].append(territory.pk)
        self.by_level = {level: sorted(ids) for level, ids in by_level.items()}
        # Uneven départements, as the country is.
        self.departement_weights = list(
            accumulate(rng.lognormvariate(0, 0.8) for _ in self.by_level["departement"])
        )
        # Filled by members().
        self.user_ids: list[int] = []
        self.joined: list[float] = []
        self.names: list[str] = []
        self.activity: list[float] = []
        self.pools: dict[int, Pool] = {}

    def ancestry(self, territory_id: int) -> list[int]:
        chain = [territory_id]
        while (parent := self.territories[chain[-1]].parent_id) is not None:
            chain.append(parent)
        return chain

    def departement(self) -> int:
        ids = self.by_level["departement"]
        return ids[
            bisect(self.departement_weights, self.rng.random() * self.departement_weights[-1])
        ]

    def operator(self) -> int:
        weights = self.operator_weights
        return self.operator_ids[bisect(weights, self.rng.random() * weights[-1])]

    def territory(self, shares=(("departement", 0.80), ("region", 0.15), ("national", 0.05))):
        """A territory of a session, a sheet or an active space (by level, then by people)."""
        draw, level = self.rng.random(), shares[-1][0]
        for name, share in shares:
            if draw < share:
                level = name
                break
            draw -= share
        ids = self.by_level[level]
        if level == "departement":
            found = self.departement()
        else:
            weights = [self.pools[pk].total if pk in self.pools else 0.0 for pk in ids]
            cumulative = list(accumulate(weights))
            found = ids[bisect(cumulative, self.rng.random() * cumulative[-1])]
        # A small run may leave a département without anybody: its acts go to the nation.
        return found if found in self.pools else self.by_level["national"][0]

    def after(self, index: int, low: float | None = None) -> float:
        """A moment between `low` (the window's start by default) and now, after the
        person's arrival."""
        low = max(low or self.start, self.joined[index])
        return low + self.rng.random() * (self.now - low)


def members(world: World, count: int, change_count: int) -> dict[str, int]:
    rng = world.rng
    change_share = min(1.0, change_count / count)
    first_id = _next_id("people_user")
    password = make_password(None)
    national = world.by_level["national"][0]
    regions = world.by_level["region"]
    user_rows, territory_rows, period_rows = [], [], []
    closure_of: list[set[int]] = []
    changes = 0
    for index in range(count):
        pk = first_id + index
        first = rng.choice(FIRST_NAMES)
        initial = chr(65 + rng.randrange(26))
        name = f"{first} {initial}."
        # Most arrived before the year; some during it.
        if rng.random() < 0.85:
            joined = world.start - rng.uniform(10 * DAY, 1500 * DAY)
        else:
            joined = world.start + rng.uniform(0, 330 * DAY)
        draw = rng.random()
        if draw < 0.85:
            own = [world.departement()]
        elif draw < 0.92:  # two départements, in one région or two
            own = [world.departement(), world.departement()]
        elif draw < 0.98:
            own = [rng.choice(regions)]
        else:
            own = [national]
        own = sorted(set(own))
        closure = set()
        for territory_id in own:
            closure.update(world.ancestry(territory_id))
        operator = world.operator()
        # A few had their operator written some days after they arrived: acts before
        # the first period count for its operator.
        since = joined + (rng.uniform(1, 60) * DAY if rng.random() < 0.03 else 0.0)
        period_rows.append((pk, operator, _moment(since)))
        if rng.random() < change_share:
            changed_at = world.start + rng.uniform(30 * DAY, 350 * DAY)
            if changed_at > since:
                operator = None if rng.random() < 0.05 else world.operator()
                period_rows.append((pk, operator, _moment(changed_at)))
                changes += 1
        user_rows.append(
            (
                pk,
                password,
                None,
                False,
                False,
                True,
                _moment(joined),
                first,
                initial,
                f"membre-{index:06d}@{DOMAIN}",
                name,
                "Structure du banc",
                "Conseiller ou conseillère",
                "",
                operator,
                "",
            )
        )
        territory_rows.extend((pk, territory_id) for territory_id in own)
        world.user_ids.append(pk)
        world.joined.append(joined)
        world.names.append(name)
        world.activity.append(rng.lognormvariate(0, 1))
        closure_of.append(closure)
    _copy(
        "people_user",
        (
            "id", "password", "last_login", "is_superuser", "is_staff", "is_active",
            "date_joined", "first_name", "last_name", "email", "display_name",
            "structure_name", "job_title", "bio", "operator_id", "siret",
        ),
        user_rows,
    )  # fmt: skip
    _copy("people_user_territories", ("user_id", "territory_id"), territory_rows)
    _copy("people_operatorperiod", ("user_id", "operator_id", "since"), period_rows)
    members_of = defaultdict(list)
    for index, closure in enumerate(closure_of):
        for territory_id in closure:
            members_of[territory_id].append(index)
    world.pools = {pk: Pool(people, world.activity) for pk, people in members_of.items()}
    # Each person belongs to the spaces of their territories and of those above them.
    from community.models import Space

    space_of = dict(Space.objects.values_list("territory_id", "pk"))
    memberships = _copy(
        "community_membership",
        ("role", "joined_at", "user_id", "space_id"),
        (
            ("member", _moment(world.joined[index]), world.user_ids[index], space_of[pk])
            for pk, people in members_of.items()
            if pk in space_of
            for index in people
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE community_space SET member_count = counted.n FROM (SELECT space_id, "
            "COUNT(*) AS n FROM community_membership GROUP BY space_id) AS counted "
            "WHERE counted.space_id = community_space.id"
        )
    return {"membres": count, "changements d'opérateur": changes, "adhésions": memberships}


def _extra_courses(rng: random.Random) -> None:
    from academy.models import AcademyIndexPage, CoursePage

    index = AcademyIndexPage.objects.live().first()
    existing = set(CoursePage.objects.values_list("title", flat=True))
    for number, (title, tags) in enumerate(EXTRA_COURSES, start=1):
        if title in existing:
            continue
        course = CoursePage(
            title=title,
            slug=f"banc-formation-{number:02d}",
            summary="Une formation du banc du pilotage.",
            duration_minutes=rng.choice([60, 90, 120, 180]),
        )
        course.tags.add(*tags)
        index.add_child(instance=course)
        course.save_revision().publish()


def learning(world: World, enrolment_count: int) -> dict[str, int]:
    from academy.models import CoursePage

    rng = world.rng
    _extra_courses(rng)
    courses = list(CoursePage.objects.live().order_by("pk").values_list("pk", "title"))
    popularity = list(accumulate(rng.lognormvariate(0, 0.7) for _ in courses))
    everyone = Pool(list(range(len(world.user_ids))), world.activity)
    pairs: set[tuple[int, int]] = set()
    enrolments, certificates = [], []
    while len(pairs) < enrolment_count:
        index = everyone.pick(rng)
        course = bisect(popularity, rng.random() * popularity[-1])
        if (index, course) in pairs:
            continue
        pairs.add((index, course))
        user_id, (course_id, title) = world.user_ids[index], courses[course]
        enrolled = world.after(index)
        completed, active, left = None, True, None
        if rng.random() < 0.55:
            done = enrolled + 1800 + rng.expovariate(1 / (18 * DAY))
            completed = done if done < world.now else None
        elif rng.random() < 0.06:
            active, left = False, min(enrolled + rng.uniform(DAY, 30 * DAY), world.now)
        enrolments.append(
            (
                _moment(enrolled),
                active,
                _moment(left) if left else None,
                _moment(completed) if completed else None,
                course_id,
                user_id,
            )
        )
        if completed and rng.random() < 0.93:
            issued = completed + rng.uniform(1, 120)
            revoked = rng.random() < 0.01
            certificates.append(
                (
                    f"banc-{len(certificates):010d}",
                    world.names[index],
                    title,
                    _moment(completed),
                    _moment(issued),
                    _moment(issued + DAY) if revoked else None,
                    "Délivrée par erreur" if revoked else "",
                    user_id,
                    course_id,
                )
            )
    _copy(
        "academy_enrolment",
        ("enrolled_at", "active", "left_at", "completed_at", "course_id", "user_id"),
        enrolments,
    )
    _copy(
        "academy_certificate",
        (
            "code", "holder_name", "course_title", "completed_at", "issued_at", "revoked_at",
            "revoked_reason", "user_id", "course_id",
        ),
        certificates,
    )  # fmt: skip
    completed = sum(1 for row in enrolments if row[3] is not None)
    return {
        "inscriptions": len(enrolments),
        "parcours terminés": completed,
        "attestations": len(certificates),
    }


def sessions(world: World, session_count: int) -> dict[str, int]:
    from academy.models import CoursePage

    rng = world.rng
    courses = list(CoursePage.objects.live().order_by("pk").values_list("pk", flat=True))
    first_id = _next_id("academy_coursesession")
    session_rows, registrations = [], []
    for number in range(session_count):
        pk = first_id + number
        territory_id = world.territory()
        starts = world.start + rng.uniform(0, 390 * DAY)  # some are still to come
        capacity = rng.randint(10, 30)
        visio = rng.random() < 0.6
        session_rows.append(
            (
                pk,
                "",
                _moment(starts),
                _moment(starts + 3 * HOUR),
                "visio" if visio else "presentiel",
                "" if visio else f"Salle de formation, {world.territories[territory_id].name}",
                f"https://visio.example.fr/banc-{pk}" if visio else "",
                "Équipe de l'Académie",
                capacity,
                rng.random() < 0.05,
                rng.choice(courses),
                territory_id,
            )
        )
        people = world.pools[territory_id].distinct(rng, round(capacity * rng.uniform(0.5, 1.6)))
        asked = []
        for index in people:
            low = max(starts - 60 * DAY, world.joined[index])
            high = min(starts - HOUR, world.now)
            if low < high:
                asked.append((low + rng.random() * (high - low), index))
        asked.sort()
        seats = capacity
        for moment, index in asked:
            if rng.random() < 0.08:
                status, changed = "cancelled", min(moment + rng.uniform(HOUR, 10 * DAY), world.now)
            elif seats:
                status, changed, seats = "registered", moment, seats - 1
            else:
                status, changed = "waiting", moment
            registrations.append(
                (status, _moment(moment), _moment(changed), pk, world.user_ids[index])
            )
    _copy(
        "academy_coursesession",
        (
            "id", "title", "starts_at", "ends_at", "format", "place", "visio_url", "trainer",
            "capacity", "cancelled", "course_id", "territory_id",
        ),
        session_rows,
    )  # fmt: skip
    _copy(
        "academy_sessionregistration",
        ("status", "created_at", "status_changed_at", "session_id", "user_id"),
        registrations,
    )
    return {"sessions": len(session_rows), "inscriptions aux sessions": len(registrations)}


def _state(rng: random.Random, shares: tuple[float, float, float]) -> str:
    draw = rng.random()
    for state, share in zip(("pending", "hidden", "deleted"), shares, strict=True):
        if draw < share:
            return state
        draw -= share
    return "published"


def forums(world: World, topic_count: int, reply_count: int) -> dict[str, int]:
    from community.models import Forum, Space

    rng = world.rng
    spaces = {s.territory_id: s for s in Space.objects.all()}
    Forum.objects.bulk_create(
        [
            Forum(space=space, slug="entraide", name="Entraide", description="Questions.")
            for space in spaces.values()
            if not space.forums.exists()
        ]
    )
    forum_of = defaultdict(list)
    for pk, space_id in Forum.objects.values_list("pk", "space_id"):
        forum_of[space_id].append(pk)
    next_topic, next_post = _next_id("community_topic"), _next_id("community_post")
    topics, posts, reactions = [], [], []
    replies_per_topic = reply_count / topic_count
    accepted_count = 0
    for _ in range(topic_count):
        territory_id = world.territory(LEVEL_SHARES)
        pool = world.pools[territory_id]
        asker = pool.pick(rng)
        asker_id = None if rng.random() < 0.003 else world.user_ids[asker]
        topic_id, next_topic = next_topic, next_topic + 1
        asked = world.after(asker)
        opening_id, next_post = next_post, next_post + 1
        posts.append(
            (
                opening_id, 0, f"{QUESTIONS[topic_id % len(QUESTIONS)]} : comment faites-vous ?",
                "<p>Comment faites-vous ?</p>", _state(rng, (0.02, 0.01, 0.0)),
                _moment(asked), 0, asker_id, topic_id,
            )
        )  # fmt: skip
        replies = 0 if rng.random() < 0.18 else 1 + int(rng.expovariate(1 / (replies_per_topic)))
        moment, last_id, last_at, helpful = asked, opening_id, asked, []
        for position in range(1, min(replies, 30) + 1):
            moment += 600 + rng.expovariate(1 / (8 * HOUR))
            if moment > world.now:
                break
            answerer = asker if rng.random() < 0.08 else pool.pick(rng)
            answerer_id = None if rng.random() < 0.005 else world.user_ids[answerer]
            state = _state(rng, (0.02, 0.02, 0.02))
            post_id, next_post = next_post, next_post + 1
            voters = []
            if rng.random() < 0.45:
                wanted = 1 + min(int(rng.expovariate(1.0)), 7)
                voters = pool.distinct(rng, wanted, exclude=answerer)
            for voter in voters:
                voted = min(moment + rng.uniform(60, 3 * DAY), world.now)
                reactions.append((_moment(voted), post_id, world.user_ids[voter]))
            posts.append(
                (
                    post_id, position, ANSWERS[post_id % len(ANSWERS)],
                    f"<p>{ANSWERS[post_id % len(ANSWERS)]}</p>", state, _moment(moment),
                    len(voters), answerer_id, topic_id,
                )
            )  # fmt: skip
            last_id, last_at = post_id, moment
            if state == "published" and answerer_id and answerer != asker:
                helpful.append(post_id)
        accepted = None
        if helpful and asker_id and rng.random() < 0.35:
            accepted = rng.choice(helpful)
            accepted_count += 1
        topics.append(
            (
                topic_id, QUESTIONS[topic_id % len(QUESTIONS)], _moment(asked), False, False,
                last_id - opening_id, _moment(last_at), accepted, asker_id,
                rng.choice(forum_of[spaces[territory_id].pk]), last_id,
            )
        )  # fmt: skip
    _copy(
        "community_topic",
        (
            "id", "title", "created_at", "pinned", "locked", "reply_count", "last_post_at",
            "accepted_post_id", "author_id", "forum_id", "last_post_id",
        ),
        topics,
    )  # fmt: skip
    _copy(
        "community_post",
        (
            "id", "position", "body", "body_html", "state", "created_at", "useful_count",
            "author_id", "topic_id",
        ),
        posts,
    )  # fmt: skip
    _copy("community_reaction", ("created_at", "post_id", "user_id"), reactions)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE community_forum SET topic_count = c.topics, post_count = c.posts, "
            "last_post_at = c.last FROM (SELECT t.forum_id, COUNT(DISTINCT t.id) AS topics, "
            "COUNT(p.id) AS posts, MAX(p.created_at) AS last FROM community_topic t "
            "JOIN community_post p ON p.topic_id = t.id GROUP BY t.forum_id) AS c "
            "WHERE c.forum_id = community_forum.id"
        )
    return {
        "sujets": len(topics),
        "messages de forum": len(posts),
        "votes « Utile »": len(reactions),
        "réponses acceptées": accepted_count,
    }


def chat(world: World, message_count: int) -> dict[str, int]:
    from community.models import ChatRoom, Space

    rng = world.rng
    spaces = {s.territory_id: s for s in Space.objects.select_related("territory")}
    taken = set(ChatRoom.objects.values_list("slug", flat=True))
    ChatRoom.objects.bulk_create(
        [
            ChatRoom(
                space=space,
                slug=space.territory.slug if space.territory.slug not in taken else f"espace-{pk}",
            )
            for pk, space in spaces.items()
            if not ChatRoom.objects.filter(space=space).exists()
        ]
    )
    rooms = {r.space_id: r for r in ChatRoom.objects.filter(space__isnull=False)}
    by_room = defaultdict(list)
    for _ in range(message_count):
        territory_id = world.territory(LEVEL_SHARES)
        author = world.pools[territory_id].pick(rng)
        by_room[rooms[spaces[territory_id].pk].pk].append((world.after(author), author))
    counters = {}
    rows = []
    deleted = 0
    for room in rooms.values():
        messages = sorted(by_room.get(room.pk, ()))
        number, change = room.last_number, room.last_change
        for moment, author in messages:
            number += 1
            author_id = None if rng.random() < 0.005 else world.user_ids[author]
            gone, by, change_of = None, None, 0
            if author_id and rng.random() < 0.01:
                change += 1
                gone, by, change_of = (
                    min(moment + rng.uniform(60, HOUR), world.now),
                    author_id,
                    change,
                )
                deleted += 1
            line = CHAT_LINES[number % len(CHAT_LINES)]
            rows.append(
                (
                    number, f"banc-{number}", line, line, _moment(moment),
                    _moment(gone) if gone else None, author_id, by, room.pk, change_of,
                )
            )  # fmt: skip
        counters[room.pk] = (number, change)
    _copy(
        "community_chatmessage",
        (
            "number", "client_id", "body", "body_html", "created_at", "deleted_at",
            "author_id", "deleted_by_id", "room_id", "change",
        ),
        rows,
    )  # fmt: skip
    for pk, (number, change) in counters.items():
        ChatRoom.objects.filter(pk=pk).update(last_number=number, last_change=change)
    return {"messages de discussion": len(rows), "dont supprimés": deleted}


def sheets(world: World, count: int) -> dict[str, int]:
    from django.contrib.contenttypes.models import ContentType

    from community.models import PracticeSheetIndexPage, PracticeSheetPage

    rng = world.rng
    index = PracticeSheetIndexPage.objects.get()
    content_type = ContentType.objects.get_for_model(PracticeSheetPage).pk
    first_id = _next_id("wagtailcore_page")
    pages, specifics = [], []
    for number in range(count):
        pk = first_id + number
        territory_id = world.territory()
        owner = world.pools[territory_id].pick(rng)
        published = _moment(world.after(owner))
        live = rng.random() < 0.95
        slug = f"fiche-du-banc-{number:05d}"
        step = _base36(index.numchild + number + 1)
        title = f"Fiche pratique du banc n° {number + 1}"
        pages.append(
            (
                pk, index.path + step, index.depth + 1, 0, title, title, slug, live, not live,
                f"{index.url_path}{slug}/", "", False, "", False, content_type,
                world.user_ids[owner], False, published, published, published,
                uuid.UUID(int=rng.getrandbits(128), version=4), index.locale_id,
            )
        )  # fmt: skip
        specifics.append(
            (pk, "Une pratique.", "<p>Le contexte.</p>", "Tous publics", "[]", "", "", "[]",
             territory_id)
        )  # fmt: skip
    _copy(
        "wagtailcore_page",
        (
            "id", "path", "depth", "numchild", "title", "draft_title", "slug", "live",
            "has_unpublished_changes", "url_path", "seo_title", "show_in_menus",
            "search_description", "expired", "content_type_id", "owner_id", "locked",
            "first_published_at", "last_published_at", "latest_revision_created_at",
            "translation_key", "locale_id",
        ),
        pages,
    )  # fmt: skip
    _copy(
        "community_practicesheetpage",
        (
            "page_ptr_id", "summary", "context", "target_public", "steps", "results",
            "contact", "attachments", "territory_id",
        ),
        specifics,
    )  # fmt: skip
    PracticeSheetIndexPage.objects.filter(pk=index.pk).update(numchild=index.numchild + count)
    return {"fiches pratiques": count}


def _base36(number: int) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    digits = ""
    for _ in range(4):  # treebeard's steplen
        number, digit = divmod(number, 36)
        digits = alphabet[digit] + digits
    return digits


def _reset_sequences() -> None:
    tables = [
        "people_user", "people_user_territories", "people_operatorperiod",
        "community_membership", "academy_enrolment", "academy_certificate",
        "academy_coursesession", "academy_sessionregistration", "community_forum",
        "community_topic", "community_post", "community_reaction", "community_chatroom",
        "community_chatmessage", "wagtailcore_page",
    ]  # fmt: skip
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        cursor.execute("ANALYZE")


def generate(*, members_count: int, events: int, seed: int = 2026, log=print) -> dict[str, int]:
    """Writes the members and `events` raw events over the 365 days ending now (the
    aggregation's window is the 12 calendar months ending with the current one). An
    event is a row the indicators read (an enrolment, a certificate, a session, a
    registration, a topic, a post, a vote, a sheet, a chat message, an operator
    change) or a moment written on one (a completion, an accepted answer); chat
    messages make up what the shares leave. Returns the counts by kind."""
    rng = random.Random(seed)
    world = World(rng, timezone.now())
    counts: dict[str, int] = {}

    def step(label, function, *args):
        started = time.perf_counter()
        with transaction.atomic():
            written = function(world, *args)
        counts.update(written)
        detail = ", ".join(f"{k} {v:,}".replace(",", "\u202f") for k, v in written.items())
        log(f"  {label:<22} {time.perf_counter() - started:6.1f} s  ({detail})")

    scale = events / 2_000_000
    step("membres", members, members_count, round(SHARES["operator_changes"] * events))
    step("Académie", learning, round(SHARES["enrolments"] * events))
    step("sessions", sessions, round(SHARES["sessions"] * events))
    topics = round(SHARES["topics"] * events)
    step("forums", forums, topics, round(SHARES["posts"] * events) - topics)
    step("fiches", sheets, max(20, round(2_000 * scale)))
    written = (
        counts["changements d'opérateur"]
        + counts["inscriptions"]
        + counts["parcours terminés"]
        + counts["attestations"]
        + counts["sessions"]
        + counts["inscriptions aux sessions"]
        + counts["sujets"]
        + counts["messages de forum"]
        + counts["votes « Utile »"]
        + counts["réponses acceptées"]
        + counts["fiches pratiques"]
    )
    step("discussion", chat, max(0, events - written))
    counts["événements"] = written + counts["messages de discussion"]
    _reset_sequences()
    return counts
