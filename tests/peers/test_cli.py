"""`datacircle match` and `datacircle digest` as a coordinator or an operator uses them."""

from __future__ import annotations

import csv

import pytest

from datacircle.cli import main
from datacircle.peers.models import MatchingRound


def test_a_dry_run_reports_and_writes_csv_but_saves_nothing(profiles, tmp_path, capsys):
    out = tmp_path / "matches.csv"
    assert main(["match", "--round", "kenya-rc/June", "--dry-run", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "kenya-rc/June: not saved (dry run)" in printed
    assert "2 of 2 learners matched with 2 sharers; total benefit 95" in printed
    assert not MatchingRound.objects.exists()
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert {(r["learner"], r["sharer"], r["skill"]) for r in rows} == {
        ("Wanjiru Kamau", "Otieno Odhiambo", "gis"),
        ("Achieng Njeri", "Baraka Mwangi", "analysis"),
    }
    assert all(r["reasons"] for r in rows)


def test_a_round_is_saved_as_a_draft_and_recomputed_by_name(profiles, tmp_path, capsys):
    assert main(["match", "--round", "network/June"]) == 0
    round = MatchingRound.objects.get()
    assert (round.organisation, round.status, round.matches.count()) == (None, "draft", 2)
    assert "not matched: nobody-shares: 1" in capsys.readouterr().out  # Awa, in French
    assert main(["match", "--round", "network/June"]) == 0
    assert MatchingRound.objects.count() == 1
    round.status = "published"
    round.save()
    with pytest.raises(SystemExit, match="is published"):
        main(["match", "--round", str(round.pk)])


@pytest.mark.parametrize(
    ("reference", "message"),
    [("nowhere/June", "no organisation 'nowhere'"), ("June", "use ORGANISATION/TITLE")],
)
def test_a_wrong_round_reference_says_what_to_write(profiles, reference, message):
    with pytest.raises(SystemExit, match=message):
        main(["match", "--round", reference])


def test_digest_sends_what_waits(profiles, network, capsys):
    from datacircle.notices.services import notify

    profiles["wanjiru"].digest = True
    profiles["wanjiru"].save()
    notify(network["kenyan"], "Waiting", "Something")
    assert main(["digest"]) == 0
    assert "Sent 1 digest email(s)." in capsys.readouterr().out
