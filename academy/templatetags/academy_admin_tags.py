"""Editors' extras on the public pages of the Académie."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from academy.stats import (
    course_enrolment_stats,
    may_see_course_indicators,
    may_view_enrolment_report,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def course_indicators(context, page):
    """The course's enrolment figures for its editors, None for everyone else.

    The permission check comes first, so only editors pay for the figures' queries.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not may_see_course_indicators(user=user, page=page):
        return None
    report_url = None
    if may_view_enrolment_report(user=user):
        report_url = f"{reverse('academy_enrolment_report')}?{urlencode({'course': page.pk})}"
    return {"stats": course_enrolment_stats(course=page), "report_url": report_url}
