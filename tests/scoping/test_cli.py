"""`datacircle scoping …` as an analyst uses it: analyse a file, import, report, XLSForm."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from datacircle.cli import main
from datacircle.core.demo_scoping import write_kobo_csv
from datacircle.core.xlsform import validate_xlsform
from datacircle.scoping.models import Response
from tests.scoping.conftest import frame_of

ANSWERS = [
    {
        "unit": "Health",
        "role": "volunteer",
        "learn": {"analysis": 1, "gis": 0},
        "share": {"spreadsheets": 4},
    }
    for _ in range(20)
] + [{"unit": "Logistics", "learn": {"gis": 2}, "share": {"gis": 3}} for _ in range(3)]


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "kobo-export.csv"
    write_kobo_csv(frame_of(*ANSWERS), path)
    return path


def test_analyse_needs_no_database(export, tmp_path):
    out = tmp_path / "analysis.json"
    environment = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nowhere"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "datacircle.cli",
            "scoping",
            "analyse",
            str(export),
            "--json",
            str(out),
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "23 respondents" in done.stdout
    lines = {line.split("  ")[0].strip(): line for line in done.stdout.splitlines()}
    assert lines["Analysing data"].split()[2] == "20"
    assert "<5" in lines["Maps and GIS"]  # supply of GIS: 3 people
    data = json.loads(out.read_text())
    assert data["respondents"]["value"] == 23


def test_analyse_reports_problems_of_a_broken_file(tmp_path, capsys):
    broken = tmp_path / "broken.csv"
    broken.write_text(
        '"_uuid";"about/consent";"part2/learn_level_gis"\n"a";"yes";"9"\n', encoding="utf-8"
    )
    with pytest.raises(SystemExit) as exit_:
        main(["scoping", "analyse", str(broken)])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "broken.csv" in err and "row 2" in err and "learn_level_gis" in err


def test_import_is_idempotent_and_all_or_nothing(round, export, tmp_path, capsys):
    assert main(["scoping", "import", str(export), "--round", "kenya-rc/baseline"]) == 0
    assert "23 new, 0 updated, 0 already imported" in capsys.readouterr().out
    assert main(["scoping", "import", str(export), "--round", str(round.pk)]) == 0
    assert "0 new, 0 updated, 23 already imported" in capsys.readouterr().out
    assert Response.objects.filter(round=round).count() == 23

    lines = export.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "broken.csv"
    broken.write_text(
        "\n".join([lines[0], lines[1].replace('"yes"', '"perhaps"', 1)]) + "\n", encoding="utf-8"
    )
    Response.objects.all().delete()
    with pytest.raises(SystemExit):
        main(["scoping", "import", str(broken), "--round", "kenya-rc/baseline"])
    assert "nothing was imported" in capsys.readouterr().err
    assert not Response.objects.exists()


def test_unknown_round_is_a_clear_error(db):
    with pytest.raises(SystemExit) as exit_:
        main(["scoping", "report", "--round", "nowhere/none", "--out", "x.csv"])
    assert "no scoping round 'nowhere/none'" in str(exit_.value)


def test_report_and_xlsform_files(round, export, tmp_path, capsys):
    main(["scoping", "import", str(export), "--round", "kenya-rc/baseline"])
    for fmt in ("csv", "xlsx", "pdf", "html"):
        out = tmp_path / f"report.{fmt}"
        assert main(["scoping", "report", "--round", "kenya-rc/baseline", "--out", str(out)]) == 0
        assert out.stat().st_size > 0
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    csv_text = (tmp_path / "report.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[1].startswith("#meta+dimension")
    form = tmp_path / "form.xlsx"
    assert main(["scoping", "xlsform", "--round", "kenya-rc/baseline", "--out", str(form)]) == 0
    assert "learn_level_gis" in validate_xlsform(form)
