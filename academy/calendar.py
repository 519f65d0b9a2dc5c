"""iCalendar (.ics) for sessions, built with the icalendar library."""

from django.utils import timezone
from icalendar import Calendar, Event

from academy.models import CourseSession


def session_calendar(
    sessions: list[CourseSession], *, include_links: bool, name: str, base_url: str
) -> bytes:
    """`base_url` is the scheme and host the request came by: the links in the file
    lead back to the portal under the name the person reached it with."""
    calendar = Calendar()
    calendar.add("prodid", "-//Académie France Travail//Sessions//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    now = timezone.now()
    for session in sessions:
        event = Event()
        event.add("uid", f"session-{session.pk}@academie-communaute")
        # When this calendar was made (RFC 5545), not when the session starts: with equal
        # SEQUENCE, clients keep the copy with the latest DTSTAMP (RFC 5546), and a session
        # moved to an earlier date must still replace the old copy.
        event.add("dtstamp", now)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", f"{session.course.title} ({session.get_format_display()})")
        url = base_url.rstrip("/") + session.get_absolute_url()
        description = [f"Formateur ou formatrice : {session.trainer}", f"Détails : {url}"]
        if session.format == CourseSession.Format.ONSITE:
            event.add("location", session.place)
        elif include_links and session.visio_url:
            event.add("location", session.visio_url)
            description.append(f"Lien de la visio : {session.visio_url}")
        event.add("description", "\n".join(description))
        event.add("url", url)
        if session.cancelled:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    return calendar.to_ical()
