"""The baseline analysis of a scoping round: skill demand and supply, breakdowns, ranked choices.

`analyse()` takes a canonical frame (see questionnaire.py) and returns an `Analysis` holding only
*published* figures: every count of the analysis goes through one `suppress()` call, so no count
under k is ever shown and no hidden count can be recovered by subtracting shown parts from a
shown total, nor by knowing that no group counts more people than it has respondents.
`compare()` sets two analyses (baseline and follow-up) side by side.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import polars as pl
import pycountry
import yaml

from datacircle.core.questionnaire import Questionnaire, builtin_questionnaire
from datacircle.core.suppression import Line, Published, Status, SuppressionError, suppress
from datacircle.core.taxonomy import SUPPLY_LEVEL, Taxonomy, builtin_taxonomy, localised

REGIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "regions.yaml"

DIMENSIONS: tuple[str, ...] = ("unit", "organisation", "country", "region", "role")
CHOICE_QUESTIONS: tuple[str, ...] = (
    "data_types",
    "workflow_stages",
    "barriers",
    "opportunities",
    "formats",
    "languages",
)
# z for a two-sided 95% interval.
Z95 = 1.959964
# The key of the group of responses that left a dimension blank (or gave an unknown country).
NOT_GIVEN = ""
NOT_GIVEN_LABEL = "Not given"
# Bumped whenever the shape of Analysis.to_dict() changes, so cached analyses are recomputed.
FORMAT = 1


# ---------------------------------------------------------------------------------------------
# Regions


@dataclass(frozen=True)
class Region:
    code: str
    label: Mapping[str, str]
    countries: tuple[str, ...]

    def name(self, language: str = "en") -> str:
        return localised(self.label, language)


@dataclass(frozen=True)
class Regions:
    """The IFRC regions: which region each country (ISO 3166-1 alpha-2) belongs to."""

    regions: tuple[Region, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.regions)

    @cached_property
    def country_region(self) -> dict[str, str]:
        return {c: r.code for r in self.regions for c in r.countries}

    def region_of(self, country: str | None) -> str | None:
        return self.country_region.get((country or "").strip().upper())

    def label(self, code: str, language: str = "en") -> str:
        for r in self.regions:
            if r.code == code:
                return r.name(language)
        raise KeyError(code)


def parse_regions(data: Mapping, source: str = "regions.yaml") -> Regions:
    regions: list[Region] = []
    seen: dict[str, str] = {}
    for i, raw in enumerate(data.get("regions") or (), start=1):
        code = str(raw.get("code") or "")
        if not code:
            raise ValueError(f"{source}: region {i} has no code")
        label = raw.get("label")
        if not isinstance(label, dict) or "en" not in label:
            raise ValueError(f"{source}: region {code!r} needs at least an English (en) label")
        countries = []
        for country in raw.get("countries") or ():
            # An unquoted NO (Norway) reads as false in YAML: say so rather than drop it.
            if not isinstance(country, str) or len(country) != 2 or not country.isupper():
                raise ValueError(
                    f"{source}: region {code!r} lists {country!r}, not a two-letter country "
                    "code (quote NO, ON, YES and the like)"
                )
            if country in seen:
                raise ValueError(
                    f"{source}: country {country} is in both {seen[country]!r} and {code!r}"
                )
            seen[country] = code
            countries.append(country)
        regions.append(Region(code, {str(k): str(v) for k, v in label.items()}, tuple(countries)))
    if not regions:
        raise ValueError(f"{source}: no regions")
    return Regions(tuple(regions))


@cache
def load_regions(path: Path | None = None) -> Regions:
    """The regions in `path`, by default the built-in IFRC regions (data/regions.yaml)."""
    source = path or REGIONS_FILE
    with source.open(encoding="utf-8") as f:
        return parse_regions(yaml.safe_load(f), str(source))


# ---------------------------------------------------------------------------------------------
# Published figures


@dataclass(frozen=True)
class Figure:
    """A count as it may be published: its value only when shown; display is "12", "<5" or "–"."""

    value: int | None
    status: str  # "shown" | "small" | "hidden"
    display: str

    @property
    def shown(self) -> bool:
        return self.status == Status.SHOWN

    @classmethod
    def published(cls, p: Published) -> Figure:
        shown = p.status == Status.SHOWN
        return cls(p.value if shown else None, str(p.status), str(p))

    @classmethod
    def hidden(cls, k: int) -> Figure:
        return cls.published(Published(None, Status.HIDDEN, k))

    @classmethod
    def derived(cls, value: int, display: str | None = None) -> Figure:
        """A figure computed from shown figures only (a gap, a change): safe to show."""
        return cls(value, str(Status.SHOWN), str(value) if display is None else display)

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "status": self.status, "display": self.display}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Figure:
        return cls(d["value"], d["status"], d["display"])


@dataclass(frozen=True)
class SkillFigures:
    code: str
    demand: Figure  # people who want to learn the skill
    supply: Figure  # people who can share it at SUPPLY_LEVEL or above
    gap: Figure  # demand - supply; hidden whenever either side is not shown
    share: float | None  # demand / respondents
    ci_low: float | None  # Wilson 95% interval of share
    ci_high: float | None
    rank: int | None  # by demand among shown skills, 1 = most wanted; ties share a rank

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "demand": self.demand.to_dict(),
            "supply": self.supply.to_dict(),
            "gap": self.gap.to_dict(),
            "share": self.share,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "rank": self.rank,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SkillFigures:
        return cls(
            d["code"],
            Figure.from_dict(d["demand"]),
            Figure.from_dict(d["supply"]),
            Figure.from_dict(d["gap"]),
            d["share"],
            d["ci_low"],
            d["ci_high"],
            d["rank"],
        )


@dataclass(frozen=True)
class Group:
    key: str  # NOT_GIVEN ("") for responses that left the dimension blank
    label: str
    respondents: Figure
    demand: dict[str, Figure]
    supply: dict[str, Figure]

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "respondents": self.respondents.to_dict(),
            "demand": {c: f.to_dict() for c, f in self.demand.items()},
            "supply": {c: f.to_dict() for c, f in self.supply.items()},
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Group:
        return cls(
            d["key"],
            d["label"],
            Figure.from_dict(d["respondents"]),
            {c: Figure.from_dict(f) for c, f in d["demand"].items()},
            {c: Figure.from_dict(f) for c, f in d["supply"].items()},
        )


@dataclass(frozen=True)
class Breakdown:
    dimension: str  # one of DIMENSIONS
    groups: tuple[Group, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"dimension": self.dimension, "groups": [g.to_dict() for g in self.groups]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Breakdown:
        return cls(d["dimension"], tuple(Group.from_dict(g) for g in d["groups"]))


@dataclass(frozen=True)
class ChoiceFigures:
    question: str
    rows: tuple[tuple[str, Figure], ...]  # (choice code, count), most chosen first

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "rows": [{"code": c, **f.to_dict()} for c, f in self.rows],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ChoiceFigures:
        return cls(d["question"], tuple((r["code"], Figure.from_dict(r)) for r in d["rows"]))


@dataclass(frozen=True)
class Analysis:
    k: int
    respondents: Figure
    skills: tuple[SkillFigures, ...]  # most wanted first; suppressed ones last
    breakdowns: dict[str, Breakdown]
    choices: dict[str, ChoiceFigures]
    # Per skill: learners by the current level they gave. Empty when a tiny round leaves no way
    # to publish them safely.
    levels: dict[str, dict[int, Figure]]

    def skill(self, code: str) -> SkillFigures:
        for s in self.skills:
            if s.code == code:
                return s
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (level keys become strings); from_dict() reverses it."""
        return {
            "format": FORMAT,
            "k": self.k,
            "respondents": self.respondents.to_dict(),
            "skills": [s.to_dict() for s in self.skills],
            "breakdowns": {name: b.to_dict() for name, b in self.breakdowns.items()},
            "choices": {name: c.to_dict() for name, c in self.choices.items()},
            "levels": {
                code: {str(level): f.to_dict() for level, f in by_level.items()}
                for code, by_level in self.levels.items()
            },
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Analysis:
        if d.get("format") != FORMAT:
            raise ValueError(
                f"analysis format {d.get('format')!r} is not {FORMAT}: analyse the round again"
            )
        return cls(
            k=d["k"],
            respondents=Figure.from_dict(d["respondents"]),
            skills=tuple(SkillFigures.from_dict(s) for s in d["skills"]),
            breakdowns={n: Breakdown.from_dict(b) for n, b in d["breakdowns"].items()},
            choices={n: ChoiceFigures.from_dict(c) for n, c in d["choices"].items()},
            levels={
                code: {int(level): Figure.from_dict(f) for level, f in by_level.items()}
                for code, by_level in d["levels"].items()
            },
        )


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of the proportion successes/n (good for small n and shares near 0)."""
    if n <= 0:
        raise ValueError("a proportion of no responses has no interval")
    p = successes / n
    z2n = z * z / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = z * math.sqrt(p * (1 - p) / n + z2n / (4 * n)) / (1 + z2n)
    return max(0.0, centre - half), min(1.0, centre + half)


# ---------------------------------------------------------------------------------------------
# Counting (Polars)

# A cell of the suppression table: (measure, item, dimension, group id). The overall count of a
# measure has dimension "" and group "". Group ids of units are (organisation, unit key) pairs so
# two units can never share a cell even if their keys collide.
Cell = tuple[str, str, str, Any]
RESPONDENTS = "respondents"
DEMAND = "demand"
SUPPLY = "supply"
CHOICE = "choice"
LEVEL = "level"
# Learners of a skill who gave a level: never published, but treated as if it were (the safe side).
LEVELS_GIVEN = "given"


@dataclass
class _Table:
    """Raw counts of one dimension, one entry per group."""

    dimension: str
    ids: list[Any]
    keys: list[str]
    parents: list[Any] | None  # the group id in the enclosing dimension (units: organisation)
    respondents: list[int]
    demand: dict[str, list[int]]
    supply: dict[str, list[int]]


def _text(frame_columns: set[str], name: str) -> pl.Expr:
    """A text column as it is (a missing column is all null)."""
    if name not in frame_columns:
        return pl.lit(None, pl.String()).alias(name)
    return pl.col(name).cast(pl.String())


def _tidy(name: str) -> pl.Expr:
    """Trimmed, blanks as null: applied to grouped values, so once per distinct value."""
    col = pl.col(name).str.strip_chars()
    return pl.when(col == "").then(None).otherwise(col).alias(name)


def _flag(frame_columns: set[str], name: str) -> pl.Expr:
    if name not in frame_columns:
        return pl.lit(False)
    return pl.col(name).cast(pl.Boolean()).fill_null(False)


def _measures(columns: set[str], codes: Sequence[str]) -> list[pl.Expr]:
    """Per response: wants to learn each skill (d0..), can share it at supply level (s0..)."""
    exprs: list[pl.Expr] = []
    for i, code in enumerate(codes):
        exprs.append(_flag(columns, f"learn.{code}").alias(f"d{i}"))
    for i, code in enumerate(codes):
        level_name = f"share_level.{code}"
        # A share with no level counts: the person offered to share, and forms may not ask.
        level_ok = (
            pl.col(level_name).is_null() | (pl.col(level_name) >= SUPPLY_LEVEL)
            if level_name in columns
            else pl.lit(True)
        )
        exprs.append((_flag(columns, f"share.{code}") & level_ok).alias(f"s{i}"))
    return exprs


def _sums(n_codes: int) -> list[pl.Expr]:
    return [
        pl.len().alias("n"),
        *(pl.col(f"d{i}").sum() for i in range(n_codes)),
        *(pl.col(f"s{i}").sum() for i in range(n_codes)),
    ]


def _totals(frame: pl.DataFrame, keys: list[str], n_codes: int) -> pl.DataFrame:
    """Counts re-aggregated over normalised keys (raw values were grouped first: fewer rows)."""
    return frame.group_by(keys).agg(
        pl.col("n").sum(),
        *(pl.col(f"d{i}").sum() for i in range(n_codes)),
        *(pl.col(f"s{i}").sum() for i in range(n_codes)),
    )


def _table(
    frame: pl.DataFrame,
    dimension: str,
    codes: Sequence[str],
    key: str,
    parent: str | None = None,
) -> _Table:
    frame = frame.sort(key)
    keys = frame[key].to_list()
    parents = frame[parent].to_list() if parent else None
    ids: list[Any] = list(zip(parents, keys, strict=True)) if dimension == "unit" else keys
    return _Table(
        dimension=dimension,
        ids=ids,
        keys=keys,
        parents=parents,
        respondents=frame["n"].to_list(),
        demand={c: frame[f"d{i}"].to_list() for i, c in enumerate(codes)},
        supply={c: frame[f"s{i}"].to_list() for i, c in enumerate(codes)},
    )


def _count_tables(
    lazy: pl.LazyFrame, columns: set[str], codes: Sequence[str], regions: Regions
) -> dict[str, _Table]:
    """One group_by per raw dimension column (all skill sums in one agg), then tidy small frames."""
    measured = lazy.select(
        *(_text(columns, name) for name in ("organisation", "unit", "country", "role")),
        *_measures(columns, codes),
    )
    by_unit, by_country, by_role = pl.collect_all(
        [
            measured.group_by("organisation", "unit").agg(_sums(len(codes))),
            measured.group_by("country").agg(_sums(len(codes))),
            measured.group_by("role").agg(_sums(len(codes))),
        ],
        # The streaming engine sums the 35 columns per group about three times faster.
        engine="streaming",
    )
    n = len(codes)
    org = pl.col("organisation")
    units = _totals(
        by_unit.with_columns(_tidy("organisation"), _tidy("unit")).with_columns(
            pl.when(org.is_not_null())
            .then(pl.concat_str(org, pl.lit("/"), pl.col("unit").fill_null("")))
            .otherwise(pl.col("unit").fill_null(""))
            .alias("unit"),
            org.fill_null(NOT_GIVEN),
        ),
        ["organisation", "unit"],
        n,
    )
    countries = _totals(
        by_country.with_columns(_tidy("country").str.to_uppercase().fill_null(NOT_GIVEN)),
        ["country"],
        n,
    ).with_columns(
        pl.col("country")
        .replace_strict(regions.country_region, default=NOT_GIVEN, return_dtype=pl.String())
        .alias("region")
    )
    return {
        "unit": _table(units, "unit", codes, "unit", parent="organisation"),
        "organisation": _table(
            _totals(units, ["organisation"], n), "organisation", codes, key="organisation"
        ),
        "country": _table(countries, "country", codes, "country", parent="region"),
        "region": _table(_totals(countries, ["region"], n), "region", codes, "region"),
        "role": _table(
            _totals(by_role.with_columns(_tidy("role").fill_null(NOT_GIVEN)), ["role"], n),
            "role",
            codes,
            "role",
        ),
    }


def _overall_counts(
    lazy: pl.LazyFrame,
    columns: set[str],
    codes: Sequence[str],
    choices: Mapping[str, Sequence[str]],
    levels: Sequence[int],
) -> dict[Cell, int]:
    """Counts of every choice, and of learners by the current level they gave, in one pass."""
    exprs: list[pl.Expr] = []
    names: list[Cell] = []
    for question, codes_of_question in choices.items():
        for choice in codes_of_question:
            exprs.append(_flag(columns, f"{question}.{choice}").sum())
            names.append((CHOICE, question, "", choice))
    for code in codes:
        learns = _flag(columns, f"learn.{code}")
        level_name = f"learn_level.{code}"
        for level in levels:
            if level_name in columns:
                exprs.append((learns & (pl.col(level_name) == level)).fill_null(False).sum())
            else:
                exprs.append(pl.lit(0, pl.UInt32()))
            names.append((LEVEL, code, "", level))
    if not exprs:
        return {}
    row = lazy.select([e.alias(f"c{i}") for i, e in enumerate(exprs)]).collect().row(0)
    return {name: int(value or 0) for name, value in zip(names, row, strict=True)}


# ---------------------------------------------------------------------------------------------
# Suppression: every count, every line, one call


# Which dimension's groups add up to which: units within their organisation, countries within
# their region, and organisations, regions and roles within everyone. suppress() needs every count
# to be a part of one line only; "all units add up to everyone" follows from these.
NESTING: tuple[tuple[str, str | None], ...] = (
    ("organisation", None),
    ("region", None),
    ("role", None),
    ("unit", "organisation"),
    ("country", "region"),
)


def _cells_and_lines(
    tables: Mapping[str, _Table],
    codes: Sequence[str],
    overall: dict[Cell, int],
    levels: Sequence[int],
) -> tuple[dict[Cell, int], list[Line]]:
    """Every count of the analysis, and the lines (total = sum of parts) an attacker can use."""
    counts: dict[Cell, int] = {}
    lines: list[Line] = []
    measures: list[tuple[str, str]] = [(RESPONDENTS, "")]
    measures += [(DEMAND, c) for c in codes] + [(SUPPLY, c) for c in codes]
    for measure, item in measures:
        total: Cell = (measure, item, "", "")
        # Every dimension covers every response (blanks form the "" group), so any one adds up.
        counts[total] = sum(_values(tables["role"], measure, item))
        for dimension, outer in NESTING:
            table = tables[dimension]
            cells = [(measure, item, dimension, gid) for gid in table.ids]
            counts.update(zip(cells, _values(table, measure, item), strict=True))
            children: dict[Any, list[Cell]] = defaultdict(list)
            for cell, parent in zip(cells, table.parents or [None] * len(cells), strict=True):
                children[parent].append(cell)
            for parent, parts in children.items():
                line_total = total if outer is None else (measure, item, outer, parent)
                lines.append(Line(total=line_total, parts=tuple(parts)))
    counts.update(overall)
    for code in codes if levels else ():
        # Learners who gave a level add up to at most the skill's demand (some give none): the
        # levels' sum is capped by the demand (see _caps), never tied to it by a line.
        parts = tuple((LEVEL, code, "", level) for level in levels)
        counts[(LEVEL, code, "", LEVELS_GIVEN)] = sum(counts[p] for p in parts)
        lines.append(Line(total=(LEVEL, code, "", LEVELS_GIVEN), parts=parts))
    return counts, lines


def _caps(counts: Mapping[Cell, int]) -> list[tuple[Cell, Cell]]:
    """What an attacker knows beyond the lines: no count of people exceeds its group's headcount.

    A group's demand or supply for a skill is at most the group's respondents (overall ones at
    most all respondents), and so is the count of any choice. A dash under a headcount of exactly
    k is otherwise k, and a dash gives its line away. The learners who gave a level are at most
    the skill's demand.
    """
    caps = []
    for cell in counts:
        measure, _, dimension, group = cell
        if measure in (DEMAND, SUPPLY, CHOICE):
            scope = (dimension, group) if measure != CHOICE else ("", "")
            caps.append((cell, (RESPONDENTS, "", *scope)))
        elif measure == LEVEL and group == LEVELS_GIVEN:
            caps.append((cell, (DEMAND, cell[1], "", "")))
    return caps


def _values(table: _Table, measure: str, item: str) -> list[int]:
    if measure == RESPONDENTS:
        return table.respondents
    return (table.demand if measure == DEMAND else table.supply)[item]


# ---------------------------------------------------------------------------------------------
# Building the published analysis


def _skill_figures(
    codes: Sequence[str], figures: Mapping[Cell, Figure], respondents: Figure, k: int
) -> tuple[SkillFigures, ...]:
    rows = []
    for code in codes:
        demand = figures[(DEMAND, code, "", "")]
        supply = figures[(SUPPLY, code, "", "")]
        # A figure has a value only when shown, so these tests are "both sides shown".
        gap = (
            Figure.derived(demand.value - supply.value)
            if demand.value is not None and supply.value is not None
            else Figure.hidden(k)
        )
        share = ci_low = ci_high = None
        if demand.value is not None and respondents.value:
            share = demand.value / respondents.value
            ci_low, ci_high = wilson_interval(demand.value, respondents.value)
        rows.append([code, demand, supply, gap, share, ci_low, ci_high])
    # Suppressed skills go last in taxonomy order: sorting them by value would leak it.
    order = {code: i for i, code in enumerate(codes)}
    shown = sorted((r for r in rows if r[1].shown), key=lambda r: (-r[1].value, order[r[0]]))
    hidden = [r for r in rows if not r[1].shown]
    ranked: list[SkillFigures] = []
    for position, r in enumerate(shown, start=1):
        tied = ranked and ranked[-1].demand.value == r[1].value
        ranked.append(SkillFigures(*r, rank=ranked[-1].rank if tied else position))
    return (*ranked, *(SkillFigures(*r, rank=None) for r in hidden))


def _country_label(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def _group_labeller(
    dimension: str,
    regions: Regions,
    questionnaire: Questionnaire,
    unit_labels: Mapping[str, str],
):
    role_labels = {c.code: c.name() for c in questionnaire.choice_lists.get("roles", ())}

    def label(key: str) -> str:
        if dimension == "unit" and key in unit_labels:
            return unit_labels[key]
        if key == NOT_GIVEN:
            return NOT_GIVEN_LABEL
        if dimension == "unit" and key.endswith("/"):
            return f"{key}{NOT_GIVEN_LABEL}"
        if dimension == "country":
            return _country_label(key)
        if dimension == "region":
            return regions.label(key) if key in regions.codes else key
        if dimension == "role":
            return role_labels.get(key, key)
        return key

    return label


def _breakdown(
    table: _Table,
    codes: Sequence[str],
    figures: Mapping[Cell, Figure],
    label,
    order: Sequence[str] = (),
) -> Breakdown:
    d = table.dimension
    groups = [
        Group(
            key=key,
            label=label(key),
            respondents=figures[(RESPONDENTS, "", d, gid)],
            demand={c: figures[(DEMAND, c, d, gid)] for c in codes},
            supply={c: figures[(SUPPLY, c, d, gid)] for c in codes},
        )
        for gid, key in zip(table.ids, table.keys, strict=True)
    ]
    # Known codes in their own order (roles as in the questionnaire), others by key, not given
    # last; never by count: the order of hidden groups would give their sizes away.
    position = {key: i for i, key in enumerate(order)}
    groups.sort(key=lambda g: (g.key == NOT_GIVEN, position.get(g.key, len(position)), g.key))
    return Breakdown(d, tuple(groups))


def _choice_figures(
    question: str, choices: Sequence[str], figures: Mapping[Cell, Figure]
) -> ChoiceFigures:
    rows = [(c, figures[(CHOICE, question, "", c)]) for c in choices]
    shown = sorted((r for r in rows if r[1].shown), key=lambda r: -(r[1].value or 0))
    return ChoiceFigures(question, (*shown, *(r for r in rows if not r[1].shown)))


def _figures(
    counts: Mapping[Cell, int], statuses: Mapping[Cell, Status], k: int
) -> dict[Cell, Figure]:
    """A Figure per cell. Figures are immutable, so equal ones are shared: tens of thousands of
    cells hold a few thousand distinct (value, status) pairs."""
    made: dict[tuple[int | None, Status], Figure] = {}
    result: dict[Cell, Figure] = {}
    for cell, status in statuses.items():
        value = counts[cell] if status is Status.SHOWN else None
        figure = made.get((value, status))
        if figure is None:
            figure = made[value, status] = Figure.published(Published(value, status, k))
        result[cell] = figure
    return result


def analyse(
    frame: pl.DataFrame | pl.LazyFrame,
    *,
    taxonomy: Taxonomy | None = None,
    questionnaire: Questionnaire | None = None,
    k: int = 5,
    regions: Regions | None = None,
    unit_labels: Mapping[str, str] | None = None,
) -> Analysis:
    """The published analysis of the consenting responses of a canonical frame.

    demand(skill): responses with learn.<skill> true. supply(skill): responses with
    share.<skill> true and share_level.<skill> >= SUPPLY_LEVEL; a share with no level counts
    as supply, since the person offered to share and some forms do not ask the level.
    Units are keyed "organisation/unit" when the organisation is given, else by unit alone;
    blank values of a dimension form the group NOT_GIVEN so that groups add up to the total.

    Raises SuppressionError when the round is too small for k (k=2, or a handful of people at
    k=3) for any publication to be safe: whatever is hidden, the pattern of suppressed cells
    gives a count under k away, even without the table of levels.
    """
    tax = taxonomy or builtin_taxonomy()
    qn = questionnaire or builtin_questionnaire()
    regions = regions or load_regions()
    codes = tax.codes
    lazy = frame.lazy()
    columns = set(lazy.collect_schema().names())
    if "consent" not in columns:
        raise ValueError("the response table has no consent column: it is not a canonical frame")
    lazy = lazy.filter(pl.col("consent").fill_null(False))
    choices = {
        q.name: tuple(c.code for c in qn.choices(q))
        for q in qn.multi_choice_questions()
        if q.name in CHOICE_QUESTIONS
    }
    levels = tuple(level.value for level in tax.levels)

    tables = _count_tables(lazy, columns, codes, regions)
    overall = _overall_counts(lazy, columns, codes, choices, levels)
    counts, lines = _cells_and_lines(tables, codes, overall, levels)
    try:
        statuses = suppress(counts, lines, k, _caps(counts))
    except SuppressionError:
        # In a tiny round the levels can tie a skill's total down with the breakdowns (a dash
        # means "k or more", and the unpublished "no level" cell counts as a dash): the levels
        # are the one optional table, so leave them out rather than fail the whole analysis.
        levels = ()
        overall = {cell: n for cell, n in overall.items() if cell[0] != LEVEL}
        counts, lines = _cells_and_lines(tables, codes, overall, levels)
        statuses = suppress(counts, lines, k, _caps(counts))
    figures = _figures(counts, statuses, k)

    respondents = figures[(RESPONDENTS, "", "", "")]
    labels = unit_labels or {}
    order = {
        "region": regions.codes,
        "role": tuple(c.code for c in qn.choice_lists.get("roles", ())),
    }
    return Analysis(
        k=k,
        respondents=respondents,
        skills=_skill_figures(codes, figures, respondents, k),
        breakdowns={
            d: _breakdown(
                tables[d],
                codes,
                figures,
                _group_labeller(d, regions, qn, labels),
                order.get(d, ()),
            )
            for d in DIMENSIONS
        },
        choices={q: _choice_figures(q, cs, figures) for q, cs in choices.items()},
        levels={c: {lv: figures[(LEVEL, c, "", lv)] for lv in levels} for c in codes}
        if levels
        else {},
    )


# ---------------------------------------------------------------------------------------------
# Comparing two rounds


@dataclass(frozen=True)
class Change:
    code: str  # a skill code ("" for respondents)
    before: Figure
    after: Figure
    change: Figure  # after - before, hidden when either side is not shown


@dataclass(frozen=True)
class Comparison:
    respondents: Change
    demand: tuple[Change, ...]  # skills in the follow-up's ranking, then skills it dropped
    supply: tuple[Change, ...]


def _change(code: str, before: Figure, after: Figure, k: int) -> Change:
    if before.value is not None and after.value is not None:
        diff = after.value - before.value
        return Change(code, before, after, Figure.derived(diff, f"{diff:+d}"))
    return Change(code, before, after, Figure.hidden(k))


def compare(before: Analysis, after: Analysis) -> Comparison:
    """Baseline vs follow-up, per skill; a skill missing from one round counts as hidden there."""
    k = max(before.k, after.k)
    earlier = {s.code: s for s in before.skills}
    later = {s.code: s for s in after.skills}
    codes: Iterable[str] = dict.fromkeys([*later, *earlier])
    missing = Figure.hidden(k)

    def changes(side: str) -> tuple[Change, ...]:
        return tuple(
            _change(
                code,
                getattr(earlier[code], side) if code in earlier else missing,
                getattr(later[code], side) if code in later else missing,
                k,
            )
            for code in codes
        )

    return Comparison(
        respondents=_change("", before.respondents, after.respondents, k),
        demand=changes("demand"),
        supply=changes("supply"),
    )
