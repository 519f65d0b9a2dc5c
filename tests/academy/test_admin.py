"""The Académie in the Wagtail admin: page types, moderation, enrolment report, snippets."""

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    GroupApprovalTask,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from academy import services
from academy.models import (
    AcademyIndexPage,
    Certificate,
    CoursePage,
    CourseSession,
    Enrolment,
    LessonPage,
    ModulePage,
    SessionRegistration,
)
from academy.stats import (
    ALL_TERRITORIES,
    NO_OPERATOR,
    NOT_AT_LEVEL,
    course_enrolment_stats,
    enrolment_report_rows,
    may_see_course_indicators,
)
from portal.models import HomePage
from portal.setup import site_setup
from tests.factories import UserFactory, operator, territory

REPORT_URL = "academy_enrolment_report"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _in_group(name: str, **fields):
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=name))
    return user


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def _index(home) -> AcademyIndexPage:
    return AcademyIndexPage.objects.first() or _publish(
        home, AcademyIndexPage(title="Académie", slug="academie")
    )


def _course(home, title="Accompagner les allocataires du RSA") -> CoursePage:
    return _publish(
        _index(home),
        CoursePage(
            title=title,
            slug=f"formation-{uuid.uuid4().hex[:8]}",
            summary="Les étapes de l'accompagnement.",
            duration_minutes=90,
        ),
    )


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


# --- Page types through the admin ---------------------------------------------------------


class TestAcademyPagesThroughTheAdmin(WagtailPageTestCase):
    """Each page type is created where the tree allows it, with the admin's own form."""

    @classmethod
    def setUpTestData(cls):
        cls.home = site_setup()
        cls.superuser = UserFactory(is_superuser=True, is_staff=True)

    def setUp(self):
        self.client.force_login(self.superuser)

    def test_academy_index_is_created_under_the_home_page(self):
        self.assertCanCreate(
            self.home,
            AcademyIndexPage,
            nested_form_data({"title": "Académie", "slug": "academie", "intro": "Se former."}),
        )
        assert AcademyIndexPage.objects.get().live

    def test_course_is_created_under_the_academy_index(self):
        index = _index(self.home)
        self.assertCanCreate(
            index,
            CoursePage,
            nested_form_data(
                {
                    "title": "Le contrat d'engagement",
                    "summary": "Signer et suivre le contrat d'engagement réciproque.",
                    "objectives": rich_text("<p>Savoir présenter le contrat.</p>"),
                    "prerequisites": rich_text(""),
                    "duration_minutes": "90",
                    "level": CoursePage.Level.DISCOVERY,
                    "format": CoursePage.Format.ONLINE,
                    "tags": "rsa, contrat",
                }
            ),
        )
        course = CoursePage.objects.child_of(index).get()
        assert course.live and course.duration_minutes == 90
        assert sorted(tag.name for tag in course.tags.all()) == ["contrat", "rsa"]

    def test_module_is_created_under_a_course(self):
        course = _course(self.home)
        self.assertCanCreate(
            course, ModulePage, nested_form_data({"title": "Les bases", "intro": "Pour débuter."})
        )
        assert ModulePage.objects.child_of(course).get().title == "Les bases"

    def test_lesson_is_created_under_a_module_with_a_streamfield_body(self):
        module = _publish(_course(self.home), ModulePage(title="Les bases", slug="les-bases"))
        self.assertCanCreate(
            module,
            LessonPage,
            nested_form_data(
                {
                    "title": "Le premier entretien",
                    "duration_minutes": "15",
                    "body": streamfield(
                        [("text", rich_text("<p>Accueillir la personne et poser le cadre.</p>"))]
                    ),
                }
            ),
        )
        lesson = LessonPage.objects.child_of(module).get()
        assert lesson.body[0].block_type == "text"
        assert "poser le cadre" in str(lesson.body[0].value)

    def test_page_types_only_go_where_the_tree_allows(self):
        self.assertCanNotCreateAt(CoursePage, LessonPage)
        self.assertCanNotCreateAt(AcademyIndexPage, ModulePage)
        self.assertCanNotCreateAt(HomePage, CoursePage)
        self.assertCanNotCreateAt(ModulePage, ModulePage)
        self.assertAllowedSubpageTypes(AcademyIndexPage, {CoursePage})
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})


# --- Moderation ---------------------------------------------------------------------------


@pytest.fixture
def editor(db):
    return _in_group("Editors", display_name="Éditrice")


@pytest.fixture
def moderator(db):
    return _in_group("Moderators", display_name="Modérateur")


@pytest.fixture
def draft_course(site_root):
    page = CoursePage(
        title="Orienter vers la formation",
        slug="orienter-vers-la-formation",
        summary="Les dispositifs de formation des demandeurs d'emploi.",
        duration_minutes=60,
        live=False,
    )
    _index(site_root).add_child(instance=page)
    page.save_revision()
    return page


def _post_edit_form(client, page, action: str):
    """Post the page's edit form back as the admin renders it, with one action button."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data["summary"] = "Les dispositifs de formation, relus."
    data[action] = action
    return client.post(url, data)


def test_editor_submits_a_course_and_a_moderator_approval_publishes_it(
    draft_course, editor, moderator
):
    response = _post_edit_form(_client(editor), draft_course, "action-submit")
    assert response.status_code == 302

    page = CoursePage.objects.get(pk=draft_course.pk)
    assert not page.live
    assert page.workflow_in_progress
    task_state = page.current_workflow_task_state
    assert task_state.task.name == "Validation par les modérateurs"

    response = _client(moderator).post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]),
        {"comment": "Relu, c'est clair."},
    )
    assert response.status_code == 302

    page = CoursePage.objects.get(pk=draft_course.pk)
    assert page.live
    assert page.summary == "Les dispositifs de formation, relus."
    assert not page.workflow_in_progress
    assert page.live_revision.user == editor


def test_editor_cannot_publish_directly(draft_course, editor):
    response = _post_edit_form(_client(editor), draft_course, "action-publish")
    assert response.status_code == 302

    page = CoursePage.objects.get(pk=draft_course.pk)
    assert not page.live
    assert page.has_unpublished_changes
    assert page.latest_revision.as_object().summary == "Les dispositifs de formation, relus."


def test_editor_cannot_approve_their_own_submission(draft_course, editor):
    client = _client(editor)
    _post_edit_form(client, draft_course, "action-submit")
    task_state = CoursePage.objects.get(pk=draft_course.pk).current_workflow_task_state

    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action", args=[draft_course.pk, "approve", task_state.pk]
        )
    )

    page = CoursePage.objects.get(pk=draft_course.pk)
    assert not page.live and page.workflow_in_progress


def _submit(page, user):
    """Save a revision and submit it to the page's workflow, as the admin's button does."""
    page.save_revision(user=user)
    page.get_workflow().start(page, user)
    return page


def _approve(client, page):
    task_state = type(page).objects.get(pk=page.pk).current_workflow_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]),
        {"comment": "Relu."},
    )


@pytest.fixture
def draft_plan(draft_course):
    """The draft course with one draft module and one draft lesson under it."""
    module = ModulePage(title="Les dispositifs", slug="les-dispositifs", live=False)
    draft_course.add_child(instance=module)
    lesson = LessonPage(
        title="Le compte personnel de formation",
        slug="le-cpf",
        live=False,
        body=[("text", rich_text("<p>Le CPF finance…</p>"))],
    )
    module.add_child(instance=lesson)
    return draft_course, module, lesson


def test_approving_a_course_publishes_its_modules_and_lessons_waiting_in_moderation(
    draft_plan, editor, moderator
):
    course, module, lesson = draft_plan
    for page in (course, module, lesson):
        _submit(page, editor)

    response = _approve(_client(moderator), course)

    assert response.status_code == 302
    for page in (course, module, lesson):
        page = type(page).objects.get(pk=page.pk)
        assert page.live, page.title
        assert not page.workflow_in_progress, page.title
        assert page.live_revision.user == editor
    comments = TaskState.objects.filter(
        workflow_state__object_id=str(lesson.pk), status=TaskState.STATUS_APPROVED
    ).values_list("comment", flat=True)
    assert list(comments) == [f"Approuvé avec la formation « {course.title} »."]


def test_approving_a_course_leaves_unsubmitted_drafts_unpublished(draft_plan, editor, moderator):
    course, module, lesson = draft_plan
    _submit(course, editor)
    _submit(module, editor)

    _approve(_client(moderator), course)

    assert ModulePage.objects.get(pk=module.pk).live
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert not lesson.live and not lesson.workflow_in_progress


def test_approving_a_course_leaves_a_descendant_whose_task_the_moderator_cannot_approve(
    draft_plan, editor, moderator
):
    course, module, _lesson = draft_plan
    reviewers = Group.objects.create(name="Relecteurs juridiques")
    task = GroupApprovalTask.objects.create(name="Relecture juridique")
    task.groups.add(reviewers)
    workflow = Workflow.objects.create(name="Relecture juridique")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=module, workflow=workflow)
    for page in (course, module):
        _submit(page, editor)

    _approve(_client(moderator), course)

    assert CoursePage.objects.get(pk=course.pk).live
    module = ModulePage.objects.get(pk=module.pk)
    assert not module.live
    assert module.current_workflow_task.name == "Relecture juridique"


def test_rejecting_a_course_leaves_its_plan_in_moderation(draft_plan, editor, moderator):
    course, module, _lesson = draft_plan
    for page in (course, module):
        _submit(page, editor)
    task_state = CoursePage.objects.get(pk=course.pk).current_workflow_task_state

    _client(moderator).post(
        reverse("wagtailadmin_pages:workflow_action", args=[course.pk, "reject", task_state.pk]),
        {"comment": "À reprendre."},
    )

    module = ModulePage.objects.get(pk=module.pk)
    assert not module.live and module.workflow_in_progress


# --- Enrolment figures ----------------------------------------------------------------------


@pytest.fixture
def figures(site_root):
    """Two courses; in the first, France Travail completed, Mission locale in progress."""
    course = _course(site_root)
    other = _course(site_root, title="Zéro chômeur de longue durée")
    finisher = UserFactory(territories=[territory("nord")])
    learner = UserFactory(
        operator=operator("mission-locale"), territories=[territory("nord"), territory("somme")]
    )
    quitter = UserFactory(operator=operator("cap-emploi"))
    for user in (finisher, learner, quitter):
        services.course_enrol(user=user, course=course)
    Enrolment.objects.filter(user=finisher, course=course).update(completed_at=timezone.now())
    services.course_leave(user=quitter, course=course)
    services.course_enrol(user=learner, course=other)
    return course, other


def test_course_stats_count_enrolled_in_progress_and_completed(figures):
    course, _ = figures
    stats = course_enrolment_stats(course=course)

    assert (stats.totals.enrolled, stats.totals.in_progress, stats.totals.completed) == (2, 1, 1)
    assert [(r.label, r.enrolled, r.in_progress, r.completed) for r in stats.by_operator] == [
        ("France Travail", 1, 0, 1),
        ("Mission locale", 1, 1, 0),
    ]
    # The Mission locale learner works in two départements: counted in each.
    assert [(r.label, r.enrolled, r.in_progress, r.completed) for r in stats.by_territory] == [
        ("Nord", 2, 1, 1),
        ("Somme", 1, 1, 0),
    ]


def test_completed_learner_who_left_still_counts_as_completed(figures):
    course, _ = figures
    finisher = Enrolment.objects.get(course=course, completed_at__isnull=False).user
    services.course_leave(user=finisher, course=course)

    totals = course_enrolment_stats(course=course).totals
    assert (totals.enrolled, totals.in_progress, totals.completed) == (1, 1, 1)


def test_learner_without_operator_is_counted_apart(site_root):
    course = _course(site_root)
    services.course_enrol(user=UserFactory(bare=True), course=course)

    [row] = course_enrolment_stats(course=course).by_operator
    assert (row.label, row.enrolled) == (NO_OPERATOR, 1)


@pytest.mark.parametrize("learners", [5, 40])
def test_course_stats_take_two_queries_whatever_the_number_of_enrolments(
    site_root, learners, django_assert_num_queries
):
    course = _course(site_root)
    operators = [operator("france-travail"), operator("mission-locale"), operator("cap-emploi")]
    places = [territory("nord"), territory("somme"), territory("paris")]
    for n in range(learners):
        user = UserFactory(operator=operators[n % 3], territories=[places[n % 3], places[0]])
        services.course_enrol(user=user, course=course)

    # 1. enrolments grouped by operator (the totals are their sum)
    # 2. enrolments grouped by territory
    with django_assert_num_queries(2):
        stats = course_enrolment_stats(course=course)
    assert stats.totals.enrolled == learners
    # 3. the report rows, all courses
    with django_assert_num_queries(1):
        rows = list(enrolment_report_rows(territory_level="region"))
    assert sum(row["enrolled"] for row in rows) >= learners


def test_report_rows_roll_territories_up_to_the_chosen_level(figures):
    course, _ = figures
    rows = enrolment_report_rows(course=course, territory_level="region")
    # Nord and Somme are both in Hauts-de-France: the Mission locale learner counts once.
    assert [
        (r["operator_name"], r["territory_name"], r["enrolled"], r["in_progress"], r["completed"])
        for r in rows
    ] == [
        ("France Travail", "Hauts-de-France", 1, 0, 1),
        ("Mission locale", "Hauts-de-France", 1, 1, 0),
    ]


def test_report_rows_put_learners_without_a_territory_at_the_level_apart(site_root):
    course = _course(site_root)
    services.course_enrol(user=UserFactory(territories=[territory("national")]), course=course)

    [row] = enrolment_report_rows(course=course, territory_level="departement")
    assert (row["territory_name"], row["enrolled"]) == (NOT_AT_LEVEL, 1)


# --- The report in the admin --------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(is_superuser=True, is_staff=True)


def test_report_is_open_to_superusers_editors_and_moderators(figures, superuser, editor, moderator):
    url = reverse(REPORT_URL)
    for user in (superuser, editor, moderator):
        response = _client(user).get(url)
        assert response.status_code == 200, user
        html = response.content.decode()
        assert "Inscriptions aux formations" in html
        assert "Zéro chômeur de longue durée" in html


def test_report_is_refused_to_a_plain_member(figures, user):
    response = _client(user).get(reverse(REPORT_URL))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_report_is_refused_to_an_admin_user_without_edit_rights_on_the_academy(figures):
    readers = Group.objects.create(name="Lecteurs")
    readers.permissions.add(Permission.objects.get(codename="access_admin"))
    reader = UserFactory()
    reader.groups.add(readers)

    response = _client(reader).get(reverse(REPORT_URL) + "?export=csv")
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_report_menu_item_is_shown_only_to_those_who_may_read_it(figures, editor, user):
    from wagtail import hooks

    [item] = [
        fn()
        for fn in hooks.get_hooks("register_reports_menu_item")
        if fn.__name__ == "register_enrolment_report_menu_item"
    ]
    request = RequestFactory().get("/admin/")
    request.user = editor
    assert item.is_shown(request)
    request.user = user
    assert not item.is_shown(request)


def test_report_csv_export_has_french_headings_and_the_figures(figures, editor):
    response = _client(editor).get(reverse(REPORT_URL), {"export": "csv"})

    rows = _csv_rows(response)
    assert rows[0] == ["Formation", "Opérateur", "Territoire", "Inscrits", "En cours", "Terminés"]
    assert rows[1:] == [
        ["Accompagner les allocataires du RSA", "France Travail", ALL_TERRITORIES, "1", "0", "1"],
        ["Accompagner les allocataires du RSA", "Mission locale", ALL_TERRITORIES, "1", "1", "0"],
        ["Zéro chômeur de longue durée", "Mission locale", ALL_TERRITORIES, "1", "1", "0"],
    ]
    assert "inscriptions-formations-" in response["Content-Disposition"]


def test_report_csv_export_follows_the_filters(figures, editor):
    course, _ = figures
    response = _client(editor).get(
        reverse(REPORT_URL),
        {
            "export": "csv",
            "course": course.pk,
            "operator": operator("mission-locale").pk,
            "territory_level": "departement",
        },
    )

    assert _csv_rows(response)[1:] == [
        ["Accompagner les allocataires du RSA", "Mission locale", "Nord", "1", "1", "0"],
        ["Accompagner les allocataires du RSA", "Mission locale", "Somme", "1", "1", "0"],
    ]


def test_report_xlsx_export(figures, superuser):
    from openpyxl import load_workbook

    response = _client(superuser).get(reverse(REPORT_URL), {"export": "xlsx"})

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0] == ("Formation", "Opérateur", "Territoire", "Inscrits", "En cours", "Terminés")
    assert len(rows) == 4


def test_report_page_explains_multi_territory_counting(figures, editor):
    response = _client(editor).get(reverse(REPORT_URL), {"territory_level": "departement"})
    html = response.content.decode()
    assert "compte dans chacun d" in html
    assert "Somme" in html


# --- Indicators on the course page ----------------------------------------------------------


def test_course_page_shows_indicators_to_its_editors(figures, editor):
    course, _ = figures
    html = _client(editor).get(course.url).content.decode()

    assert 'id="course-indicators-title"' in html
    assert "Inscriptions par opérateur" in html
    assert "Mission locale" in html
    assert f"{reverse(REPORT_URL)}?course={course.pk}" in html


def test_indicators_cost_a_member_one_query_and_a_visitor_none(
    figures, user, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    course, _ = figures
    with django_assert_num_queries(1):  # the member's page permissions: none
        assert not may_see_course_indicators(user=user, page=course)
    with django_assert_num_queries(0):
        assert not may_see_course_indicators(user=AnonymousUser(), page=course)


def test_course_page_hides_indicators_from_members_and_visitors(figures, user):
    course, _ = figures
    for client in (_client(user), Client()):
        response = client.get(course.url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "course-indicators-title" not in html
        assert reverse(REPORT_URL) not in html


# --- Snippets -------------------------------------------------------------------------------


def _session(course, **fields) -> CourseSession:
    starts_at = (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    values = {
        "course": course,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "format": CourseSession.Format.ONSITE,
        "place": "Lille",
        "territory": territory("nord"),
        "trainer": "Camille Formatrice",
        "capacity": 2,
    }
    values.update(fields)
    return CourseSession.objects.create(**values)


def test_session_listing_shows_registered_and_waiting_counts(site_root, superuser):
    session = _session(_course(site_root))
    for status in ["registered", "registered", "waiting", "cancelled"]:
        SessionRegistration.objects.create(session=session, user=UserFactory(), status=status)

    response = _client(superuser).get(reverse("wagtailsnippets_academy_coursesession:list"))

    assert response.status_code == 200
    rows = {row.instance.pk: row.instance for row in response.context["table"].rows}
    assert (rows[session.pk].registered_count, rows[session.pk].waiting_count) == (2, 1)


def test_session_listing_filters_by_format_and_territory(site_root, superuser):
    course = _course(site_root)
    onsite = _session(course)
    visio = _session(
        course,
        format="visio",
        place="",
        visio_url="https://visio.exemple.fr/a",
        territory=territory("somme"),
    )
    url = reverse("wagtailsnippets_academy_coursesession:list")
    client = _client(superuser)

    def listed(**filters):
        return {row.instance.pk for row in client.get(url, filters).context["table"].rows}

    assert listed(format="visio") == {visio.pk}
    assert listed(territory=territory("nord").pk) == {onsite.pk}
    # The territory filter offers the territories that have sessions, not all hundred.
    choices = client.get(url).context["filters"].form.fields["territory"].queryset
    assert set(choices) == {territory("nord"), territory("somme")}


def test_raising_a_session_capacity_in_the_admin_promotes_the_waiting_list(site_root, superuser):
    session = _session(_course(site_root), capacity=1)
    seated, first, second = UserFactory(), UserFactory(), UserFactory()
    for learner in (seated, first, second):
        services.session_register(user=learner, session=session)
    url = reverse("wagtailsnippets_academy_coursesession:edit", args=[session.pk])
    client = _client(superuser)
    data = querydict_from_html(client.get(url).content.decode(), form_id="w-editor-form")
    data["capacity"] = "2"

    assert client.post(url, data).status_code == 302

    statuses = dict(session.registrations.values_list("user_id", "status"))
    assert statuses == {seated.pk: "registered", first.pk: "registered", second.pk: "waiting"}


def test_session_form_reports_the_model_errors_in_french(site_root, superuser):
    course = _course(site_root)
    response = _client(superuser).post(
        reverse("wagtailsnippets_academy_coursesession:add"),
        {
            "course": course.pk,
            "title": "",
            "starts_at": "2030-03-10 14:00",
            "ends_at": "2030-03-10 12:00",
            "format": "presentiel",
            "place": "",
            "visio_url": "",
            "territory": territory("nord").pk,
            "trainer": "Camille Formatrice",
            "capacity": "12",
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["ends_at"] == ["La fin doit être après le début."]
    assert errors["place"] == ["Indiquez le lieu d'une session en présentiel."]
    assert not CourseSession.objects.exists()


@pytest.fixture
def certificate(site_root):
    course = _course(site_root)
    holder = UserFactory(display_name="Camille Dupont")
    return services.certificate_issue(user=holder, course=course, completed_at=timezone.now())


def test_certificate_is_revoked_through_the_admin_and_only_revocation_is_editable(
    certificate, superuser
):
    url = reverse("wagtailsnippets_academy_certificate:edit", args=[certificate.pk])
    client = _client(superuser)
    form = client.get(url).context["form"]
    assert set(form.fields) == {"revoked_at", "revoked_reason"}

    response = client.post(
        url,
        {
            "revoked_at": "2030-01-02 10:00",
            "revoked_reason": "Délivrée par erreur",
            "holder_name": "Quelqu'un d'autre",
        },
    )

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Délivrée par erreur"
    assert certificate.holder_name == "Camille Dupont"
    assert not certificate.is_valid


def test_certificate_revocation_needs_a_date_and_a_reason(certificate, superuser):
    url = reverse("wagtailsnippets_academy_certificate:edit", args=[certificate.pk])
    response = _client(superuser).post(url, {"revoked_at": "", "revoked_reason": "Fraude"})

    assert response.status_code == 200
    assert response.context["form"].errors["revoked_at"] == ["Indiquez la date de révocation."]
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_certificates_are_neither_added_nor_deleted_by_hand(certificate, superuser):
    client = _client(superuser)
    assert client.get(reverse("wagtailsnippets_academy_certificate:add")).status_code == 302
    response = client.post(
        reverse("wagtailsnippets_academy_certificate:delete", args=[certificate.pk])
    )
    assert response.status_code == 302
    bulk_delete = reverse("wagtail_bulk_action", args=["academy", "certificate", "delete"])
    client.post(f"{bulk_delete}?id={certificate.pk}")
    assert Certificate.objects.filter(pk=certificate.pk).exists()


def test_certificate_listing_searches_holder_name_and_code(certificate, superuser):
    url = reverse("wagtailsnippets_academy_certificate:list")
    client = _client(superuser)
    for query in ["Camille", certificate.code]:
        listed = {row.instance.pk for row in client.get(url, {"q": query}).context["table"].rows}
        assert listed == {certificate.pk}, query
    assert not list(client.get(url, {"q": "Personne"}).context["table"].rows)


def test_academy_snippets_are_grouped_in_the_admin_menu(superuser):
    from wagtail.admin.menu import admin_menu

    request = RequestFactory().get("/admin/")
    request.user = superuser
    [group] = [
        item for item in admin_menu.menu_items_for_request(request) if item.name == "academy"
    ]
    assert str(group.label) == "Académie"
    assert [str(item.label) for item in group.menu.menu_items_for_request(request)] == [
        "Sessions",
        "Attestations",
    ]
