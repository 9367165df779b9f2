"""Session module files: canonical round trips, precise format errors, bundles (issue 5)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datacircle.core.modules import (
    SCHEMA,
    Activity,
    Module,
    ModuleFormatError,
    Problem,
    dump,
    parse,
    positions,
    read_bundle,
    write_bundle,
)
from datacircle.core.taxonomy import builtin_taxonomy

CODES = builtin_taxonomy().codes

CANONICAL = """\
---
id: questions-before-information-product
organisation: datacircle
title: Questions to ask before making an information product
summary: Before building a dashboard, map or report, a team agrees who it is for, what decision it supports and what data it really needs.
language: en
skills: [information-products, data-literacy]
level: 1
duration: 60
unplugged: true
outcomes:
- Participants will be able to list the questions to ask before making an information product.
- Participants will be able to draft a one-page brief for an information product.
agenda:
- minutes: 5
  kind: discussion
  participatory: true
  title: Check-in
  description: Each person names an information product they used this month.
- minutes: 10
  kind: presentation
  participatory: false
  title: Why products fail
materials:
- Flip chart paper and markers
- Printed brief template (one per pair)
licence: CC-BY-4.0
contributors:
- Data Circle team
derived_from: datacircle/other-module@2
translation_of: datacircle/other-module
status: published
version: 1
lint:
  disable:
    DC007: The session ends with a commitment round, which we run as an exercise.
---

## Before the session
...
"""

# Quotes only where YAML needs them; French and Arabic written as they are.
CANONICAL_TRICKY = """\
---
id: tableau-croise
organisation: ong-exemple
title: "Tableaux croisés : quelle question ?"
summary: "Une séance où l'on trie des fiches, puis on compare #2 et \\"oui\\" - sans ordinateur."
language: fr
skills: [spreadsheets, analysis]
level: 0
duration: 45
unplugged: false
outcomes:
- Les participants seront capables de comparer deux totaux.
- "- commence par un tiret"
- "yes"
- "12"
- حماية البيانات الشخصية للمستفيدين
agenda:
- minutes: 45
  kind: close
  participatory: true
  title: "Clôture: un mot chacun"
  description: |-
    Première ligne.
    Deuxième ligne.
licence: CC-BY-SA-4.0
status: draft
version: 0
---
Notes.
"""


def _module(**changes: object) -> Module:
    return replace(parse(CANONICAL), **changes)


def _problems(text: str, **options: object) -> list[Problem]:
    with pytest.raises(ModuleFormatError) as error:
        parse(text, source="m.md", **options)
    assert str(error.value) == "\n".join(str(p) for p in error.value.problems)
    return list(error.value.problems)


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), start=1) if needle in line)


# --- the schema ------------------------------------------------------------------------------


def test_schema_is_valid_draft_2020_12_and_documents_every_property():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)

    def walk(schema: dict, where: str) -> None:
        for name, sub in schema.get("properties", {}).items():
            assert sub.get("title") and sub.get("description"), f"{where}.{name}"
            walk(sub, f"{where}.{name}")
        if schema.get("type") == "object" and "additionalProperties" in schema:
            assert schema["additionalProperties"] is False or "propertyNames" in schema

    walk(SCHEMA, "")
    walk(SCHEMA["$defs"]["activity"], "activity")
    assert SCHEMA["additionalProperties"] is False


# --- canonical text --------------------------------------------------------------------------


@pytest.mark.parametrize("text", [CANONICAL, CANONICAL_TRICKY])
def test_canonical_text_is_written_back_byte_for_byte(text):
    assert dump(parse(text)) == text


def test_parse_reads_every_field():
    m = parse(CANONICAL)
    assert m.reference == "datacircle/questions-before-information-product"
    assert m.skills == ("information-products", "data-literacy")
    assert m.agenda[0] == Activity(
        5,
        "discussion",
        True,
        "Check-in",
        "Each person names an information product they used this month.",
    )
    assert m.agenda[1].description == ""
    assert m.lint_disabled == {
        "DC007": "The session ends with a commitment round, which we run as an exercise."
    }
    assert m.body == "\n## Before the session\n...\n"
    assert m.status == "published" and m.version == 1


def test_tricky_strings_keep_their_meaning():
    m = parse(CANONICAL_TRICKY)
    assert m.title == "Tableaux croisés : quelle question ?"
    assert m.outcomes[1:4] == ("- commence par un tiret", "yes", "12")
    assert m.agenda[0].description == "Première ligne.\nDeuxième ligne."
    assert "حماية البيانات" in dump(m)  # Arabic readable in the file, not \u escapes


def test_a_folded_summary_reads_the_same_and_is_written_on_one_line():
    folded = CANONICAL.replace("what decision it supports", "what decision\n  it supports")
    assert parse(folded) == parse(CANONICAL)
    assert dump(parse(folded)) == CANONICAL


def test_optional_fields_are_omitted_and_defaults_written():
    m = _module(
        materials=(),
        contributors=(),
        derived_from=None,
        translation_of=None,
        lint_disabled={},
        outcomes=(),
        agenda=(),
    )
    text = dump(m)
    for key in ("materials:", "contributors:", "derived_from:", "translation_of:", "lint:"):
        assert key not in text
    assert "outcomes: []\nagenda: []\nlicence: CC-BY-4.0\nstatus: published\nversion: 1\n" in text
    assert parse(text) == m


def test_body_line_endings_and_final_newline_are_normalised():
    windows = CANONICAL.replace("\n", "\r\n").removesuffix("\r\n") + "\r\n\r\n\r\n"
    assert parse(windows) == parse(CANONICAL)
    assert _module(body="one\r\ntwo").body == "one\ntwo\n"
    assert dump(_module(body="")).endswith(
        "version: 1\nlint:\n  disable:\n    DC007: The session "
        "ends with a commitment round, which we run as an "
        "exercise.\n---\n"
    )


def test_lint_disable_rules_are_written_sorted():
    m = _module(lint_disabled={"DC007": "b", "DC005": "a"})
    text = dump(m)
    assert text.index("DC005: a") < text.index("DC007: b")
    assert parse(text) == m


# --- round trip of any module (hypothesis) ----------------------------------------------------

SLUG = st.from_regex(r"[a-z][a-z0-9-]{1,20}", fullmatch=True)
TRICKY = [
    ": ",
    " # ",
    "#",
    "- ",
    "-",
    "'",
    '"',
    "yes",
    "No",
    "null",
    "~",
    "12",
    "1.5",
    "0x1F",
    "2024-01-01",
    "[a]",
    "{b}",
    "&a",
    "*a",
    "!tag",
    "%",
    "@",
    "`",
    "|",
    ">",
    "? ",
    "---",
    "...",
    "é",
    "Données à caractère personnel",
    "حماية البيانات",
    "ـ",
    "\t",
    "  ",
    "\\",
    "\u00a0",
    "\u2028",
    "\x85",
    "\ufeff",
    "😀",
]
ANY_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
    st.lists(st.sampled_from([*TRICKY, "a", "b c", "x"]), max_size=8).map("".join),
)
NON_EMPTY = ANY_TEXT.filter(lambda s: re.search(r"\S", s) is not None)
ACTIVITIES = st.builds(
    Activity,
    minutes=st.integers(1, 240),
    kind=st.sampled_from(["discussion", "exercise", "game", "presentation", "reflection", "close"]),
    participatory=st.booleans(),
    title=NON_EMPTY,
    description=ANY_TEXT | st.text(max_size=80),
)


@st.composite
def modules(draw: st.DrawFn) -> Module:
    organisation = draw(SLUG)
    module_id = draw(SLUG)
    other = draw(SLUG.filter(lambda s: s != module_id))
    return Module(
        id=module_id,
        organisation=organisation,
        title=draw(NON_EMPTY.filter(lambda s: len(s) <= 200)),
        summary=draw(NON_EMPTY),
        language=draw(st.sampled_from(["en", "fr", "es", "ar"])),
        skills=tuple(draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=6, unique=True))),
        level=draw(st.integers(0, 3)),
        duration=draw(st.integers(5, 240)),
        unplugged=draw(st.booleans()),
        outcomes=tuple(draw(st.lists(NON_EMPTY, max_size=10))),
        agenda=tuple(draw(st.lists(ACTIVITIES, max_size=6))),
        materials=tuple(draw(st.lists(NON_EMPTY, max_size=4))),
        licence=draw(st.sampled_from(["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0"])),
        contributors=tuple(draw(st.lists(NON_EMPTY, max_size=3))),
        derived_from=draw(st.none() | st.just(f"{organisation}/{other}@{draw(st.integers(0, 9))}")),
        translation_of=draw(st.none() | st.just(f"{organisation}/{other}")),
        status=draw(st.sampled_from(["draft", "review", "published"])),
        version=draw(st.integers(0, 1000)),
        lint_disabled=draw(
            st.dictionaries(st.from_regex(r"DC[0-9]{3}", fullmatch=True), ANY_TEXT, max_size=3)
        ),
        body=draw(st.text(max_size=200) | st.lists(st.sampled_from(TRICKY)).map("\n".join)),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_any_valid_module_survives_dump_and_parse(module):
    text = dump(module)
    assert parse(text, skill_codes=CODES) == module
    assert dump(parse(text)) == text  # what dump writes is canonical


@settings(max_examples=50, deadline=None)
@given(modules())
def test_positions_find_every_field_on_its_own_line(module):
    text = dump(module)
    found = positions(text)
    lines = text.split("\n")
    for key in ("id", "title", "summary", "duration", "status", "version"):
        assert lines[found[key] - 1].startswith(f"{key}:")
    for i in range(len(module.agenda)):
        assert lines[found[f"agenda[{i}]"] - 1].startswith("- minutes:")
    assert lines[found["body"] - 2] == "---"


# --- precise problems -------------------------------------------------------------------------


def test_a_file_without_front_matter_says_how_to_start():
    [problem] = _problems("# Questions before a product\n\nSome notes.\n")
    assert (problem.source, problem.line, problem.column) == ("m.md", 1, 1)
    assert "must start with a line '---'" in problem.message
    assert "'# Questions before a product'" in problem.message


def test_an_unterminated_front_matter_says_so():
    [problem] = _problems("---\nid: x\ntitle: y\n")
    assert problem.line == 1
    assert "never closed" in problem.message
    assert str(problem).startswith("m.md:1:1: the front matter opened by '---'")


def test_yaml_syntax_error_gives_line_column_and_plain_words():
    text = CANONICAL.replace("title: Check-in", "title: Check: in")
    [problem] = _problems(text)
    assert problem.line == _line_of(text, "title: Check: in")
    assert problem.column == len("  title: Check:")
    assert "put the whole value in quotes" in problem.message
    assert "mapping values are not allowed here" in problem.message


def test_a_tab_and_an_unclosed_quote_are_explained():
    tab = CANONICAL.replace("  kind: discussion", "\tkind: discussion")
    [problem] = _problems(tab)
    assert problem.line == _line_of(tab, "\tkind") and "tab character" in problem.message
    quote = CANONICAL.replace("title: Why products fail", "title: 'Why products fail")
    [problem] = _problems(quote)
    assert problem.line == _line_of(quote, "'Why products")
    assert "quote opened here is never closed" in problem.message


def test_wrong_type_names_the_path_and_the_value_as_written():
    text = CANONICAL.replace("- minutes: 10", "- minutes: ten")
    [problem] = _problems(text)
    assert problem.path == "agenda[1].minutes"
    assert (problem.line, problem.column) == (_line_of(text, "minutes: ten"), 3)
    assert problem.message == "must be a whole number from 1 to 240, not 'ten'"
    assert str(problem) == (
        f"m.md:{problem.line}:3: agenda[1].minutes: must be a whole number from 1 to 240, not 'ten'"
    )


def test_out_of_range_and_enum_values():
    text = CANONICAL.replace("level: 1", "level: 7").replace(
        "kind: presentation", "kind: presentaton"
    )
    level, kind = _problems(text)
    assert (level.path, level.line) == ("level", _line_of(text, "level: 7"))
    assert level.message == "must be a whole number from 0 to 3, not '7'"
    assert kind.path == "agenda[1].kind"
    assert "not 'presentaton' (did you mean 'presentation'?)" in kind.message


def test_text_that_yaml_reads_as_a_boolean_asks_for_quotes():
    text = CANONICAL.replace("title: Check-in", "title: yes")
    [problem] = _problems(text)
    assert problem.path == "agenda[0].title"
    assert problem.message == "must be text, not 'yes' (put it in quotes to keep it as text)"


def test_unknown_key_names_it_and_suggests_the_right_one():
    text = CANONICAL.replace("title: Questions", "titel: Questions")
    missing, unknown = _problems(text)
    assert (unknown.path, unknown.line, unknown.column) == ("titel", 4, 1)
    assert unknown.message == "unknown field 'titel' (did you mean 'title'?)"
    assert missing.message == "'title' is missing from the front matter (it is required)"


def test_unknown_key_without_a_close_match_lists_the_fields():
    text = CANONICAL.replace("  title: Check-in", "  title: Check-in\n  colour: red")
    [problem] = _problems(text)
    assert problem.path == "agenda[0].colour"
    assert problem.message.startswith("unknown field 'colour'; the fields here are minutes, kind")


def test_unknown_skill_code_only_with_a_taxonomy():
    text = CANONICAL.replace("data-literacy]", "data-litteracy]")
    assert parse(text).skills[1] == "data-litteracy"
    [problem] = _problems(text, skill_codes=CODES)
    assert (problem.path, problem.line) == ("skills[1]", _line_of(text, "skills:"))
    assert problem.message == "unknown skill code 'data-litteracy' (did you mean 'data-literacy'?)"


def test_bad_references():
    text = CANONICAL.replace("datacircle/other-module@2", "other-module v2").replace(
        "translation_of: datacircle/other-module",
        "translation_of: datacircle/questions-before-information-product",
    )
    derived, translated = _problems(text)
    assert derived.path == "derived_from" and "organisation/id@version" in derived.message
    assert "not 'other-module v2'" in derived.message
    assert translated.path == "translation_of"
    assert translated.message == "a module cannot be a translation of itself"


def test_every_problem_is_reported_at_once_in_line_order():
    text = (
        CANONICAL.replace("language: en", "language: english")
        .replace("duration: 60", "duration: 600")
        .replace("unplugged: true", "unplugged: maybe")
        .replace("status: published", "status: published\nstatus: draft")
        .replace("    DC007:", "    DC7:")
        .replace("  participatory: false\n", "")
    )
    problems = _problems(text)
    assert [p.path for p in problems] == [
        "language",
        "duration",
        "unplugged",
        "agenda[1]",
        "status",
        "lint.disable.DC7",
    ]
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert problems[3].message == "'participatory' is missing from agenda[1] (it is required)"
    assert problems[4].message == "'status' is given twice (first on line 31); keep one"
    assert problems[5].message == "'DC7' is not a rule id: write DC and three digits, such as DC007"


def test_list_and_length_limits():
    text = CANONICAL.replace(
        "skills: [information-products, data-literacy]", "skills: [data-literacy, data-literacy]"
    ).replace("outcomes:\n", "outcomes: one outcome\nignored:\n")
    problems = _problems(text)
    assert [p.path for p in problems] == ["skills", "outcomes", "ignored"]
    assert problems[0].message == "lists 'data-literacy' more than once"
    assert problems[1].message == "must be a list (one '- ' line per item), not 'one outcome'"
    long_title = CANONICAL.replace(
        "title: Questions to ask before making an information product", "title: " + "x" * 201
    )
    [problem] = _problems(long_title)
    assert problem.message == "must be at most 200 characters (it has 201)"
    no_skills = CANONICAL.replace("[information-products, data-literacy]", "[]")
    assert _problems(no_skills)[0].message == "needs at least 1 skill"


def test_empty_or_non_mapping_front_matter():
    [empty] = _problems("---\n---\nbody\n")
    assert empty.line == 2 and "front matter is empty" in empty.message
    [listed] = _problems("---\n- a\n- b\n---\n")
    assert listed.line == 2 and listed.message.endswith("not a list")


def test_whole_number_floats_and_empty_disable_reasons_are_accepted():
    text = CANONICAL.replace("minutes: 10", "minutes: 10.0").replace(
        "    DC007: The session ends with a commitment round, which we run as an exercise.",
        "    DC007:",
    )
    m = parse(text)
    assert m.agenda[1].minutes == 10 and isinstance(m.agenda[1].minutes, int)
    assert m.lint_disabled == {"DC007": ""}
    assert '    DC007: ""\n' in dump(m)


def test_positions_of_paths_and_body():
    found = positions(CANONICAL)
    assert found["title"] == 4
    assert found["outcomes[1]"] == 13
    assert found["agenda[1]"] == found["agenda[1].minutes"] == 20
    assert found["agenda[1].title"] == 23
    assert found["lint.disable.DC007"] == 36
    assert found["body"] == 38
    assert positions("no front matter") == {}
    assert positions("---\ntitle: [\n---\nbody\n") == {"body": 4}


def test_modules_are_hashable_and_compare_by_content():
    m = parse(CANONICAL)
    assert hash(m) == hash(parse(CANONICAL))
    assert _module(skills=["information-products", "data-literacy"]) == m


# --- bundles ----------------------------------------------------------------------------------


def _zip(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_bundle_round_trip_and_deterministic_bytes():
    a = parse(CANONICAL)
    b = parse(CANONICAL_TRICKY)
    c = replace(a, language="fr", title="Questions avant un produit")
    data = write_bundle([a, b, c])
    assert data == write_bundle([c, b, a])
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names == [
        "datacircle/questions-before-information-product.en.md",
        "datacircle/questions-before-information-product.fr.md",
        "ong-exemple/tableau-croise.md",
    ]
    assert [m for _, m in read_bundle(data)] == [a, c, b]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("ong-exemple/tableau-croise.md").decode() == CANONICAL_TRICKY
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_write_bundle_refuses_the_same_module_twice():
    with pytest.raises(ValueError, match="given twice"):
        write_bundle([parse(CANONICAL), parse(CANONICAL)])


def test_bundle_ignores_readme_and_other_files():
    data = _zip(
        {
            "README.md": "# Our modules\n",
            "docs/readme.md": "no front matter",
            "notes.txt": "not a module",
            "__MACOSX/x/._a.md": b"\x00\x05",
            "x/._a.md": b"\x00\x05",
            "x/a.md": CANONICAL,
        }
    )
    assert read_bundle(data) == [("x/a.md", parse(CANONICAL))]


def test_bundle_reports_problems_from_every_file_and_duplicates():
    broken = CANONICAL.replace("level: 1", "level: high")
    data = _zip(
        {
            "a/first.md": CANONICAL,
            "b/again.md": CANONICAL.replace("Check-in", "Warm-up"),
            "c/broken.md": broken,
            "d/no-fence.md": "just notes\n",
            "e/latin1.md": "---\ntitle: é\n---\n".encode("latin-1"),
        }
    )
    with pytest.raises(ModuleFormatError) as error:
        read_bundle(data, source="up.zip", skill_codes=CODES)
    problems = error.value.problems
    assert [p.source for p in problems] == [
        "up.zip:b/again.md",
        "up.zip:c/broken.md",
        "up.zip:d/no-fence.md",
        "up.zip:e/latin1.md",
    ]
    assert problems[0].path == "id" and problems[0].line == 2
    assert "also in a/first.md" in problems[0].message
    assert problems[1].path == "level" and problems[1].line == _line_of(broken, "level:")
    assert "must start with a line '---'" in problems[2].message
    assert "is not UTF-8 text" in problems[3].message


def test_not_a_zip():
    with pytest.raises(ModuleFormatError) as error:
        read_bundle(b"PK not really", source="up.zip")
    assert str(error.value) == "up.zip: not a zip file of module (.md) files"


@pytest.mark.parametrize("reason", ["0\n", "two\nlines\n", "kept\n\n"])
def test_a_multi_line_value_that_ends_the_front_matter_keeps_its_final_newline(reason):
    # Found by hypothesis: a literal block as the last value lost its line break.
    base = parse(CANONICAL)
    module = replace(base, lint_disabled={"DC000": reason})
    assert parse(dump(module)).lint_disabled["DC000"] == reason
