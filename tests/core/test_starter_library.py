"""The starter library shipped in `data/modules/`: every session module a new Data Circle
installation offers must be a valid, canonical file that passes every design rule, and the
library must hang together (unique ids, translations and adaptations of modules it contains)."""

from __future__ import annotations

from pathlib import Path

import pytest

from datacircle.core.lint import lint
from datacircle.core.modules import Module, dump, parse, positions
from datacircle.core.taxonomy import builtin_taxonomy

FOLDER = Path(__file__).resolve().parents[2] / "src" / "datacircle" / "data" / "modules"
FILES = sorted(FOLDER.glob("*.md"))
SEED_EXAMPLES = ("questions-before-information-product", "designing-with-data-protection")


def _load(path: Path) -> Module:
    return parse(path.read_text(encoding="utf-8"), source=path.name, skill_codes=CODES)


CODES = builtin_taxonomy().codes


@pytest.fixture(scope="module")
def library() -> dict[str, Module]:
    return {path.name: _load(path) for path in FILES}


def test_the_folder_holds_the_starter_library() -> None:
    assert len(FILES) >= 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_file_parses_with_the_builtin_taxonomy_and_is_canonical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    module = parse(text, source=path.name, skill_codes=CODES)
    # Canonical files give clean diffs when someone edits them through the app and exports again.
    assert dump(module) == text
    assert path.stem == module.id


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_file_passes_every_design_rule(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    findings = lint(parse(text, source=path.name), positions=positions(text))
    assert [f"{f.rule} line {f.line}: {f.text}" for f in findings] == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_file_is_a_published_starter_module(path: Path) -> None:
    module = _load(path)
    assert module.organisation == "datacircle"
    assert module.licence == "CC-BY-4.0"
    assert module.contributors == ("Data Circle team",)
    assert (module.status, module.version) == ("published", 1)
    # Facilitator notes are the point of a module: a file with front matter only is not usable.
    assert "## How to run it" in module.body or module.language != "en"
    # Long enough to run without the author, short enough to read on the way to the session.
    assert 80 <= len(path.read_text(encoding="utf-8").splitlines()) <= 160


def test_ids_are_unique(library: dict[str, Module]) -> None:
    ids = [m.reference for m in library.values()]
    assert len(ids) == len(set(ids))


def test_at_least_eight_distinct_english_modules(library: dict[str, Module]) -> None:
    english = [
        m
        for m in library.values()
        if m.language == "en" and m.translation_of is None and m.derived_from is None
    ]
    assert len(english) >= 8
    assert len({m.title for m in english}) == len(english)


def test_the_seed_examples_are_present(library: dict[str, Module]) -> None:
    by_id = {m.id: m for m in library.values()}
    assert set(SEED_EXAMPLES) <= set(by_id)
    assert set(by_id["questions-before-information-product"].skills) == {
        "information-products",
        "data-literacy",
    }
    assert set(by_id["designing-with-data-protection"].skills) == {"data-protection", "collection"}
    assert all(by_id[i].unplugged for i in SEED_EXAMPLES)


def test_translations_point_to_modules_in_another_language(library: dict[str, Module]) -> None:
    by_reference = {m.reference: m for m in library.values()}
    translations = [m for m in library.values() if m.translation_of]
    assert {m.language for m in translations} >= {"fr", "ar"}
    for m in translations:
        original = by_reference.get(m.translation_of)
        assert original is not None, f"{m.id} translates {m.translation_of}, not in the library"
        assert original.language != m.language
        # A translation runs the same session: same skills, timing and number of activities.
        assert original.skills == m.skills
        assert original.duration == m.duration
        assert [a.minutes for a in original.agenda] == [a.minutes for a in m.agenda]


def test_adaptations_point_to_published_versions_in_the_library(
    library: dict[str, Module],
) -> None:
    by_reference = {m.reference: m for m in library.values()}
    adaptations = [m for m in library.values() if m.derived_from]
    assert adaptations
    for m in adaptations:
        reference, _, version = m.derived_from.partition("@")
        original = by_reference.get(reference)
        assert original is not None, f"{m.id} adapts {reference}, not in the library"
        assert 1 <= int(version) <= original.version
        assert original.id != m.id


def test_modules_touching_personal_data_carry_guidance(library: dict[str, Module]) -> None:
    # DC009 checks the heading exists; here we check the guidance covers the essentials in the
    # modules whose subject is personal data itself.
    essentials = ("purpose", "minimis", "consent", "delet")
    for m in library.values():
        if m.language == "en" and "data-protection" in m.skills:
            section = m.body.split("## Data protection", 1)[1].split("\n## ", 1)[0].lower()
            missing = [word for word in essentials if word not in section]
            assert missing == [], (m.id, missing)
