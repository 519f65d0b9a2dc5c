"""Each indicator's formula on hand-built activity (pilotage/indicators.py), through
the real aggregation run (pilotage/aggregation.py)."""

from datetime import timedelta

import pytest
from django.db.models import Q

from academy.models import SessionRegistration
from pilotage.aggregation import run_aggregation
from pilotage.models import Aggregate, AggregationRun
from tests.academy.factories import academy_index, course, course_session
from tests.factories import UserFactory, operator, territory
from tests.pilotage.builders import at, chat, enrol, question, register

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 20)


@pytest.fixture
def index(site_root):
    return academy_index(site_root)


def cell(indicator, slug, *, month=None, operator_slug=None, theme=""):
    """(value, people) of one cell of the latest run; month: (year, month), or the 12
    months when None."""
    query = Q(indicator=indicator, territory__slug=slug, theme=theme)
    query &= Q(operator__slug=operator_slug) if operator_slug else Q(operator__isnull=True)
    if month:
        query &= Q(months=1, period_start=at(*month, day=1).date())
    else:
        query &= Q(months=12)
    found = Aggregate.objects.filter(query, run__status="done").first()
    return (found.value, found.people) if found else None


def test_a_run_without_any_activity_is_done_and_has_no_cell():
    run = run_aggregation(now=NOW)
    assert run.status == AggregationRun.Status.DONE
    assert run.last_month.isoformat() == "2026-11-01"
    assert not Aggregate.objects.exists()


def test_enrolled_people_count_once_per_territory_and_once_above_two_of_them(index):
    rsa, numeric = course(index, title="RSA"), course(index, title="Numérique")
    camille = UserFactory(territories=[territory("nord"), territory("somme")])
    enrol(camille, rsa, at(2026, 10, 3))
    enrol(camille, numeric, at(2026, 10, 25))
    run_aggregation(now=NOW)

    assert cell("inscrits", "nord", month=(2026, 10)) == (1.0, 1)
    assert cell("inscrits", "somme", month=(2026, 10)) == (1.0, 1)
    # Two départements of one région, two courses: one person in the région and above.
    assert cell("inscrits", "hauts-de-france", month=(2026, 10)) == (1.0, 1)
    assert cell("inscrits", "national") == (1.0, 1)
    assert cell("inscrits", "nord", operator_slug="france-travail") == (1.0, 1)
    assert cell("inscrits", "aisne") is None


def test_completions_rate_median_time_and_certificates(index):
    rsa = course(index, title="RSA", tags=["rsa"])
    people = [UserFactory() for _ in range(4)]
    for days, person in zip((2, 4, 9), people, strict=False):
        enrolled = at(2026, 9, 1)
        enrol(person, rsa, enrolled, completed=enrolled + timedelta(days=days), certificate=True)
    enrol(people[3], rsa, at(2026, 9, 2))  # not finished
    run_aggregation(now=NOW)

    assert cell("taux_achevement", "nord", month=(2026, 9)) == (0.75, 4)
    assert cell("parcours_termines", "nord", month=(2026, 9)) == (3.0, 3)
    assert cell("duree_mediane_parcours", "nord", month=(2026, 9)) == (4.0, 3)
    assert cell("attestations", "nord") == (3.0, 3)
    # By theme (all operators).
    assert cell("taux_achevement", "nord", theme="rsa") == (0.75, 4)


def test_acts_count_for_the_operator_their_author_had_then(index, settings):
    rsa, numeric = course(index, title="RSA"), course(index, title="Numérique")
    yanis = UserFactory(operator=operator("france-travail"))
    from portal.people.models import OperatorPeriod

    OperatorPeriod.objects.filter(user=yanis).update(since=at(2026, 1, 1))
    enrol(yanis, rsa, at(2026, 3, 5))
    yanis.operator = operator("mission-locale")
    yanis.save()
    OperatorPeriod.objects.filter(user=yanis, operator__slug="mission-locale").update(
        since=at(2026, 6, 1)
    )
    enrol(yanis, numeric, at(2026, 8, 5))
    run_aggregation(now=NOW)

    assert cell("inscrits", "nord", month=(2026, 3), operator_slug="france-travail") == (1.0, 1)
    assert cell("inscrits", "nord", month=(2026, 3), operator_slug="mission-locale") is None
    assert cell("inscrits", "nord", month=(2026, 8), operator_slug="mission-locale") == (1.0, 1)
    # Over the 12 months: one person for each operator, still one in all.
    assert cell("inscrits", "nord", operator_slug="france-travail") == (1.0, 1)
    assert cell("inscrits", "nord", operator_slug="mission-locale") == (1.0, 1)
    assert cell("inscrits", "nord") == (1.0, 1)


def test_questions_answers_first_answer_time_and_cross_operator_help():
    asker = UserFactory(operator=operator("france-travail"))
    colleague = UserFactory(operator=operator("france-travail"))
    referent = UserFactory(operator=operator("conseil-departemental"))
    asked = at(2026, 10, 1, hour=9)
    # Answered after 3 hours by a colleague (useful), then by a référent (useful).
    question(
        "nord",
        asker,
        asked,
        answers=[
            (colleague, asked + timedelta(hours=3), 1),
            (referent, asked + timedelta(hours=5), 2),
        ],
    )
    # Answered after 7 hours by the référent only (not found useful).
    question("nord", asker, asked, answers=[(referent, asked + timedelta(hours=7), 0)])
    # Answered by the asker alone: unanswered.
    question("nord", asker, asked, answers=[(asker, asked + timedelta(hours=1), 0)])
    run_aggregation(now=NOW)

    assert cell("questions", "nord", month=(2026, 10)) == (3.0, 1)
    assert cell("part_questions_repondues", "nord") == (2 / 3, 1)
    assert cell("delai_median_premiere_reponse", "nord") == (5.0, 1)  # median of 3 h and 7 h
    # Two useful answers by others: the référent's comes from another operator.
    assert cell("reponses_inter_operateurs", "nord") == (0.5, 2)
    assert cell("reponses_inter_operateurs", "nord", operator_slug="france-travail") == (0.5, 2)
    assert cell("membres_actifs", "nord", month=(2026, 10)) == (3.0, 3)


def test_active_members_join_forum_and_chat_and_chat_messages_count(index):
    nadia, karim = UserFactory(), UserFactory(operator=operator("conseil-departemental"))
    chat("somme", nadia, at(2026, 7, 1))
    chat("somme", nadia, at(2026, 7, 2))
    question("somme", karim, at(2026, 7, 3))
    run_aggregation(now=NOW)

    assert cell("membres_actifs", "somme", month=(2026, 7)) == (2.0, 2)
    assert cell("messages_chat", "somme", month=(2026, 7)) == (2.0, 1)
    assert cell("membres_actifs", "hauts-de-france", operator_slug="conseil-departemental") == (
        1.0,
        1,
    )


def test_session_fill_rate_and_waiting_list_in_the_session_s_territory(index):
    rsa = course(index, title="RSA")
    session = course_session(rsa, capacity=4, territory_slug="somme")
    session.starts_at, session.ends_at = at(2026, 11, 5), at(2026, 11, 5, hour=12)
    session.save()
    for _ in range(3):
        register(session, UserFactory())
    register(session, UserFactory(), status=SessionRegistration.Status.WAITING)
    register(session, UserFactory(), status=SessionRegistration.Status.CANCELLED)
    run_aggregation(now=NOW)

    assert cell("taux_remplissage_sessions", "somme", month=(2026, 11)) == (0.75, 3)
    assert cell("liste_attente", "somme", month=(2026, 11)) == (1.0, 1)
    # Seats are not an operator's: no breakdown.
    assert not Aggregate.objects.filter(
        indicator="taux_remplissage_sessions", operator__isnull=False
    ).exists()


def test_activity_older_than_twelve_months_counts_nowhere(index):
    enrol(UserFactory(), course(index), at(2025, 11, 30))
    run_aggregation(now=NOW)
    assert cell("inscrits", "nord") is None


def test_a_failed_run_keeps_the_previous_figures(index, monkeypatch):
    enrol(UserFactory(), course(index), at(2026, 10, 3))
    first = run_aggregation(now=NOW)

    import pilotage.aggregation as aggregation

    def broken(ctx):
        raise RuntimeError("base indisponible")
        yield

    broken_indicator = aggregation.INDICATORS[0].__class__(
        **{**aggregation.INDICATORS[0].__dict__, "facts": broken}
    )
    monkeypatch.setattr(aggregation, "INDICATORS", [broken_indicator])
    with pytest.raises(RuntimeError):
        run_aggregation(now=NOW)

    failed = AggregationRun.objects.get(status="failed")
    assert "base indisponible" in failed.error
    assert not failed.aggregates.exists()
    assert cell("inscrits", "nord") == (1.0, 1)
    assert AggregationRun.objects.filter(status="done").get() == first
