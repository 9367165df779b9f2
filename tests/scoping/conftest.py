"""Fixtures for scoping: an open round in Kenya and canonical frames built from a few answers."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from datacircle.core.questionnaire import builtin_questionnaire


def frame_of(*answers: dict) -> pl.DataFrame:
    """A canonical frame from short answer dicts: {"uuid": "a", "unit": "Health",
    "learn": {"gis": 1}, "share": {"spreadsheets": 4}, "barriers": ["time"]}."""
    qn = builtin_questionnaire()
    schema = qn.frame_schema()
    rows = []
    for i, answer in enumerate(answers):
        row = {name: (False if dtype == pl.Boolean() else None) for name, dtype in schema.items()}
        row.update(uuid=f"r{i}", consent=True, submitted_at=datetime(2026, 3, 4, 10, tzinfo=UTC))
        for key, value in answer.items():
            if key in ("learn", "share"):
                for code, level in value.items():
                    row[f"{key}.{code}"] = True
                    row[f"{key}_level.{code}"] = level
            elif isinstance(value, list):
                for code in value:
                    row[f"{key}.{code}"] = True
            else:
                row[key] = value
        rows.append(row)
    return pl.DataFrame(rows, schema=schema)


@pytest.fixture
def round(network):
    from datacircle.scoping.models import Round

    return Round.objects.create(
        organisation=network["kenya"], title="Kenya baseline", slug="baseline", status="open"
    )
