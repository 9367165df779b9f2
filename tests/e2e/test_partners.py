"""A coordinator adds a partner and records a guest talk at one of the organisation's sessions,
then finds it on the partner page and on the session page; a member sees the partner without
its contacts."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.test_browser import log_in
from tests.e2e.test_helpdesk import log_out

pytestmark = pytest.mark.e2e

NAME = "Savannah University Data Science Lab"


@pytest.fixture
def session(transactional_db, network):
    from django.utils import timezone

    from datacircle.library.models import ModuleVersion
    from datacircle.library.services import load_starter_library
    from datacircle.programme.models import Session

    load_starter_library()
    return Session.objects.create(
        organisation=network["kenya"],
        module_version=ModuleVersion.objects.get(module__slug="table-to-three-findings"),
        starts_at=timezone.now() + timedelta(days=9),
        city="Nairobi",
        language="en",
        status="scheduled",
    )


def test_coordinator_adds_a_partner_and_an_engagement(session, network, page):
    from datacircle.partners.models import Engagement, Partner

    log_in(page, "otieno")
    page.goto("/network/partners/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Partners and allies")
    page.get_by_role("link", name="Add a partner").click()
    page.get_by_label("Name").fill(NAME)
    page.get_by_label("Kind").select_option("university")
    page.get_by_label("Country").select_option("KE")
    page.get_by_label("Formal agreement").check()
    page.get_by_label("Agreement signed on").fill("2025-06-01")
    page.get_by_label("Agreement ends on").fill("2025-05-01")
    page.get_by_label("Statistics").check()
    page.get_by_label("Analysing data").check()
    page.get_by_role("button", name="Add the partner").click()

    # The end before the signing is refused, and what was typed is kept.
    expect(page.get_by_text("The agreement cannot end before it was signed.")).to_be_visible()
    expect(page.get_by_label("Statistics")).to_be_checked()
    page.get_by_label("Agreement ends on").fill("2027-05-31")
    page.get_by_role("button", name="Add the partner").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.get_by_role("status")).to_contain_text("Added the partner.")
    expect(page.locator(".facts")).to_contain_text("Analysing data, Statistics")

    page.get_by_role("link", name="Record an engagement").click()
    page.get_by_label("Kind").select_option("guest_talk")
    page.get_by_label("Title").fill("What a sample can tell you")
    page.get_by_label("Date").fill("2026-03-12")
    page.get_by_label("Session").select_option(str(session.pk))
    page.get_by_role("button", name="Save the engagement").click()

    engagements = page.get_by_role("region", name="Engagements")
    row = engagements.get_by_role("row", name="What a sample can tell you")
    expect(row).to_contain_text("12 March 2026")
    expect(row).to_contain_text("Guest talk")
    row.get_by_role("link", name="From a table to three findings").click()
    expect(page.get_by_role("region", name="Partners and allies")).to_contain_text(
        f"With {NAME} — guest talk, 12 March 2026"
    )
    partner = Partner.objects.get(name=NAME)
    assert partner.organisation == network["kenya"] and partner.expertise == [
        "analysis",
        "statistics",
    ]
    assert Engagement.objects.get(partner=partner).session == session
    log_out(page)

    # A member of the same organisation finds the partner, but no contacts and no edit.
    log_in(page, "wanjiru")
    page.goto("/network/partners/")
    page.get_by_role("link", name=NAME).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.get_by_role("region", name="Contacts")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
