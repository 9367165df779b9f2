"""Demo scoping answers: deterministic, realistic, and a Kobo export of them reads back exactly."""

from __future__ import annotations

import polars as pl

from datacircle.core.demo import build_network
from datacircle.core.demo_scoping import demo_responses, write_kobo_csv
from datacircle.core.imports import read_responses

NETWORK = build_network(people=1500, seed=2026)


def test_same_arguments_same_answers():
    first = demo_responses(NETWORK, organisations=["kenya-rc"])
    assert first.equals(demo_responses(NETWORK, organisations=["kenya-rc"]))
    other = demo_responses(NETWORK, organisations=["kenya-rc"], round_tag="follow-up")
    assert not first.equals(other)
    assert set(first["organisation"].unique()) == {"kenya-rc"}
    assert set(first["country"].unique()) == {"KE"}


def test_answers_follow_the_people_and_show_gaps():
    frame = demo_responses(NETWORK, response_rate=1.0)
    assert frame.height == NETWORK.size
    demand = {c.split(".", 1)[1]: frame[c].sum() for c in frame.columns if c.startswith("learn.")}
    supply = {
        c.split(".", 1)[1]: frame.filter(
            pl.col(c) & (pl.col(c.replace(".", "_level.")) >= 3)
        ).height
        for c in frame.columns
        if c.startswith("share.") and c != "share.other"
    }
    assert demand["analysis"] > demand["open-data"]
    assert demand["storytelling"] > supply["storytelling"]  # the gap the field reports
    assert supply["spreadsheets"] > supply["storytelling"]
    # levels only where the skill was chosen
    for code in demand:
        if code == "other":
            continue
        orphan = frame.filter(
            ~pl.col(f"learn.{code}") & pl.col(f"learn_level.{code}").is_not_null()
        )
        assert orphan.is_empty()
    assert frame["learn_other"].drop_nulls().len() > 0  # free text for the review queue


def test_kobo_export_reads_back_exactly(tmp_path):
    frame = demo_responses(NETWORK, organisations=["senegal-rc", "lebanese-rc"])
    path = tmp_path / "kobo.csv"
    write_kobo_csv(frame, path)
    head = path.read_text(encoding="utf-8").splitlines()[0]
    assert head.startswith('"start";"end";"about/consent"') and '"part2/learn/gis"' in head
    result = read_responses(path)
    assert result.ok, result.problems[:3]
    assert result.source == "kobo"
    # The Kobo form does not ask for the organisation; everything else comes back.
    expected = frame.with_columns(organisation=pl.lit(None, dtype=pl.String()))
    assert result.frame.sort("uuid").equals(expected.sort("uuid"))
