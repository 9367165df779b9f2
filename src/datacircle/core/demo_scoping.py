"""Demo scoping answers from the demo network, and KoboToolbox-shaped CSV exports of them.

The demo database, the tests and the benchmarks use the same answers: deterministic from a seed,
drawn from each demo person's wanted and shared skills, with realistic part-1 answers and a few
free-text "other" answers in several languages for the coding review queue.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

import polars as pl

from datacircle.core.demo import SHARE_CUMULATIVE, SHARE_SKILLS, DemoNetwork, DemoPerson, pick
from datacircle.core.questionnaire import Questionnaire, builtin_questionnaire
from datacircle.core.taxonomy import Taxonomy, builtin_taxonomy

# Relative weights of part-1 answers, following what field surveys report: time and skills are
# the commonest barriers; analysing and collecting data the commonest tasks.
CHOICE_WEIGHTS: dict[str, dict[str, int]] = {
    "data_types": {
        "registration": 30,
        "assessments": 45,
        "monitoring": 50,
        "feedback": 25,
        "health": 30,
        "geographic": 20,
        "finance": 15,
        "logistics": 15,
        "volunteers-hr": 25,
        "risk": 15,
        "other": 3,
    },
    "workflow_stages": {
        "define": 20,
        "find": 25,
        "collect": 60,
        "verify": 35,
        "clean": 35,
        "analyse": 55,
        "present": 40,
        "store": 30,
        "share": 30,
    },
    "barriers": {
        "time": 55,
        "skills": 50,
        "tools": 35,
        "access": 30,
        "quality": 40,
        "support": 20,
        "connectivity": 30,
        "language": 12,
        "protection": 18,
        "purpose": 15,
        "other": 3,
    },
    "opportunities": {
        "targeting": 40,
        "decisions": 45,
        "reporting": 35,
        "accountability": 25,
        "preparedness": 30,
        "efficiency": 35,
        "advocacy": 15,
        "other": 2,
    },
    "formats": {
        "short-session": 50,
        "workshop": 25,
        "peer-mentoring": 40,
        "help-desk": 20,
        "online-course": 30,
        "guides": 25,
        "videos": 30,
        "community": 20,
    },
}
CHOICE_COUNTS = {
    "data_types": (1, 4),
    "workflow_stages": (1, 5),
    "barriers": (1, 3),
    "opportunities": (1, 3),
    "formats": (1, 3),
}
OTHER_TEXTS = {
    "learn_other": (
        "Power BI",
        "Kobo forms",
        "cartographie avec QGIS",
        "تحليل البيانات في Excel",
        "R for statistics",
        "python scripts",
        "tableaux croisés dynamiques",
        "mapas con QGIS",
        "ODK Collect",
        "writing better reports",
        "asdf",
        "Looker Studio dashboards",
    ),
    "barriers_other": (
        "no laptop",
        "pas d'ordinateur",
        "internet is too slow in the field",
        "لا يوجد وقت",
        "my manager does not see the value",
        "falta de formación",
    ),
}
OTHER_PROBABILITY = 0.06
# Asked directly, more people say they could share something than lead sessions: a third of
# respondents offer one or two more skills they use on their own.
EXTRA_SHARE_PROBABILITY = 0.35
STAFF_ROLES = ("field-staff", "programme-staff", "support-staff", "im-data-staff", "manager")
STAFF_ROLE_WEIGHTS = tuple(accumulate((30, 35, 15, 8, 12)))
SHARE_LEVEL_CHOICES = (2, 3, 3, 4)
WINDOW_START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def demo_responses(
    network: DemoNetwork,
    *,
    seed: int = 2026,
    response_rate: float = 0.7,
    organisations: Iterable[str] | None = None,
    round_tag: str = "baseline",
    questionnaire: Questionnaire | None = None,
    taxonomy: Taxonomy | None = None,
) -> pl.DataFrame:
    """A canonical frame of answers by a share of the network's people (all, or some
    organisations'). The same arguments give the same frame."""
    qn = questionnaire or builtin_questionnaire()
    tax = taxonomy or builtin_taxonomy()
    rng = random.Random(f"{seed}/{round_tag}")
    wanted = set(organisations) if organisations is not None else None
    units = {u.key: u.name for u in network.units}
    countries = {o.key: o.country for o in network.organisations}
    schema = qn.frame_schema(tax)
    columns: dict[str, list] = {name: [] for name in schema}
    for person in network.people():
        if wanted is not None and person.organisation not in wanted:
            continue
        if rng.random() >= response_rate:
            continue
        row = _answers(rng, person, units, countries, round_tag, seed)
        for name in schema:
            columns[name].append(row.get(name, False if schema[name] == pl.Boolean() else None))
    return pl.DataFrame(columns, schema=schema)


def _answers(
    rng: random.Random,
    person: DemoPerson,
    units: dict[str, str],
    countries: dict[str, str],
    round_tag: str,
    seed: int,
) -> dict:
    row: dict = {
        "uuid": str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"datacircle-demo/{seed}/{round_tag}/{person.key}")
        ),
        "submitted_at": WINDOW_START + timedelta(minutes=rng.randrange(21 * 24 * 60)),
        "consent": True,
        "organisation": person.organisation,
        "unit": units[person.unit],
        "role": "volunteer"
        if person.kind == "volunteer"
        else pick(rng, STAFF_ROLES, STAFF_ROLE_WEIGHTS),
        "country": countries[person.organisation],
    }
    for question, weights in CHOICE_WEIGHTS.items():
        low, high = CHOICE_COUNTS[question]
        codes = list(weights)
        chosen = set(rng.choices(codes, weights=list(weights.values()), k=rng.randint(low, high)))
        for code in chosen:
            row[f"{question}.{code}"] = True
    for language in person.languages:
        row[
            f"languages.{language}" if language in ("en", "fr", "es", "ar") else "languages.other"
        ] = True
    for code, level in person.wants:
        row[f"learn.{code}"] = True
        row[f"learn_level.{code}"] = level
    shares = dict(person.shares)
    if rng.random() < EXTRA_SHARE_PROBABILITY:
        for _ in range(rng.randint(1, 2)):
            shares.setdefault(pick(rng, SHARE_SKILLS, SHARE_CUMULATIVE), 3)
    for code, level in shares.items():
        if row.get(f"learn.{code}"):
            continue  # nobody offers to teach what they want to learn
        row[f"share.{code}"] = True
        # Some people offer to share at "can do with help": not supply, as the analysis says.
        row[f"share_level.{code}"] = level if level == 4 else rng.choice(SHARE_LEVEL_CHOICES)
    for name, texts in OTHER_TEXTS.items():
        if rng.random() < OTHER_PROBABILITY:
            row[name] = rng.choice(texts)
            row[("learn" if name == "learn_other" else "barriers") + ".other"] = True
    return row


def group_of(questionnaire: Questionnaire) -> dict[str, str]:
    return {q.name: q.group for q in questionnaire.questions}


def write_kobo_csv(
    frame: pl.DataFrame,
    path: Path,
    *,
    questionnaire: Questionnaire | None = None,
    taxonomy: Taxonomy | None = None,
) -> None:
    """Write a canonical frame as KoboToolbox writes a CSV export with XML names: `;` separated,
    every value quoted, `group/question` headers, select_multiple as a space-separated summary
    column plus one `question/choice` 1/0 column per choice, and `_uuid`-style metadata."""
    qn = questionnaire or builtin_questionnaire()
    tax = taxonomy or builtin_taxonomy()
    groups = group_of(qn)
    exprs: list[pl.Expr] = [
        pl.col("submitted_at").dt.strftime("%Y-%m-%dT%H:%M:%S%.3f+00:00").alias("start"),
        pl.col("submitted_at").dt.strftime("%Y-%m-%dT%H:%M:%S%.3f+00:00").alias("end"),
    ]
    for q in qn.questions:
        header = f"{groups[q.name]}/{q.name}"
        if q.type == "consent":
            exprs.append(
                pl.when(pl.col("consent")).then(pl.lit("yes")).otherwise(pl.lit("no")).alias(header)
            )
        elif q.type in ("text", "select_one", "country"):
            exprs.append(pl.col(q.name).alias(header))
        else:
            codes = (
                list(tax.codes) + ["other"]
                if q.type == "skills"
                else [c.code for c in qn.choices(q)]
            )
            present = [c for c in codes if f"{q.name}.{c}" in frame.columns]
            exprs.append(
                pl.concat_str(
                    [pl.when(pl.col(f"{q.name}.{c}")).then(pl.lit(c)) for c in present],
                    separator=" ",
                    ignore_nulls=True,
                ).alias(header)
            )
            for c in present:
                exprs.append(
                    pl.col(f"{q.name}.{c}").cast(pl.Int8).cast(pl.String).alias(f"{header}/{c}")
                )
            if q.type == "skills":
                for code in tax.codes:
                    exprs.append(
                        pl.col(f"{q.name}_level.{code}")
                        .cast(pl.String)
                        .alias(f"{groups[q.name]}/{q.name}_level_{code}")
                    )
        if q.other:
            exprs.append(pl.col(q.other).alias(f"{groups[q.name]}/{q.other}"))
    exprs += [
        pl.int_range(1, pl.len() + 1).cast(pl.String).alias("_id"),
        pl.col("uuid").alias("_uuid"),
        pl.col("submitted_at").dt.strftime("%Y-%m-%dT%H:%M:%S").alias("_submission_time"),
        pl.lit("").alias("_validation_status"),
        pl.int_range(1, pl.len() + 1).cast(pl.String).alias("_index"),
    ]
    frame.select(exprs).write_csv(path, separator=";", quote_style="always", null_value="")
