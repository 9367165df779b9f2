"""A coordinator matches the demo network in the browser; two people answer from their emails."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from datacircle.core.demo import DEMO_PASSWORD, build_network

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_network(transactional_db):
    from datacircle.accounts.demo import load_network
    from datacircle.peers.demo import load_profiles

    network = build_network(people=150)
    load_network(network)
    load_profiles(network)
    return network


def link_for(match, side: str) -> str:
    """The private link of one side of a match, after checking they were emailed such a link
    (a person may be in several matches, so their last email may be about another one)."""
    from datacircle.peers.services import match_link

    person = getattr(match, side)
    assert any(m.to == [person.email] and "/peers/m/" in m.body for m in mail.outbox)
    return match_link(match, side)


def test_coordinator_matches_the_demo_network_and_people_accept(
    demo_network, page, browser, live_server
):
    page.goto("/")
    page.get_by_label("Username").fill("coordinator")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Help desk & peers"
    ).click()
    page.get_by_role("link", name="Matching rounds").click()
    page.get_by_label("Title").fill("Browser round")
    page.get_by_role("button", name="Compute the matches").click()
    expect(page.get_by_text(re.compile(r"\d+ of \d+ learners matched"))).to_be_visible()
    page.get_by_role("link", name="Review the matches").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Browser round")
    matches = page.get_by_role("table").filter(has_text="Learns from")
    expect(matches.get_by_text("Both speak English.").first).to_be_visible()
    rows_before = matches.locator("tbody tr").count()
    assert rows_before > 3

    # The coordinator takes one match out, then publishes the rest.
    matches.get_by_role("button", name=re.compile("^Remove")).first.click()
    expect(page.get_by_text(re.compile("^Removed the match of"))).to_be_visible()
    expect(matches.locator("tbody tr")).to_have_count(rows_before - 1)
    expect(page.get_by_text("Removed from the round by a coordinator.")).to_be_visible()
    page.get_by_role("button", name="Publish the matches").click()
    expect(page.get_by_text(re.compile("^Published: "))).to_be_visible()
    assert len(mail.outbox) == 2 * (rows_before - 1)

    # Both people of the first match answer from their email links, without an account.
    from datacircle.peers.models import Match

    match = Match.objects.filter(round__title="Browser round").order_by("pk").first()
    person = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    person.goto(link_for(match, "learner"))
    person.get_by_role("button", name="Accept").click()
    expect(person.get_by_text("You answered; we are waiting for the other person.")).to_be_visible()
    person.goto(link_for(match, "sharer"))
    person.get_by_role("button", name="Accept").click()
    expect(person.locator(".facts")).to_contain_text("Active")
    person.get_by_label("How useful was it?").select_option("5")
    person.get_by_label("A few words on what you learned or shared").fill("Great session")
    person.get_by_role("button", name="Mark as completed").click()
    expect(person.locator(".facts")).to_contain_text("Completed")
    person.context.close()

    page.reload()
    expect(page.locator(".facts")).to_contain_text("Completed: 1")
