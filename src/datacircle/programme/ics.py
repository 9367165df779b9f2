"""Calendar feeds (iCalendar) of a programme's sessions and of one person's sessions.

Calendar apps subscribe to a feed without signing in, so feeds live at unguessable addresses:
a programme's by its random `token`, a person's by a signed token (`person_token`). Each
session is one VEVENT whose UID never changes; SEQUENCE grows with every change, so calendar
apps replace the event instead of adding a second one, and a cancelled session stays in the
feed with STATUS:CANCELLED so that it disappears from people's calendars.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.core import signing
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from datacircle.accounts.models import Person
from datacircle.notices.services import absolute, language_of
from datacircle.programme.models import Programme, Registration, Session
from datacircle.programme.sessions import ends_at, module_of

TOKEN_SALT = "datacircle.programme.calendar"  # noqa: S105 (a signing salt, not a secret)
PRODID = "-//Data Circle//Sessions//EN"
# SEQUENCE counts seconds from here: it grows with every change and stays a 32-bit integer,
# which is what calendar apps expect, for decades.
SEQUENCE_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
IN_FEEDS = (Session.Status.SCHEDULED, Session.Status.HELD, Session.Status.CANCELLED)
ICAL_STATUS = {
    Session.Status.SCHEDULED: "CONFIRMED",
    Session.Status.HELD: "CONFIRMED",
    Session.Status.CANCELLED: "CANCELLED",
}


def person_token(person: Person) -> str:
    return signing.dumps(person.pk, salt=TOKEN_SALT)


def person_from_token(token: str) -> Person:
    """The person a calendar token was made for; raises `signing.BadSignature` or
    `Person.DoesNotExist`."""
    return Person.objects.get(pk=signing.loads(token, salt=TOKEN_SALT))


def person_calendar_url(person: Person) -> str:
    return absolute(reverse("programme-my-calendar", args=[person_token(person)]))


def programme_calendar_url(programme: Programme) -> str:
    return absolute(reverse("programme-calendar", args=[programme.token]))


def _location(session: Session) -> str:
    if session.online:
        return _("Online")
    parts = [session.city, str(session.country.name) if session.country else ""]
    return ", ".join(part for part in parts if part)


def _sequence(session: Session) -> int:
    return max(int((session.updated_at - SEQUENCE_EPOCH).total_seconds()), 0)


def _event(session: Session, status: str | None = None) -> Event:
    module = module_of(session.module_version)
    link = absolute(reverse("programme-session", args=[session.pk]))
    event = Event()
    event.add("uid", f"{session.uid}@datacircle")
    # Without METHOD, DTSTAMP is the time the event last changed (RFC 5545 3.8.7.2); using it
    # keeps the feed the same from one download to the next when nothing changed.
    event.add("dtstamp", session.updated_at.astimezone(UTC))
    event.add("last-modified", session.updated_at.astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", ends_at(session).astimezone(UTC))
    event.add("summary", module.title)
    event.add("description", f"{module.summary}\n\n{link}")
    event.add("location", _location(session))
    event.add("url", link)
    event.add("sequence", _sequence(session))
    event.add("status", status or ICAL_STATUS[session.status])
    return event


def _calendar(name: str, events: Iterable[Event]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def _sessions(queryset: QuerySet[Session]) -> QuerySet[Session]:
    return (
        queryset.filter(status__in=IN_FEEDS)
        .select_related("module_version", "module_version__module")
        .order_by("starts_at", "pk")
    )


def programme_calendar(programme: Programme) -> bytes:
    """Every published session of the programme; drafts never leave the planning pages."""
    sessions = _sessions(Session.objects.filter(programme=programme))
    return _calendar(programme.title, (_event(s) for s in sessions))


def person_calendar(person: Person) -> bytes:
    """The sessions `person` registered for (a place or the waiting list, which shows as
    TENTATIVE) and those they facilitate, in their own language."""
    facilitated = set(person.facilitated_sessions.values_list("pk", flat=True))
    waiting = (
        set(
            Registration.objects.filter(
                person=person, status=Registration.Status.WAITING
            ).values_list("session_id", flat=True)
        )
        - facilitated
    )
    registered = Registration.objects.filter(person=person).exclude(
        status=Registration.Status.CANCELLED
    )
    sessions = _sessions(
        Session.objects.filter(
            Q(pk__in=registered.values("session_id")) | Q(facilitators=person)
        ).distinct()
    )
    with translation.override(language_of(person)):
        events = [
            _event(
                s,
                "TENTATIVE" if s.pk in waiting and s.status == Session.Status.SCHEDULED else None,
            )
            for s in sessions
        ]
        name = _("My Data Circle sessions")
    return _calendar(name, events)
