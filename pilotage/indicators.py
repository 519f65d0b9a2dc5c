"""The shared indicators: each defined once, here, with the formula that
docs/indicateurs.md publishes.

An indicator is a stream of facts, in time order, read from the portal's own tables;
pilotage/aggregation.py folds them into cells (territory × operator × theme × period).
A fact says when it happened, whose act it is (for the count of distinct people), for
which operator it counts (the operator its author had at that moment:
portal.people.models.OperatorPeriod), in which territories (the territory and all its
ancestors), for which course themes, and what it adds: a count, a share's numerator
and denominator, or a duration for a median.

Attribution to territories:
- a learner's acts count in each of their territories (and, once, in every territory
  above them): a person of two départements of one région counts once in the région;
- a session counts in its territory; a forum post, a chat message, a practice sheet
  in the territory of its space (or sheet).
"""

import bisect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, F, Min, OuterRef, Q

DAY = 86_400
HOUR = 3_600


# Not frozen: a national run makes millions of them, and a frozen dataclass costs three
# times as much to build. Nothing changes a fact once made.
@dataclass(slots=True)
class Fact:
    at: datetime
    user_id: int | None  # None: a fact of nobody (a session's seats)
    operator_id: int | None
    territories: tuple[int, ...]
    themes: tuple[str, ...] = ()
    numerator: float = 1.0
    denominator: float = 0.0
    duration: float | None = None


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    domain: str  # "academie" or "communaute"
    kind: str  # "people", "count", "share" or "median"
    unit: str  # what the value is: personnes, nombre, part, jours, heures
    formula: str
    facts: Callable[["Context"], Iterator[Fact]]
    by_operator: bool = True
    by_theme: bool = False

    @property
    def is_share(self) -> bool:
        return self.kind == "share"


class Context:
    """What every indicator needs to place a fact: territory ancestors, each person's
    territories and operator periods, each course's themes. Loaded once per run."""

    def __init__(self, *, tree, since: datetime, until: datetime):
        from academy.models import CourseTag
        from community.models import Space
        from portal.people.models import OperatorPeriod, User

        self.since, self.until = since, until
        self._shared: dict[str, list] = {}
        self._ancestry = {pk: tuple(tree.with_ancestors(pk)) for pk in tree.by_id}

        user_territories: dict[int, set[int]] = {}
        through = User.territories.through.objects.values_list("user_id", "territory_id")
        for user_id, territory_id in through.iterator(chunk_size=10_000):
            user_territories.setdefault(user_id, set()).update(self._ancestry[territory_id])
        self._user_territories = {u: tuple(sorted(t)) for u, t in user_territories.items()}

        self._periods: dict[int, tuple[list[datetime], list[int | None]]] = {}
        periods = OperatorPeriod.objects.order_by("user_id", "since", "pk").values_list(
            "user_id", "since", "operator_id"
        )
        for user_id, since_at, operator_id in periods.iterator(chunk_size=10_000):
            starts, operators = self._periods.setdefault(user_id, ([], []))
            starts.append(since_at)
            operators.append(operator_id)

        self._space_territories = dict(Space.objects.values_list("pk", "territory_id"))
        self._course_themes: dict[int, tuple[str, ...]] = {}
        for course_id, slug in CourseTag.objects.values_list("content_object_id", "tag__slug"):
            self._course_themes[course_id] = (*self._course_themes.get(course_id, ()), slug)

    def territories_of_user(self, user_id: int) -> tuple[int, ...]:
        return self._user_territories.get(user_id, ())

    def territories_of(self, territory_id: int | None) -> tuple[int, ...]:
        return self._ancestry.get(territory_id, ()) if territory_id else ()

    def territories_of_space(self, space_id: int | None) -> tuple[int, ...]:
        return self.territories_of(self._space_territories.get(space_id))

    def themes_of(self, course_id: int) -> tuple[str, ...]:
        return self._course_themes.get(course_id, ())

    def operator_at(self, user_id: int | None, at: datetime) -> int | None:
        """The operator `user_id` had at `at`: that of their last period begun by then,
        or of their first one for an act before it."""
        periods = self._periods.get(user_id) if user_id is not None else None
        if periods is None:
            return None
        starts, operators = periods
        if len(operators) == 1:  # most people: one operator since they arrived
            return operators[0]
        index = bisect.bisect_right(starts, at) - 1
        return operators[max(index, 0)]

    def once(self, key: str, rows: Callable[[], Iterator]) -> list:
        """Rows that several indicators read (the enrolments started in the window, the
        questions asked in it), fetched once per run."""
        if key not in self._shared:
            self._shared[key] = list(rows())
        return self._shared[key]

    def window(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.since, f"{field}__lt": self.until})


# --- Académie ----------------------------------------------------------------------------


def _enrolments(ctx: Context, field: str):
    """Enrolments whose `field` falls in the window, in that order (two indicators each):
    (that moment, user_id, course_id, the other moment: completed_at for `enrolled_at`,
    enrolled_at for `completed_at`)."""
    from academy.models import Enrolment

    other = "completed_at" if field == "enrolled_at" else "enrolled_at"
    return ctx.once(
        f"enrolments:{field}",
        lambda: (
            Enrolment.objects.filter(ctx.window(field))
            .order_by(field, "pk")
            .values_list(field, "user_id", "course_id", other)
            .iterator(chunk_size=5_000)
        ),
    )


def _learner_fact(ctx, at, user_id, course_id, **values) -> Fact:
    return Fact(
        at=at,
        user_id=user_id,
        operator_id=ctx.operator_at(user_id, at),
        territories=ctx.territories_of_user(user_id),
        themes=ctx.themes_of(course_id),
        **values,
    )


def enrolled_facts(ctx: Context) -> Iterator[Fact]:
    for at, user_id, course_id, _ in _enrolments(ctx, "enrolled_at"):
        yield _learner_fact(ctx, at, user_id, course_id)


def completion_facts(ctx: Context) -> Iterator[Fact]:
    for at, user_id, course_id, _ in _enrolments(ctx, "completed_at"):
        yield _learner_fact(ctx, at, user_id, course_id)


def completion_rate_facts(ctx: Context) -> Iterator[Fact]:
    for at, user_id, course_id, completed_at in _enrolments(ctx, "enrolled_at"):
        done = 1.0 if completed_at is not None else 0.0
        yield _learner_fact(ctx, at, user_id, course_id, numerator=done, denominator=1.0)


def completion_time_facts(ctx: Context) -> Iterator[Fact]:
    for at, user_id, course_id, enrolled_at in _enrolments(ctx, "completed_at"):
        days = (at - enrolled_at).total_seconds() / DAY
        yield _learner_fact(ctx, at, user_id, course_id, duration=days)


def certificate_facts(ctx: Context) -> Iterator[Fact]:
    from academy.models import Certificate

    certificates = (
        Certificate.objects.filter(ctx.window("issued_at"), revoked_at__isnull=True)
        .order_by("issued_at", "pk")
        .values_list("issued_at", "user_id", "course_id")
    )
    for at, user_id, course_id in certificates.iterator(chunk_size=5_000):
        yield _learner_fact(ctx, at, user_id, course_id)


def _sessions(ctx: Context):
    from academy.models import CourseSession

    return CourseSession.objects.filter(ctx.window("starts_at"), cancelled=False)


def session_fill_facts(ctx: Context) -> Iterator[Fact]:
    """Each session's seats (denominator), then each confirmed registration (numerator),
    at the session's start."""
    from academy.models import SessionRegistration

    seats = _sessions(ctx).values_list("starts_at", "territory_id", "capacity", "pk")
    registrations = (
        SessionRegistration.objects.filter(
            session__in=_sessions(ctx), status=SessionRegistration.Status.REGISTERED
        )
        .order_by("session__starts_at", "pk")
        .values_list("session__starts_at", "session__territory_id", "user_id")
    )
    facts = [
        Fact(at, None, None, ctx.territories_of(territory_id), numerator=0.0, denominator=capacity)
        for at, territory_id, capacity, _ in seats
    ]
    facts += [
        Fact(at, user_id, None, ctx.territories_of(territory_id), numerator=1.0, denominator=0.0)
        for at, territory_id, user_id in registrations.iterator(chunk_size=5_000)
    ]
    facts.sort(key=lambda fact: fact.at)
    yield from facts


def waiting_list_facts(ctx: Context) -> Iterator[Fact]:
    from academy.models import SessionRegistration

    waiting = (
        SessionRegistration.objects.filter(
            session__in=_sessions(ctx), status=SessionRegistration.Status.WAITING
        )
        .order_by("session__starts_at", "pk")
        .values_list("session__starts_at", "session__territory_id", "user_id", "status_changed_at")
    )
    for at, territory_id, user_id, since in waiting.iterator(chunk_size=5_000):
        yield Fact(at, user_id, ctx.operator_at(user_id, since), ctx.territories_of(territory_id))


# --- Communauté --------------------------------------------------------------------------


def _published_posts(ctx: Context):
    from community.models import Post

    return Post.objects.filter(
        ctx.window("created_at"), state=Post.State.PUBLISHED, author__isnull=False
    )


def _space_fact(ctx, at, user_id, space_id, **values) -> Fact:
    return Fact(
        at, user_id, ctx.operator_at(user_id, at), ctx.territories_of_space(space_id), **values
    )


def active_member_facts(ctx: Context) -> Iterator[Fact]:
    """Every published post and every chat message, merged in time order."""
    import heapq

    from community.models import ChatMessage

    posts = (
        _published_posts(ctx)
        .order_by("created_at", "pk")
        .values_list("created_at", "author_id", "topic__forum__space_id")
        .iterator(chunk_size=5_000)
    )
    messages = (
        ChatMessage.objects.filter(
            ctx.window("created_at"), deleted_at__isnull=True, author__isnull=False
        )
        .order_by("created_at", "pk")
        .values_list("created_at", "author_id", "room__space_id")
        .iterator(chunk_size=5_000)
    )
    for at, user_id, space_id in heapq.merge(posts, messages, key=lambda row: row[0]):
        yield _space_fact(ctx, at, user_id, space_id)


def _questions(ctx: Context):
    """Topics opened in the period (their opening post published), with the time of
    their first published answer by someone else than the asker (three indicators)."""
    from community.models import Post, Topic

    answers = Q(
        posts__position__gt=0, posts__state=Post.State.PUBLISHED, posts__author__isnull=False
    ) & ~Q(posts__author=F("author"))
    opened = Post.objects.filter(topic=OuterRef("pk"), position=0, state=Post.State.PUBLISHED)
    # The opening post is asked by Exists: a filter on `posts` would also narrow the
    # posts that the annotation reads (Django reuses the join).
    return ctx.once(
        "questions",
        lambda: (
            Topic.objects.filter(ctx.window("created_at"), Exists(opened), author__isnull=False)
            .annotate(first_answer_at=Min("posts__created_at", filter=answers))
            .order_by("created_at", "pk")
            .values_list("created_at", "author_id", "forum__space_id", "first_answer_at")
            .iterator(chunk_size=5_000)
        ),
    )


def question_facts(ctx: Context) -> Iterator[Fact]:
    for at, user_id, space_id, _ in _questions(ctx):
        yield _space_fact(ctx, at, user_id, space_id)


def answered_facts(ctx: Context) -> Iterator[Fact]:
    for at, user_id, space_id, answered_at in _questions(ctx):
        hit = 1.0 if answered_at is not None else 0.0
        yield _space_fact(ctx, at, user_id, space_id, numerator=hit, denominator=1.0)


def first_answer_time_facts(ctx: Context) -> Iterator[Fact]:
    for at, user_id, space_id, answered_at in _questions(ctx):
        if answered_at is not None:
            hours = (answered_at - at).total_seconds() / HOUR
            yield _space_fact(ctx, at, user_id, space_id, duration=hours)


def cross_operator_facts(ctx: Context) -> Iterator[Fact]:
    """Answers that helped (accepted, or found "utile" at least once), given by someone
    else than the asker; numerator: the answerer's operator (then) is not the asker's
    (when they asked). The fact counts for the asker's operator; its person is the
    answerer. Answers of a person without operator, or to one, count in neither."""
    helpful = (
        _published_posts(ctx)
        .filter(position__gt=0, topic__author__isnull=False)
        .exclude(author=F("topic__author"))
        .filter(Q(useful_count__gt=0) | Q(topic__accepted_post=F("pk")))
        .order_by("created_at", "pk")
        .values_list(
            "created_at",
            "author_id",
            "topic__author_id",
            "topic__created_at",
            "topic__forum__space_id",
        )
    )
    for at, answerer_id, asker_id, asked_at, space_id in helpful.iterator(chunk_size=5_000):
        answerer_operator = ctx.operator_at(answerer_id, at)
        asker_operator = ctx.operator_at(asker_id, asked_at)
        if answerer_operator is None or asker_operator is None:
            continue
        yield Fact(
            at,
            answerer_id,
            asker_operator,
            ctx.territories_of_space(space_id),
            numerator=1.0 if answerer_operator != asker_operator else 0.0,
            denominator=1.0,
        )


def sheet_facts(ctx: Context) -> Iterator[Fact]:
    from community.models import PracticeSheetPage

    sheets = (
        PracticeSheetPage.objects.live()
        .filter(ctx.window("first_published_at"))
        .order_by("first_published_at", "pk")
        .values_list("first_published_at", "owner_id", "territory_id")
    )
    for at, user_id, territory_id in sheets.iterator(chunk_size=5_000):
        yield Fact(at, user_id, ctx.operator_at(user_id, at), ctx.territories_of(territory_id))


def chat_message_facts(ctx: Context) -> Iterator[Fact]:
    from community.models import ChatMessage

    messages = (
        ChatMessage.objects.filter(
            ctx.window("created_at"), deleted_at__isnull=True, author__isnull=False
        )
        .order_by("created_at", "pk")
        .values_list("created_at", "author_id", "room__space_id")
    )
    for at, user_id, space_id in messages.iterator(chunk_size=5_000):
        yield _space_fact(ctx, at, user_id, space_id)


INDICATORS: list[Indicator] = [
    Indicator(
        "inscrits",
        "Professionnels inscrits à une formation",
        "academie",
        "people",
        "personnes",
        "Nombre de personnes distinctes qui se sont inscrites à au moins une formation "
        "pendant la période.",
        enrolled_facts,
        by_theme=True,
    ),
    Indicator(
        "parcours_termines",
        "Parcours terminés",
        "academie",
        "count",
        "nombre",
        "Nombre d'inscriptions dont la dernière leçon obligatoire a été terminée pendant la "
        "période.",
        completion_facts,
        by_theme=True,
    ),
    Indicator(
        "taux_achevement",
        "Taux d'achèvement",
        "academie",
        "share",
        "part",
        "Parmi les inscriptions commencées pendant la période, part de celles qui sont "
        "terminées au jour du calcul.",
        completion_rate_facts,
        by_theme=True,
    ),
    Indicator(
        "duree_mediane_parcours",
        "Durée médiane d'un parcours",
        "academie",
        "median",
        "jours",
        "Médiane, en jours, du temps entre l'inscription et la fin du parcours, pour les "
        "parcours terminés pendant la période.",
        completion_time_facts,
        by_theme=True,
    ),
    Indicator(
        "attestations",
        "Attestations délivrées",
        "academie",
        "count",
        "nombre",
        "Nombre d'attestations délivrées pendant la période et non révoquées.",
        certificate_facts,
        by_theme=True,
    ),
    Indicator(
        "taux_remplissage_sessions",
        "Taux de remplissage des sessions",
        "academie",
        "share",
        "part",
        "Pour les sessions non annulées qui commencent pendant la période, dans le "
        "territoire de la session : inscriptions confirmées divisées par les places "
        "offertes. Tous opérateurs seulement (les places ne sont pas celles d'un opérateur).",
        session_fill_facts,
        by_operator=False,
    ),
    Indicator(
        "liste_attente",
        "Personnes en liste d'attente",
        "academie",
        "people",
        "personnes",
        "Nombre de personnes distinctes en liste d'attente d'une session non annulée qui "
        "commence pendant la période, dans le territoire de la session.",
        waiting_list_facts,
    ),
    Indicator(
        "membres_actifs",
        "Membres actifs",
        "communaute",
        "people",
        "personnes",
        "Nombre de personnes distinctes qui ont publié un message dans un forum ou écrit "
        "dans un salon de discussion d'un espace du territoire pendant la période.",
        active_member_facts,
    ),
    Indicator(
        "questions",
        "Questions posées",
        "communaute",
        "count",
        "nombre",
        "Nombre de sujets ouverts pendant la période (message d'ouverture publié).",
        question_facts,
    ),
    Indicator(
        "part_questions_repondues",
        "Part des questions qui ont reçu une réponse",
        "communaute",
        "share",
        "part",
        "Parmi les sujets ouverts pendant la période, part de ceux qui ont reçu au moins une "
        "réponse publiée d'une autre personne que l'auteur, au jour du calcul.",
        answered_facts,
    ),
    Indicator(
        "delai_median_premiere_reponse",
        "Délai médian de première réponse",
        "communaute",
        "median",
        "heures",
        "Médiane, en heures, du temps entre l'ouverture d'un sujet et sa première réponse "
        "publiée d'une autre personne, pour les sujets ouverts pendant la période qui en ont "
        "reçu une.",
        first_answer_time_facts,
    ),
    Indicator(
        "reponses_inter_operateurs",
        "Réponses utiles venues d'un autre opérateur",
        "communaute",
        "share",
        "part",
        "Parmi les réponses utiles (acceptées, ou marquées « Utile » au moins une fois) "
        "publiées pendant la période par une autre personne que l'auteur de la question, "
        "part de celles dont l'auteur travaillait pour un autre opérateur que celui de la "
        "personne qui demandait. Par opérateur : celui de la personne qui demandait.",
        cross_operator_facts,
    ),
    Indicator(
        "fiches_publiees",
        "Fiches pratiques publiées",
        "communaute",
        "count",
        "nombre",
        "Nombre de fiches pratiques publiées pour la première fois pendant la période et "
        "toujours en ligne, dans le territoire de la fiche.",
        sheet_facts,
    ),
    Indicator(
        "messages_chat",
        "Messages de discussion",
        "communaute",
        "count",
        "nombre",
        "Nombre de messages écrits dans les salons de discussion des espaces du territoire "
        "pendant la période (hors messages supprimés).",
        chat_message_facts,
    ),
]

BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
