"""The module design linter: each rule, disabling, positions, languages (issue 5)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datacircle.core.lint import RULES, Finding, format_finding, lint
from datacircle.core.modules import Activity, Module, dump, parse, positions

GOOD_TEXT = """\
---
id: spot-the-errors
organisation: datacircle
title: Spot the errors in a distribution list
summary: Groups hunt for errors in an invented list and write a cleaning log.
language: en
skills: [cleaning, data-literacy]
level: 1
duration: 60
unplugged: true
outcomes:
- Participants will be able to identify duplicates and missing values in a list.
- Participants will be able to write a cleaning log.
agenda:
- minutes: 5
  kind: discussion
  participatory: true
  title: Check-in
- minutes: 15
  kind: presentation
  participatory: false
  title: Kinds of errors
- minutes: 30
  kind: exercise
  participatory: true
  title: Hunt the errors
- minutes: 10
  kind: close
  participatory: true
  title: One habit I will keep
materials:
- Printed invented list (one per group)
- Coloured pens
licence: CC-BY-4.0
status: draft
version: 0
---

## Data protection

The list is invented: never bring a real beneficiary list to a session.
"""
GOOD = parse(GOOD_TEXT)


def _rules(module: Module) -> list[str]:
    return [f.rule for f in lint(module)]


def _with_activity(i: int, **changes: object) -> Module:
    agenda = list(GOOD.agenda)
    agenda[i] = replace(agenda[i], **changes)
    return replace(GOOD, agenda=tuple(agenda))


def test_a_good_module_has_no_finding():
    assert lint(GOOD, positions=positions(GOOD_TEXT)) == []


def test_rules_are_documented_and_ordered():
    assert [r.id for r in RULES] == [f"DC{n:03d}" for n in range(10)]
    assert all(r.severity == "error" and r.title and r.hint for r in RULES)


def test_dc001_a_session_lasts_at_most_an_hour():
    agenda = (*GOOD.agenda[:-1], Activity(20, "exercise", True, "More"), GOOD.agenda[-1])
    [finding] = lint(replace(GOOD, duration=80, agenda=agenda))
    assert (finding.rule, finding.path) == ("DC001", "duration")
    assert finding.text == "The session lasts 80 minutes; keep it to 60 or less."


def test_dc002_agenda_adds_up_to_the_duration():
    [finding] = lint(replace(GOOD, duration=55))
    assert (finding.rule, finding.path) == ("DC002", "agenda")
    assert finding.text == "The agenda adds up to 60 minutes but the duration is 55 minutes."


def test_dc002_empty_agenda_says_so_and_silences_the_agenda_rules():
    [finding] = lint(replace(GOOD, agenda=()))
    assert finding.rule == "DC002"
    assert finding.text.startswith("The agenda is empty; add activities")
    assert "60 minutes" in finding.text


def test_dc003_at_least_one_outcome():
    [finding] = lint(replace(GOOD, outcomes=()))
    assert (finding.rule, finding.path) == ("DC003", "outcomes")


@pytest.mark.parametrize(
    "outcome, verb",
    [
        ("Participants will understand why lists have errors.", "understand"),
        ("Participants will know the kinds of errors.", "know"),
        ("Participants will be aware of data quality.", "be aware"),
        ("Participants will appreciate clean data.", "appreciate"),
        ("Participants will understand how to build a chart.", "understand"),
    ],
)
def test_dc004_vague_outcomes_name_the_vague_verb(outcome, verb):
    module = replace(GOOD, outcomes=(GOOD.outcomes[0], outcome))
    [finding] = lint(module)
    assert (finding.rule, finding.path) == ("DC004", "outcomes[1]")
    assert f"'{verb}'" in finding.text and "Outcome 2" in finding.text
    assert "list, draft, calculate" in finding.text


def test_dc004_outcome_without_any_verb():
    [finding] = lint(replace(GOOD, outcomes=("Data quality.",)))
    assert finding.text.startswith("Outcome 1 has no observable verb")


@pytest.mark.parametrize(
    "outcome",
    [
        "Participants will be able to LIST three kinds of errors.",
        "Participants will be able to calculate a rate per 1,000 people.",
        "Participants will be able to prioritise fixes and compare two lists.",
        "Learners will be able to sort cards into data and not data.",
    ],
)
def test_dc004_observable_outcomes_pass(outcome):
    assert lint(replace(GOOD, outcomes=(outcome,))) == []


@pytest.mark.parametrize(
    "language, good, vague",
    [
        (
            "fr",
            "Les participants seront capables d'énumérer les erreurs et de rédiger un journal.",
            "Les participants comprendront pourquoi les listes contiennent des erreurs.",
        ),
        (
            "es",
            "Las personas participantes podrán identificar duplicados y redactar un registro.",
            "Las personas participantes comprenderán la calidad de los datos.",
        ),
        (
            "ar",
            "سيتمكن المشاركون من تحديد الأخطاء وكتابة سجل التنظيف.",
            "سيفهم المشاركون أهمية جودة البيانات.",
        ),
    ],
)
def test_dc004_outcome_verbs_in_every_language(language, good, vague):
    base = replace(GOOD, language=language)
    assert _rules(replace(base, outcomes=(good,))) == []
    [finding] = lint(replace(base, outcomes=(vague,)))
    assert finding.rule == "DC004" and "nobody can observe" in finding.message


def test_dc004_accents_and_case_do_not_matter():
    text = "LES PARTICIPANTS SERONT CAPABLES DE REDIGER UNE NOTE."  # rédiger without accent
    assert _rules(replace(GOOD, language="fr", outcomes=(text,))) == []


def test_dc005_at_least_half_participatory():
    module = _with_activity(2, participatory=False)
    [finding] = lint(module)
    assert (finding.rule, finding.path) == ("DC005", "agenda")
    assert finding.text == ("Only 15 of the 60 minutes are participatory; make it at least 30.")
    assert lint(_with_activity(0, participatory=False)) == []  # 40 of 60 is enough


def test_dc006_presentations_of_15_minutes_at_most():
    module = replace(
        GOOD,
        agenda=(
            Activity(5, "discussion", True, "Check-in"),
            Activity(20, "presentation", False, "Kinds of errors"),
            Activity(25, "exercise", True, "Hunt"),
            Activity(10, "reflection", True, "What I take away"),
        ),
    )
    [finding] = lint(module)
    assert (finding.rule, finding.path) == ("DC006", "agenda[1]")
    assert finding.text == "A presentation block lasts 20 minutes; keep each to 15 minutes or less."
    assert lint(_with_activity(2, kind="presentation", minutes=30)) != []


def test_dc007_ends_with_reflection_or_close():
    [finding] = lint(_with_activity(3, kind="game", title="Quiz"))
    assert (finding.rule, finding.path) == ("DC007", "agenda[3]")
    assert (
        finding.text == "The session ends with a game ('Quiz'); end with a reflection or a close."
    )
    assert lint(_with_activity(3, kind="reflection")) == []


@pytest.mark.parametrize(
    "language, material, word",
    [
        ("en", "One laptop per group", "laptop"),
        ("en", "Computers with Excel", "computer"),
        ("en", "A projector", "projector"),
        ("fr", "Un ordinateur portable par groupe", "ordinateur"),
        ("fr", "Tablettes chargées", "tablette"),
        ("es", "Una computadora por grupo", "computadora"),
        ("es", "Tabletas", "tableta"),
        ("ar", "حاسوب لكل مجموعة", "حاسوب"),
        ("ar", "أجهزة لوحية", "اجهزه لوحيه"),
        ("fr", "Un laptop pour l'animateur", "laptop"),
    ],
)
def test_dc008_unplugged_sessions_list_no_devices(language, material, word):
    module = replace(GOOD, language=language, materials=("Markers", material))
    [finding] = [f for f in lint(module) if f.rule == "DC008"]
    assert finding.path == "materials[1]"
    assert finding.params["word"] == word
    assert "DC008" not in _rules(replace(module, unplugged=False))


def test_dc008_paper_materials_pass():
    materials = ("Flip chart paper", "Printed tables", "Sticky notes", "Papier et feutres")
    assert lint(replace(GOOD, materials=materials)) == []


PLAIN = replace(
    GOOD,
    title="Spot the errors in a table",
    skills=("data-literacy",),
    body="## Notes\n\nRun it in pairs.\n",
)


def test_dc009_personal_data_needs_a_data_protection_section():
    assert lint(PLAIN) == []
    [finding] = lint(replace(PLAIN, skills=("data-protection",)))
    assert (finding.rule, finding.path) == ("DC009", "body")
    assert finding.params["reason"] == "skill data-protection"
    assert "no 'Data protection' section" in finding.text
    worded = replace(PLAIN, materials=("A printed beneficiary list",))
    assert lint(worded)[0].params["reason"] == "'beneficiary list' in materials[0]"


@pytest.mark.parametrize(
    "language, words, heading",
    [
        ("fr", "Les participants trient la liste des bénéficiaires.", "Protection des données"),
        ("es", "Revisan números de teléfono inventados.", "Protección de datos"),
        ("ar", "يراجع المشاركون قائمة المستفيدين.", "حماية البيانات"),
        ("en", "Check the phone numbers of an invented list.", "Data protection"),
    ],
)
def test_dc009_words_and_headings_in_every_language(language, words, heading):
    module = replace(PLAIN, language=language, summary=words)
    [finding] = [f for f in lint(module) if f.rule == "DC009"]
    assert finding.params["heading"] == heading
    ok = replace(module, body=f"## {heading.upper()}\n\nOnly invented data.\n")
    assert "DC009" not in _rules(ok)


def test_dc009_an_empty_or_fenced_heading_does_not_count():
    text = GOOD_TEXT.replace(
        "The list is invented: never bring a real beneficiary list to a session.\n",
        "## Variations\n\nLonger version.\n",
    )
    module = parse(text)
    [finding] = lint(module, positions=positions(text))
    assert finding.text == (
        "The 'Data protection' section is empty; write the data-protection guidance under it."
    )
    assert finding.line == text.split("\n").index("## Data protection") + 1
    fenced = replace(module, body="```\n## Data protection\nnot a heading\n```\n")
    assert "no 'Data protection' section" in lint(fenced)[0].text
    nested = replace(module, body="## Data protection\n\n### Consent\n\nAsk first.\n")
    assert lint(nested) == []


def test_disable_with_a_reason_switches_the_rule_off():
    module = replace(
        _with_activity(3, kind="exercise", title="Commitments"),
        lint_disabled={"DC007": "The commitment round closes the session."},
    )
    assert lint(module) == []


def test_disable_without_reason_keeps_the_rule_and_says_why():
    module = replace(_with_activity(3, kind="exercise"), lint_disabled={"DC007": "  "})
    findings = lint(module)
    assert [(f.rule, f.path) for f in findings] == [
        ("DC000", "lint.disable.DC007"),
        ("DC007", "agenda[3]"),
    ]
    assert findings[0].text.startswith("DC007 is switched off without a reason, so it stays on")


def test_disable_of_unknown_rule_or_dc000():
    findings = lint(replace(GOOD, lint_disabled={"DC099": "old rule", "DC000": "please"}))
    assert {f.rule for f in findings} == {"DC000"}
    texts = sorted(f.text for f in findings)
    assert texts[0] == "DC000 cannot be switched off."
    assert texts[1].startswith("DC099 is not a rule of the module linter (rules: DC001, DC002")


def test_findings_have_file_lines_and_are_ordered_by_line():
    text = (
        GOOD_TEXT.replace("duration: 60", "duration: 90")
        .replace("Participants will be able to write", "Participants will know")
        .replace("  kind: close", "  kind: game")
        .replace("- minutes: 15", "- minutes: 50")
        .replace("- Coloured pens", "- Coloured pens\n- Laptop for the facilitator")
    )
    findings = lint(parse(text), positions=positions(text))
    lines = text.split("\n")
    located = {f.rule: lines[f.line - 1] for f in findings}
    assert located == {
        "DC001": "duration: 90",
        "DC004": "- Participants will know a cleaning log.",
        "DC002": "agenda:",
        "DC005": "agenda:",
        "DC006": "- minutes: 50",
        "DC007": "- minutes: 10",
        "DC008": "- Laptop for the facilitator",
    }
    assert [f.line for f in findings] == sorted(f.line for f in findings)
    assert [f.rule for f in findings if f.line == findings[2].line] == ["DC002", "DC005"]


def test_findings_without_positions_have_no_line():
    assert {f.line for f in lint(replace(GOOD, duration=90))} == {None}


def test_format_finding_is_one_cli_line():
    text = GOOD_TEXT.replace("- minutes: 15", "- minutes: 20").replace(
        "- minutes: 30", "- minutes: 25"
    )
    [finding] = lint(parse(text), positions=positions(text))
    assert format_finding(finding, "modules/spot.md") == (
        "modules/spot.md:19: error DC006 agenda[1]: A presentation block lasts 20 minutes; "
        "keep each to 15 minutes or less. Hint: Cut a long presentation in two with a short "
        "exercise or question round."
    )
    no_line = Finding("DC003", "error", "No outcome.", {}, "Add one.")
    assert format_finding(no_line, "x.md") == "x.md: error DC003: No outcome. Hint: Add one."


def test_findings_are_translatable_templates():
    [finding] = lint(replace(GOOD, duration=55))
    assert "%(agenda)s" in finding.message and "%(duration)s" in finding.message
    assert dict(finding.params) == {"agenda": 60, "duration": 55}
    assert hash(finding)  # frozen and hashable, params included


# --- a module built to satisfy every rule has no finding (hypothesis) ------------------------

VERBS = {
    "en": ["list", "draft", "calculate", "compare", "explain", "identify", "sort", "map"],
    "fr": ["lister", "rédiger", "calculer", "comparer", "expliquer", "identifier"],
    "es": ["enumerar", "redactar", "calcular", "comparar", "explicar", "identificar"],
    "ar": ["يحدد", "يقارن", "يشرح", "يحسب", "يصوغ"],
}
HEADINGS = ["Data protection", "Protection des données", "Protección de datos", "حماية البيانات"]
WORDS = st.text(st.characters(categories=("L", "Zs", "P")), max_size=40)
MATERIALS = st.lists(
    st.sampled_from(["Flip chart paper", "Markers", "Sticky notes", "Printed cards", "Tape"]),
    max_size=4,
    unique=True,
)


@st.composite
def good_modules(draw: st.DrawFn) -> Module:
    language = draw(st.sampled_from(sorted(VERBS)))
    duration = draw(st.integers(10, 60))
    # Split the duration into activities: a participatory close, and presentations of at most
    # 15 minutes that take at most half the time.
    minutes_left = duration - 5
    activities = []
    lecture_budget = duration // 2
    while minutes_left > 0:
        minutes = draw(st.integers(min(5, minutes_left), minutes_left))
        lecture = minutes <= min(15, lecture_budget) and draw(st.booleans())
        lecture_budget -= minutes if lecture else 0
        kind = "presentation" if lecture else draw(st.sampled_from(["discussion", "game"]))
        activities.append(Activity(minutes, kind, not lecture, draw(WORDS).strip() or "Activity"))
        minutes_left -= minutes
    activities.append(Activity(5, draw(st.sampled_from(["close", "reflection"])), True, "End"))
    outcomes = [
        f"{draw(st.sampled_from(VERBS[language]))} {draw(WORDS)}"
        for _ in range(draw(st.integers(1, 5)))
    ]
    return Module(
        id="generated",
        organisation="tests",
        title=draw(WORDS).strip() or "Title",
        summary=draw(WORDS).strip() or "Summary",  # blank summaries are a format error
        language=language,
        skills=tuple(
            draw(
                st.lists(
                    st.sampled_from(["collection", "gis", "analysis"]), min_size=1, unique=True
                )
            )
        ),
        level=draw(st.integers(0, 3)),
        duration=duration,
        unplugged=draw(st.booleans()),
        outcomes=tuple(outcomes),
        agenda=tuple(activities),
        materials=tuple(draw(MATERIALS)),
        body=f"# Notes\n\n## {draw(st.sampled_from(HEADINGS))}\n\n{draw(WORDS)}Use invented data.\n",
    )


@settings(max_examples=200, deadline=None)
@given(good_modules())
def test_a_module_built_to_satisfy_every_rule_has_no_finding(module):
    text = dump(module)
    assert lint(parse(text), positions=positions(text)) == []
