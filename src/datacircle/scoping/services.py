"""Scoping workflows that span models: saving imported or typed answers, coding free text,
and the cached analysis of a round. Views, jobs and the CLI all go through here."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl
from django.db import connection, transaction
from django.db.models import Count, TextField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from datacircle.core import coding as core_coding
from datacircle.core.imports import ImportResult
from datacircle.core.questionnaire import Questionnaire, builtin_questionnaire
from datacircle.core.responses import PLAIN_FIELDS, answers_json, frame_from_stored
from datacircle.core.scoping import Analysis as CoreAnalysis
from datacircle.core.scoping import analyse
from datacircle.core.taxonomy import SkillOverride as CoreOverride
from datacircle.core.taxonomy import Taxonomy, builtin_taxonomy
from datacircle.scoping.models import Analysis, Coding, Response, Round, SkillOverride

# Rows per INSERT: SQLite allows 32,766 parameters in one statement (11 per response).
BATCH = 2500


def taxonomy_for(organisation) -> Taxonomy:
    """The built-in taxonomy with the organisation's own skills and wording on top."""
    overrides = [
        CoreOverride(
            o.code,
            o.label,
            o.description,
            {lang: tuple(words) for lang, words in o.synonyms.items()},
        )
        for o in SkillOverride.objects.filter(organisation=organisation).order_by("code")
    ]
    return builtin_taxonomy().with_overrides(overrides) if overrides else builtin_taxonomy()


@dataclass(frozen=True)
class Saved:
    created: int
    updated: int
    unchanged: int

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def save_frame(
    round: Round,
    frame: pl.DataFrame,
    source: str,
    *,
    taxonomy: Taxonomy | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Saved:
    """Insert or update the responses of a canonical frame, all or nothing.

    A submission is known by its uuid: importing the same export twice changes nothing, and a
    submission edited in KoboToolbox since the last import is updated, never counted twice.
    New responses go in with one multi-row INSERT per batch (no model instances): an import of
    100,000 responses is a matter of seconds.
    """
    tax = taxonomy or taxonomy_for(round.organisation)
    documents = answers_json(frame, taxonomy=tax).to_list()
    # The database keeps "" for an unanswered text field (Django's convention), the frame null.
    plain = frame.select(
        pl.col("uuid"),
        pl.col("submitted_at"),
        *[pl.col(name).fill_null("") for name in PLAIN_FIELDS[2:]],
    ).rows()
    # What is stored already, as (plain fields..., answers) per uuid, to tell edits from repeats.
    existing = {
        stored[0]: stored
        for stored in Response.objects.filter(round=round)
        .annotate(raw=Cast("answers", TextField()))
        .values_list(*PLAIN_FIELDS, "raw")
    }
    new: list[tuple] = []
    changed: list[tuple] = []
    unchanged = 0
    for row, document in zip(plain, documents, strict=True):
        before = existing.get(row[0])
        if before is None:
            new.append((*row, document))
        elif before[:-1] != row or json.loads(before[-1]) != json.loads(document):
            changed.append((*row, document))
        else:
            unchanged += 1
    total = len(new) + len(changed)
    with transaction.atomic():
        _insert(round, source, new, progress, total)
        for uuid, submitted_at, *texts, document in changed:
            Response.objects.filter(round=round, uuid=uuid).update(
                source=source,
                answers=json.loads(document),
                imported_at=timezone.now(),
                submitted_at=submitted_at,
                **dict(zip(PLAIN_FIELDS[2:], texts, strict=True)),
            )
        # Coding looks at free text only: a web answer or file without any skips it (it builds
        # a coder per question), unless edits may have removed texts counted before.
        if changed or (new and _has_free_text(frame)):
            refresh_codings(round, taxonomy=tax)
        if total:
            round.touch()
    return Saved(len(new), len(changed), unchanged)


def _has_free_text(frame: pl.DataFrame) -> bool:
    return any(
        (frame.get_column(q).str.strip_chars().fill_null("") != "").any() for q in other_questions()
    )


def _insert(round: Round, source: str, rows: list[tuple], progress, total: int) -> None:
    """Write new responses in batches: COPY on PostgreSQL, multi-row INSERTs elsewhere."""
    table = connection.ops.quote_name(Response._meta.db_table)
    columns = ["round_id", "source", *PLAIN_FIELDS, "answers", "imported_at"]
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    adapt = connection.ops.adapt_datetimefield_value
    now = adapt(timezone.now())
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            values = [
                (round.pk, source, uuid, adapt(submitted_at), *texts, document, now)
                for uuid, submitted_at, *texts, document in batch
            ]
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
            else:
                sql = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * len(batch))  # noqa: S608 (names are ours)
                cursor.execute(sql, [value for row in values for value in row])
            if progress:
                progress(start + len(batch), total)


def import_result(round: Round, result: ImportResult, **kwargs) -> Saved:
    if not result.ok:
        raise ValueError("an import with problems must not be saved")
    return save_frame(round, result.frame, result.source, **kwargs)


def round_frame(
    round: Round, *, taxonomy: Taxonomy | None = None, coded: bool = True
) -> pl.DataFrame:
    """The round's responses as a canonical frame, with coded free text added when `coded`."""
    tax = taxonomy or taxonomy_for(round.organisation)
    rows = (
        Response.objects.filter(round=round)
        .annotate(raw=Cast("answers", TextField()))
        .order_by("pk")
        .values_list(*PLAIN_FIELDS, "raw")
    )
    columns = list(zip(*rows, strict=False)) or [[] for _ in range(len(PLAIN_FIELDS) + 1)]
    plain = {name: [value or None for value in columns[i]] for i, name in enumerate(PLAIN_FIELDS)}
    frame = frame_from_stored(plain, list(columns[-1]), taxonomy=tax)
    return apply_codings(round, frame) if coded else frame


def other_questions(questionnaire: Questionnaire | None = None) -> dict[str, str]:
    """Free-text "other" question -> the question whose choices it is coded into."""
    qn = questionnaire or builtin_questionnaire()
    return {q.other: q.name for q in qn.questions if q.other}


def coder_for(round: Round, question: str, taxonomy: Taxonomy) -> core_coding.Coder:
    """A coder for one "other" question, taught by the organisation's earlier decisions."""
    qn = builtin_questionnaire()
    corrections = [
        core_coding.Correction(c.text, tuple(c.codes))
        for c in Coding.objects.filter(
            round__organisation=round.organisation,
            question=question,
            status=Coding.Status.CONFIRMED,
        )
    ]
    target = qn.question(other_questions(qn)[question])
    if target.type == "skills":
        return core_coding.Coder.for_skills(taxonomy, corrections)
    choices = [c for c in qn.choices(target) if c.code != "other"]
    extra = {c.code: c.synonyms for c in choices if c.synonyms}
    return core_coding.Coder.for_choices(choices, extra=extra, corrections=corrections)


def refresh_codings(round: Round, *, taxonomy: Taxonomy | None = None) -> int:
    """Code every new free-text answer of the round; returns how many now wait for review."""
    tax = taxonomy or taxonomy_for(round.organisation)
    for question in other_questions():
        # Counted by the database: the answers' JSON is never decoded here.
        answered = (
            Response.objects.filter(round=round, answers__has_key=question)
            .exclude(**{f"answers__{question}": None})  # JSON null: not answered
            .annotate(text=KT(f"answers__{question}"))
            .values("text")
            .annotate(total=Count("id"))
        )
        counts: dict[str, list] = {}
        for row in answered:
            key = core_coding.normalise(row["text"] or "")
            if key:
                entry = counts.setdefault(key, [row["text"], 0])
                entry[1] += row["total"]
        if not counts:
            continue
        known = {c.text: c for c in Coding.objects.filter(round=round, question=question)}
        coder = coder_for(round, question, tax)
        for key, (example, count) in counts.items():
            coding = known.get(key)
            if coding is not None:
                if coding.occurrences != count:
                    Coding.objects.filter(pk=coding.pk).update(occurrences=count)
                continue
            result = coder.code(example)
            Coding.objects.create(
                round=round,
                question=question,
                text=key[:500],
                example=example,
                occurrences=count,
                suggested=[s.code for s in result.uncertain] or list(result.codes),
                codes=list(result.codes),
                status=Coding.Status.PENDING if result.needs_review else Coding.Status.AUTOMATIC,
            )
    return Coding.objects.filter(round=round, status=Coding.Status.PENDING).count()


def decide(coding: Coding, codes: list[str], user) -> None:
    """A coordinator's decision on a free-text answer; it also teaches later coding."""
    with transaction.atomic():
        coding.codes = codes
        coding.status = Coding.Status.CONFIRMED
        coding.decided_by = user
        coding.decided_at = timezone.now()
        coding.save()
        coding.round.touch()


def apply_codings(round: Round, frame: pl.DataFrame) -> pl.DataFrame:
    """Add the codes of free-text answers (automatic or confirmed) to the choice columns."""
    decided = list(
        Coding.objects.filter(round=round)
        .exclude(status=Coding.Status.PENDING)
        .exclude(codes=[])
        .values_list("question", "text", "codes")
    )
    if not decided or frame.is_empty():
        return frame
    targets = other_questions()
    updates: dict[str, pl.Expr] = {}
    for question in {q for q, _t, _c in decided}:
        lookup = {text: codes for q, text, codes in decided if q == question}
        column = frame.get_column(question)
        keys = {v: core_coding.normalise(v) for v in column.drop_nulls().unique().to_list()}
        per_row = column.map_elements(
            lambda v, keys=keys, lookup=lookup: lookup.get(keys.get(v, ""), []),
            return_dtype=pl.List(pl.String()),
            skip_nulls=True,
        )
        target = targets[question]
        for code in {c for codes in lookup.values() for c in codes}:
            name = f"{target}.{code}"
            if name in frame.columns:
                hit = per_row.list.contains(code).fill_null(False)
                updates[name] = updates.get(name, pl.col(name)) | pl.lit(hit)
    return frame.with_columns([expr.alias(name) for name, expr in updates.items()])


def analysis_for(round: Round, min_cell: int | None = None) -> CoreAnalysis:
    """The round's analysis, computed once per data version and cell size, then cached."""
    k = min_cell or round.min_cell
    cached = Analysis.objects.filter(round=round, min_cell=k).first()
    if cached is not None and cached.data_version == round.data_version:
        return CoreAnalysis.from_dict(cached.payload)
    tax = taxonomy_for(round.organisation)
    result = analyse(round_frame(round, taxonomy=tax), taxonomy=tax, k=k)
    Analysis.objects.update_or_create(
        round=round,
        min_cell=k,
        defaults={"data_version": round.data_version, "payload": result.to_dict()},
    )
    return result
