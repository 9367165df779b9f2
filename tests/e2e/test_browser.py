"""What a person does in the browser: log in, walk every area, stay inside their organisation."""

import re

import pytest
from playwright.sync_api import expect

from datacircle.web.navigation import AREAS
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e


def log_in(page, username):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_member_logs_in_and_visits_every_area(network, page, transactional_db):
    log_in(page, "wanjiru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Wanjiru")
    navigation = page.get_by_role("navigation", name="Main")
    for area in AREAS:
        navigation.get_by_role("link", name=str(area.label), exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(str(area.label))
        expect(navigation.get_by_role("link", name=str(area.label), exact=True)).to_have_attribute(
            "aria-current", "page"
        )
    navigation.get_by_role("link", name="People").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Achieng Njeri")
    expect(table).not_to_contain_text("Diop")
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_keyboard_user_can_skip_to_content(network, page, transactional_db):
    log_in(page, "wanjiru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Wanjiru")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_wrong_password_keeps_the_visitor_out(network, page, transactional_db):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("wanjiru")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")


def test_arabic_layout_runs_right_to_left_on_a_phone(
    network, browser, live_server, transactional_db
):
    # Signed in, a person reads pages in their own first language: make Wanjiru work in Arabic.
    network["kenyan"].languages = ["ar", "en"]
    network["kenyan"].save()
    context = browser.new_context(
        base_url=live_server.url, locale="ar", viewport={"width": 375, "height": 740}
    )
    page = context.new_page()
    log_in_arabic = page.goto("/accounts/login/")
    assert log_in_arabic.ok
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("#id_username").fill("wanjiru")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page.locator("main h1")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "no sideways scrolling on a phone"
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > 375 / 2, "in RTL the brand sits on the right"
    context.close()
