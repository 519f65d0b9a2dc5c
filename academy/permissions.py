"""One policy for the Académie, asked by every surface (pages, views, feeds, admin)."""

from portal.people.models import Territory


def _territory_lineage(territories) -> set[int]:
    """The ids of these territories and of all their ancestors."""
    ids: set[int] = set()
    for territory in territories:
        node = territory
        while node is not None:
            ids.add(node.pk)
            node = node.parent
    return ids


def course_enrolment_refusal(*, user, course) -> str | None:
    """Why this user may not enrol in this course (French), or None when they may."""
    if not user.is_authenticated:
        return "Connectez-vous pour vous inscrire à cette formation."
    if not course.enrolment_restricted:
        return None
    audience = list(course.audience.all())
    if audience and user.operator_id not in {operator.pk for operator in audience}:
        names = ", ".join(operator.name for operator in audience)
        if not user.operator_id:
            return (
                f"Cette formation est réservée aux professionnels de : {names}. Indiquez votre "
                "opérateur dans votre profil."
            )
        return f"Cette formation est réservée aux professionnels de : {names}."
    scope = list(course.territories.all())
    if scope:
        mine = Territory.objects.filter(members=user).select_related(
            "parent", "parent__parent", "parent__parent__parent"
        )
        if not {territory.pk for territory in scope} & _territory_lineage(mine):
            names = ", ".join(territory.name for territory in scope)
            return (
                f"Cette formation est réservée aux professionnels des territoires suivants : "
                f"{names}. Vos territoires se règlent dans votre profil."
            )
    return None


def may_see_session_link(*, user, session, registration) -> bool:
    """The visio link is for registered participants (and staff)."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return registration is not None and registration.status == registration.Status.REGISTERED


def may_download_certificate(*, user, certificate) -> bool:
    return user.is_authenticated and (user.pk == certificate.user_id or user.is_staff)


def may_revoke_certificate(*, user) -> bool:
    return user.is_authenticated and user.is_staff
