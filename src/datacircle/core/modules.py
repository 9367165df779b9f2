"""Session modules: read and write the Markdown-with-front-matter file format (issue 5).

A module is one session of at most an hour, stored as one UTF-8 Markdown file: YAML front matter
between two `---` lines, then the facilitator notes. The front matter is checked against the
JSON Schema in `data/module.schema.json` (`SCHEMA`); the design rules the schema cannot express
live in `datacircle.core.lint`.

`parse` collects *every* problem of a file into one `ModuleFormatError`, each `Problem` naming
the file, line, column and field path, in words a facilitator understands.

Canonical form written by `dump` (so `parse(dump(m)) == m` and `dump(parse(t)) == t` for
canonical `t`):

- `---`, the front matter, `---`, then the body exactly as stored.
- Keys in the order of the spec: id, organisation, title, summary, language, skills, level,
  duration, unplugged, outcomes, agenda, materials, licence, contributors, derived_from,
  translation_of, status, version, lint. `outcomes` and `agenda` are always written (`[]` when
  empty); `licence`, `status` and `version` are always written; `materials`, `contributors`,
  `derived_from`, `translation_of` and `lint` only when not empty. Activity keys: minutes, kind,
  participatory, title, then description only when not empty.
- Block lists with `- ` at the indentation of their key; nested mappings indented two spaces;
  `skills` as a flow list `[a, b]`; `lint.disable` rules sorted by id.
- Strings are plain (unquoted) unless YAML needs quotes (`: `, ` #`, a leading indicator such as
  `-`, `'` or `[`, words YAML would read as something else such as `yes`, `null` or `12`);
  then always double quotes, escaping only `"`, `\\` and characters that cannot be written as
  they are (control characters, odd line breaks). Non-ASCII text (French, Arabic, ...) is
  written as it is.
- Every string stays on one line however long (no folding), except strings that contain line
  breaks, which are written as literal blocks (`|`, `|-`, `|+`) when YAML allows it.

Decisions where the spec leaves room:
- The body is everything after the closing `---` line; line endings become `\\n`, trailing
  line breaks collapse to one, and a body of only blank lines is stored as "" (so an empty body
  is written as nothing after the closing `---`).
- A whole-number float (`minutes: 10.0`) is accepted as the integer it equals.
- `lint.disable` accepts a rule with no value (`DC007:`) and stores an empty reason, which the
  linter reports as DC000 (the spec wants that case to be a lint finding, not a format error).
- Keys given twice in one mapping are an error (YAML itself would silently keep the last one).
- A reference (`derived_from`, `translation_of`) to the module itself is an error.
- In a bundle, README files (any folder, any case) and files that are not `.md` are skipped,
  as are macOS metadata files (`__MACOSX/`, `._name.md`).
- `write_bundle` names entries `<organisation>/<id>.md`; when the same organisation/id is
  written in several languages, those entries are `<organisation>/<id>.<language>.md`.
"""

from __future__ import annotations

import difflib
import io
import json
import re
import zipfile
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from datacircle.core.i18n import gettext_noop, ngettext_lazy

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "data" / "module.schema.json"
SCHEMA: dict = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

FENCE = "---"
KINDS: tuple[str, ...] = tuple(SCHEMA["$defs"]["activity"]["properties"]["kind"]["enum"])
LANGUAGES: tuple[str, ...] = tuple(SCHEMA["properties"]["language"]["enum"])
STATUSES: tuple[str, ...] = tuple(SCHEMA["properties"]["status"]["enum"])
DEFAULT_LICENCE = "CC-BY-4.0"
SKILL_CODE = re.compile(SCHEMA["properties"]["skills"]["items"]["pattern"])

# Bundles come from uploads: bound what one may make us read.
MAX_BUNDLE_FILES = 2000
MAX_MODULE_BYTES = 1 << 20
MAX_BUNDLE_BYTES = 64 << 20
BUNDLE_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold: fixed so bytes repeat


class FrozenMap(Mapping):
    """A read-only, hashable mapping that compares equal to a dict with the same items."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping | Iterable[tuple[Any, Any]] = ()) -> None:
        self._data = dict(data)

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


@dataclass(frozen=True)
class Activity:
    minutes: int
    kind: str
    participatory: bool
    title: str
    description: str = ""


@dataclass(frozen=True)
class Module:
    id: str
    organisation: str
    title: str
    summary: str
    language: str
    skills: tuple[str, ...]
    level: int
    duration: int
    unplugged: bool
    outcomes: tuple[str, ...]
    agenda: tuple[Activity, ...]
    materials: tuple[str, ...]
    licence: str = DEFAULT_LICENCE
    contributors: tuple[str, ...] = ()
    derived_from: str | None = None
    translation_of: str | None = None
    status: str = "draft"
    version: int = 0
    lint_disabled: Mapping[str, str] = field(default_factory=FrozenMap)
    body: str = ""

    def __post_init__(self) -> None:
        # Lists given by callers become tuples and the body is normalised, so two modules
        # that would write the same file compare equal (and stay hashable).
        for name in ("skills", "outcomes", "agenda", "materials", "contributors"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "lint_disabled", FrozenMap(self.lint_disabled))
        object.__setattr__(self, "body", normalise_body(self.body))

    @property
    def reference(self) -> str:
        return f"{self.organisation}/{self.id}"


@dataclass(frozen=True)
class Problem:
    source: str
    line: int | None
    column: int | None
    path: str
    message: str

    @property
    def where(self) -> str:
        """file, file:line or file:line:column."""
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        where = self.where
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ModuleFormatError(ValueError):
    """One or more problems in module files; `problems` holds them all, in file/line order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def normalise_body(body: str) -> str:
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    stripped = body.rstrip("\n")
    return stripped + "\n" if stripped else ""


# --- splitting the file ----------------------------------------------------------------------


@dataclass
class _Split:
    front: str  # the text between the fences
    body: str
    body_line: int  # file line of the first body line


def _split(text: str, source: str) -> _Split:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        first = lines[0].strip()
        message = gettext_noop(
            "a module file must start with a line '---', then the module's fields "
            "(id, title, ...), then another line '---'"
        )
        if first:
            message = gettext_noop(
                "a module file must start with a line '---', then the module's fields "
                "(id, title, ...), then another line '---' (it starts with %(start)s)",
                start=repr(_shorten(first)),
            )
        raise ModuleFormatError([Problem(source, 1, 1, "", message)])
    for number in range(1, len(lines)):
        if lines[number].rstrip() == FENCE:
            # The front matter keeps its last line break: a literal block (`|`) ending the
            # front matter needs it to keep its own final newline.
            front = "\n".join(lines[1:number]) + "\n"
            return _Split(front, "\n".join(lines[number + 1 :]), number + 2)
    raise ModuleFormatError(
        [
            Problem(
                source,
                1,
                1,
                "",
                gettext_noop(
                    "the front matter opened by '---' on line 1 is never closed: add a line "
                    "'---' after the last field, before the facilitator notes"
                ),
            )
        ]
    )


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- YAML nodes: where each value is in the file -------------------------------------------------

# Plain-words explanations of the YAML errors people make most (PyYAML's wording follows).
_YAML_HINTS = {
    "mapping values are not allowed here": gettext_noop(
        "a ': ' (colon and space) inside a value; put the whole value in quotes"
    ),
    "found character '\\t' that cannot start any token": gettext_noop(
        "a tab character; indent with spaces only"
    ),
    "found character '\\t' that cannot start any token (tabs are not allowed)": gettext_noop(
        "a tab character; indent with spaces only"
    ),
    "could not find expected ':'": gettext_noop(
        "expected 'field: value' here; check the indentation"
    ),
    "found undefined alias": gettext_noop("a '*' starts a YAML alias; put the value in quotes"),
    "expected alphabetic or numeric character, but found": gettext_noop(
        "a '&' or '*' starts a YAML anchor or alias; put the value in quotes"
    ),
    "found unexpected end of stream": gettext_noop("a quote is opened but never closed"),
    "found unknown escape character": gettext_noop(
        "a backslash inside double quotes; use single quotes, or write \\\\"
    ),
    "did not find expected key": gettext_noop(
        "the indentation does not line up with the fields above"
    ),
    "did not find expected '-' indicator": gettext_noop(
        "the list items do not line up; start each item with '- ' at the same indentation"
    ),
    "expected <block end>, but found '<block sequence start>'": gettext_noop(
        "a list item is not lined up with the others"
    ),
    "found a tab character that violates indentation": gettext_noop(
        "a tab character; indent with spaces only"
    ),
}


def _yaml_problem(error: yaml.YAMLError, source: str) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = (getattr(error, "problem", None) or str(error)).strip()
    context_mark = getattr(error, "context_mark", None)
    if problem.startswith("found unexpected end of stream") and context_mark is not None:
        # The end of the text is not where to look: the quote that never closes is.
        mark = context_mark
        return Problem(
            source,
            mark.line + 2,
            mark.column + 1,
            "",
            gettext_noop(
                "the front matter is not valid YAML: a quote opened here is never closed "
                "(YAML: %(problem)s)",
                problem=problem,
            ),
        )
    plain = next((hint for key, hint in _YAML_HINTS.items() if problem.startswith(key)), None)
    yaml_words = f"YAML: {problem}"
    context = getattr(error, "context", None)
    if context and context_mark is not None and context_mark is not mark:
        yaml_words += f", {context} on line {context_mark.line + 2}"
    words = (
        gettext_noop("%(hint)s (%(yaml)s)", hint=plain, yaml=yaml_words) if plain else yaml_words
    )
    message = gettext_noop("the front matter is not valid YAML: %(words)s", words=words)
    if mark is None:
        return Problem(source, None, None, "", message)
    return Problem(source, mark.line + 2, mark.column + 1, "", message)


def _compose(split: _Split, source: str) -> tuple[yaml.Node | None, Any]:
    """The front matter's node tree and its Python value (one parse for both)."""
    loader = yaml.SafeLoader(split.front)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as e:
        raise ModuleFormatError([_yaml_problem(e, source)]) from e
    finally:
        loader.dispose()
    return node, data


PathKey = tuple[str | int, ...]


def _marks(node: yaml.Node) -> dict[PathKey, yaml.Mark]:
    """Start mark of each path: a mapping entry's key, a list item's value."""
    marks: dict[PathKey, yaml.Mark] = {(): node.start_mark}

    def walk(n: yaml.Node, path: PathKey) -> None:
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                if isinstance(key, yaml.ScalarNode):
                    here = (*path, key.value)
                    marks.setdefault(here, key.start_mark)
                    walk(value, here)
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                marks[(*path, i)] = item.start_mark
                walk(item, (*path, i))

    walk(node, ())
    return marks


def _nodes(node: yaml.Node) -> dict[PathKey, yaml.Node]:
    """The value node of each path (to quote a wrong value exactly as it was written)."""
    nodes: dict[PathKey, yaml.Node] = {}

    def walk(n: yaml.Node, path: PathKey) -> None:
        nodes.setdefault(path, n)
        if isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                if isinstance(key, yaml.ScalarNode):
                    walk(value, (*path, key.value))
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, (*path, i))

    walk(node, ())
    return nodes


def _duplicate_keys(node: yaml.Node, source: str) -> list[Problem]:
    problems = []

    def walk(n: yaml.Node, path: PathKey) -> None:
        if isinstance(n, yaml.MappingNode):
            seen: dict[str, yaml.Mark] = {}
            for key, value in n.value:
                if not isinstance(key, yaml.ScalarNode):
                    continue
                if key.value in seen:
                    problems.append(
                        Problem(
                            source,
                            key.start_mark.line + 2,
                            key.start_mark.column + 1,
                            format_path((*path, key.value)),
                            gettext_noop(
                                "'%(key)s' is given twice (first on line %(line)s); keep one",
                                key=key.value,
                                line=seen[key.value].line + 2,
                            ),
                        )
                    )
                else:
                    seen[key.value] = key.start_mark
                walk(value, (*path, key.value))
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, (*path, i))

    walk(node, ())
    return problems


def format_path(path: Iterable[str | int]) -> str:
    """("agenda", 2, "minutes") -> "agenda[2].minutes"."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def positions(text: str) -> dict[str, int]:
    """1-based file line of each front-matter path ("title", "outcomes[0]", "agenda[2].minutes",
    "lint.disable.DC007", ...) and "body" for the first body line. Best effort: a file whose
    front matter cannot be read gives what could be found (maybe nothing)."""
    try:
        split = _split(text, "")
    except ModuleFormatError:
        return {}
    found = {"body": split.body_line}
    try:
        node, _ = _compose(split, "")
    except ModuleFormatError:
        return found
    if node is None:
        return found
    for path, mark in _marks(node).items():
        if path:
            found[format_path(path)] = mark.line + 2
    return found


# --- schema errors in words --------------------------------------------------------------------

_PATTERN_HELP = {
    "id": gettext_noop(
        "must be a short name of lowercase letters, digits and hyphens that starts with a letter "
        "(2 to 80 characters), such as 'cleaning-a-register'"
    ),
    "organisation": gettext_noop(
        "must be a short name of lowercase letters, digits and hyphens that starts with a letter "
        "(2 to 80 characters), such as 'datacircle'"
    ),
    "skills": gettext_noop(
        "must be a skill code: lowercase letters, digits and hyphens, starting with a letter, "
        "such as 'data-literacy'"
    ),
    "licence": gettext_noop("must be a licence identifier such as 'CC-BY-4.0'"),
    "derived_from": gettext_noop(
        "must name the module version it adapts as organisation/id@version, such as "
        "'datacircle/one-chart-one-message@2'"
    ),
    "translation_of": gettext_noop(
        "must name the module it translates as organisation/id, such as "
        "'datacircle/one-chart-one-message'"
    ),
}
_MUST_BE = {  # whole messages: "text" alone would be another catalogue's word
    "string": gettext_noop("must be text"),
    "boolean": gettext_noop("must be true or false"),
    "array": gettext_noop("must be a list (one '- ' line per item)"),
    "object": gettext_noop("must be a set of 'field: value' lines"),
    "null": gettext_noop("must be empty"),
    ("string", "null"): gettext_noop("must be text or empty"),
}


def _shown(node: yaml.Node | None, value: Any) -> str:
    """A wrong value as the person wrote it."""
    if isinstance(node, yaml.ScalarNode):
        return f"'{_shorten(node.value)}'" if node.value else gettext_noop("empty")
    if isinstance(node, yaml.SequenceNode):
        return gettext_noop("a list")
    if isinstance(node, yaml.MappingNode):
        return gettext_noop("a set of 'field: value' lines")
    return repr(value)


def _number_words(schema: Mapping) -> str:
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return gettext_noop("must be a whole number from %(low)s to %(high)s", low=low, high=high)
    if low is not None:
        return gettext_noop("must be a whole number of at least %(low)s", low=low)
    return gettext_noop("must be a whole number")


def _count(n: int, path: PathKey) -> str:
    """ "1 skill", "3 outcomes": how many of the items of the list at `path`."""
    kind = str(path[-1]) if path else ""
    if kind == "skills":
        return ngettext_lazy("%(count)s skill", "%(count)s skills", n, count=n)
    if kind == "outcomes":
        return ngettext_lazy("%(count)s outcome", "%(count)s outcomes", n, count=n)
    if kind == "agenda":
        return ngettext_lazy("%(count)s activity", "%(count)s activities", n, count=n)
    return ngettext_lazy("%(count)s item", "%(count)s items", n, count=n)


class _Report:
    """Problems of one file, with the marks to place them."""

    def __init__(self, source: str, node: yaml.Node) -> None:
        self.source = source
        self.marks = _marks(node)
        self.nodes = _nodes(node)
        self.problems: list[Problem] = []

    def add(self, path: PathKey, message: str, *, at: PathKey | None = None) -> None:
        mark = self.marks.get(path if at is None else at)
        if mark is None:  # a path inside a value that is not there: point at its parent
            for n in range(len(path) - 1, -1, -1):
                mark = self.marks.get(path[:n])
                if mark is not None:
                    break
        line = mark.line + 2 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        self.problems.append(Problem(self.source, line, column, format_path(path), message))


def _schema_problems(data: Any, report: _Report) -> None:
    seen_missing: set[tuple[PathKey, str]] = set()
    for error in _VALIDATOR.iter_errors(data):
        path: PathKey = tuple(error.absolute_path)
        node = report.nodes.get(path)
        kind = error.validator
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        value = error.instance
        if "propertyNames" in error.schema_path:
            report.add(
                (*path, str(value)),
                gettext_noop(
                    "'%(value)s' is not a rule id: write DC and three digits, such as DC007",
                    value=value,
                ),
            )
        elif kind == "required":
            for name in error.validator_value:
                if name not in value and (path, name) not in seen_missing:
                    seen_missing.add((path, name))
                    where = gettext_noop("the front matter") if not path else format_path(path)
                    report.add(
                        path,
                        gettext_noop(
                            "'%(name)s' is missing from %(where)s (it is required)",
                            name=name,
                            where=where,
                        ),
                    )
        elif kind == "additionalProperties" and "properties" in schema:
            known = list(schema["properties"])
            for key in value:
                if key not in schema["properties"]:
                    close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
                    message = (
                        gettext_noop(
                            "unknown field '%(key)s' (did you mean '%(close)s'?)",
                            key=key,
                            close=close[0],
                        )
                        if close
                        else gettext_noop(
                            "unknown field '%(key)s'; the fields here are %(fields)s",
                            key=key,
                            fields=", ".join(known),
                        )
                    )
                    report.add((*path, str(key)), message)
        elif kind == "type" or (kind in ("minimum", "maximum") and schema.get("type") == "integer"):
            expected = schema.get("type")
            if expected == "integer":
                rule = _number_words(schema)
            else:
                kind = tuple(expected) if isinstance(expected, list) else expected
                rule = _MUST_BE.get(kind) or f"must be {kind}"  # a type the schema gains later
            message = gettext_noop("%(rule)s, not %(value)s", rule=rule, value=_shown(node, value))
            if expected == "string" and isinstance(node, yaml.ScalarNode) and node.style is None:
                message = gettext_noop(
                    "%(problem)s (put it in quotes to keep it as text)", problem=message
                )
            report.add(path, message)
        elif kind == "enum":
            options = [str(o) for o in error.validator_value]
            close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
            message = gettext_noop(
                "must be one of %(options)s, not %(value)s",
                options=", ".join(options),
                value=_shown(node, value),
            )
            if close:
                message = gettext_noop(
                    "%(problem)s (did you mean '%(close)s'?)", problem=message, close=close[0]
                )
            report.add(path, message)
        elif kind == "pattern":
            field_name = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
            if error.validator_value == "\\S":
                report.add(path, gettext_noop("must not be empty"))
            else:
                help_text = _PATTERN_HELP.get(field_name) or gettext_noop(
                    "must match %(pattern)s", pattern=error.validator_value
                )
                report.add(
                    path,
                    gettext_noop(
                        "%(rule)s, not %(value)s", rule=help_text, value=_shown(node, value)
                    ),
                )
        elif kind == "minLength":
            report.add(path, gettext_noop("must not be empty"))
        elif kind == "maxLength":
            report.add(
                path,
                gettext_noop(
                    "must be at most %(limit)s characters (it has %(length)s)",
                    limit=error.validator_value,
                    length=len(value),
                ),
            )
        elif kind == "minItems":
            report.add(
                path,
                gettext_noop("needs at least %(count)s", count=_count(error.validator_value, path)),
            )
        elif kind == "maxItems":
            report.add(
                path,
                gettext_noop(
                    "may have at most %(count)s (it has %(length)s)",
                    count=_count(error.validator_value, path),
                    length=len(value),
                ),
            )
        elif kind == "uniqueItems":
            repeated = sorted({str(v) for i, v in enumerate(value) if v in value[:i]})
            report.add(
                path,
                gettext_noop(
                    "lists %(values)s more than once",
                    values=", ".join(repr(r) for r in repeated),
                ),
            )
        else:  # a schema keyword added later without words here yet: still precise
            report.add(path, error.message)


def _extra_problems(data: Mapping, report: _Report, skill_codes: Collection[str] | None) -> None:
    """Checks the schema cannot express."""
    skills = data.get("skills")
    if skill_codes is not None and isinstance(skills, list):
        known = sorted(skill_codes)
        for i, code in enumerate(skills):
            # A code of the wrong form already has its problem from the schema.
            if isinstance(code, str) and SKILL_CODE.fullmatch(code) and code not in skill_codes:
                close = difflib.get_close_matches(code, known, n=1, cutoff=0.6)
                message = gettext_noop("unknown skill code '%(code)s'", code=code)
                if close:
                    message = gettext_noop(
                        "%(problem)s (did you mean '%(close)s'?)", problem=message, close=close[0]
                    )
                report.add(("skills", i), message)
    own = f"{data.get('organisation')}/{data.get('id')}"
    derived = data.get("derived_from")
    if isinstance(derived, str) and derived.split("@")[0] == own:
        report.add(("derived_from",), gettext_noop("a module cannot be derived from itself"))
    translated = data.get("translation_of")
    if isinstance(translated, str) and translated == own:
        report.add(("translation_of",), gettext_noop("a module cannot be a translation of itself"))


def _whole(value: Any) -> Any:
    # JSON Schema counts 10.0 as an integer; the module keeps the int it means.
    return int(value) if isinstance(value, float) else value


def _module(data: Mapping, body: str) -> Module:
    disabled = (data.get("lint") or {}).get("disable") or {}
    return Module(
        id=data["id"],
        organisation=data["organisation"],
        title=data["title"],
        summary=data["summary"],
        language=data["language"],
        skills=tuple(data["skills"]),
        level=_whole(data["level"]),
        duration=_whole(data["duration"]),
        unplugged=data["unplugged"],
        outcomes=tuple(data["outcomes"]),
        agenda=tuple(
            Activity(
                minutes=_whole(a["minutes"]),
                kind=a["kind"],
                participatory=a["participatory"],
                title=a["title"],
                description=a.get("description", ""),
            )
            for a in data["agenda"]
        ),
        materials=tuple(data.get("materials") or ()),
        licence=data.get("licence", DEFAULT_LICENCE),
        contributors=tuple(data.get("contributors") or ()),
        derived_from=data.get("derived_from"),
        translation_of=data.get("translation_of"),
        status=data.get("status", "draft"),
        version=_whole(data.get("version", 0)),
        lint_disabled={str(k): v or "" for k, v in disabled.items()},
        body=body,
    )


def parse(
    text: str, *, source: str = "<text>", skill_codes: Collection[str] | None = None
) -> Module:
    """Read a module file; ModuleFormatError lists every problem found, in line order."""
    split = _split(text, source)
    node, data = _compose(split, source)
    if node is None:
        raise ModuleFormatError(
            [
                Problem(
                    source,
                    2,
                    1,
                    "",
                    gettext_noop(
                        "the front matter is empty: write the module's fields (id, title, ...) "
                        "between the two '---' lines"
                    ),
                )
            ]
        )
    if not isinstance(data, dict):
        raise ModuleFormatError(
            [
                Problem(
                    source,
                    node.start_mark.line + 2,
                    node.start_mark.column + 1,
                    "",
                    gettext_noop(
                        "the front matter must be 'field: value' lines (id, title, ...), "
                        "not %(value)s",
                        value=_shown(node, data),
                    ),
                )
            ]
        )
    report = _Report(source, node)
    report.problems.extend(_duplicate_keys(node, source))
    _schema_problems(data, report)
    _extra_problems(data, report, skill_codes)
    if report.problems:
        raise ModuleFormatError(_sorted(report.problems))
    return _module(data, split.body)


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(problems))
    return sorted(
        unique,
        key=lambda p: (p.source, p.line is None, p.line or 0, p.column or 0),
    )


# --- writing -------------------------------------------------------------------------------------


class _Flow(list):
    """A list written in flow style: [a, b]."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # never &anchors/*aliases, even for repeated values

    def choose_scalar_style(self) -> str:
        # Double quotes when quotes are needed: French apostrophes stay readable (l'on, not
        # l''on) and only " and \ need escaping.
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


# Line breaks other than \n: PyYAML would write them raw inside single quotes, and reading
# folds them into a space. Double quotes escape them (\N, \L, \P, \r).
_ODD_BREAKS = frozenset("\r\x85\u2028\u2029")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # A literal block keeps line breaks readable; the emitter falls back to double quotes by
    # itself when a literal block cannot hold the text (e.g. trailing spaces on a line).
    if _ODD_BREAKS.intersection(data):
        style = '"'
    elif "\n" in data:
        style = "|"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)


def _front(module: Module) -> dict[str, Any]:
    front: dict[str, Any] = {
        "id": module.id,
        "organisation": module.organisation,
        "title": module.title,
        "summary": module.summary,
        "language": module.language,
        "skills": _Flow(module.skills),
        "level": module.level,
        "duration": module.duration,
        "unplugged": module.unplugged,
        "outcomes": list(module.outcomes),
        "agenda": [_activity(a) for a in module.agenda],
    }
    if module.materials:
        front["materials"] = list(module.materials)
    front["licence"] = module.licence
    if module.contributors:
        front["contributors"] = list(module.contributors)
    if module.derived_from:
        front["derived_from"] = module.derived_from
    if module.translation_of:
        front["translation_of"] = module.translation_of
    front["status"] = module.status
    front["version"] = module.version
    if module.lint_disabled:
        front["lint"] = {
            "disable": {k: module.lint_disabled[k] for k in sorted(module.lint_disabled)}
        }
    return front


def _activity(activity: Activity) -> dict[str, Any]:
    item: dict[str, Any] = {
        "minutes": activity.minutes,
        "kind": activity.kind,
        "participatory": activity.participatory,
        "title": activity.title,
    }
    if activity.description:
        item["description"] = activity.description
    return item


def dump(module: Module) -> str:
    """The canonical text of a module (see the module docstring for the style)."""
    front = yaml.dump(
        _front(module),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        indent=2,
        width=float("inf"),  # never fold a long string over several lines
        line_break="\n",
    )
    return f"{FENCE}\n{front}{FENCE}\n{normalise_body(module.body)}"


# --- bundles -------------------------------------------------------------------------------------


def _is_module_entry(name: str) -> bool:
    parts = name.split("/")
    base = parts[-1]
    if not base.lower().endswith(".md") or "__MACOSX" in parts or base.startswith("."):
        return False
    return base.lower() != "readme.md"


def read_bundle(
    data: bytes, *, source: str = "bundle.zip", skill_codes: Collection[str] | None = None
) -> list[tuple[str, Module]]:
    """The modules of a zip of .md files (any folders), as (path in zip, module) by path.
    ModuleFormatError holds the problems of every file, each named "bundle.zip:path.md"."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise ModuleFormatError(
            [Problem(source, None, None, "", gettext_noop("not a zip file of module (.md) files"))]
        ) from e
    problems: list[Problem] = []
    modules: list[tuple[str, Module]] = []
    texts: dict[str, str] = {}
    with archive:
        entries = sorted(
            (i for i in archive.infolist() if not i.is_dir() and _is_module_entry(i.filename)),
            key=lambda i: i.filename,
        )
        if len(entries) > MAX_BUNDLE_FILES:
            raise ModuleFormatError(
                [
                    Problem(
                        source,
                        None,
                        None,
                        "",
                        gettext_noop(
                            "the bundle has %(count)s module files; at most %(limit)s can be "
                            "read at once",
                            count=len(entries),
                            limit=MAX_BUNDLE_FILES,
                        ),
                    )
                ]
            )
        total = 0
        for info in entries:
            where = f"{source}:{info.filename}"
            try:
                with archive.open(info) as f:
                    raw = f.read(MAX_MODULE_BYTES + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as e:
                problems.append(
                    Problem(
                        where,
                        None,
                        None,
                        "",
                        gettext_noop("cannot be read from the zip (%(error)s)", error=str(e)),
                    )
                )
                continue
            total += len(raw)
            if len(raw) > MAX_MODULE_BYTES or total > MAX_BUNDLE_BYTES:
                problems.append(
                    Problem(
                        where,
                        None,
                        None,
                        "",
                        gettext_noop("is too large for a module file (over 1 MB)"),
                    )
                    if len(raw) > MAX_MODULE_BYTES
                    else Problem(
                        source, None, None, "", gettext_noop("the bundle is too large (over 64 MB)")
                    )
                )
                if total > MAX_BUNDLE_BYTES:
                    break
                continue
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as e:
                problems.append(
                    Problem(
                        where,
                        None,
                        None,
                        "",
                        gettext_noop("is not UTF-8 text (byte %(byte)s)", byte=e.start + 1),
                    )
                )
                continue
            texts[info.filename] = text
            try:
                modules.append((info.filename, parse(text, source=where, skill_codes=skill_codes)))
            except ModuleFormatError as e:
                problems.extend(e.problems)
    problems.extend(_duplicates(modules, texts, source))
    if problems:
        raise ModuleFormatError(_sorted(problems))
    return modules


def _duplicates(
    modules: list[tuple[str, Module]], texts: Mapping[str, str], source: str
) -> list[Problem]:
    first: dict[tuple[str, str, str], str] = {}
    problems = []
    for name, module in modules:
        key = (module.organisation, module.id, module.language)
        if key in first:
            problems.append(
                Problem(
                    f"{source}:{name}",
                    positions(texts[name]).get("id"),
                    1,
                    "id",
                    gettext_noop(
                        "%(module)s in language '%(language)s' is also in %(other)s; each "
                        "module may be in a bundle once per language",
                        module=module.reference,
                        language=module.language,
                        other=first[key],
                    ),
                )
            )
        else:
            first[key] = name
    return problems


def bundle_names(modules: Iterable[Module]) -> list[tuple[str, Module]]:
    """The entry name of each module in a bundle (see write_bundle), sorted by name."""
    modules = list(modules)
    languages: dict[tuple[str, str], set[str]] = {}
    for m in modules:
        langs = languages.setdefault((m.organisation, m.id), set())
        if m.language in langs:
            raise ValueError(
                f"{m.reference} in language '{m.language}' is given twice; a bundle holds "
                "each module once per language"
            )
        langs.add(m.language)
    named = [
        (
            f"{m.organisation}/{m.id}.md"
            if len(languages[(m.organisation, m.id)]) == 1
            else f"{m.organisation}/{m.id}.{m.language}.md",
            m,
        )
        for m in modules
    ]
    return sorted(named, key=lambda pair: pair[0])


def write_bundle(modules: Iterable[Module]) -> bytes:
    """A zip of canonical module files, `<organisation>/<id>.md`; the same modules always give
    the same bytes (sorted names, fixed timestamps and permissions)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, module in bundle_names(modules):
            info = zipfile.ZipInfo(name, date_time=BUNDLE_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever system writes the zip
            info.external_attr = 0o644 << 16
            archive.writestr(info, dump(module).encode("utf-8"), compresslevel=9)
    return buffer.getvalue()
