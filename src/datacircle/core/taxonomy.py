"""The skills taxonomy: stable codes, levels 0-4, multilingual labels and synonyms.

Built in as `data/taxonomy.yaml`; an organisation may rename skills or add its own on top
(`Taxonomy.with_overrides`), but codes never change, so exports and imports stay comparable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import yaml

LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "ar")
DEFAULT_LANGUAGE = "en"
# Sharing counts as supply from this level up ("can do alone").
SUPPLY_LEVEL = 3

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "taxonomy.yaml"


def localised(texts: Mapping[str, str], language: str) -> str:
    """The text in `language`, else in its base language (fr-ca -> fr), else in English."""
    base = language.split("-")[0].split("_")[0].lower() if language else DEFAULT_LANGUAGE
    return texts.get(base) or texts.get(DEFAULT_LANGUAGE) or next(iter(texts.values()), "")


@dataclass(frozen=True)
class Level:
    value: int
    label: Mapping[str, str]
    description: Mapping[str, str]


@dataclass(frozen=True)
class Skill:
    code: str
    label: Mapping[str, str]
    description: Mapping[str, str] = field(default_factory=dict)
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    builtin: bool = True

    def name(self, language: str = DEFAULT_LANGUAGE) -> str:
        return localised(self.label, language)

    def all_names(self) -> Iterable[str]:
        """Every label and synonym in every language: what free text may call this skill."""
        yield self.code
        yield from self.label.values()
        for words in self.synonyms.values():
            yield from words


@dataclass(frozen=True)
class SkillOverride:
    """An organisation's change: a new skill, or new labels/synonyms for a built-in one."""

    code: str
    label: Mapping[str, str] = field(default_factory=dict)
    description: Mapping[str, str] = field(default_factory=dict)
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


class TaxonomyError(ValueError):
    pass


@dataclass(frozen=True)
class Taxonomy:
    skills: tuple[Skill, ...]
    levels: tuple[Level, ...]

    def __post_init__(self) -> None:
        codes = [s.code for s in self.skills]
        if len(set(codes)) != len(codes):
            raise TaxonomyError("duplicate skill codes in the taxonomy")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.skills)

    def __contains__(self, code: object) -> bool:
        return any(s.code == code for s in self.skills)

    def skill(self, code: str) -> Skill:
        for s in self.skills:
            if s.code == code:
                return s
        raise KeyError(code)

    def label(self, code: str, language: str = DEFAULT_LANGUAGE) -> str:
        return self.skill(code).name(language)

    def label_or_code(self, code: str, language: str = DEFAULT_LANGUAGE) -> str:
        """The skill's name, or its code when this taxonomy does not know it (a skill another
        organisation added, or one removed since it was recorded)."""
        return self.label(code, language) if code in self else code

    def level_label(self, value: int, language: str = DEFAULT_LANGUAGE) -> str:
        for level in self.levels:
            if level.value == value:
                return localised(level.label, language)
        raise KeyError(value)

    def with_overrides(self, overrides: Iterable[SkillOverride]) -> Taxonomy:
        skills = {s.code: s for s in self.skills}
        for o in overrides:
            if not is_valid_code(o.code):
                raise TaxonomyError(f"{o.code!r} is not a valid skill code (a-z, 0-9 and -)")
            base = skills.get(o.code)
            if base is None:
                if not o.label:
                    raise TaxonomyError(f"new skill {o.code!r} needs a label")
                skills[o.code] = Skill(
                    o.code, dict(o.label), dict(o.description), dict(o.synonyms), builtin=False
                )
            else:
                skills[o.code] = replace(
                    base,
                    label={**base.label, **o.label},
                    description={**base.description, **o.description},
                    synonyms={
                        lang: tuple(dict.fromkeys((*base.synonyms.get(lang, ()), *words)))
                        for lang, words in {**base.synonyms, **o.synonyms}.items()
                    },
                )
        return Taxonomy(tuple(skills.values()), self.levels)


def is_valid_code(code: str) -> bool:
    return (
        bool(code)
        and code[0].isalpha()
        and all(
            c.isascii() and (c.isalnum() and c.islower() or c.isdigit() or c == "-") for c in code
        )
    )


def _texts(raw: object, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or DEFAULT_LANGUAGE not in raw:
        raise TaxonomyError(f"{where}: needs at least an English ({DEFAULT_LANGUAGE}) text")
    return {str(k): str(v) for k, v in raw.items()}


def parse_taxonomy(data: Mapping) -> Taxonomy:
    levels = tuple(
        Level(
            int(item["value"]),
            _texts(item.get("label"), f"level {item.get('value')}"),
            dict(item.get("description") or {}),
        )
        for item in data["levels"]
    )
    if [lv.value for lv in levels] != [0, 1, 2, 3, 4]:
        raise TaxonomyError("levels must be exactly 0, 1, 2, 3, 4 in order")
    skills = []
    for item in data["skills"]:
        code = str(item["code"])
        if not is_valid_code(code):
            raise TaxonomyError(f"{code!r} is not a valid skill code (a-z, 0-9 and -)")
        skills.append(
            Skill(
                code,
                _texts(item.get("label"), f"skill {code}"),
                dict(item.get("description") or {}),
                {lang: tuple(words) for lang, words in (item.get("synonyms") or {}).items()},
            )
        )
    return Taxonomy(tuple(skills), levels)


@cache
def builtin_taxonomy() -> Taxonomy:
    with DATA_FILE.open(encoding="utf-8") as f:
        return parse_taxonomy(yaml.safe_load(f))
