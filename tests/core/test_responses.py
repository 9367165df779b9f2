"""Stored answers round-trip exactly to the canonical frame."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from datacircle.core.questionnaire import builtin_questionnaire
from datacircle.core.responses import PLAIN_FIELDS, answers_json, frame_from_stored

QN = builtin_questionnaire()
SCHEMA = QN.frame_schema()
TEXT = st.one_of(st.none(), st.text(min_size=1, max_size=20))


@st.composite
def rows(draw):
    row = {}
    for name, dtype in SCHEMA.items():
        if dtype == pl.Boolean():
            row[name] = draw(st.booleans())
        elif dtype == pl.Int8():
            row[name] = None
        elif name == "submitted_at":
            row[name] = draw(
                st.none() | st.just(datetime(2026, 3, 4, 10, 11, 12, 5000, tzinfo=UTC))
            )
        else:
            row[name] = draw(TEXT)
    row["consent"] = True
    for name in SCHEMA:
        if "_level." in name and row[name.replace("_level.", ".")]:
            row[name] = draw(st.none() | st.integers(0, 4))
    return row


def stored(frame: pl.DataFrame) -> pl.DataFrame:
    documents = answers_json(frame).to_list()
    plain = {name: frame[name].to_list() for name in PLAIN_FIELDS}
    return frame_from_stored(plain, documents)


@settings(max_examples=60, deadline=None)
@given(st.lists(rows(), min_size=1, max_size=8))
def test_answers_round_trip(answers):
    for i, row in enumerate(answers):
        row["uuid"] = f"u{i}"
    frame = pl.DataFrame(answers, schema=SCHEMA)
    assert stored(frame).equals(frame)


def test_documents_are_compact_and_readable():
    row = {name: (False if t == pl.Boolean() else None) for name, t in SCHEMA.items()}
    row.update(uuid="a", consent=True)
    row.update({"learn.gis": True, "learn_level.gis": 2, "learn.analysis": True})
    row.update({"barriers.time": True, "barriers_other": "لا يوجد وقت"})
    document = json.loads(answers_json(pl.DataFrame([row], schema=SCHEMA))[0])
    assert document["learn"] == ["analysis", "gis:2"]
    assert document["barriers"] == ["time"]
    assert document["share"] == []
    assert document["barriers_other"] == "لا يوجد وقت"


def test_no_answers_gives_the_empty_frame():
    frame = frame_from_stored({name: [] for name in PLAIN_FIELDS}, [])
    assert frame.is_empty() and frame.schema == pl.Schema(SCHEMA)
