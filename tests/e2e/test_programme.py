"""A member registers for a session in the browser, the facilitator takes attendance and marks
a session held, and the member gives feedback on it."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.test_browser import log_in
from tests.e2e.test_helpdesk import log_out

pytestmark = pytest.mark.e2e

TITLE = "One chart, one message (30-minute version)"


@pytest.fixture
def sessions(transactional_db, network):
    """Two Kenyan sessions facilitated by Baraka: one next week, one that started an hour ago
    with Wanjiru registered (registration closes at the start, so her place is made here)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from datacircle.accounts.models import Person
    from datacircle.library.models import ModuleVersion
    from datacircle.library.services import load_starter_library
    from datacircle.programme.models import Registration, Session
    from tests.conftest import PASSWORD

    load_starter_library()
    version = ModuleVersion.objects.get(module__slug="one-chart-one-message-short")
    baraka = Person.objects.create(
        organisation=network["kenya"],
        given_name="Baraka",
        family_name="Mwangi",
        kind="staff",
        role="facilitator",
        languages=["en"],
        timezone="Africa/Nairobi",
        user=get_user_model().objects.create_user("baraka", password=PASSWORD),
    )

    def session(starts_in, city):
        made = Session.objects.create(
            organisation=network["kenya"],
            module_version=version,
            starts_at=timezone.now() + starts_in,
            minutes=30,
            city=city,
            country="KE",
            language="en",
            capacity=8,
            status="scheduled",
        )
        made.facilitators.add(baraka)
        return made

    upcoming = session(timedelta(days=7), "Nakuru")
    started = session(timedelta(hours=-1), "Nairobi")
    Registration.objects.create(session=started, person=network["kenyan"], status="registered")
    Registration.objects.create(
        session=started, person=network["kenyan_nologin"], status="registered"
    )
    return {"upcoming": upcoming, "started": started}


def test_register_take_attendance_and_give_feedback(sessions, page, network):
    from datacircle.programme.models import Delivery, Feedback, Registration

    upcoming, started = sessions["upcoming"], sessions["started"]

    # Wanjiru registers for next week's session from the list.
    log_in(page, "wanjiru")
    page.goto("/programme/sessions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessions")
    listed = page.get_by_role("region", name="Upcoming sessions")
    expect(listed.get_by_role("row", name=re.compile("Nakuru"))).to_contain_text("8")
    listed.get_by_role("row", name=re.compile("Nakuru")).get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Africa/Nairobi")).to_be_visible()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("status")).to_contain_text("You are registered.")
    expect(page.get_by_role("button", name="Cancel my registration")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("7 of 8")
    assert Registration.objects.get(session=upcoming, person=network["kenyan"]).status == (
        "registered"
    )
    page.get_by_role("link", name="Sessions", exact=True).first.click()
    mine = page.get_by_role("region", name="My sessions")
    expect(mine.get_by_role("row", name=re.compile("Nakuru"))).to_contain_text("Registered")
    log_out(page)

    # Baraka marks who came to the session that has started, then marks it held.
    log_in(page, "baraka")
    page.goto(f"/programme/sessions/{started.pk}/")
    attendance = page.get_by_role("group", name="Who came?")
    attendance.get_by_label("Wanjiru Kamau").check()
    expect(attendance.get_by_label("Achieng Njeri")).not_to_be_checked()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_role("status")).to_contain_text("Attendance saved: 1 person came.")
    expect(
        page.get_by_role("group", name="Who came?").get_by_label("Wanjiru Kamau")
    ).to_be_checked()
    page.get_by_role("button", name="Mark as held").click()
    expect(page.get_by_role("status")).to_contain_text("Marked as held, with 1 participant.")
    assert Delivery.objects.get(session=started).participants == 1
    log_out(page)

    # Wanjiru gives feedback: confidence before and after on each outcome, a rating.
    log_in(page, "wanjiru")
    page.goto(f"/programme/sessions/{started.pk}/")
    feedback = page.get_by_role("region", name="Your feedback")
    outcomes = feedback.locator("fieldset.outcome")
    expect(outcomes).to_have_count(2)
    for index, (before, after) in enumerate([("2", "4"), ("1", "3")]):
        outcome = outcomes.nth(index)
        outcome.get_by_role("group", name="Before the session").get_by_label(
            before, exact=True
        ).check()
        outcome.get_by_role("group", name="After the session").get_by_label(
            after, exact=True
        ).check()
    feedback.get_by_role("group", name="How useful was the session for you?").get_by_label(
        "5", exact=True
    ).check()
    feedback.get_by_label("Anything you want to tell the facilitators?").fill("Clear and short")
    feedback.get_by_role("button", name="Send my feedback").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you for your feedback.")
    expect(page.get_by_role("button", name="Update my feedback")).to_be_visible()
    saved = Feedback.objects.get(session=started, person=network["kenyan"])
    assert (saved.confidence, saved.rating, saved.comment) == (
        [[2, 4], [1, 3]],
        5,
        "Clear and short",
    )
