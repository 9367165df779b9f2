"""The baseline `scoping analyse` is measured against: a straightforward pandas script that
computes the same table from a KoboToolbox CSV export (demand, supply, gap and the 95% Wilson
interval per skill, and demand and supply per unit), as an analyst would write it.

    .venv/bin/python bench/pandas_scoping.py export.csv
"""

from __future__ import annotations

import math
import sys

import pandas as pd

from datacircle.core.taxonomy import builtin_taxonomy

Z = 1.959964


def wilson(successes: int, n: int) -> tuple[float, float]:
    if n == 0:
        return (0.0, 0.0)
    p = successes / n
    centre = p + Z * Z / (2 * n)
    margin = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    denominator = 1 + Z * Z / n
    return ((centre - margin) / denominator, (centre + margin) / denominator)


def main(path: str) -> None:
    data = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    data = data[data["about/consent"] == "yes"]
    n = len(data)
    rows = []
    by_unit = []
    for code in builtin_taxonomy().codes:
        wants = data[f"part2/learn/{code}"] == "1"
        levels = pd.to_numeric(data[f"part2/share_level_{code}"], errors="coerce")
        shares = (data[f"part2/share/{code}"] == "1") & (levels.isna() | (levels >= 3))
        demand, supply = int(wants.sum()), int(shares.sum())
        low, high = wilson(demand, n)
        rows.append((code, demand, supply, demand - supply, low, high))
        units = pd.DataFrame({"unit": data["about/unit"], "demand": wants, "supply": shares})
        by_unit.append(units.groupby("unit").sum().assign(skill=code))
    table = pd.DataFrame(rows, columns=["skill", "demand", "supply", "gap", "low", "high"])
    units = pd.concat(by_unit)
    print(f"{n} respondents; {len(units)} unit rows")
    print(table.sort_values("demand", ascending=False).to_string(index=False))


if __name__ == "__main__":
    main(sys.argv[1])
