"""A coordinator runs a scoping round from form to report in the browser."""

import re

import pytest
from playwright.sync_api import expect

from datacircle.core.demo_scoping import write_kobo_csv
from tests.e2e.test_browser import log_in
from tests.scoping.conftest import frame_of

pytestmark = pytest.mark.e2e


def test_round_from_questionnaire_to_report(
    network, page, browser, live_server, transactional_db, tmp_path
):
    log_in(page, "otieno")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Skills scoping").click()
    page.get_by_role("link", name="New round").click()
    page.get_by_label("Title").fill("Data skills 2026")
    page.get_by_label("Short identifier").fill("skills-2026")
    page.get_by_label("Status").select_option("open")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data skills 2026")
    public_url = page.locator("#link-heading + p + p a").get_attribute("href")

    # A volunteer answers on a phone, without an account and without JavaScript.
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=False, locale="en-GB"
    )
    form = phone.new_page()
    form.goto(public_url)
    form.get_by_label("Yes").check()
    form.get_by_label("Your unit, department or branch").select_option("Health")
    form.get_by_role(
        "group", name="Which data skills would you like to learn or improve?"
    ).get_by_label("Analysing data").select_option("1")
    form.get_by_role(
        "group", name="Which data skills could you share with colleagues?"
    ).get_by_label("Spreadsheets").select_option("4")
    form.get_by_label("Not enough time").check()
    form.get_by_role("button", name="Send my answers").click()
    expect(form.get_by_role("heading", level=1)).to_have_text("Thank you")
    phone.close()

    # The rest of the round comes from a KoboToolbox export.
    export = tmp_path / "kobo.csv"
    write_kobo_csv(
        frame_of(
            *[
                {"unit": "Health", "learn": {"analysis": 2}, "share": {"spreadsheets": 3}}
                for _ in range(9)
            ]
        ),
        export,
    )
    page.get_by_role("link", name="Import answers").click()
    page.get_by_label("Export file").set_input_files(str(export))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("9 new, 0 updated, 0 already imported.")).to_be_visible()
    page.get_by_role("link", name="Back to the round").click()

    page.get_by_role("link", name="Report", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Skills scoping report")
    expect(page.locator(".figure strong").first).to_have_text("10")
    table = page.get_by_role("table").filter(has_text="Skills ranked")
    expect(table.get_by_role("row", name=re.compile("^Analysing data 10"))).to_be_visible()
    expect(table.get_by_role("row", name=re.compile("^Spreadsheets"))).to_contain_text("10")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename == "scoping-kenya-rc-skills-2026.pdf"
