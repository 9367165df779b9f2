"""The scoping questionnaire (data/questionnaire.yaml) and the canonical response table.

Every way a response arrives (the web form, a KoboToolbox or ODK export, any CSV through a
mapping file) ends as one row of the *canonical frame*: a Polars table whose columns are named
from the questionnaire, so the analysis never needs to know where answers came from.

Canonical columns:
  uuid, submitted_at, consent, organisation, unit, role, country    one per response
  <question>.<choice>            Boolean, for each select_multiple choice (data_types.health)
  <question>                     String, for text and select_one questions and "other" texts
  learn.<skill> / share.<skill>  Boolean: the person wants to learn / can share this skill
  learn_level.<skill> / share_level.<skill>   Int8, the level they gave (null when not given)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import polars as pl
import yaml

from datacircle.core.taxonomy import Taxonomy, builtin_taxonomy, localised

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "questionnaire.yaml"

# Columns every canonical frame has, whatever the questionnaire.
RESPONSE_COLUMNS: dict[str, pl.DataType] = {
    "uuid": pl.String(),
    "submitted_at": pl.Datetime("us", "UTC"),
    "consent": pl.Boolean(),
    "organisation": pl.String(),
    "unit": pl.String(),
    "role": pl.String(),
    "country": pl.String(),
}
QUESTION_TYPES = ("consent", "text", "select_one", "select_multiple", "country", "skills")
SKILL_QUESTIONS = ("learn", "share")


@dataclass(frozen=True)
class Choice:
    code: str
    label: Mapping[str, str]
    # Other words people write for this choice, any language: they help code "other" answers.
    synonyms: tuple[str, ...] = ()

    def name(self, language: str = "en") -> str:
        return localised(self.label, language)


@dataclass(frozen=True)
class Question:
    name: str
    group: str
    type: str
    label: Mapping[str, str]
    choices: str | None = None  # name of a choice list, for select questions
    other: str | None = None  # name of the free-text "other" question, if any
    levels: tuple[int, ...] = ()  # for skills questions: the levels offered
    level_label: Mapping[str, str] = field(default_factory=dict)
    required: bool = False

    def text(self, language: str = "en") -> str:
        return localised(self.label, language)

    @property
    def level_column_prefix(self) -> str:
        return f"{self.name}_level"


# The consent answers are fixed (the import maps `yes`/`no`), so their texts live here.
CONSENT_CHOICES: tuple[Choice, ...] = (
    Choice("yes", {"en": "Yes", "fr": "Oui", "es": "Sí", "ar": "نعم"}),
    Choice("no", {"en": "No", "fr": "Non", "es": "No", "ar": "لا"}),
)


@dataclass(frozen=True)
class Group:
    name: str
    label: Mapping[str, str]


@dataclass(frozen=True)
class Questionnaire:
    version: int
    title: Mapping[str, str]
    intro: Mapping[str, str]
    consent: Mapping[str, str]
    groups: tuple[Group, ...]
    questions: tuple[Question, ...]
    choice_lists: Mapping[str, tuple[Choice, ...]]

    def question(self, name: str) -> Question:
        for q in self.questions:
            if q.name == name:
                return q
        raise KeyError(name)

    def choices(self, question: Question, taxonomy: Taxonomy | None = None) -> tuple[Choice, ...]:
        """The choices of a select or skills question (skills come from the taxonomy)."""
        if question.type == "skills":
            tax = taxonomy or builtin_taxonomy()
            return tuple(Choice(s.code, s.label) for s in tax.skills)
        if question.type == "consent":
            return CONSENT_CHOICES
        return self.choice_lists.get(question.choices or "", ())

    def multi_choice_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.type == "select_multiple")

    def text_columns(self) -> tuple[str, ...]:
        """Free-text and single-choice columns beyond the fixed response columns."""
        names: list[str] = []
        for q in self.questions:
            if q.type in ("text", "select_one") and q.name not in RESPONSE_COLUMNS:
                names.append(q.name)
            if q.other:
                names.append(q.other)
        return tuple(names)

    def frame_schema(self, taxonomy: Taxonomy | None = None) -> dict[str, pl.DataType]:
        """Column names and types of the canonical frame, in a stable order."""
        tax = taxonomy or builtin_taxonomy()
        schema: dict[str, pl.DataType] = dict(RESPONSE_COLUMNS)
        for q in self.multi_choice_questions():
            for c in self.choices(q):
                schema[f"{q.name}.{c.code}"] = pl.Boolean()
        for name in SKILL_QUESTIONS:
            for code in tax.codes:
                schema[f"{name}.{code}"] = pl.Boolean()
            for code in tax.codes:
                schema[f"{name}_level.{code}"] = pl.Int8()
        for name in self.text_columns():
            schema[name] = pl.String()
        return schema

    def empty_frame(self, taxonomy: Taxonomy | None = None) -> pl.DataFrame:
        return pl.DataFrame(schema=self.frame_schema(taxonomy))


def parse_questionnaire(data: Mapping) -> Questionnaire:
    groups = tuple(Group(g["name"], dict(g["label"])) for g in data["groups"])
    group_names = {g.name for g in groups}
    lists = {
        name: tuple(
            Choice(str(c["code"]), dict(c["label"]), tuple(c.get("synonyms") or ())) for c in items
        )
        for name, items in data["choices"].items()
    }
    questions = []
    for raw in data["questions"]:
        q = Question(
            name=raw["name"],
            group=raw["group"],
            type=raw["type"],
            label=dict(raw["label"]),
            choices=raw.get("choices"),
            other=raw.get("other"),
            levels=tuple(raw.get("levels") or ()),
            level_label=dict(raw.get("level_label") or {}),
            required=bool(raw.get("required", False)),
        )
        if q.type not in QUESTION_TYPES:
            raise ValueError(f"question {q.name}: unknown type {q.type!r}")
        if q.group not in group_names:
            raise ValueError(f"question {q.name}: unknown group {q.group!r}")
        if q.type in ("select_one", "select_multiple") and q.choices not in lists:
            raise ValueError(f"question {q.name}: unknown choice list {q.choices!r}")
        questions.append(q)
    return Questionnaire(
        version=int(data["version"]),
        title=dict(data["title"]),
        intro=dict(data.get("intro") or {}),
        consent=dict(data.get("consent") or {}),
        groups=groups,
        questions=tuple(questions),
        choice_lists=lists,
    )


@cache
def builtin_questionnaire() -> Questionnaire:
    with DATA_FILE.open(encoding="utf-8") as f:
        return parse_questionnaire(yaml.safe_load(f))
