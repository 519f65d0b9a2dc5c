"""The aggregation's two-step fold (pilotage/aggregation.py) gives what adding every
fact to every cell gives: a generated year of activity, recomputed fact by fact with
the fold as it was first written, then the statistical secret, compared cell by cell
with what a run wrote (by COPY on PostgreSQL, by bulk_create on SQLite)."""

import random
import statistics
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from academy.models import Certificate, SessionRegistration
from community.models import ChatMessage, Post, PracticeSheetPage, Topic
from community.sheets.services import sheet_index_ensure
from pilotage.aggregation import add_months, month_start, run_aggregation
from pilotage.disclosure import suppress
from pilotage.indicators import INDICATORS, Context
from pilotage.models import Aggregate
from pilotage.policy import TerritoryTree
from portal.people.models import OperatorPeriod
from tests.academy.factories import academy_index, course, course_session
from tests.factories import UserFactory, operator, territory
from tests.pilotage.builders import at, chat, enrol, question, register

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 20)
START = at(2025, 10, 1)  # two months before the window: some acts count nowhere
# Most people in the Nord, so that some cells pass the threshold and others do not;
# two départements of one région, of two régions, a région, the nation, nowhere.
TERRITORY_SETS = [
    ["nord"], ["nord"], ["nord"], ["nord"], ["somme"], ["pas-de-calais"], ["aisne"],
    ["nord", "somme"], ["nord", "gironde"], ["hauts-de-france"], ["national"], ["gironde"], [],
]  # fmt: skip
OPERATORS = ["france-travail", "france-travail", "mission-locale", "conseil-departemental",
             "cap-emploi", None]  # fmt: skip
SPACES = ["nord", "nord", "nord", "somme", "hauts-de-france", "national", "gironde"]


def moment(rng: random.Random, after: datetime = START) -> datetime:
    span = (NOW + timedelta(days=5) - after).total_seconds()
    return after + timedelta(seconds=rng.uniform(0, span))


def generated_year(site_root, seed: int) -> None:
    """About 70 people and 1,500 acts of every kind the indicators read, with the cases
    at their edges: changes of operator (to none, too), acts before a first period,
    self-answers, hidden and deleted posts, deleted accounts, revoked certificates,
    cancelled sessions, waiting lists, deleted chat messages, courses of no theme."""
    rng = random.Random(seed)
    operators = {slug: operator(slug) for slug in OPERATORS if slug}
    people = []
    for _ in range(70):
        slug = rng.choice(OPERATORS)
        person = UserFactory(
            operator=operators[slug] if slug else None,
            territories=[territory(t) for t in rng.choice(TERRITORY_SETS)],
        )
        first = START - timedelta(days=30)
        if rng.random() < 0.1:  # the operator written after some acts
            first = moment(rng)
        OperatorPeriod.objects.filter(user=person).update(since=first)
        if rng.random() < 0.3:
            changed = moment(rng, first)
            new = rng.choice(OPERATORS)
            OperatorPeriod.objects.create(
                user=person, operator=operators[new] if new else None, since=changed
            )
            if rng.random() < 0.3:  # and back again
                OperatorPeriod.objects.create(
                    user=person, operator=person.operator, since=moment(rng, changed)
                )
        people.append(person)

    index = academy_index(site_root)
    courses = [
        course(index, title="RSA", tags=["rsa", "accompagnement"]),
        course(index, title="Contrat", tags=["rsa"]),
        course(index, title="Recrutement", tags=["recrutement", "entreprises", "mrs"]),
        course(index, title="Sans thème"),
    ]
    for person in people:
        for taken in rng.sample(courses, k=rng.randint(0, 4)):
            enrolled = moment(rng)
            completed = None
            if rng.random() < 0.6:
                completed = enrolled + timedelta(hours=rng.uniform(1, 900))
            enrol(person, taken, enrolled, completed=completed, certificate=bool(completed))
    revoked = list(Certificate.objects.order_by("pk").values_list("pk", flat=True))[::7]
    Certificate.objects.filter(pk__in=revoked).update(revoked_at=NOW, revoked_reason="Erreur")

    for number in range(8):
        session = course_session(
            rng.choice(courses),
            capacity=rng.randint(2, 6),
            territory_slug=rng.choice(["nord", "somme", "hauts-de-france", "national"]),
            cancelled=number == 0,
        )
        starts = moment(rng)
        session.starts_at, session.ends_at = starts, starts + timedelta(hours=3)
        session.save()
        for person in rng.sample(people, k=rng.randint(0, 9)):
            status = rng.choice(list(SessionRegistration.Status))
            registration = register(session, person, status=status)
            SessionRegistration.objects.filter(pk=registration.pk).update(
                status_changed_at=moment(rng)
            )

    for _ in range(60):
        asker = rng.choice(people)
        asked = moment(rng)
        answers, when = [], asked
        for _ in range(rng.choice([0, 0, 1, 2, 3, 5])):
            when += timedelta(hours=rng.uniform(0.2, 40))
            answerer = asker if rng.random() < 0.15 else rng.choice(people)
            answers.append((answerer, when, rng.choice([0, 0, 1, 3])))
        topic = question(rng.choice(SPACES), asker, asked, answers=answers)
        replies = list(topic.posts.filter(position__gt=0))
        for post in replies:
            draw = rng.random()
            if draw < 0.1:
                Post.objects.filter(pk=post.pk).update(state=rng.choice(list(Post.State)))
            elif draw < 0.13:
                Post.objects.filter(pk=post.pk).update(author=None)
        if replies and rng.random() < 0.4:
            Topic.objects.filter(pk=topic.pk).update(accepted_post=rng.choice(replies))
        if rng.random() < 0.05:
            topic.posts.filter(position=0).update(state=Post.State.PENDING)
        if rng.random() < 0.03:
            Topic.objects.filter(pk=topic.pk).update(author=None)

    for _ in range(250):
        message = chat(rng.choice(SPACES), rng.choice(people), moment(rng))
        if rng.random() < 0.05:
            ChatMessage.objects.filter(pk=message.pk).update(deleted_at=NOW)
        elif rng.random() < 0.03:
            ChatMessage.objects.filter(pk=message.pk).update(author=None)

    sheets = sheet_index_ensure()
    for number in range(6):
        owner = rng.choice(people)
        sheet = PracticeSheetPage(
            title=f"Fiche {number}",
            slug=f"fiche-generee-{number}",
            owner=owner,
            territory=territory(rng.choice(["nord", "somme", "hauts-de-france"])),
            summary="Une pratique.",
            context="<p>Contexte.</p>",
            target_public="Tous publics",
            steps=[("step", {"title": "Étape", "detail": "<p>Détail.</p>"})],
        )
        sheets.add_child(instance=sheet)
        sheet.save_revision(user=owner).publish()
        PracticeSheetPage.objects.filter(pk=sheet.pk).update(first_published_at=moment(rng))


class StraightforwardContext(Context):
    """The operator at a moment, read off the person's periods one by one."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.periods = defaultdict(list)
        for period in OperatorPeriod.objects.order_by("since", "pk"):
            self.periods[period.user_id].append(period)

    def operator_at(self, user_id, at):
        periods = self.periods.get(user_id)
        if not periods:
            return None
        begun = [period for period in periods if period.since <= at]
        return (begun[-1] if begun else periods[0]).operator_id


class NaiveCell:
    def __init__(self):
        self.people, self.count, self.numerator, self.denominator = set(), 0, 0.0, 0.0
        self.durations = []

    def add(self, fact):
        if fact.user_id is not None:
            self.people.add(fact.user_id)
        self.count += 1
        self.numerator += fact.numerator
        self.denominator += fact.denominator
        if fact.duration is not None:
            self.durations.append(fact.duration)

    def value(self, kind):
        if kind == "people":
            return float(len(self.people))
        if kind == "count":
            return float(self.count)
        if kind == "share":
            return self.numerator / self.denominator if self.denominator else None
        return statistics.median(self.durations) if self.durations else None


def recomputed(now) -> dict:
    """Every cell, fact by fact into every cell it reaches, then the secret."""
    tz = timezone.get_current_timezone()
    last_month = month_start(timezone.localtime(now, tz).date())
    first_month = add_months(last_month, -11)
    tree = TerritoryTree.load()
    context = StraightforwardContext(
        tree=tree,
        since=timezone.make_aware(datetime.combine(first_month, time.min), tz),
        until=timezone.make_aware(datetime.combine(add_months(last_month, 1), time.min), tz),
    )
    parent_of = {pk: t.parent_id for pk, t in tree.by_id.items()}
    found = {}
    for indicator in INDICATORS:
        months = defaultdict(lambda: defaultdict(NaiveCell))
        window = defaultdict(NaiveCell)
        for fact in indicator.facts(context):
            month = month_start(timezone.localtime(fact.at, tz).date())
            if month < first_month:
                continue
            for territory_id in fact.territories:
                keys = [(territory_id, None, "")]
                if indicator.by_operator and fact.operator_id is not None:
                    keys.append((territory_id, fact.operator_id, ""))
                if indicator.by_theme:
                    keys += [(territory_id, None, theme) for theme in fact.themes]
                for key in keys:
                    months[month][key].add(fact)
                    window[key].add(fact)
        periods = [(first_month, 12, window)] + [(m, 1, cells) for m, cells in months.items()]
        rows = [
            Aggregate(
                indicator=indicator.key,
                territory_id=territory_id,
                operator_id=operator_id,
                theme=theme,
                period_start=start,
                months=count,
                value=cell.value(indicator.kind),
                people=len(cell.people),
            )
            for start, count, cells in periods
            for (territory_id, operator_id, theme), cell in cells.items()
        ]
        suppress(rows, parent_of=parent_of, additive_months=indicator.kind == "count")
        found.update({_key(row): (row.value, row.people, row.hidden) for row in rows})
    return found


def _key(row) -> tuple:
    return (
        row.indicator,
        row.territory_id,
        row.operator_id,
        row.theme,
        row.period_start,
        row.months,
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_the_run_writes_what_a_fact_by_fact_recomputation_finds(site_root, seed):
    generated_year(site_root, seed)
    run = run_aggregation(now=NOW)

    written = {_key(row): (row.value, row.people, row.hidden) for row in run.aggregates.all()}
    assert run.rows == len(written)
    assert written == recomputed(NOW)
    # The year reaches every indicator, and the secret both hides and shows.
    assert {key[0] for key in written} == {indicator.key for indicator in INDICATORS}
    hidden = sum(1 for _, _, is_hidden in written.values() if is_hidden)
    assert 0 < hidden < len(written)
