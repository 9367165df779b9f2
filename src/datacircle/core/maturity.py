"""The digital maturity quick scan (issue 8): the questionnaire, scoring, benchmark, next steps
and the radar chart.

The questionnaire is data (`data/maturity.yaml`, or an organisation's edited copy): five stages,
and dimensions across people, process and technology, each with questions whose answers carry a
score from 1 to 5. `parse` reports *every* problem at once, each as "path: reason"
(`dimensions[2].questions[0].answers[1].score: ...`); `parse_text` adds the line the problem is
on, and reports YAML syntax errors with their line and column. Each problem is a
`datacircle.core.i18n` message: English as a str, shown in the reader's language by the web.

Scoring, step by step (the tests follow these words with hand-computed cases):
- A respondent's *dimension score* is the mean of the scores they chose in that dimension;
  unanswered questions are left out, and a dimension with no answer has no score (None).
  Answers to questions the questionnaire does not have are ignored, so a response is always
  scored with the version it was given with and editing the questionnaire never changes it.
- A score *reaches* stage `floor(score + 0.5)`, clamped to 1..5: 2.5 is stage 3, 2.49 stage 2.
- Combined over respondents (`combine`), per dimension: the mean, median, lowest and highest of
  the respondents' dimension scores, and their population standard deviation as the spread.
  Every respondent with a score in the dimension counts once, however many of its questions
  they answered. The target (to-be) is the mean of the targets given; gap = target - mean.
- Strengths and weaknesses: see `strengths_and_weaknesses`.
- Benchmark against peers only when at least `MIN_PEERS` (5) peers have a score in every
  dimension shown; the band is the peers' interquartile range, computed with
  `statistics.quantiles(..., n=4, method="inclusive")`: the peers are the whole population
  compared, so the lowest and highest peer are the 0th and 100th percentiles.
- Trend matches dimensions across questionnaire versions by id.

Every text a person reads (stage names and descriptions, dimension names, summaries and stage
texts, questions and answers) is a `Text`: either one plain string, the same in every language
(an organisation's own copy may be English only, and versions stored before translations keep
parsing), or a mapping `{en: ..., fr: ..., es: ..., ar: ...}` with `en` required. As a str a
`Text` is its English; `Questionnaire.in_language` gives the questionnaire a reader sees, each
text in their language or else in English; `Questionnaire.borrowing` first lends an English-only
text the built-in's translations where it says the same at the same place.

The radar (`radar`) is SVG for pages, print and the WeasyPrint PDF alike: explicit presentation
attributes, no CSS, no script, the colours and text helpers of `datacircle.core.charts`.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
import statistics
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import yaml

from datacircle.core.charts import (
    _NOT_XML,
    AXIS_INK,
    BACKGROUND,
    CHAR_EM,
    FONT_FAMILY,
    FONT_SIZE,
    GRID_INK,
    MUTED_INK,
    PAD,
    PALETTE,
    SMALL_FONT_SIZE,
    _attrs,
    _escape,
    _fit,
    _Frame,
    _legend,
    _n,
    _text,
)
from datacircle.core.i18n import gettext_noop
from datacircle.core.taxonomy import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    builtin_taxonomy,
    is_valid_code,
    localised,
)

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "maturity.yaml"

AREAS: tuple[str, ...] = ("people", "process", "technology")
LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)
MIN_PEERS = 5
# A gap this large between target and mean makes a dimension a weakness whatever its mean.
GAP_WEAKNESS = 1.5
MIN_DIMENSIONS = 3  # a radar needs three axes to enclose anything
MAX_DIMENSIONS = 12  # beyond this the radar's labels no longer fit, and it is no quick scan
MIN_ANSWERS, MAX_ANSWERS = 2, 5
MAX_MODULES = 3
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ID_LENGTH = 60
# Means are compared after rounding to this many places: two means that differ only by float
# noise (7/3 reached two ways) tie, and ties are broken by questionnaire order.
_PLACES = 9
_EPSILON = 1e-9

Path_ = tuple[str | int, ...]

# What a problem about the whole text names when it has no path (the web's source).
QUESTIONNAIRE = gettext_noop("questionnaire")


# --- the questionnaire ----------------------------------------------------------------------


class QuestionnaireError(ValueError):
    """Everything wrong with a questionnaire, each problem as "path: reason (line n)": a
    `Message` in English that the web shows in the reader's language (`core.i18n.translate`)."""

    def __init__(self, problems: Iterable[str], source: str = QUESTIONNAIRE) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        self.source = source
        if len(self.problems) == 1:
            message = f"{source}: {self.problems[0]}"
        else:
            listed = "\n".join(f"- {p}" for p in self.problems)
            message = f"{source} has {len(self.problems)} problems:\n{listed}"
        super().__init__(message)


class Text(str):
    """A text in one language or several. As a str it is the English text (`en`, always
    given), so comparing, sorting and checking names work as before; `in_language` gives the
    text in a reader's language, else in English, and `texts` every language given.

    Two Texts are equal when they give the same text in every language; compared with a plain
    str, a Text is its English (`name == "Leadership"`).
    """

    _texts: dict[str, str]

    def __new__(cls, texts: str | Mapping[str, str]) -> Text:
        given = {DEFAULT_LANGUAGE: texts} if isinstance(texts, str) else dict(texts)
        if DEFAULT_LANGUAGE not in given:
            raise ValueError(f"a text needs its English ({DEFAULT_LANGUAGE}): {given!r}")
        self = super().__new__(cls, given[DEFAULT_LANGUAGE])
        # English first, then the other languages in LANGUAGES order: one order for dumping.
        order = {code: n for n, code in enumerate(LANGUAGES)}
        self._texts = dict(sorted(given.items(), key=lambda item: order.get(item[0], len(order))))
        return self

    def __getnewargs__(self) -> tuple[dict[str, str]]:  # copy and pickle keep every language
        return (dict(self._texts),)

    @property
    def texts(self) -> dict[str, str]:
        """Every language given, English first."""
        return dict(self._texts)

    def in_language(self, language: str) -> str:
        """The text in `language` (fr-ca reads fr), else in English."""
        return localised(self._texts, language)

    def to_data(self) -> str | dict[str, str]:
        """A plain string when English only, else the mapping by language."""
        if len(self._texts) == 1:
            return str(self)
        return dict(self._texts)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Text):
            return self._texts == other._texts
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = str.__hash__  # equal Texts have the same English, so the same hash

    def __repr__(self) -> str:
        return f"Text({self.to_data()!r})"


def _in(text: str, language: str) -> Text:
    return Text(text.in_language(language) if isinstance(text, Text) else text)


@dataclass(frozen=True)
class Answer:
    score: int
    text: Text


@dataclass(frozen=True)
class Question:
    id: str
    text: Text
    answers: tuple[Answer, ...]

    @property
    def scores(self) -> tuple[int, ...]:
        return tuple(a.score for a in self.answers)


@dataclass(frozen=True)
class Dimension:
    id: str
    area: str
    name: Text
    summary: Text
    stages: tuple[Text, ...]
    skills: tuple[str, ...]
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Stage:
    level: int
    name: Text
    description: Text


@dataclass(frozen=True)
class Questionnaire:
    version: int
    stages: tuple[Stage, ...]
    dimensions: tuple[Dimension, ...]

    def dimension(self, id: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.id == id:
                return dimension
        raise KeyError(id)

    def question(self, id: str) -> Question:
        for dimension in self.dimensions:
            for question in dimension.questions:
                if question.id == id:
                    return question
        raise KeyError(id)

    def dimension_of(self, question_id: str) -> Dimension:
        """The dimension a question belongs to."""
        for dimension in self.dimensions:
            if any(q.id == question_id for q in dimension.questions):
                return dimension
        raise KeyError(question_id)

    def stage(self, level: int) -> Stage:
        for stage in self.stages:
            if stage.level == level:
                return stage
        raise KeyError(level)

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, in questionnaire order."""
        return tuple(q for d in self.dimensions for q in d.questions)

    def in_language(self, language: str) -> Questionnaire:
        """The questionnaire as a reader of `language` sees it: every text in that language
        (fr-ca reads fr), or in English where it has none. Ids, scores and skills are the same,
        so it scores exactly like this one; it is for showing, not for saving."""
        return Questionnaire(
            self.version,
            tuple(
                Stage(s.level, _in(s.name, language), _in(s.description, language))
                for s in self.stages
            ),
            tuple(
                Dimension(
                    d.id,
                    d.area,
                    _in(d.name, language),
                    _in(d.summary, language),
                    tuple(_in(words, language) for words in d.stages),
                    d.skills,
                    tuple(
                        Question(
                            q.id,
                            _in(q.text, language),
                            tuple(Answer(a.score, _in(a.text, language)) for a in q.answers),
                        )
                        for q in d.questions
                    ),
                )
                for d in self.dimensions
            ),
        )

    def borrowing(self, source: Questionnaire) -> Questionnaire:
        """This questionnaire with each English-only text that says word for word what
        `source` says *at the same place* replaced by `source`'s text in every language: so a
        version written before the translations (the built-in version 1, or an organisation's
        copy of it) reads in the reader's language wherever it was left unchanged, and a text
        that was changed, or given its own translations, stays as written.

        The same place is the stage of the same level; the dimension with the same id (its
        name, summary and the description of each stage); the question with the same id,
        wherever it now is; and, in that question, an answer with the same English. The same
        English elsewhere is not borrowed: a short text such as "Rarely" or "None" may need
        other words (or another grammatical gender) in another question or dimension. Words
        are compared as words, so a line broken elsewhere in the YAML still matches. Ids,
        scores and skills are untouched; it is for showing, like `in_language`."""
        stages = {s.level: s for s in source.stages}
        dimensions = {d.id: d for d in source.dimensions}
        questions = {q.id: q for q in source.questions}

        def stage(s: Stage) -> Stage:
            known = stages.get(s.level)
            if known is None:
                return s
            return Stage(
                s.level, _lend(s.name, known.name), _lend(s.description, known.description)
            )

        def question(q: Question) -> Question:
            known = questions.get(q.id)
            if known is None:
                return q
            answers = {_words(a.text): a.text for a in known.answers}
            return Question(
                q.id,
                _lend(q.text, known.text),
                tuple(
                    Answer(a.score, _lend(a.text, answers.get(_words(a.text)))) for a in q.answers
                ),
            )

        def dimension(d: Dimension) -> Dimension:
            known = dimensions.get(d.id)
            return Dimension(
                d.id,
                d.area,
                _lend(d.name, known.name if known else None),
                _lend(d.summary, known.summary if known else None),
                tuple(
                    _lend(words, known.stages[i] if known and i < len(known.stages) else None)
                    for i, words in enumerate(d.stages)
                ),
                d.skills,
                tuple(question(q) for q in d.questions),
            )

        return Questionnaire(
            self.version,
            tuple(stage(s) for s in self.stages),
            tuple(dimension(d) for d in self.dimensions),
        )

    def to_data(self) -> dict:
        """A plain JSON-able dict; `parse(q.to_data()) == q`. A text in one language is a
        string, a text in several a mapping by language."""
        return {
            "version": self.version,
            "stages": [
                {"level": s.level, "name": _data(s.name), "description": _data(s.description)}
                for s in self.stages
            ],
            "dimensions": [
                {
                    "id": d.id,
                    "area": d.area,
                    "name": _data(d.name),
                    "summary": _data(d.summary),
                    "stages": [_data(words) for words in d.stages],
                    "skills": list(d.skills),
                    "questions": [
                        {
                            "id": q.id,
                            "text": _data(q.text),
                            "answers": [
                                {"score": a.score, "text": _data(a.text)} for a in q.answers
                            ],
                        }
                        for q in d.questions
                    ],
                }
                for d in self.dimensions
            ],
        }


def _words(text: str) -> str:
    return " ".join(text.split())


def _lend(text: Text, known: Text | None) -> Text:
    """`known` in place of `text` when `text` is English only and says the same words."""
    if (
        known is None
        or not isinstance(known, Text)
        or len(known.texts) < 2
        or (isinstance(text, Text) and len(text.texts) > 1)
        or _words(text) != _words(known)
    ):
        return text
    return known


def _data(text: str) -> str | dict[str, str]:
    return text.to_data() if isinstance(text, Text) else str(text)


# --- parsing --------------------------------------------------------------------------------

_ROOT_FIELDS = ("version", "stages", "dimensions")
_STAGE_FIELDS = ("level", "name", "description")
_DIMENSION_FIELDS = ("id", "area", "name", "summary", "stages", "skills", "questions")
_DIMENSION_OPTIONAL = frozenset({"skills"})
_QUESTION_FIELDS = ("id", "text", "answers")
_ANSWER_FIELDS = ("score", "text")


def format_path(path: Path_) -> str:
    """`("dimensions", 2, "questions", 0)` as `dimensions[2].questions[0]`."""
    words = ""
    for part in path:
        if isinstance(part, int):
            words += f"[{part}]"
        else:
            words += f".{part}" if words else part
    return words


class _Report:
    """Problems found so far, each with the path it is about (and its line, from YAML text)."""

    def __init__(self, source: str, lines: Mapping[Path_, int] | None = None) -> None:
        self.source = source
        self.lines = lines or {}
        self.problems: list[str] = []

    def add(self, path: Path_, reason: str) -> None:
        self.add_at(path, reason, self._line(path))

    def add_at(self, path: Path_, reason: str, line: int | None) -> None:
        where = format_path(path) or self.source
        if line:
            problem = gettext_noop(
                "%(where)s: %(reason)s (line %(line)s)", where=where, reason=reason, line=line
            )
        else:
            problem = gettext_noop("%(where)s: %(reason)s", where=where, reason=reason)
        self.problems.append(problem)

    def _line(self, path: Path_) -> int | None:
        # A path inside a value that is missing points at the nearest parent that is there.
        for n in range(len(path), 0, -1):
            if path[:n] in self.lines:
                return self.lines[path[:n]]
        return None


def _shown(value: Any) -> str:
    """A value as a problem names it: its YAML or Python spelling, or words for what it is."""
    if value is None:
        return gettext_noop("nothing")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return gettext_noop("a mapping")
    if isinstance(value, list):
        return gettext_noop("a list")
    return repr(value)


def _is_int(value: object) -> bool:
    # bool is an int in Python; `score: yes` in YAML must not pass as score 1.
    return isinstance(value, int) and not isinstance(value, bool)


def _fields(
    value: Any,
    path: Path_,
    report: _Report,
    names: Sequence[str],
    optional: frozenset[str] = frozenset(),
) -> dict | None:
    """The mapping at `path`, after reporting unknown and missing fields; None if no mapping."""
    if not isinstance(value, dict):
        report.add(
            path,
            gettext_noop(
                "must be a mapping with %(fields)s, not %(value)s",
                fields=", ".join(names),
                value=_shown(value),
            ),
        )
        return None
    for key in value:
        if key not in names:
            close = difflib.get_close_matches(str(key), names, n=1, cutoff=0.6)
            if close:
                reason = gettext_noop(
                    "unknown field '%(field)s' (did you mean '%(close)s'?)",
                    field=key,
                    close=close[0],
                )
            else:
                reason = gettext_noop(
                    "unknown field '%(field)s'; use %(fields)s", field=key, fields=", ".join(names)
                )
            report.add((*path, str(key)), reason)
    for name in names:
        if name not in value and name not in optional:
            report.add((*path, name), gettext_noop("is missing"))
    return value


def _words_at(value: Any, path: Path_, report: _Report) -> str:
    """Text that must say something; surrounding spaces and line breaks are dropped."""
    if not isinstance(value, str):
        if value is None:
            reason = gettext_noop("must be text, not %(value)s", value=_shown(value))
        else:
            reason = gettext_noop(
                "must be text, not %(value)s (put it in quotes to keep it as text)",
                value=_shown(value),
            )
        report.add(path, reason)
        return ""
    if not value.strip():
        report.add(path, gettext_noop("must not be empty"))
    return value.strip()


def _text_at(value: Any, path: Path_, report: _Report) -> Text:
    """Text a person reads: one string for every language, or a mapping by language code
    (en, fr, es, ar) that gives at least the English. Every language's text must say
    something; unknown codes are reported with the closest known one."""
    if not isinstance(value, dict):
        return Text(_words_at(value, path, report))
    texts = {}
    for key, words in value.items():
        if key not in LANGUAGES:
            # fre, fr-CA, EN: the code it starts with (two-letter codes are too short for a
            # spelling guess: 'de' is not a misspelt 'es').
            close = [code for code in LANGUAGES if str(key).lower().startswith(code)]
            codes = ", ".join(LANGUAGES)
            if close:
                reason = gettext_noop(
                    "unknown language %(code)s (did you mean '%(close)s'?); use %(codes)s",
                    code=_shown(key),
                    close=close[0],
                    codes=codes,
                )
            else:
                reason = gettext_noop(
                    "unknown language %(code)s; use %(codes)s", code=_shown(key), codes=codes
                )
            report.add((*path, str(key)), reason)
            continue
        texts[key] = _words_at(words, (*path, key), report)
    if DEFAULT_LANGUAGE not in value:
        given = ", ".join(str(key) for key in value) or gettext_noop("none")
        report.add(
            path,
            gettext_noop(
                "needs the English text (%(code)s), which readers of other languages see when "
                "theirs is missing (given: %(given)s)",
                code=DEFAULT_LANGUAGE,
                given=given,
            ),
        )
        return Text("")
    return Text(texts)


def _check_unique(
    name: Text, path: Path_, report: _Report, seen: dict[tuple[str, str], str], where: str
) -> None:
    """Report `name` if, in some language, readers would see the same name twice (texts a
    language does not give fall back to English, so those are compared too); report each name
    once, at the first language it collides in."""
    if not name:
        return
    for language in LANGUAGES:
        shown = name.in_language(language)
        key = (language, shown.casefold())
        if key in seen:
            explicit = len(name.texts) > 1 and language in name.texts
            if language == DEFAULT_LANGUAGE:
                reason = gettext_noop(
                    "'%(name)s' is already the name of %(other)s", name=shown, other=seen[key]
                )
            else:
                reason = gettext_noop(
                    "'%(name)s' is already the name of %(other)s in %(language)s",
                    name=shown,
                    other=seen[key],
                    language=language,
                )
            report.add((*path, language) if explicit else path, reason)
            break
    for language in LANGUAGES:
        seen.setdefault((language, name.in_language(language).casefold()), where)


def _id_at(value: Any, path: Path_, report: _Report) -> str:
    if not isinstance(value, str):
        report.add(
            path,
            gettext_noop(
                "must be an id such as 'data-quality', not %(value)s", value=_shown(value)
            ),
        )
        return ""
    if len(value) > MAX_ID_LENGTH or not ID_PATTERN.fullmatch(value):
        report.add(
            path,
            gettext_noop(
                "'%(id)s' is not a valid id: use lower-case letters a-z, digits and single "
                "hyphens, at most %(most)s characters",
                id=value,
                most=MAX_ID_LENGTH,
            ),
        )
    return value


@dataclass(frozen=True)
class _Count:
    """How many items a list takes, and the words for a list that is not one or has too many
    or too few (one template per kind of item: translations put the noun in its own form)."""

    low: int
    high: int | None
    not_a_list: str  # %(value)s
    exactly: str = ""  # %(low)s, %(count)s
    too_few: str = ""  # %(low)s, %(count)s
    too_many: str = ""  # %(high)s, %(count)s


_STAGES = _Count(
    5,
    5,
    gettext_noop("must be a list of stages, not %(value)s"),
    exactly=gettext_noop("must have exactly %(low)s stages, not %(count)s"),
)
_DIMENSIONS = _Count(
    MIN_DIMENSIONS,
    MAX_DIMENSIONS,
    gettext_noop("must be a list of dimensions, not %(value)s"),
    too_few=gettext_noop("needs at least %(low)s dimensions, not %(count)s"),
    too_many=gettext_noop("may have at most %(high)s dimensions, not %(count)s"),
)
_QUESTIONS = _Count(
    1,
    None,
    gettext_noop("must be a list of questions, not %(value)s"),
    too_few=gettext_noop("needs at least %(low)s questions, not %(count)s"),
)
_ANSWERS = _Count(
    MIN_ANSWERS,
    MAX_ANSWERS,
    gettext_noop("must be a list of answers, not %(value)s"),
    too_few=gettext_noop("needs at least %(low)s answers, not %(count)s"),
    too_many=gettext_noop("may have at most %(high)s answers, not %(count)s"),
)


def _list_at(value: Any, path: Path_, report: _Report, count: _Count) -> list:
    if not isinstance(value, list):
        report.add(path, gettext_noop(count.not_a_list, value=_shown(value)))
        return []
    low, high, given = count.low, count.high, len(value)
    if high == low and given != low:
        report.add(path, gettext_noop(count.exactly, low=low, count=given))
    elif given < low:
        report.add(path, gettext_noop(count.too_few, low=low, count=given))
    elif high is not None and given > high:
        report.add(path, gettext_noop(count.too_many, high=high, count=given))
    return value


def _parse_stages(value: Any, report: _Report) -> tuple[Stage, ...]:
    stages = []
    names: dict[tuple[str, str], str] = {}
    for i, raw in enumerate(_list_at(value, ("stages",), report, _STAGES)):
        path: Path_ = ("stages", i)
        item = _fields(raw, path, report, _STAGE_FIELDS)
        if item is None:
            continue
        level = item.get("level")
        if "level" in item and level != i + 1:
            report.add(
                (*path, "level"),
                gettext_noop(
                    "stages go from level 1 to 5 in order, so this one must be %(level)s, "
                    "not %(value)s",
                    level=i + 1,
                    value=_shown(level),
                ),
            )
        name = _text_at(item.get("name"), (*path, "name"), report) if "name" in item else Text("")
        _check_unique(name, (*path, "name"), report, names, format_path(path))
        description = item.get("description")
        words = (
            _text_at(description, (*path, "description"), report)
            if "description" in item
            else Text("")
        )
        stages.append(Stage(i + 1, name, words))
    return tuple(stages)


def _parse_answers(value: Any, path: Path_, report: _Report) -> tuple[Answer, ...]:
    answers = []
    previous: int | None = None
    for i, raw in enumerate(_list_at(value, path, report, _ANSWERS)):
        item = _fields(raw, (*path, i), report, _ANSWER_FIELDS)
        if item is None:
            continue
        score = item.get("score")
        score_path = (*path, i, "score")
        if "score" in item:
            if not _is_int(score) or not 1 <= score <= 5:
                report.add(
                    score_path,
                    gettext_noop(
                        "must be a whole number from 1 to 5, not %(value)s", value=_shown(score)
                    ),
                )
            elif previous is not None and score <= previous:
                report.add(
                    score_path,
                    gettext_noop(
                        "scores must go up from one answer to the next: %(score)s comes after "
                        "%(previous)s",
                        score=score,
                        previous=previous,
                    ),
                )
            if _is_int(score):
                previous = score if previous is None else max(previous, score)
        text = (
            _text_at(item.get("text"), (*path, i, "text"), report) if "text" in item else Text("")
        )
        answers.append(Answer(score if _is_int(score) else 0, text))
    return tuple(answers)


def _parse_skills(
    value: Any, path: Path_, report: _Report, skill_codes: frozenset[str] | None
) -> tuple[str, ...]:
    if not isinstance(value, list):
        report.add(
            path,
            gettext_noop(
                "must be a list of skill codes such as [data-protection], not %(value)s",
                value=_shown(value),
            ),
        )
        return ()
    codes: list[str] = []
    for i, code in enumerate(value):
        if not isinstance(code, str) or not is_valid_code(code):
            report.add(
                (*path, i),
                gettext_noop("%(value)s is not a skill code (a-z, 0-9 and -)", value=_shown(code)),
            )
            continue
        if code in codes:
            report.add((*path, i), gettext_noop("'%(code)s' is listed twice", code=code))
            continue
        if skill_codes is not None and code not in skill_codes:
            close = difflib.get_close_matches(code, sorted(skill_codes), n=1, cutoff=0.6)
            if close:
                reason = gettext_noop(
                    "unknown skill code '%(code)s' (did you mean '%(close)s'?)",
                    code=code,
                    close=close[0],
                )
            else:
                reason = gettext_noop("unknown skill code '%(code)s'", code=code)
            report.add((*path, i), reason)
        codes.append(code)
    return tuple(codes)


def _parse_dimension(
    raw: Any,
    index: int,
    report: _Report,
    skill_codes: frozenset[str] | None,
    seen: dict[str, dict],
) -> Dimension | None:
    path: Path_ = ("dimensions", index)
    item = _fields(raw, path, report, _DIMENSION_FIELDS, _DIMENSION_OPTIONAL)
    if item is None:
        return None
    dimension_id = _id_at(item.get("id"), (*path, "id"), report) if "id" in item else ""
    if dimension_id in seen["dimension"]:
        report.add(
            (*path, "id"),
            gettext_noop(
                "'%(id)s' is already the id of %(other)s",
                id=dimension_id,
                other=seen["dimension"][dimension_id],
            ),
        )
    elif dimension_id:
        seen["dimension"][dimension_id] = format_path(path)
    area = item.get("area")
    if "area" in item and area not in AREAS:
        close = difflib.get_close_matches(str(area), AREAS, n=1, cutoff=0.6)
        areas = ", ".join(AREAS)
        if close:
            reason = gettext_noop(
                "must be one of %(areas)s, not %(value)s (did you mean '%(close)s'?)",
                areas=areas,
                value=_shown(area),
                close=close[0],
            )
        else:
            reason = gettext_noop(
                "must be one of %(areas)s, not %(value)s", areas=areas, value=_shown(area)
            )
        report.add((*path, "area"), reason)
    name = _text_at(item.get("name"), (*path, "name"), report) if "name" in item else Text("")
    _check_unique(name, (*path, "name"), report, seen["name"], format_path(path))
    summary = (
        _text_at(item.get("summary"), (*path, "summary"), report) if "summary" in item else Text("")
    )
    stages = []
    if "stages" in item:
        stages_path = (*path, "stages")
        for i, words in enumerate(_list_at(item["stages"], stages_path, report, _STAGES)):
            stages.append(_text_at(words, (*stages_path, i), report))
    skills = (
        _parse_skills(item["skills"], (*path, "skills"), report, skill_codes)
        if "skills" in item
        else ()
    )
    questions = []
    if "questions" in item:
        questions_path = (*path, "questions")
        for i, raw_question in enumerate(
            _list_at(item["questions"], questions_path, report, _QUESTIONS)
        ):
            question = _parse_question(raw_question, (*questions_path, i), report, seen)
            if question is not None:
                questions.append(question)
    return Dimension(
        dimension_id,
        area if isinstance(area, str) else "",
        name,
        summary,
        tuple(stages),
        skills,
        tuple(questions),
    )


def _parse_question(
    raw: Any, path: Path_, report: _Report, seen: dict[str, dict]
) -> Question | None:
    item = _fields(raw, path, report, _QUESTION_FIELDS)
    if item is None:
        return None
    question_id = _id_at(item.get("id"), (*path, "id"), report) if "id" in item else ""
    if question_id in seen["question"]:
        report.add(
            (*path, "id"),
            gettext_noop(
                "'%(id)s' is already the id of %(other)s",
                id=question_id,
                other=seen["question"][question_id],
            ),
        )
    elif question_id:
        seen["question"][question_id] = format_path(path)
    text = _text_at(item.get("text"), (*path, "text"), report) if "text" in item else Text("")
    answers = (
        _parse_answers(item["answers"], (*path, "answers"), report) if "answers" in item else ()
    )
    return Question(question_id, text, answers)


def _parse(
    data: object, source: str, skill_codes: Iterable[str] | None, report: _Report
) -> Questionnaire:
    codes = frozenset(skill_codes) if skill_codes is not None else None
    root = _fields(data, (), report, _ROOT_FIELDS)
    if root is None:
        raise QuestionnaireError(report.problems, source)
    version = root.get("version")
    if "version" in root and (not _is_int(version) or version < 1):
        report.add(
            ("version",),
            gettext_noop("must be a whole number from 1 up, not %(value)s", value=_shown(version)),
        )
    stages = _parse_stages(root["stages"], report) if "stages" in root else ()
    dimensions = []
    if "dimensions" in root:
        seen: dict[str, dict] = {"dimension": {}, "name": {}, "question": {}}
        raw_dimensions = _list_at(root["dimensions"], ("dimensions",), report, _DIMENSIONS)
        for i, raw in enumerate(raw_dimensions):
            dimension = _parse_dimension(raw, i, report, codes, seen)
            if dimension is not None:
                dimensions.append(dimension)
    if report.problems:
        raise QuestionnaireError(report.problems, source)
    assert _is_int(version)  # reported above otherwise
    return Questionnaire(version, stages, tuple(dimensions))


def parse(
    data: object, *, source: str = QUESTIONNAIRE, skill_codes: Iterable[str] | None = None
) -> Questionnaire:
    """A questionnaire from plain data (parsed YAML, or `to_data()` kept as JSON).

    Raises `QuestionnaireError` with every problem found. Skill codes are checked against
    `skill_codes` when given (their form is always checked).
    """
    return _parse(data, source, skill_codes, _Report(source))


# Plain words for the YAML errors people make most (PyYAML's own English follows them).
_YAML_HINTS = {
    "mapping values are not allowed here": gettext_noop(
        "a ': ' inside a value; put the whole value in double quotes"
    ),
    "found character '\\t' that cannot start any token": gettext_noop(
        "a tab character; indent with spaces only"
    ),
    "found a tab character": gettext_noop("a tab character; indent with spaces only"),
    "could not find expected ':'": gettext_noop(
        "expected 'field: value' here; check the indentation"
    ),
    "found unexpected end of stream": gettext_noop("a quote is opened but never closed"),
    "did not find expected key": gettext_noop(
        "the indentation does not line up with the fields above"
    ),
    "did not find expected '-' indicator": gettext_noop("the list items do not line up"),
    "found undefined alias": gettext_noop("a '*' starts a YAML alias; put the value in quotes"),
}


def _yaml_problem(error: yaml.YAMLError) -> str:
    problem = (getattr(error, "problem", None) or str(error)).strip()
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if problem.startswith("found unexpected end of stream"):
        # The end of the text is not where to look: the quote that never closes is.
        mark = getattr(error, "context_mark", None) or mark
    hint = next((words for key, words in _YAML_HINTS.items() if problem.startswith(key)), None)
    if hint:
        words = gettext_noop("%(hint)s (YAML: %(problem)s)", hint=hint, problem=problem)
    else:
        words = gettext_noop("YAML: %(problem)s", problem=problem)
    if mark is None:
        return gettext_noop("not valid YAML: %(words)s", words=words)
    return gettext_noop(
        "line %(line)s, column %(column)s: not valid YAML: %(words)s",
        line=mark.line + 1,
        column=mark.column + 1,
        words=words,
    )


def _node_lines(
    node: yaml.Node,
    report: _Report,
    path: Path_ = (),
    lines: dict[Path_, int] | None = None,
    above: frozenset[int] = frozenset(),
) -> dict[Path_, int]:
    """The line of every value in the YAML tree by path; keys given twice are reported (YAML
    itself would silently keep the last one)."""
    lines = {} if lines is None else lines
    lines.setdefault(path, node.start_mark.line + 1)
    if id(node) in above:  # an alias to a node that contains it: a loop, not a questionnaire
        return lines
    above = above | {id(node)}
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            line = key.start_mark.line + 1
            if name in seen:
                report.add_at(
                    (*path, name), gettext_noop("is given twice; write each field once"), line
                )
            seen.add(name)
            lines[(*path, name)] = line
            _node_lines(value, report, (*path, name), lines, above)
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            _node_lines(value, report, (*path, i), lines, above)
    return lines


def parse_text(
    text: str, *, source: str = QUESTIONNAIRE, skill_codes: Iterable[str] | None = None
) -> Questionnaire:
    """A questionnaire from YAML text: a syntax error is reported with its line and column,
    every other problem with its path and line.
    """
    report = _Report(source)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        raise QuestionnaireError([_yaml_problem(error)], source) from error
    finally:
        loader.dispose()
    if node is None:
        raise QuestionnaireError(
            [
                gettext_noop(
                    "the text is empty: a questionnaire needs version, stages and dimensions"
                )
            ],
            source,
        )
    report.lines = _node_lines(node, report)
    return _parse(data, source, skill_codes, report)


@cache
def builtin() -> Questionnaire:
    """The built-in questionnaire, `data/maturity.yaml`, with its skill codes checked."""
    return parse_text(
        DATA_FILE.read_text(encoding="utf-8"),
        source="data/maturity.yaml",
        skill_codes=builtin_taxonomy().codes,
    )


class _Dumper(yaml.SafeDumper):
    """PyYAML, except that text holding an odd line break (NEL, LS, PS) or a carriage return
    is always double-quoted: in its single-quoted style PyYAML folds some of them away."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if any(c in text for c in "\x85\u2028\u2029\r") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def _yaml(value: object) -> str:
    return yaml.dump(
        value,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        default_flow_style=False,
    )


def dump_text(q: Questionnaire) -> str:
    """YAML text for the editor, one blank line between dimensions; `parse_text(dump_text(q))
    == q` for any questionnaire `parse` made."""
    data = q.to_data()
    dimensions = "\n".join(_yaml([d]) for d in data["dimensions"])
    return (
        _yaml({"version": data["version"]})
        + "\nstages:\n"
        + _yaml(data["stages"])
        + "\ndimensions:\n"
        + dimensions
    )


# --- responses and scores -------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    """One respondent's answers (question id -> the score chosen; unanswered ones absent) and
    targets (dimension id -> the stage 1..5 they want to reach, the to-be; may be partial)."""

    answers: Mapping[str, int] = field(default_factory=dict)
    targets: Mapping[str, int] = field(default_factory=dict)


def validate_response(
    q: Questionnaire, answers: Mapping[str, object], targets: Mapping[str, object]
) -> list[str]:
    """What is wrong with a response to `q`, in words (empty when it is valid)."""
    problems = []
    offered = {question.id: question.scores for question in q.questions}
    for question_id, score in answers.items():
        if question_id not in offered:
            problems.append(gettext_noop("unknown question '%(id)s'", id=question_id))
        elif not _is_int(score) or score not in offered[question_id]:
            problems.append(
                gettext_noop(
                    "question '%(id)s': %(value)s is not one of its answers' scores (%(scores)s)",
                    id=question_id,
                    value=_shown(score),
                    scores=", ".join(str(s) for s in offered[question_id]),
                )
            )
    dimensions = {d.id for d in q.dimensions}
    for dimension_id, target in targets.items():
        if dimension_id not in dimensions:
            problems.append(gettext_noop("target for unknown dimension '%(id)s'", id=dimension_id))
        elif not _is_int(target) or not 1 <= target <= 5:
            problems.append(
                gettext_noop(
                    "target for '%(id)s' must be a stage from 1 to 5, not %(value)s",
                    id=dimension_id,
                    value=_shown(target),
                )
            )
    return problems


def dimension_scores(q: Questionnaire, answers: Mapping[str, int]) -> dict[str, float | None]:
    """Per dimension (in questionnaire order), the mean of the scores answered in it, or None.

    Answers to questions `q` does not have are ignored; a score the question does not offer is
    an error (responses are validated when they are saved).
    """
    scores: dict[str, float | None] = {}
    for dimension in q.dimensions:
        chosen = []
        for question in dimension.questions:
            if question.id not in answers:
                continue
            score = answers[question.id]
            if not _is_int(score) or score not in question.scores:
                raise ValueError(
                    f"question '{question.id}' offers no answer scored {_shown(score)}"
                )
            chosen.append(score)
        scores[dimension.id] = statistics.fmean(chosen) if chosen else None
    return scores


def stage_of(score: float) -> int:
    """The stage a score reaches: floor(score + 0.5), clamped to 1..5 (2.5 -> 3, 2.49 -> 2).

    A hair of tolerance makes a mean that is 2.5 up to float rounding reach stage 3.
    """
    if not math.isfinite(score):
        raise ValueError(f"a score must be a number, not {score!r}")
    return min(5, max(1, math.floor(score + 0.5 + _EPSILON)))


@dataclass(frozen=True)
class Combined:
    dimension: str
    respondents: int
    mean: float | None
    median: float | None
    low: float | None
    high: float | None
    spread: float | None  # population standard deviation of respondents' dimension scores
    stage: int | None  # stage_of(mean)
    target: float | None  # mean of the targets given
    gap: float | None  # target - mean


def combine(q: Questionnaire, responses: Sequence[Response]) -> dict[str, Combined]:
    """Per dimension, in questionnaire order, the respondents' scores combined (see the module
    docstring). A respondent counts in a dimension when they answered at least one of its
    questions; targets count from everyone who gave one, answers or not.
    """
    per_response = [dimension_scores(q, r.answers) for r in responses]
    combined = {}
    for dimension in q.dimensions:
        scores = [v for s in per_response if (v := s[dimension.id]) is not None]
        targets = []
        for response in responses:
            target = response.targets.get(dimension.id)
            if target is None:
                continue
            if not _is_int(target) or not 1 <= target <= 5:
                raise ValueError(
                    f"target for '{dimension.id}' must be a stage from 1 to 5, not {_shown(target)}"
                )
            targets.append(target)
        mean = statistics.fmean(scores) if scores else None
        target_mean = statistics.fmean(targets) if targets else None
        combined[dimension.id] = Combined(
            dimension=dimension.id,
            respondents=len(scores),
            mean=mean,
            median=statistics.median(scores) if scores else None,
            low=min(scores) if scores else None,
            high=max(scores) if scores else None,
            spread=statistics.pstdev(scores) if scores else None,
            stage=stage_of(mean) if mean is not None else None,
            target=target_mean,
            gap=target_mean - mean if target_mean is not None and mean is not None else None,
        )
    return combined


def strengths_and_weaknesses(
    q: Questionnaire, combined: Mapping[str, Combined], count: int = 2
) -> tuple[list[str], list[str]]:
    """Dimension ids: (strengths, weaknesses).

    Weaknesses come first, because they drive the next steps: every dimension whose gap to its
    target is at least 1.5 (largest gap first), then the `count` lowest means not already
    listed. Strengths are the `count` highest means that reach at least stage 3 among the
    dimensions that are not weaknesses. Dimensions without a mean are neither. Ties (equal
    means or gaps) go by questionnaire order. So a weakness list may be longer than `count`
    when several targets are far off, and with few dimensions strengths may be fewer.
    """
    if count < 0:
        raise ValueError(f"count must be 0 or more, not {count}")
    order = {d.id: i for i, d in enumerate(q.dimensions)}
    scored = [c for c in combined.values() if c.mean is not None and c.dimension in order]
    far = sorted(
        (c for c in scored if c.gap is not None and c.gap >= GAP_WEAKNESS - _EPSILON),
        key=lambda c: (-round(c.gap or 0.0, _PLACES), order[c.dimension]),
    )
    weaknesses = [c.dimension for c in far]
    lowest = sorted(scored, key=lambda c: (round(c.mean or 0.0, _PLACES), order[c.dimension]))
    for c in lowest[:count]:
        if c.dimension not in weaknesses:
            weaknesses.append(c.dimension)
    highest = sorted(scored, key=lambda c: (-round(c.mean or 0.0, _PLACES), order[c.dimension]))
    strengths = [
        c.dimension
        for c in highest
        if c.dimension not in weaknesses and stage_of(c.mean or 0.0) >= 3
    ][:count]
    return strengths, weaknesses


# --- benchmark and trend --------------------------------------------------------------------


@dataclass(frozen=True)
class Benchmark:
    dimension: str
    peers: int
    median: float
    low: float  # first quartile of the peers' scores
    high: float  # third quartile
    position: str  # "above" | "within" | "below" the quartiles


def _check_score(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{where}: {value!r} is not a score")
    if not 1 - _EPSILON <= value <= 5 + _EPSILON:
        raise ValueError(f"{where}: {value!r} is not a score from 1 to 5")
    return float(value)


def benchmark(
    q: Questionnaire,
    own: Mapping[str, float | None],
    peers: Sequence[Mapping[str, float | None]],
    minimum: int = MIN_PEERS,
) -> dict[str, Benchmark] | None:
    """Own scores against peers' (each peer a mapping of dimension -> score, e.g. another
    organisation's combined means), per dimension that has an own score, in questionnaire order.

    None — show no benchmark at all — when own has no score, or when fewer than `minimum` peers
    have a score for every one of those dimensions: a peer cannot be picked out. Each
    dimension's quartiles then use every peer with a score there (partial peers included).
    """
    if minimum < 1:
        raise ValueError(f"minimum must be at least 1, not {minimum}")
    shown = [d.id for d in q.dimensions if own.get(d.id) is not None]
    if not shown:
        return None
    complete = sum(1 for peer in peers if all(peer.get(d) is not None for d in shown))
    if complete < minimum:
        return None
    result = {}
    for dimension_id in shown:
        mine = _check_score(own[dimension_id], f"own score for '{dimension_id}'")
        scores = [
            _check_score(peer[dimension_id], f"a peer's score for '{dimension_id}'")
            for peer in peers
            if peer.get(dimension_id) is not None
        ]
        if len(scores) == 1:  # only when minimum is 1: quantiles needs two points
            low = median = high = scores[0]
        else:
            low, median, high = statistics.quantiles(scores, n=4, method="inclusive")
        if mine > high + _EPSILON:
            position = "above"
        elif mine < low - _EPSILON:
            position = "below"
        else:
            position = "within"
        result[dimension_id] = Benchmark(dimension_id, len(scores), median, low, high, position)
    return result


def trend(
    q: Questionnaire,
    rounds: Sequence[tuple[str, Questionnaire, Mapping[str, float | None]]],
) -> dict[str, list[tuple[str, float | None]]]:
    """Per dimension of `q` (the latest version, in its order): [(round label, score or None)]
    for every round in the order given. Each round brings the questionnaire version it was
    answered with and the scores computed with that version; dimensions are matched by id, so a
    dimension the round's version did not have gives None there. A score for a dimension the
    round's version does not have is an error: it means the round was scored with another
    version.
    """
    for label, version, scores in rounds:
        known = {d.id for d in version.dimensions}
        stray = sorted(k for k, v in scores.items() if k not in known and v is not None)
        if stray:
            raise ValueError(
                f"round {label!r}: scores for {', '.join(stray)}, which its questionnaire "
                f"(version {version.version}) does not have"
            )
    return {
        dimension.id: [
            (label, scores.get(dimension.id) if _has(version, dimension.id) else None)
            for label, version, scores in rounds
        ]
        for dimension in q.dimensions
    }


def _has(q: Questionnaire, dimension_id: str) -> bool:
    return any(d.id == dimension_id for d in q.dimensions)


# --- next steps -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ModuleRef:
    reference: str
    title: str
    skills: tuple[str, ...]
    language: str


@dataclass(frozen=True)
class Step:
    dimension: str
    skills: tuple[str, ...]  # the dimension's skills, most in demand first
    modules: tuple[ModuleRef, ...]  # up to 3 modules teaching them
    demand: Mapping[str, int]  # skill -> demand, for the skills above


def _base_language(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


def next_steps(
    q: Questionnaire,
    weaknesses: Sequence[str],
    demand: Mapping[str, int],
    modules: Sequence[ModuleRef],
    language: str = "en",
) -> list[Step]:
    """One step per weak dimension, in the order given.

    The dimension's skills are ordered by demand (e.g. how many people want to learn them),
    most first, ties in the order the questionnaire lists them. Modules teaching at least one
    of those skills are ranked: the reader's language first (fr-CA reads fr), then the most of
    the dimension's skills covered, then the most demand covered, then the order given; the
    first three are kept, each reference once.
    """
    reader = _base_language(language)
    steps = []
    for dimension_id in weaknesses:
        dimension = q.dimension(dimension_id)
        position = {code: i for i, code in enumerate(dimension.skills)}
        skills = tuple(sorted(dimension.skills, key=lambda s: (-demand.get(s, 0), position[s])))
        ranked = []
        for index, module in enumerate(modules):
            covered = set(module.skills) & set(skills)
            if covered:
                ranked.append(
                    (
                        _base_language(module.language) != reader,
                        -len(covered),
                        -sum(demand.get(s, 0) for s in covered),
                        index,
                        module,
                    )
                )
        chosen: list[ModuleRef] = []
        for *_, module in sorted(ranked, key=lambda item: item[:4]):
            if len(chosen) == MAX_MODULES:
                break
            if all(m.reference != module.reference for m in chosen):
                chosen.append(module)
        steps.append(
            Step(
                dimension=dimension_id,
                skills=skills,
                modules=tuple(chosen),
                demand={s: demand.get(s, 0) for s in skills},
            )
        )
    return steps


# --- the radar chart ------------------------------------------------------------------------

# Series styles: colour from the charts palette, and a dash pattern so that the series differ
# without colour too (printed in black and white, or for colour-blind readers).
SERIES_STYLES: Mapping[str, tuple[str, str | None, float]] = {
    # name: (colour, stroke-dasharray, fill-opacity)
    "current": (PALETTE[0], None, 0.15),
    "target": (PALETTE[1], "7 4", 0.0),
    "peers": (PALETTE[2], "2 3", 0.0),
}
RADAR_MIN_WIDTH = 360
LABEL_LINE = 14.0
LABEL_GAP = 10.0
MAX_LABEL_LINES = 3
POINT_RADIUS = 3.5


def _style(colour: str) -> tuple[str, str | None, float]:
    if colour in SERIES_STYLES:
        return SERIES_STYLES[colour]
    if re.fullmatch(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})", colour):
        return colour, None, 0.0
    raise ValueError(
        f"series colour {colour!r} is not one of {', '.join(SERIES_STYLES)} or a hex colour"
    )


@dataclass(frozen=True)
class _Radar:
    cx: float
    cy: float
    radius: float
    count: int

    def angle(self, index: int) -> float:
        # The first dimension points up and the others follow clockwise (y grows downwards).
        return -math.pi / 2 + 2 * math.pi * index / self.count

    def point(self, index: int, score: float) -> tuple[float, float]:
        distance = self.radius * score / 5
        angle = self.angle(index)
        return self.cx + distance * math.cos(angle), self.cy + distance * math.sin(angle)


def _points(points: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _score_text(score: float | None) -> str:
    return "–" if score is None else f"{score:.1f}"


def radar(
    q: Questionnaire,
    series: Sequence[tuple[str, Mapping[str, float | None], str]],
    *,
    title: str,
    labels: Mapping[str, str] | None = None,
    rtl: bool = False,
    stage_labels: Mapping[int, str] | None = None,
    description: str | None = None,
    width: int = 640,
    score_text: Callable[[float | None], str] = _score_text,
    separators: tuple[str, str] = (", ", "; "),
) -> str:
    """A radar chart as an SVG string: one axis per dimension (the first pointing up, the rest
    clockwise), rings at stages 1 to 5 labelled with the stage names, and one outline per
    series `(label, scores by dimension id, colour)` where colour is "current", "target",
    "peers" (or a hex colour). A legend names the series.

    `labels` and `stage_labels` replace the dimension and stage names (pass them translated).
    `description` is the chart's <desc>; by default it lists every series' scores.
    `score_text` writes a score in the point's title and the <desc> (pass one written as the
    reader's language does: “2,7”); coordinates stay plain numbers. `separators` go between a
    series' scores and between series in the default <desc> (Arabic: “، ” and “؛ ”).

    A None score leaves a gap: the outline breaks on both sides of that axis and is not filled
    (an area would be invented), and a point whose neighbours are both missing is a dot alone.
    A complete series is one <polygon>; a series with gaps one <path> of its unbroken runs.

    Right to left (`rtl`): the geometry is not mirrored (a radar has no reading direction, and
    the same chart must mean the same in every language), but the legend starts from the right
    and the stage names sit on the leading (left) side of the top axis, their text-anchor
    flipped; the words are wrapped in a right-to-left isolate as in `datacircle.core.charts`.
    Dimension labels are anchored away from the centre on either side in both directions.
    The root sets direction="ltr" so that every text-anchor means the same in a browser page
    set right to left (which SVG text would otherwise inherit) as in WeasyPrint.
    """
    if len(q.dimensions) < MIN_DIMENSIONS:
        raise ValueError(
            f"a radar needs at least {MIN_DIMENSIONS} dimensions, not {len(q.dimensions)}"
        )
    if width < RADAR_MIN_WIDTH:
        raise ValueError(f"radar width {width} is below the minimum of {RADAR_MIN_WIDTH}")
    styles = [_style(colour) for _, _, colour in series]
    checked = []
    for label, scores, _ in series:
        values = {}
        for d in q.dimensions:
            value = scores.get(d.id)
            values[d.id] = (
                None if value is None else _check_score(value, f"series {label!r}, '{d.id}'")
            )
        checked.append(values)
    names = {d.id: (labels or {}).get(d.id) or d.name for d in q.dimensions}
    stage_names = {s.level: (stage_labels or {}).get(s.level) or s.name for s in q.stages}

    frame = _Frame(float(width), rtl)
    entries = [(label, style[0]) for (label, _, _), style in zip(series, styles, strict=True)]
    dashes = {style[0]: style[1] for style in styles}

    def swatch(frame: _Frame, position: float, y: float, colour: str) -> str:
        left, span = frame.span(position, position + 14)
        dash = dashes.get(colour)
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        return (
            f"<line{_attrs(x1=left, y1=y - 4, x2=left + span, y2=y - 4, stroke=colour)}"
            f' stroke-width="3"{extra} class="legend-swatch"/>'
        )

    legend, legend_height = _legend(frame, entries, swatch) if entries else ([], 0.0)
    side = min(150.0, 0.22 * width)  # room beside the circle for the dimension labels
    radius = (width - 2 * PAD - 2 * side) / 2
    label_block = MAX_LABEL_LINES * LABEL_LINE + LABEL_GAP
    geometry = _Radar(
        width / 2, PAD + legend_height + label_block + radius, radius, len(q.dimensions)
    )
    height = geometry.cy + radius + label_block + PAD

    parts = [*legend, *_rings(geometry, frame, stage_names)]
    for i in range(len(q.dimensions)):
        x, y = geometry.point(i, 5)
        parts.append(_line_svg(geometry.cx, geometry.cy, x, y, AXIS_INK, "axis"))
    for i, d in enumerate(q.dimensions):
        parts.append(_axis_label(geometry, frame, i, d.id, names[d.id], side))
    for (label, _, _), style, values in zip(series, styles, checked, strict=True):
        parts.extend(_series(geometry, q, label, values, style, names, score_text))

    desc = (
        description
        if description is not None
        else _describe(q, series, checked, names, score_text, separators)
    )
    return _radar_svg(width, height, title, desc, parts)


def _line_svg(x1: float, y1: float, x2: float, y2: float, ink: str, css_class: str) -> str:
    return f'<line{_attrs(x1=x1, y1=y1, x2=x2, y2=y2, stroke=ink)} stroke-width="1" class="{css_class}"/>'


def _rings(geometry: _Radar, frame: _Frame, stage_names: Mapping[int, str]) -> list[str]:
    parts = []
    for level in LEVELS:
        ring = _points(geometry.point(i, level) for i in range(geometry.count))
        ink = AXIS_INK if level == 5 else GRID_INK
        parts.append(
            f'<polygon points="{ring}" fill="none" stroke="{ink}" stroke-width="1" class="ring"/>'
        )
    for level in LEVELS:
        _, y = geometry.point(0, level)
        text = _fit(f"{level} {stage_names.get(level, '')}".strip(), geometry.radius * 0.9)
        parts.append(
            _text(
                # Beside the top axis on the leading side: right of it, left of it in RTL
                # (the radar is centred, so mirroring cx + 4 gives cx - 4).
                frame.x(geometry.cx + 4),
                y + SMALL_FONT_SIZE,  # just inside its ring, clear of the top label
                text,
                anchor=frame.anchor("start"),
                fill=MUTED_INK,
                size=SMALL_FONT_SIZE - 1,
                css_class="stage",
                rtl_text=frame.rtl,
            )
        )
    return parts


def _wrap(text: str, room: float) -> list[str]:
    per_line = max(4, int(room / (FONT_SIZE * CHAR_EM)))
    lines = textwrap.wrap(
        " ".join(text.split()), width=per_line, max_lines=MAX_LABEL_LINES, placeholder=" …"
    )
    return [_fit(line, room) for line in lines] or [""]


def _axis_label(
    geometry: _Radar, frame: _Frame, index: int, dimension_id: str, name: str, side: float
) -> str:
    angle = geometry.angle(index)
    cos, sin = math.cos(angle), math.sin(angle)
    x = geometry.cx + (geometry.radius + LABEL_GAP) * cos
    y = geometry.cy + (geometry.radius + LABEL_GAP) * sin
    if cos > 0.3:
        anchor, room = "start", frame.width - PAD - x
    elif cos < -0.3:
        anchor, room = "end", x - PAD
    else:
        anchor, room = "middle", 2 * side
    lines = _wrap(name, max(room, 40.0))
    if sin < -0.3:  # above the circle: the block grows upwards from the axis end
        first = y - 4 - (len(lines) - 1) * LABEL_LINE
    elif sin > 0.3:  # below: it hangs from the axis end
        first = y + FONT_SIZE * 0.9
    else:
        first = y - (len(lines) - 1) * LABEL_LINE / 2 + FONT_SIZE * 0.35
    texts = [
        _text(
            x,
            first + n * LABEL_LINE,
            line,
            anchor=anchor,
            css_class="axis-label-line",
            rtl_text=frame.rtl,
        )
        for n, line in enumerate(lines)
    ]
    full = " ".join(lines) != " ".join(name.split())
    tip = f"<title>{_escape(name)}</title>" if full else ""
    key = _attribute(dimension_id)
    return f'<g class="axis-label" data-dimension={key}>{tip}{"".join(texts)}</g>'


def _series(
    geometry: _Radar,
    q: Questionnaire,
    label: str,
    values: Mapping[str, float | None],
    style: tuple[str, str | None, float],
    names: Mapping[str, str],
    score_text: Callable[[float | None], str] = _score_text,
) -> list[str]:
    colour, dash, opacity = style
    stroke = f' stroke="{colour}" stroke-width="2.5" stroke-linejoin="round"'
    if dash:
        stroke += f' stroke-dasharray="{dash}"'
    scores = [values[d.id] for d in q.dimensions]
    points = [
        geometry.point(i, score) if score is not None else None for i, score in enumerate(scores)
    ]
    tip = f"<title>{_escape(label)}</title>"
    parts = []
    if all(p is not None for p in points):
        fill = f'fill="{colour}" fill-opacity="{_n(opacity)}"' if opacity else 'fill="none"'
        parts.append(
            f'<polygon points="{_points(p for p in points if p)}" {fill}{stroke}'
            f' class="series">{tip}</polygon>'
        )
    elif any(p is not None for p in points):
        path = _runs(points)
        if path:
            parts.append(f'<path d="{path}" fill="none"{stroke} class="series">{tip}</path>')
    for d, score, point in zip(q.dimensions, scores, points, strict=True):
        if point is None or score is None:
            continue
        words = f"{label} – {names[d.id]}: {score_text(score)}"
        parts.append(
            f"<circle{_attrs(cx=point[0], cy=point[1], r=POINT_RADIUS, fill=colour)}"
            f' class="point"><title>{_escape(words)}</title></circle>'
        )
    return parts


def _runs(points: Sequence[tuple[float, float] | None]) -> str:
    """Path data for the unbroken runs of a closed outline with gaps (at least one None)."""
    count = len(points)
    start = next(i for i, p in enumerate(points) if p is None)  # begin just after a gap
    commands = []
    run: list[tuple[float, float]] = []
    for step in range(1, count + 1):
        point = points[(start + step) % count]
        if point is not None:
            run.append(point)
            continue
        if len(run) >= 2:
            commands.append("M" + " L".join(f"{_n(x)} {_n(y)}" for x, y in run))
        run = []
    return " ".join(commands)


def _describe(
    q: Questionnaire,
    series: Sequence[tuple[str, Mapping[str, float | None], str]],
    checked: Sequence[Mapping[str, float | None]],
    names: Mapping[str, str],
    score_text: Callable[[float | None], str] = _score_text,
    separators: tuple[str, str] = (", ", "; "),
) -> str:
    within, between = separators
    lines = []
    for (label, _, _), values in zip(series, checked, strict=True):
        scores = within.join(f"{names[d.id]} {score_text(values[d.id])}" for d in q.dimensions)
        lines.append(f"{label}: {scores}")
    return between.join(lines)


def _attribute(text: str) -> str:
    """An attribute value, quoted and escaped, without the characters XML cannot hold."""
    return quoteattr(_NOT_XML.sub("", text))


def _radar_svg(width: float, height: float, title: str, description: str, parts: list[str]) -> str:
    content = f"{title}\0{description}\0{parts}".encode(errors="replace")
    key = f"radar-{hashlib.blake2s(content, digest_size=5).hexdigest()}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}"'
        f' width="100%" role="img" aria-label={_attribute(title)} aria-describedby="{key}-desc"'
        f' direction="ltr" font-family="{FONT_FAMILY}" class="radar">'
    )
    return "\n".join(
        [
            head,
            f'<title id="{key}-title">{_escape(title)}</title>',
            f'<desc id="{key}-desc">{_escape(description)}</desc>',
            f'<rect width="{_n(width)}" height="{_n(height)}" fill="{BACKGROUND}"/>',
            *parts,
            "</svg>",
        ]
    )


__all__ = [
    "AREAS",
    "MIN_PEERS",
    "Answer",
    "Benchmark",
    "Combined",
    "Dimension",
    "ModuleRef",
    "Question",
    "Questionnaire",
    "QuestionnaireError",
    "Response",
    "Stage",
    "Step",
    "Text",
    "benchmark",
    "builtin",
    "combine",
    "dimension_scores",
    "dump_text",
    "next_steps",
    "parse",
    "parse_text",
    "radar",
    "stage_of",
    "strengths_and_weaknesses",
    "trend",
    "validate_response",
]
