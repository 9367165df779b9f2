"""Results: scores computed by hand on a small questionnaire, the questionnaire version a scan
keeps, the unit threshold, the benchmark against peers, the trend and next steps."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.maturity.conftest import (
    SMALL,
    answer,
    answer_everything,
    colleague,
    highest,
    lowest,
    make_scan,
)

# Three Kenyans in Health. Per dimension (mean of the answered scores):
#   R1  leadership (4+5)/2 = 4.5   data (3+3)/2 = 3     tools (2+1)/2 = 1.5
#   R2  leadership (2+3)/2 = 2.5   data 1 (one skipped)  tools (4+5)/2 = 4.5
#   R3  leadership (3+1)/2 = 2     data (5+3)/2 = 4     tools: nothing answered
# Combined:
#   leadership mean 9/3 = 3.0, median 2.5, 2.0–4.5, sd sqrt(3.5/3) = 1.08; stage 3;
#              targets 5 and 4 -> 4.5, gap 1.5 (a weakness: gap >= 1.5)
#   data       mean 8/3 = 2.67, median 3, 1.0–4.0, sd sqrt(14/9) = 1.25; stage 3;
#              target 4, gap 1.33 (the lowest mean: a weakness)
#   tools      two respondents: mean 3.0, 1.5–4.5, sd 1.50; stage 3; targets 4 and 3 -> 3.5
#              (the only strength)
RESPONSES = [
    (
        {
            "lead-asks": 4,
            "lead-budget": 5,
            "data-quality": 3,
            "data-findable": 3,
            "tools-fit": 2,
            "tools-support": 1,
        },
        {"leadership": 5, "data": 4, "tools": 4},
    ),
    (
        {"lead-asks": 2, "lead-budget": 3, "data-quality": 1, "tools-fit": 4, "tools-support": 5},
        {"leadership": 4, "tools": 3},
    ),
    ({"lead-asks": 3, "lead-budget": 1, "data-quality": 5, "data-findable": 3}, {}),
]


@pytest.fixture
def answered(network, small_scan):
    for answers, targets in RESPONSES:
        answer(small_scan, answers, targets, unit=network["kenyan"].unit)
    return small_scan


def test_scores_match_the_hand_computed_case(answered):
    from datacircle.maturity import services

    found = services.results(answered)
    assert found.enough and str(found.respondents) == "3"
    lead, data, tools = (found.combined[d] for d in ("leadership", "data", "tools"))
    assert (lead.mean, lead.median, lead.low, lead.high) == (3.0, 2.5, 2.0, 4.5)
    assert lead.spread == pytest.approx((3.5 / 3) ** 0.5)
    assert (lead.stage, lead.target, lead.gap) == (3, 4.5, 1.5)
    assert data.mean == pytest.approx(8 / 3) and data.median == 3 and data.stage == 3
    assert data.spread == pytest.approx((14 / 9) ** 0.5)
    assert data.gap == pytest.approx(4 - 8 / 3)
    assert (tools.respondents, tools.mean, tools.spread, tools.target) == (2, 3.0, 1.5, 3.5)
    assert found.weaknesses == ["leadership", "data"]
    assert found.strengths == ["tools"]


def test_the_results_page_shows_radar_stages_spread_and_targets(network, login, answered):
    html = (
        login(network["kenyan_coordinator"])
        .get(reverse("maturity-results", args=[answered.pk]))
        .content.decode()
    )
    assert 'role="img"' in html and "<polygon" in html
    assert "3 · <bdi>Stem</bdi>" in html
    for row in ("3.0", "2.0–4.5 (σ 1.08)", "4.5", "2.7", "1.0–4.0 (σ 1.25)", "1.5–4.5 (σ 1.50)"):
        assert row in html
    strengths = html.split("<h3>Strengths</h3>")[1].split("</div>")[0]
    weaknesses = html.split("<h3>Weaknesses</h3>")[1].split("</div>")[0]
    assert "Tools" in strengths and "Leadership" not in strengths
    assert "Leadership" in weaknesses and "Data" in weaknesses
    assert "benchmark appears once at least 5 peer organisations" in html
    assert "Colleague" not in html  # never a respondent's name


def test_a_questionnaire_change_does_not_corrupt_old_rounds(network, login, answered):
    from datacircle.maturity import services

    before = services.results(answered).combined
    old_content = answered.questionnaire.content
    # The coordinator rescores lead-budget and drops the data dimension's second question.
    changed = SMALL.replace("{score: 5, text: In the core budget}", "{score: 4, text: Core}")
    changed = changed.replace(
        """      - id: data-findable
        text: Can you find the data you need?
        answers:
          - {score: 1, text: Rarely}
          - {score: 3, text: Mostly}
          - {score: 5, text: Always}
""",
        "",
    )
    response = login(network["kenyan_coordinator"]).post(
        reverse("maturity-questionnaire"), {"text": changed}
    )
    assert response.status_code == 302
    newest = services.current_questionnaire(network["kenya"])
    assert newest.version == answered.questionnaire.version + 1
    answered.refresh_from_db()
    assert answered.questionnaire.content == old_content
    assert services.results(answered).combined == before
    # A new scan takes the new version; its results use it.
    later = make_scan(network["kenya"], newest, title="Scan 2027", opens=date(2027, 4, 5))
    answer_everything(later, highest, 3, unit=network["kenyan"].unit)
    assert services.results(later).combined["leadership"].mean == 4.5  # (5 + 4) / 2
    # The trend lists both scans, each scored with its own version.
    trend = services.results(later).trend
    assert trend["leadership"] == [("Scan 2026", 3.0), ("Scan 2027", 4.5)]


def test_results_show_from_three_respondents(network, login, small_scan):
    coordinator = login(network["kenyan_coordinator"])
    url = reverse("maturity-results", args=[small_scan.pk])
    answer_everything(small_scan, lowest, 2, unit=network["kenyan"].unit)
    html = coordinator.get(url).content.decode()
    assert "Fewer than 3 people have answered" in html and "<svg" not in html
    answer_everything(small_scan, lowest, 1)  # no unit: counts for the organisation only
    html = coordinator.get(url).content.decode()
    assert "<svg" in html


def test_a_units_results_show_only_from_three_respondents_in_it(network, login, small_scan):
    from datacircle.accounts.models import Unit

    health = network["kenyan"].unit
    nairobi = Unit.objects.create(organisation=network["kenya"], name="Nairobi branch")
    answer_everything(small_scan, lowest, 2, unit=health)
    answer_everything(small_scan, highest, 3, unit=nairobi)
    coordinator = login(network["kenyan_coordinator"])
    url = reverse("maturity-results", args=[small_scan.pk])
    html = coordinator.get(url).content.decode()
    assert f'<option value="{nairobi.pk}"' in html
    assert f'<option value="{health.pk}"' not in html
    assert "1 unit has fewer than 3 respondents" in html
    small = coordinator.get(url, {"unit": health.pk}).content.decode()
    assert "Fewer than 3 people in <bdi>Health</bdi> have answered" in small and "<svg" not in small
    shown = coordinator.get(url, {"unit": nairobi.pk}).content.decode()
    assert "<svg" in shown and "5.0" in shown  # Nairobi answered the highest everywhere
    # The organisation combines all five: leadership (1+1)/2 = 1 twice, 5 three times -> 3.4.
    assert "3.4" in coordinator.get(url).content.decode()
    # A unit of another organisation is no filter.
    other = Unit.objects.create(organisation=network["senegal"], name="Thiès")
    assert coordinator.get(url, {"unit": other.pk}).status_code == 404


def peers(network, version, count, respondents=3, offset=0):
    from datacircle.accounts.models import Organisation

    made = []
    for n in range(offset, offset + count):
        organisation = Organisation.objects.create(
            slug=f"peer-{n}", name=f"Peer {n}", kind="national_society", country="FR"
        )
        scan = make_scan(organisation, version, title=f"Peer scan {n}")
        answer_everything(
            scan, lambda q, n=n: q.answers[min(n, len(q.answers) - 1)].score, respondents
        )
        made.append(scan)
    return made


def test_benchmark_hidden_under_five_peers_and_shown_at_five(network, login, builtin_version):
    from datacircle.accounts.models import Organisation

    kenya_scan = make_scan(network["kenya"], builtin_version)
    answer_everything(kenya_scan, lambda q: q.answers[1].score, 3)
    peers(network, builtin_version, 4)
    # Not peers: too few respondents, or a questionnaire with other dimensions.
    few = Organisation.objects.create(slug="few", name="Few", kind="partner", country="FR")
    answer_everything(make_scan(few, builtin_version, title="Few"), lowest, 2)
    from datacircle.maturity.services import save_questionnaire

    other = Organisation.objects.create(slug="other", name="Other", kind="partner", country="FR")
    answer_everything(
        make_scan(other, save_questionnaire(other, SMALL, None), title="O"), lowest, 3
    )

    coordinator = login(network["kenyan_coordinator"])
    url = reverse("maturity-results", args=[kenya_scan.pk])
    html = coordinator.get(url).content.decode()
    assert "benchmark appears once at least 5 peer organisations" in html
    assert "Peers' median" not in html and "Peers (median)" not in html

    peers(network, builtin_version, 1, offset=4)  # the fifth proper peer
    html = coordinator.get(url).content.decode()
    assert "against 5 peer organisations" in html
    assert "Peers' median" in html and "Peers (median)" in html  # table and radar


def test_next_steps_link_library_modules_and_order_skills_by_demand(network, login, answered):
    from datacircle.library.services import load_starter_library
    from datacircle.peers.models import Profile

    load_starter_library()
    for _ in range(5):
        Profile.objects.create(
            person=colleague(network["kenya"]), wants={"dashboards": 1}, source="self"
        )
    html = (
        login(network["kenyan_coordinator"])
        .get(reverse("maturity-results", args=[answered.pk]))
        .content.decode()
    )
    steps = html.split('id="steps-heading"')[1]
    leadership = steps.split('<h3 dir="auto">Leadership</h3>')[1].split("<h3")[0]
    # Dashboards is wanted by five people, the others by nobody: it comes first.
    assert leadership.index("Dashboards") < leadership.index("Data literacy")
    assert "(5)" in leadership
    assert 'href="/library/' in leadership
