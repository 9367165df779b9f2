"""Milestones: recurring days or weeks (Open Data Day, GIS Day…) that a working group themes sessions on.

A milestone is defined by a rule, not by dates, so it can be placed in any year: `fixed` (a month
and day), `nth_weekday` (the n-th or last given weekday of a month) or `once` (a single date, for
an organisation's own milestones such as a handbook launch). Built-in milestones live in
`data/milestones.yaml`; organisation-specific ones are stored by the web layer and built with the
same dataclasses, which validate themselves so a bad rule fails with the milestone's key in the
message wherever it comes from.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from functools import cache
from pathlib import Path

import yaml

from datacircle.core.i18n import gettext_noop, ngettext_lazy
from datacircle.core.taxonomy import DEFAULT_LANGUAGE, is_valid_code, localised

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "milestones.yaml"

KINDS: tuple[str, ...] = ("fixed", "nth_weekday", "once")
# The fields each kind uses; anything else in a rule is a mistake (often a typo) and is rejected.
KIND_FIELDS: Mapping[str, frozenset[str]] = {
    "fixed": frozenset({"month", "day"}),
    "nth_weekday": frozenset({"month", "weekday", "n"}),
    "once": frozenset({"on"}),
}
LAST = -1
# A milestone is a day or a week, at most a month: longer spans would overlap next year's
# occurrence and stop being something a group can theme a session on.
MAX_LENGTH_DAYS = 31
# Days in each month in a leap year, so that a fixed 29 February is a valid rule.
_MAX_DAY = {month: calendar.monthrange(2000, month)[1] for month in range(1, 13)}


class MilestoneError(ValueError):
    pass


@dataclass(frozen=True)
class Rule:
    kind: str
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    n: int | None = None
    on: date | None = None

    def first_day(self, year: int) -> date | None:
        """The day this rule falls on in `year`, or None when it has none that year."""
        if self.kind == "fixed":
            assert self.month is not None and self.day is not None
            if self.day > calendar.monthrange(year, self.month)[1]:
                return None  # 29 February outside leap years
            return date(year, self.month, self.day)
        if self.kind == "nth_weekday":
            assert self.month is not None and self.weekday is not None and self.n is not None
            days_in_month = calendar.monthrange(year, self.month)[1]
            if self.n == LAST:
                last = date(year, self.month, days_in_month)
                return last - timedelta(days=(last.weekday() - self.weekday) % 7)
            first = date(year, self.month, 1)
            day = 1 + (self.weekday - first.weekday()) % 7 + 7 * (self.n - 1)
            return date(year, self.month, day) if day <= days_in_month else None
        if self.kind == "once":
            assert self.on is not None
            return self.on if self.on.year == year else None
        raise MilestoneError(f"unknown rule kind {self.kind!r}")


def _is_int(value: object) -> bool:
    # bool is an int in Python; `month: yes` in YAML must not pass as month 1.
    return isinstance(value, int) and not isinstance(value, bool)


# Month names for messages, translated where they are shown (calendar's are English only).
_MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)


def rule_problem(rule: Rule) -> str | None:
    """What is wrong with `rule`, in words (a core message), or None when it is valid."""
    if rule.kind not in KINDS:
        return gettext_noop(
            "unknown rule kind %(kind)s (expected one of %(kinds)s)",
            kind=repr(rule.kind),
            kinds=", ".join(KINDS),
        )
    used = KIND_FIELDS[rule.kind]
    extra = sorted(
        name
        for name in ("month", "day", "weekday", "n", "on")
        if name not in used and getattr(rule, name) is not None
    )
    if extra:
        return gettext_noop(
            "a %(kind)s rule does not take %(fields)s", kind=rule.kind, fields=", ".join(extra)
        )
    missing = sorted(name for name in used if getattr(rule, name) is None)
    if missing:
        return gettext_noop(
            "a %(kind)s rule needs %(fields)s", kind=rule.kind, fields=", ".join(missing)
        )
    if rule.kind == "once":
        if isinstance(rule.on, datetime) or not isinstance(rule.on, date):
            return gettext_noop(
                "'on' must be a date (YYYY-MM-DD), not %(value)s", value=repr(rule.on)
            )
        return None
    if not _is_int(rule.month) or not 1 <= rule.month <= 12:
        return gettext_noop("month must be 1 to 12, not %(value)s", value=repr(rule.month))
    if rule.kind == "fixed":
        if not _is_int(rule.day) or not 1 <= rule.day <= _MAX_DAY[rule.month]:
            return gettext_noop(
                "%(month)s has no day %(day)s", month=_MONTHS[rule.month - 1], day=repr(rule.day)
            )
        return None
    if not _is_int(rule.weekday) or not 0 <= rule.weekday <= 6:
        return gettext_noop(
            "weekday must be 0 (Monday) to 6 (Sunday), not %(value)s", value=repr(rule.weekday)
        )
    if not _is_int(rule.n) or not (1 <= rule.n <= 5 or rule.n == LAST):
        return gettext_noop(
            "n must be 1 to 5, or -1 for the last, not %(value)s", value=repr(rule.n)
        )
    return None


def _fail(key: str | None, problem: str) -> MilestoneError:
    if key:
        return MilestoneError(
            gettext_noop("milestone %(key)s: %(problem)s", key=repr(key), problem=problem)
        )
    return MilestoneError(gettext_noop("milestone rule: %(problem)s", problem=problem))


@dataclass(frozen=True)
class Milestone:
    key: str
    names: Mapping[str, str]
    descriptions: Mapping[str, str]
    rule: Rule
    length_days: int = 1
    themes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        # Validated here, not only when parsing YAML: the web layer builds milestones from its
        # own tables, and a bad rule must fail where it is made, naming the milestone.
        if not isinstance(self.key, str) or not is_valid_code(self.key):
            raise MilestoneError(f"{self.key!r} is not a valid milestone key (a-z, 0-9 and -)")
        if not isinstance(self.rule, Rule):
            raise _fail(self.key, f"rule must be a Rule, not {type(self.rule).__name__}")
        problem = rule_problem(self.rule)
        if problem:
            raise _fail(self.key, problem)
        if not _is_int(self.length_days) or not 1 <= self.length_days <= MAX_LENGTH_DAYS:
            raise _fail(
                self.key, f"length_days must be 1 to {MAX_LENGTH_DAYS}, not {self.length_days!r}"
            )
        if not isinstance(self.names, Mapping) or not isinstance(self.descriptions, Mapping):
            raise _fail(self.key, "names and descriptions must map languages to texts")
        if not any(str(text).strip() for text in self.names.values()):
            raise _fail(self.key, "needs a name in at least one language")
        themes = tuple(self.themes)
        bad = [t for t in themes if not isinstance(t, str) or not is_valid_code(t)]
        if bad:
            raise _fail(self.key, f"themes must be skill codes, not {', '.join(map(repr, bad))}")
        object.__setattr__(self, "themes", themes)

    def name(self, language: str = DEFAULT_LANGUAGE) -> str:
        return localised(self.names, language)

    def description(self, language: str = DEFAULT_LANGUAGE) -> str:
        return localised(self.descriptions, language) if self.descriptions else ""

    def first_day(self, year: int) -> date | None:
        """The milestone's first day in `year`; None if it has none that year (a `once` rule in
        another year, 29 February outside leap years, a fifth weekday the month lacks)."""
        return self.rule.first_day(year)

    def occurrence(self, year: int) -> Occurrence | None:
        """The occurrence that starts in `year`, if any."""
        start = self.first_day(year)
        if start is None:
            return None
        try:
            end = start + timedelta(days=self.length_days - 1)
        except OverflowError:  # a week starting in the last days of year 9999
            end = date.max
        return Occurrence(self, start, end)


@dataclass(frozen=True)
class Occurrence:
    """One concrete run of a milestone: `start` to `end`, both inclusive."""

    milestone: Milestone
    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def distance(self, day: date) -> int:
        """Days from `day` to the nearest day of this occurrence; 0 inside it."""
        if day < self.start:
            return (self.start - day).days
        if day > self.end:
            return (day - self.end).days
        return 0


def occurrences(milestones: Iterable[Milestone], start: date, end: date) -> list[Occurrence]:
    """Every occurrence overlapping `start`..`end` (inclusive), sorted by start, then key."""
    if start > end:
        raise ValueError(f"the range starts ({start}) after it ends ({end})")
    found = []
    # An occurrence starting late in the previous year can run into the range (a week from 28
    # December), hence one year back; MAX_LENGTH_DAYS keeps that enough.
    years = range(max(MINYEAR, start.year - 1), min(MAXYEAR, end.year) + 1)
    for milestone in milestones:
        for year in years:
            occurrence = milestone.occurrence(year)
            if occurrence is not None and occurrence.start <= end and occurrence.end >= start:
                found.append(occurrence)
    return sorted(found, key=lambda o: (o.start, o.milestone.key))


def nearest(occurrences: Iterable[Occurrence], day: date) -> tuple[Occurrence, int] | None:
    """The occurrence closest to `day` and its distance in days (0 when `day` is inside it).

    On a tie an upcoming occurrence wins over a past one (a group plans ahead), then the earlier
    start, then the key. None when there are no occurrences.
    """

    def rank(o: Occurrence) -> tuple[int, bool, date, str]:
        return (o.distance(day), o.end < day, o.start, o.milestone.key)

    best = min(occurrences, key=rank, default=None)
    return None if best is None else (best, best.distance(day))


def _rule_fields(data: Mapping) -> dict[str, object]:
    fields = dict(data)
    # PyYAML reads a bare `on:` key as the boolean True (YAML 1.1), so `on: 2026-06-15` arrives
    # as {True: date(2026, 6, 15)}; take it back rather than make people quote the key.
    if True in fields:
        if "on" in fields:
            raise MilestoneError(gettext_noop("both 'on' and a YAML 'on' key read as true"))
        fields["on"] = fields.pop(True)
    return fields


def parse_rule(data: Mapping, key: str | None = None) -> Rule:
    """A validated Rule from a mapping (as in milestones.yaml); `key` names the milestone in errors.

    `length_days` may sit in the rule mapping for convenience; it belongs to the milestone and is
    read by `parse_milestone`, so it is ignored here.
    """
    if not isinstance(data, Mapping):
        raise _fail(
            key,
            gettext_noop("the rule must be a mapping, not %(type)s", type=type(data).__name__),
        )
    try:
        fields = _rule_fields(data)
    except MilestoneError as error:
        raise _fail(key, error.args[0]) from None
    fields.pop("length_days", None)
    kind = fields.pop("kind", None)
    if kind is None:
        raise _fail(key, gettext_noop("the rule needs a kind (%(kinds)s)", kinds=", ".join(KINDS)))
    unknown = sorted(
        str(name) for name in fields if name not in ("month", "day", "weekday", "n", "on")
    )
    if unknown:
        raise _fail(
            key,
            ngettext_lazy(
                "unknown rule field %(fields)s",
                "unknown rule fields %(fields)s",
                len(unknown),
                fields=", ".join(unknown),
            ),
        )
    on = fields.get("on")
    if isinstance(on, str):
        try:
            fields["on"] = date.fromisoformat(on)
        except ValueError:
            raise _fail(
                key, gettext_noop("'on' must be a date (YYYY-MM-DD), not %(value)s", value=repr(on))
            ) from None
    rule = Rule(str(kind), **fields)  # type: ignore[arg-type]
    problem = rule_problem(rule)
    if problem:
        raise _fail(key, problem)
    return rule


def _texts(raw: object, key: str, what: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise _fail(key, f"{what} must map languages to texts")
    return {str(lang): str(text) for lang, text in raw.items()}


def parse_milestone(data: Mapping) -> Milestone:
    """A Milestone from one entry of milestones.yaml (or an organisation's import)."""
    key = data.get("key")
    if not isinstance(key, str) or not key:
        raise MilestoneError("every milestone needs a key")
    rule_data = data.get("rule")
    if rule_data is None:
        raise _fail(key, "needs a rule")
    rule = parse_rule(rule_data, key)
    length = data.get("length_days")
    in_rule = rule_data.get("length_days") if isinstance(rule_data, Mapping) else None
    if length is not None and in_rule is not None and length != in_rule:
        raise _fail(key, f"length_days is given twice ({length!r} and {in_rule!r})")
    themes = data.get("themes") or ()
    if isinstance(themes, str):
        raise _fail(key, "themes must be a list of skill codes")
    return Milestone(
        key=key,
        names=_texts(data.get("names"), key, "names"),
        descriptions=_texts(data.get("descriptions"), key, "descriptions"),
        rule=rule,
        length_days=length if length is not None else in_rule if in_rule is not None else 1,
        themes=tuple(themes),
    )


def parse_milestones(data: Mapping) -> tuple[Milestone, ...]:
    milestones = tuple(parse_milestone(item) for item in data.get("milestones") or ())
    keys = [m.key for m in milestones]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise MilestoneError(f"duplicate milestone keys: {', '.join(duplicates)}")
    return milestones


@cache
def builtin_milestones() -> tuple[Milestone, ...]:
    with DATA_FILE.open(encoding="utf-8") as f:
        return parse_milestones(yaml.safe_load(f))
