"""A member opens the network view: the reach map, the table row for a country, and an
organisation's own reach one click away."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.test_browser import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def deliveries(transactional_db, network):
    from datacircle.library.models import ModuleVersion
    from datacircle.library.services import load_starter_library
    from datacircle.programme.models import Delivery

    load_starter_library()
    version = ModuleVersion.objects.get(module__slug="one-chart-one-message")
    for organisation, held_on, participants, city, country in [
        (network["kenya"], date(2025, 3, 4), 20, "Nairobi", "KE"),
        (network["kenya"], date(2026, 2, 3), 14, "Mombasa", "KE"),
        (network["senegal"], date(2026, 3, 2), 3, "Dakar", "SN"),
    ]:
        Delivery.objects.create(
            module_version=version,
            organisation=organisation,
            held_on=held_on,
            city=city,
            country=country,
            language="en",
            participants=participants,
        )


def test_member_reads_the_reach_map_and_opens_an_organisation(deliveries, page):
    log_in(page, "wanjiru")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Network & partners"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Network & partners")
    world = page.get_by_role("img", name="Deliveries of Data Circle modules by country")
    expect(world).to_be_visible()
    expect(world.locator('path[data-country="KE"].has-count')).to_have_count(1)

    countries = page.get_by_role("table", name="Deliveries and people reached by country")
    expect(countries.get_by_role("row", name=re.compile("^Kenya"))).to_contain_text("34")
    expect(countries.get_by_role("row", name=re.compile("^Senegal"))).to_contain_text("<5")

    page.get_by_label("Year").select_option("2025")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"year=2025"))
    # With a filter only deliveries show: people could be worked out by subtraction.
    expect(countries.get_by_role("row", name=re.compile("^Kenya"))).to_have_text(
        re.compile(r"Kenya\s*1\s*–")
    )
    expect(page.get_by_text("people reached are not shown")).to_be_visible()
    expect(countries.get_by_role("row", name=re.compile("^Senegal"))).to_have_count(0)

    organisations = page.get_by_role(
        "table", name="What each organisation has given to the library and delivered"
    )
    organisations.get_by_role("link", name="Kenya Red Cross Society").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reach of Kenya Red Cross Society")
    expect(page.get_by_role("table", name="Deliveries and people reached by year")).to_contain_text(
        "2026"
    )
