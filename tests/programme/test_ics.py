"""Calendar feeds: what a calendar app reads from a programme's and a person's address."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from datacircle.programme import ics
from datacircle.programme import sessions as services
from datacircle.programme.models import Programme

START = datetime(2030, 3, 4, 7, 0, tzinfo=UTC)


@pytest.fixture
def programme(network):
    return Programme.objects.create(
        organisation=network["kenya"],
        title="Kenya data programme",
        starts_on=date(2030, 3, 4),
        timezone="Africa/Nairobi",
        status="published",
    )


def events(content: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_programme_feed_has_its_published_sessions_in_utc(network, programme, make_session, client):
    nairobi = make_session(starts_at=START, programme=programme, minutes=30)
    online = make_session(
        starts_at=START + timedelta(days=7), programme=programme, online=True, city=""
    )
    cancelled = make_session(
        starts_at=START + timedelta(days=14), programme=programme, status="cancelled"
    )
    make_session(starts_at=START, programme=programme, status="draft")
    make_session(starts_at=START)  # not part of the programme

    response = client.get(reverse("programme-calendar", args=[programme.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Kenya data programme"
    found = events(response.content)
    assert set(found) == {f"{s.uid}@datacircle" for s in (nairobi, online, cancelled)}

    event = found[f"{nairobi.uid}@datacircle"]
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTEND") == START + timedelta(minutes=30)
    assert b"DTSTART:20300304T070000Z" in response.content
    assert str(event["SUMMARY"]) == "One chart, one message (30-minute version)"
    assert f"/programme/sessions/{nairobi.pk}/" in str(event["DESCRIPTION"])
    assert "blood drive" in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]) == "Nairobi, Kenya"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "DTSTAMP" in event
    assert str(found[f"{online.uid}@datacircle"]["LOCATION"]) == "Online"
    assert str(found[f"{cancelled.uid}@datacircle"]["STATUS"]) == "CANCELLED"


def test_a_moved_session_keeps_its_uid(programme, make_session):
    session = make_session(starts_at=START, programme=programme)
    session.starts_at = START + timedelta(hours=2)
    session.save()
    after = events(ics.programme_calendar(programme))[f"{session.uid}@datacircle"]
    assert after.decoded("DTSTART") == START + timedelta(hours=2)


def test_sequence_follows_updated_at(programme, make_session):
    from datacircle.programme.models import Session

    session = make_session(starts_at=START, programme=programme)
    Session.objects.filter(pk=session.pk).update(updated_at=datetime(2025, 1, 1, tzinfo=UTC))
    first = int(events(ics.programme_calendar(programme))[f"{session.uid}@datacircle"]["SEQUENCE"])
    Session.objects.filter(pk=session.pk).update(updated_at=datetime(2025, 1, 2, tzinfo=UTC))
    second = int(events(ics.programme_calendar(programme))[f"{session.uid}@datacircle"]["SEQUENCE"])
    assert second - first == 24 * 3600
    assert 0 < second < 2**31


def test_personal_feed_has_only_that_persons_sessions(
    network, programme, make_session, facilitator, client, extra_people
):
    mine = make_session(starts_in=timedelta(days=3), capacity=1)
    waiting = make_session(starts_in=timedelta(days=4), capacity=1)
    dropped = make_session(starts_in=timedelta(days=5))
    others = make_session(starts_in=timedelta(days=6))
    services.register(mine, network["kenyan"])
    services.register(waiting, extra_people[0])
    services.register(waiting, network["kenyan"])
    services.cancel(services.register(dropped, network["kenyan"]))
    services.register(others, extra_people[1])
    services.register(waiting, facilitator)  # on the waiting list of a session they lead

    url = ics.person_calendar_url(network["kenyan"])
    assert "/programme/me/" in url
    response = client.get(url.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    found = events(response.content)
    assert set(found) == {f"{mine.uid}@datacircle", f"{waiting.uid}@datacircle"}
    assert str(found[f"{waiting.uid}@datacircle"]["STATUS"]) == "TENTATIVE"
    assert str(found[f"{mine.uid}@datacircle"]["STATUS"]) == "CONFIRMED"
    # When a session is cancelled, it stays in the feed so calendar apps remove it.
    mine.status = "cancelled"
    mine.save()
    found = events(ics.person_calendar(network["kenyan"]))
    assert str(found[f"{mine.uid}@datacircle"]["STATUS"]) == "CANCELLED"

    # The facilitator's feed has every session they lead, with nobody's registrations.
    facilitated = events(ics.person_calendar(facilitator))
    assert set(facilitated) == {f"{s.uid}@datacircle" for s in (mine, waiting, dropped, others)}
    # Their own sessions are never "tentative", whoever waits for a place.
    assert sorted(str(e["STATUS"]) for e in facilitated.values()) == [
        "CANCELLED",
        "CONFIRMED",
        "CONFIRMED",
        "CONFIRMED",
    ]


def test_bad_tokens_are_not_found(network, programme, client):
    assert client.get(reverse("programme-calendar", args=["nope"])).status_code == 404
    token = ics.person_token(network["kenyan"])
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert client.get(reverse("programme-my-calendar", args=[forged])).status_code == 404
    # A token signed for something else (another salt) does not open a calendar.
    from django.core import signing

    other = signing.dumps(network["kenyan"].pk, salt="datacircle.peers.match")
    assert client.get(reverse("programme-my-calendar", args=[other])).status_code == 404
    valid = client.get(reverse("programme-my-calendar", args=[token]))
    assert valid.status_code == 200
