"""Our scripts speak the language a person chose: the library editor's live design check in
French, the help desk's note when suggestions cannot load in Arabic; the JavaScript catalogue
they read loads from this server under the Content-Security-Policy, without a console error."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_language
from tests.e2e.test_browser import log_in
from tests.e2e.test_library import library  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e


@pytest.fixture
def adaptation(library):  # noqa: F811 (the fixture imported above)
    """Baraka (test_library's facilitator, who reads English) and his adaptation of a starter
    module."""
    from datacircle.accounts.models import Person
    from datacircle.library import services

    baraka = Person.objects.get(user__username="baraka")
    starter = services.find("datacircle/one-chart-one-message")
    return services.adapt(starter.latest_version, baraka.organisation, baraka)


def watch_console(page) -> list[str]:
    """Console errors (a script refused by the policy is one) and uncaught script errors."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_the_live_design_check_speaks_french(adaptation, page):
    problems = watch_console(page)
    log_in(page, "baraka")
    choose_language(page, "fr")
    with page.expect_response(re.compile(r"/jsi18n/fr/$")) as caught:
        page.goto(f"/library/{adaptation.pk}/edit/")
    catalogue = caught.value
    assert catalogue.status == 200
    assert catalogue.headers["content-type"].startswith("text/javascript")
    assert "max-age" in catalogue.headers["cache-control"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier le module")

    status = page.locator("#preview-panel").locator("xpath=preceding-sibling::*[@role='status']")
    page.locator("#id_duration").fill("90")  # longer than a session may be: a finding
    expect(status).to_have_text(re.compile(r"^\d+ points? de conception à (corriger|envisager)"))
    expect(page.locator("#preview-panel")).to_contain_text("DC001")
    page.locator("#id_duration").fill("60")
    expect(status).to_have_text("Vérifié : le module respecte toutes les règles de conception.")
    page.locator("#id_title").fill("")  # a module needs a title: it cannot be saved
    expect(status).to_have_text("1 problème empêche d'enregistrer le module.")
    assert problems == []


def test_help_desk_suggestions_say_in_arabic_when_they_cannot_load(network, page):
    problems = watch_console(page)
    log_in(page, "wanjiru")
    choose_language(page, "ar")
    page.goto("/helpdesk/ask/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # The script and its catalogue loaded without a complaint, in Arabic.
    assert page.evaluate("window.django && window.django.jsi18n_initialized") is True
    eleven = page.evaluate(
        "interpolate(ngettext('%(count)s design finding to consider.',"
        " '%(count)s design findings to consider.', 11), {count: 11}, true)"
    )
    assert eleven == "11 ملاحظةً في التصميم يُستحسن مراعاتها."  # the fifth of six forms
    assert problems == []

    # The network fails while the question is typed: the reader is told, in Arabic.
    page.route("**/helpdesk/suggestions/**", lambda route: route.abort())
    page.locator("#id_title").press_sequentially("buffer around clinics")
    expect(page.locator("#faq-suggestions")).to_have_text(
        "اقتراحات الأسئلة الشائعة غير متاحة حاليًا؛ ولا يزال بإمكانك إرسال سؤالك."
    )
