"""/pilotage/: who reads which territory, what the dashboard shows, and its cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Membership, Space
from pilotage.aggregation import run_aggregation
from tests.academy.factories import academy_index, course
from tests.factories import UserFactory, operator, territory
from tests.people.pages import assert_dsfr_page, text
from tests.pilotage.builders import at, enrol, pilote_of, question, reader

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 20)


def status(client, user, slug):
    if user is not None:
        client.force_login(user)
    return client.get(f"/pilotage/{slug}/").status_code


@pytest.mark.parametrize(
    ("who", "readable", "refused"),
    [
        ("pilote_departement", ["nord"], ["hauts-de-france", "somme", "national"]),
        ("pilote_region", ["hauts-de-france", "nord", "somme", "aisne"], ["national", "bretagne"]),
        ("animateur", ["nord"], ["hauts-de-france", "somme"]),
        ("membre", [], ["nord", "hauts-de-france", "national"]),
        ("staff", ["national", "bretagne", "nord"], []),
    ],
)
def test_who_reads_which_territory(client, who, readable, refused):
    user = reader(who)
    for slug in readable:
        assert status(client, user, slug) == 200, slug
    for slug in refused:
        assert status(client, user, slug) == 403, slug


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get("/pilotage/nord/")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/")


def test_the_refusal_says_why_in_french(client):
    client.force_login(UserFactory())
    response = client.get("/pilotage/")
    assert response.status_code == 403
    assert "réservé aux pilotes" in response.content.decode()


def test_a_pilote_of_one_territory_lands_on_it_and_of_two_chooses(client):
    client.force_login(pilote_of("nord"))
    assert client.get("/pilotage/")["Location"] == "/pilotage/nord/"
    client.force_login(pilote_of("nord", "bretagne", "somme"))
    page = assert_dsfr_page(client.get("/pilotage/"), title="Pilotage")
    assert [text(h) for h in page.select("h2")] == ["Bretagne", "Nord", "Somme"]


def test_the_dashboard_shows_figures_hides_small_cells_and_compares_with_the_parent(
    client, site_root
):
    index = academy_index(site_root)
    rsa = course(index, title="RSA")
    for _ in range(6):
        enrol(UserFactory(), rsa, at(2026, 10, 3))
    for _ in range(2):
        enrol(UserFactory(territories=[territory("somme")]), rsa, at(2026, 10, 3))
    question("nord", UserFactory(operator=operator("mission-locale")), at(2026, 10, 4))
    run_aggregation(now=NOW)
    client.force_login(pilote_of("hauts-de-france"))

    page = assert_dsfr_page(
        client.get("/pilotage/hauts-de-france/"), title="Pilotage — Hauts-de-France"
    )
    key = page.find("caption", string="Académie : chiffres clés, Hauts-de-France").parent
    enrolled = key.find("th", string="Professionnels inscrits à une formation").parent
    assert [text(td) for td in enrolled.find_all("td")] == ["8", "8"]  # 8 of 8 nationally
    children = page.find("caption", string="Académie : territoires de Hauts-de-France").parent
    rows = {
        text(tr.th): [text(td) for td in tr.find_all("td")] for tr in children.tbody.find_all("tr")
    }
    # Somme: 2 people, hidden. Nord, the only other non-empty département, is hidden
    # with it: the région's 8 minus Nord's 6 would give Somme's 2.
    assert rows["Somme (80)"][0] == "< 5"
    assert rows["Nord (59)"][0] == "< 5"
    assert rows["Aisne (02)"][0] == "0"
    assert children.find("a", string="Nord (59)")["href"] == "/pilotage/nord/"
    # Decided once for every reader: Nord's own page hides it too.
    nord = assert_dsfr_page(client.get("/pilotage/nord/"), title="Pilotage — Nord")
    key = nord.find("caption", string="Académie : chiffres clés, Nord").parent
    enrolled = key.find("th", string="Professionnels inscrits à une formation").parent
    assert [text(td) for td in enrolled.find_all("td")] == ["< 5", "8"]


def test_a_département_s_pilote_sees_no_link_up_and_a_broken_filter_is_told(client):
    run_aggregation(now=NOW)
    client.force_login(pilote_of("nord"))
    response = client.get("/pilotage/nord/?operateur=inconnu&mois=1999-01")
    page = assert_dsfr_page(response, title="Pilotage — Nord")
    alerts = [text(a) for a in page.select("[role=alert]")]
    assert "Cet opérateur est inconnu : tous les opérateurs sont affichés." in alerts
    assert any("douze derniers" in a for a in alerts)
    crumbs = [text(a) for a in page.select(".fr-breadcrumb__link")]
    assert crumbs == ["Accueil", "Pilotage", "Nord"]


def test_the_dashboard_costs_the_same_queries_for_the_nation_and_a_département(client):
    run_aggregation(now=NOW)
    client.force_login(UserFactory(is_staff=True))
    client.get("/pilotage/definitions/")  # session warmed

    def count(slug):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/pilotage/{slug}/").status_code == 200
        return len(queries)

    first = {slug: count(slug) for slug in ("national", "hauts-de-france", "nord")}
    assert first["national"] == first["hauts-de-france"] == first["nord"], first
    assert first["nord"] <= 8, first
    # The next reader of the same figures reads them from the cache: no cell is read.
    again = {slug: count(slug) for slug in ("national", "hauts-de-france", "nord")}
    assert again == {slug: n - 1 for slug, n in first.items()}, (first, again)


def _children_links(page, name):
    table = page.find("caption", string=f"Académie : territoires de {name}").parent
    return {text(tr.th): (tr.th.a["href"] if tr.th.a else None) for tr in table.tbody("tr")}


def test_cached_figures_keep_each_reader_s_links_and_a_new_run_shows_at_once(client, site_root):
    index = academy_index(site_root)
    rsa = course(index, title="RSA")
    for _ in range(6):
        enrol(UserFactory(), rsa, at(2026, 10, 3))
    run_aggregation(now=NOW)
    staff = UserFactory(is_staff=True)
    animateur = UserFactory()  # of the région's own space: reads it, not what is inside
    Membership.objects.create(
        user=animateur,
        space=Space.objects.get(territory__slug="hauts-de-france"),
        role=Membership.Role.ANIMATOR,
    )

    def page_of(user):
        client.force_login(user)
        return assert_dsfr_page(
            client.get("/pilotage/hauts-de-france/"), title="Pilotage — Hauts-de-France"
        )

    assert _children_links(page_of(staff), "Hauts-de-France")["Nord (59)"] == "/pilotage/nord/"
    # Same figures, cached: the animateur gets them without the links they may not open.
    links = _children_links(page_of(animateur), "Hauts-de-France")
    assert set(links.values()) == {None}, links
    assert client.get("/pilotage/nord/").status_code == 403
    assert (
        _children_links(page_of(pilote_of("hauts-de-france")), "Hauts-de-France")["Nord (59)"]
        == "/pilotage/nord/"
    )

    def enrolled(page):
        key = page.find("caption", string="Académie : chiffres clés, Hauts-de-France").parent
        row = key.find("th", string="Professionnels inscrits à une formation").parent
        return text(row.td)

    assert enrolled(page_of(staff)) == "6"
    for _ in range(3):
        enrol(UserFactory(), rsa, at(2026, 10, 5))
    assert enrolled(page_of(staff)) == "6"  # the figures are those of the last run
    run_aggregation(now=NOW)
    assert enrolled(page_of(staff)) == "9"  # a new run: its figures, at once

    nord = territory("nord")
    nord.name = "Nord-Flandres"
    nord.save()
    assert "Nord-Flandres (59)" in _children_links(page_of(staff), "Hauts-de-France")


def test_staff_ask_for_a_run_now_and_others_cannot(client, deferred_tasks):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    page = assert_dsfr_page(client.get("/pilotage/nord/"), title="Pilotage — Nord")
    assert page.find("button", string="Recalculer maintenant")
    response = client.post("/pilotage/calculer/", {"next": "/pilotage/nord/"})
    assert response["Location"] == "/pilotage/nord/"
    [result] = [r for r in deferred_tasks.results if r.task.name == "aggregation_refresh"]
    assert result.kwargs == {"requested_by_id": staff.pk}

    client.force_login(pilote_of("nord"))
    page = assert_dsfr_page(client.get("/pilotage/nord/"), title="Pilotage — Nord")
    assert page.find("button", string="Recalculer maintenant") is None
    assert client.post("/pilotage/calculer/").status_code == 403
    assert [r.task.name for r in deferred_tasks.results].count("aggregation_refresh") == 1


def test_a_nightly_run_schedules_the_next_night(deferred_tasks, settings):
    from pilotage.tasks import aggregation_refresh, next_night

    settings.PILOTAGE_HOUR = 3
    aggregation_refresh.call(nightly=True)
    [result] = [r for r in deferred_tasks.results if r.task.name == "aggregation_refresh"]
    assert result.kwargs == {"nightly": True}
    assert result.task.run_after == next_night()
