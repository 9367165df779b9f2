"""A member of a unit takes the maturity scan in the browser; the coordinator then reads the
results: the radar and a stage per dimension."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_browser import log_in
from tests.e2e.test_helpdesk import log_out

pytestmark = pytest.mark.e2e


@pytest.fixture
def scan(transactional_db, network):
    """Kenya's open scan on the built-in questionnaire, already answered by two colleagues in
    Health: Wanjiru's answers make the third, from which results show."""
    from datacircle.maturity.services import load_builtin_questionnaire
    from tests.maturity.conftest import answer_everything, lowest, make_scan

    made = make_scan(network["kenya"], load_builtin_questionnaire(), title="Quick scan 2026")
    answer_everything(made, lowest, 2, unit=network["kenyan"].unit)
    return made


def test_a_unit_completes_the_scan_and_the_coordinator_reads_the_results(scan, page, network):
    from datacircle.maturity.models import ScanResponse

    q = scan.questionnaire.parsed()

    # Wanjiru, of the Health unit, takes the scan.
    log_in(page, "wanjiru")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Maturity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maturity")
    page.get_by_role("link", name=re.compile("Take the scan")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quick scan 2026")
    expect(page.get_by_text("Your answers count for your unit, Health")).to_be_visible()
    for dimension in q.dimensions:
        group = page.get_by_role("group", name=dimension.name, exact=True)
        for question in dimension.questions:
            choice = question.answers[-1]  # the highest answer everywhere
            group.get_by_role("group", name=question.text, exact=True).get_by_role(
                "radio", name=choice.text, exact=True
            ).check()
        page.get_by_label(f"Where should we be in two years? ({dimension.name})").select_option(
            label=f"5 · {q.stages[4].name}"
        )
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("status")).to_contain_text(
        "your answers to “Quick scan 2026” are saved"
    )
    expect(page.get_by_role("row", name=re.compile("Quick scan 2026"))).to_contain_text(
        "Answered on"
    )
    saved = ScanResponse.objects.get(person=network["kenyan"])
    assert saved.unit == network["kenyan"].unit
    assert len(saved.answers) == len(q.questions)
    assert saved.targets == {d.id: 5 for d in q.dimensions}
    log_out(page)

    # Otieno, the coordinator, opens the results.
    log_in(page, "otieno")
    page.goto("/maturity/")
    page.get_by_role("link", name=re.compile("Results")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Maturity scan results: Quick scan 2026"
    )
    radar = page.get_by_role("img", name=re.compile("Maturity per dimension"))
    expect(radar).to_be_visible()
    expect(page.locator(".figure strong").first).to_have_text("3")
    table = page.locator("table.maturity-dimensions")
    stage_names = "|".join(re.escape(s.name) for s in q.stages)
    for dimension in q.dimensions:
        row = table.get_by_role("row", name=re.compile(re.escape(dimension.name)))
        expect(row).to_contain_text(re.compile(rf"[1-5] · ({stage_names})"))
    # Only Health answered, with three people: the unit shows on its own too.
    page.get_by_label("Show results for").select_option(label="Health (3)")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("img", name=re.compile("Health"))).to_be_visible()
