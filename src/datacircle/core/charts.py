"""Server-rendered SVG charts for the scoping report: grouped horizontal bars and dumbbells.

The same SVG is inlined in pages that run no JavaScript, printed, and embedded in the PDF made by
WeasyPrint, so every colour, font and size is an explicit attribute: no CSS, no script, no
external font or image. Suppressed values (small-cell rule) arrive as `None` with their display
text ("<5"): they are drawn as that text only, so no length or position can give them away.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

# Okabe-Ito, without its yellow (invisible on white), ordered so that the first four reach the
# 3:1 contrast WCAG asks of graphical objects against the white background.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
)
FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"
BACKGROUND = "#ffffff"
INK = "#222222"  # 15.9:1 on white
MUTED_INK = "#595959"  # 7.0:1 on white: tick labels and suppressed values
AXIS_INK = "#767676"
GRID_INK = "#dddddd"

FONT_SIZE = 12.0
SMALL_FONT_SIZE = 11.0
# DejaVu Sans averages about 0.6 em per character; a generous estimate keeps text inside the box.
CHAR_EM = 0.62
PAD = 16.0
LABEL_GAP = 8.0
LEGEND_LINE = 20.0
AXIS_ROOM = 24.0
BAR_HEIGHT = 14.0
BAR_GAP = 2.0
ROW_PAD = 12.0
DUMBBELL_ROW = 28.0
DOT_RADIUS = 5.0
MIN_WIDTH = 240
NICE_MANTISSAS = (1.0, 2.0, 2.5, 5.0)

RLI, PDI = "\u2067", "\u2069"  # Unicode right-to-left isolate, and its end

_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
# Characters XML 1.0 forbids even when escaped (C0 controls, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Arabic vowel and shadda marks. WeasyPrint sets an SVG <text> one character at a time, so a mark
# cannot sit on its letter and prints as a dotted circle; words drawn in a chart go without them
# (as most Arabic is written), and the tooltip and the table beside the chart keep them.
_ARABIC_MARKS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed]"
)


@dataclass(frozen=True)
class Series:
    """One kind of bar in every row (e.g. "want to learn"), with its colour."""

    name: str
    colour: str

    def __post_init__(self) -> None:
        _check_colour(self.name, self.colour)


def _check_colour(name: str, colour: str) -> None:
    if not _HEX_COLOUR.fullmatch(colour):
        raise ValueError(f"series {name!r}: colour {colour!r} is not a hex colour like #0072B2")


@dataclass(frozen=True)
class Bar:
    """A value with the text to show for it; `value=None` means suppressed (show `display` only).

    `low`/`high` is a confidence interval in the units of `value`, drawn as a whisker.
    """

    value: float | None
    display: str
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        if self.value is None:
            if self.low is not None or self.high is not None:
                # An interval around a hidden count would reveal roughly where it lies.
                raise ValueError(
                    f"suppressed bar {self.display!r} cannot carry a confidence interval"
                )
            return
        for name, number in (("value", self.value), ("low", self.low), ("high", self.high)):
            if number is not None and not (math.isfinite(number) and number >= 0):
                raise ValueError(f"bar {self.display!r}: {name} {number!r} is not a number ≥ 0")
        if (self.low is None) != (self.high is None):
            raise ValueError(f"bar {self.display!r}: give both low and high, or neither")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"bar {self.display!r}: low {self.low} is above high {self.high}")

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def reach(self) -> float:
        """How far along the axis this bar draws anything (its end or its whisker's)."""
        return max(self.value or 0.0, self.high or 0.0)


@dataclass(frozen=True)
class Row:
    """One labelled group of bars, one `Bar` per series, in the order of the series."""

    label: str
    bars: tuple[Bar, ...]


def plain_number(value: float) -> str:
    """Tick text: whole numbers without decimals, others with up to four significant digits."""
    if value == int(value):
        return str(int(value))
    return f"{value:.4g}"


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Evenly spaced ticks from 0 that cover `maximum`, at most `count` of them (at least about
    half as many), stepping by 1, 2, 2.5 or 5 times a power of ten.
    """
    if not math.isfinite(maximum):
        raise ValueError(f"cannot make axis ticks for a maximum of {maximum!r}")
    if count < 2:
        raise ValueError(f"an axis needs at least 2 ticks, not {count}")
    intervals = count - 1
    # With nothing to cover (all zero), one unit per interval: the usual case is counts.
    top = maximum if maximum > 0 else float(intervals)
    exponent = math.floor(math.log10(top / intervals))
    for power in range(exponent - 1, exponent + 2):
        for mantissa in NICE_MANTISSAS:
            step = mantissa * 10.0**power
            # The tolerance stops float noise (4.0000000001 steps) from adding a tick.
            needed = math.ceil(top / step - 1e-9)
            if needed <= intervals:
                digits = max(0, 1 - power)
                return [round(i * step, digits) for i in range(needed + 1)]
    raise AssertionError("unreachable: 10**(exponent+1) always fits")  # pragma: no cover


def bar_chart(
    rows: Sequence[Row],
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    rtl: bool = False,
    value_format: Callable[[float], str] = plain_number,
    max_value: float | None = None,
    width: int = 640,
    empty_text: str = "No data",
) -> str:
    """Horizontal grouped bars, one group per row and one bar per series, as an SVG string.

    `max_value` extends the axis (e.g. to 100 for percentages); data beyond it extends it further.
    `empty_text` is shown when there are no rows (pass it translated).
    """
    if not series:
        raise ValueError(f"chart {title!r} has no series")
    for row in rows:
        if len(row.bars) != len(series):
            raise ValueError(
                f"chart {title!r}: row {row.label!r} has {len(row.bars)} bars "
                f"for {len(series)} series"
            )
    frame = _Frame.for_width(width, rtl)
    bars = [bar for row in rows for bar in row.bars]
    legend, legend_height = _legend(frame, [(s.name, s.colour) for s in series], _swatch)
    band = len(series) * BAR_HEIGHT + (len(series) - 1) * BAR_GAP + ROW_PAD
    plot = _plot_area(
        frame, [r.label for r in rows], bars, PAD + legend_height, band, max_value, lead=0.0
    )
    if rows:
        body = [*_axis(frame, plot, value_format), *_bar_rows(frame, plot, rows, series)]
    else:
        body = _empty(frame, plot, empty_text)
    return _svg(frame, _height(plot, rows), title, description, [*legend, *body])


def dumbbell_chart(
    rows: Sequence[tuple[str, Bar, Bar]],
    *,
    labels: tuple[str, str],
    title: str,
    description: str,
    rtl: bool = False,
    value_format: Callable[[float], str] = plain_number,
    max_value: float | None = None,
    width: int = 640,
    colours: tuple[str, str] = (PALETTE[0], PALETTE[1]),
    empty_text: str = "No data",
) -> str:
    """Two rounds compared per row (baseline, follow-up): two dots joined by a line, as SVG.

    A suppressed end gets no dot on the scale: a hollow marker and its display text stand in a
    column after the axis instead. Confidence intervals are not drawn here (use `bar_chart`).
    """
    for label, colour in zip(labels, colours, strict=True):
        _check_colour(label, colour)
    frame = _Frame.for_width(width, rtl)
    bars = [bar for _, *pair in rows for bar in pair]
    legend, legend_height = _legend(frame, list(zip(labels, colours, strict=True)), _dot_swatch)
    hidden = [bar for bar in bars if bar.suppressed]
    # Room for both rounds' hollow markers and texts, when anything is suppressed.
    gutter = 2 * (2 * DOT_RADIUS + 14 + _text_width(_longest(b.display for b in hidden)))
    plot = _plot_area(
        frame,
        [label for label, _, _ in rows],
        bars,
        PAD + legend_height,
        DUMBBELL_ROW,
        max_value,
        lead=_text_width(_longest(b.display for b in bars)) + 2 * DOT_RADIUS,
        trail_extra=(gutter if hidden else 0.0) + 2 * DOT_RADIUS,
    )
    if rows:
        body = [*_axis(frame, plot, value_format), *_dumbbell_rows(frame, plot, rows, colours)]
    else:
        body = _empty(frame, plot, empty_text)
    return _svg(frame, _height(plot, rows), title, description, [*legend, *body])


# --- layout ---------------------------------------------------------------------------------


def _height(plot: _Plot, rows: Sequence[object]) -> float:
    return plot.bottom + (AXIS_ROOM if rows else 0.0) + PAD


@dataclass(frozen=True)
class _Frame:
    """The drawing's width and direction; positions are measured from the leading edge."""

    width: float
    rtl: bool

    @classmethod
    def for_width(cls, width: int, rtl: bool) -> _Frame:
        if width < MIN_WIDTH:
            raise ValueError(f"chart width {width} is below the minimum of {MIN_WIDTH}")
        return cls(float(width), rtl)

    def x(self, position: float) -> float:
        """Where a position from the leading edge lands: mirrored for right-to-left charts."""
        return self.width - position if self.rtl else position

    def anchor(self, logical: str) -> str:
        """The text-anchor (which is left/right, since no text sets `direction`) for a logical
        one: `start` is the leading side, mirrored in a right-to-left chart.
        """
        if not self.rtl or logical == "middle":
            return logical
        return "end" if logical == "start" else "start"

    def span(self, start: float, end: float) -> tuple[float, float]:
        """The left x and the width of the stretch between two positions."""
        a, b = self.x(start), self.x(end)
        return min(a, b), abs(b - a)


@dataclass(frozen=True)
class _Plot:
    """Where rows and the axis go: labels end at `label_end`, zero is at `origin`, the axis
    runs `length` further to `ticks[-1]`, and anything drawn at no value starts at `gutter`.
    """

    label_end: float
    origin: float
    length: float
    gutter: float
    top: float
    row_height: float
    rows: int
    ticks: tuple[float, ...]

    @property
    def maximum(self) -> float:
        return self.ticks[-1]

    @property
    def bottom(self) -> float:
        return self.top + max(self.rows, 1) * self.row_height

    def at(self, value: float) -> float:
        return self.origin + min(value, self.maximum) / self.maximum * self.length

    def centre(self, index: int) -> float:
        return self.top + (index + 0.5) * self.row_height


def _plot_area(
    frame: _Frame,
    labels: Sequence[str],
    bars: Sequence[Bar],
    top: float,
    row_height: float,
    max_value: float | None,
    *,
    lead: float,
    trail_extra: float = 0.0,
) -> _Plot:
    label_width = min(_text_width(_longest(labels)), 0.35 * frame.width)
    label_end = PAD + max(label_width, 40.0)
    origin = label_end + LABEL_GAP + lead
    # Room after the longest bar for its value text.
    value_room = _text_width(_longest(b.display for b in bars)) + 8
    length = frame.width - PAD - value_room - trail_extra - origin
    if length < 60:
        raise ValueError(f"chart width {frame.width:g} leaves no room to draw the bars")
    # Suppressed bars have no value, so they cannot stretch the axis and betray their size.
    top_value = max([max_value or 0.0, *(bar.reach for bar in bars)])
    return _Plot(
        label_end=label_end,
        origin=origin,
        length=length,
        gutter=origin + length + value_room + 2 * DOT_RADIUS,
        top=top + 8,
        row_height=row_height,
        rows=len(labels),
        ticks=tuple(nice_ticks(top_value)),
    )


def _axis(frame: _Frame, plot: _Plot, value_format: Callable[[float], str]) -> list[str]:
    parts = []
    for tick in plot.ticks:
        x = frame.x(plot.at(tick))
        ink = AXIS_INK if tick == 0 else GRID_INK
        parts.append(_line(x, plot.top, x, plot.bottom, ink, css_class="grid"))
        parts.append(
            _text(
                x,
                plot.bottom + 16,
                value_format(tick),
                anchor="middle",
                fill=MUTED_INK,
                size=SMALL_FONT_SIZE,
                css_class="tick",
            )
        )
    return parts


# --- drawing the rows -----------------------------------------------------------------------


def _bar_rows(
    frame: _Frame, plot: _Plot, rows: Sequence[Row], series: Sequence[Series]
) -> list[str]:
    parts: list[str] = []
    for index, row in enumerate(rows):
        parts.append(_row_label(frame, plot, index, row.label))
        band_top = plot.centre(index) - (plot.row_height - ROW_PAD) / 2
        for position, (bar, kind) in enumerate(zip(row.bars, series, strict=True)):
            y = band_top + position * (BAR_HEIGHT + BAR_GAP)
            parts.extend(_bar(frame, plot, bar, kind, y))
    return parts


def _bar(frame: _Frame, plot: _Plot, bar: Bar, kind: Series, y: float) -> list[str]:
    baseline = y + BAR_HEIGHT / 2 + FONT_SIZE * 0.35
    if bar.value is None:
        return [_number(frame, plot.origin + 4, baseline, bar.display, "suppressed", MUTED_INK)]
    left, span = frame.span(plot.origin, plot.at(bar.value))
    tip = f"{kind.name}: {bar.display}"
    parts = [
        f"<rect{_attrs(x=left, y=y, width=span, height=BAR_HEIGHT, fill=kind.colour)}"
        f' class="bar"><title>{_escape(tip)}</title></rect>'
    ]
    if bar.low is not None and bar.high is not None:
        parts.append(_whisker(frame, plot, bar.low, bar.high, y + BAR_HEIGHT / 2))
    parts.append(_number(frame, plot.at(bar.reach) + 4, baseline, bar.display, "value"))
    return parts


def _whisker(frame: _Frame, plot: _Plot, low: float, high: float, y: float) -> str:
    a, b = frame.x(plot.at(low)), frame.x(plot.at(high))
    cap = BAR_HEIGHT * 0.3
    path = (
        f"M{_n(a)} {_n(y)}H{_n(b)}"
        f"M{_n(a)} {_n(y - cap)}V{_n(y + cap)}M{_n(b)} {_n(y - cap)}V{_n(y + cap)}"
    )
    return f'<path d="{path}" stroke="{INK}" stroke-width="1.5" fill="none" class="whisker"/>'


def _dumbbell_rows(
    frame: _Frame, plot: _Plot, rows: Sequence[tuple[str, Bar, Bar]], colours: tuple[str, str]
) -> list[str]:
    parts: list[str] = []
    for index, (label, *pair) in enumerate(rows):
        y = plot.centre(index)
        parts.append(_row_label(frame, plot, index, label))
        shown = [
            (bar, colour)
            for bar, colour in zip(pair, colours, strict=True)
            if bar.value is not None
        ]
        if len(shown) == 2:
            a, b = (frame.x(plot.at(bar.value or 0.0)) for bar, _ in shown)
            parts.append(_line(a, y, b, y, AXIS_INK, css_class="connector", weight=2.0))
        # The smaller end's text goes before its dot and the larger's after, so they never meet.
        ordered = sorted(shown, key=lambda item: item[0].value or 0.0)
        for rank, (bar, colour) in enumerate(ordered):
            parts.extend(_dot(frame, plot, bar, colour, y, before=rank == 0 and len(ordered) == 2))
        for round_index, (bar, colour) in enumerate(zip(pair, colours, strict=True)):
            if bar.value is None:
                parts.extend(_hidden_end(frame, plot, bar, colour, y, round_index))
    return parts


def _dot(frame: _Frame, plot: _Plot, bar: Bar, colour: str, y: float, *, before: bool) -> list[str]:
    centre = plot.at(bar.value or 0.0)
    offset = -(DOT_RADIUS + 4) if before else DOT_RADIUS + 4
    baseline = y + FONT_SIZE * 0.35
    return [
        f"<circle{_attrs(cx=frame.x(centre), cy=y, r=DOT_RADIUS, fill=colour)}"
        f' class="dot"><title>{_escape(bar.display)}</title></circle>',
        _number(
            frame,
            centre + offset,
            baseline,
            bar.display,
            "value",
            anchor="end" if before else "start",
        ),
    ]


def _hidden_end(
    frame: _Frame, plot: _Plot, bar: Bar, colour: str, y: float, round_index: int
) -> list[str]:
    """A hollow marker and the display text in the round's own slot of a column after the axis,
    at no position on it, so the slot says nothing about the value.
    """
    position = plot.gutter + round_index * (frame.width - PAD - plot.gutter) / 2
    marker = _attrs(cx=frame.x(position + DOT_RADIUS), cy=y, r=DOT_RADIUS - 0.75, stroke=colour)
    return [
        f'<circle{marker} fill="{BACKGROUND}" stroke-width="1.5" class="dot-suppressed"/>',
        _number(
            frame,
            position + 2 * DOT_RADIUS + 4,
            y + FONT_SIZE * 0.35,
            bar.display,
            "suppressed",
            MUTED_INK,
        ),
    ]


def _row_label(frame: _Frame, plot: _Plot, index: int, label: str) -> str:
    text = _fit(label, plot.label_end - PAD)
    full = label if text != label else None
    return _words(
        frame,
        plot.label_end,
        plot.centre(index) + FONT_SIZE * 0.35,
        text,
        anchor="end",
        css_class="label",
        full=full,
    )


def _empty(frame: _Frame, plot: _Plot, empty_text: str) -> list[str]:
    y = plot.top + plot.row_height / 2 + FONT_SIZE * 0.35
    return [
        _text(
            frame.width / 2,
            y,
            empty_text,
            anchor="middle",
            fill=MUTED_INK,
            css_class="empty",
            rtl_text=frame.rtl,
        )
    ]


# --- legend ---------------------------------------------------------------------------------


def _swatch(frame: _Frame, position: float, y: float, colour: str) -> str:
    left, _ = frame.span(position, position + 12)
    return (
        f'<rect{_attrs(x=left, y=y - 10, width=12, height=12, fill=colour)} class="legend-swatch"/>'
    )


def _dot_swatch(frame: _Frame, position: float, y: float, colour: str) -> str:
    return f'<circle{_attrs(cx=frame.x(position + 6), cy=y - 4, r=DOT_RADIUS, fill=colour)} class="legend-swatch"/>'


def _legend(
    frame: _Frame,
    entries: Sequence[tuple[str, str]],
    marker: Callable[[_Frame, float, float, str], str],
) -> tuple[list[str], float]:
    """Markers and names from the leading edge, wrapping onto new lines; returns parts, height."""
    parts: list[str] = []
    position, line = PAD, 0
    room = frame.width - 2 * PAD - 18
    for name, colour in entries:
        text = _fit(name, room)
        item = 18 + _text_width(text) + 16
        if position > PAD and position + item > frame.width - PAD:
            position, line = PAD, line + 1
        y = PAD + 12 + line * LEGEND_LINE
        parts.append(marker(frame, position, y, colour))
        parts.append(
            _words(
                frame,
                position + 18,
                y,
                text,
                anchor="start",
                css_class="legend",
                full=name if text != name else None,
            )
        )
        position += item
    return parts, (line + 1) * LEGEND_LINE


# --- SVG text -------------------------------------------------------------------------------


def _svg(frame: _Frame, height: float, title: str, description: str, parts: list[str]) -> str:
    content = f"{title}\0{description}\0{parts}".encode(errors="replace")
    digest = hashlib.blake2s(content, digest_size=5)
    key = f"chart-{digest.hexdigest()}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(frame.width)} {_n(height)}"'
        f' width="100%" role="img" aria-labelledby="{key}-title {key}-desc"'
        f" font-family={quoteattr(FONT_FAMILY)}"
        ">"
    )
    return "\n".join(
        [
            head,
            f'<title id="{key}-title">{_escape(title)}</title>',
            f'<desc id="{key}-desc">{_escape(description)}</desc>',
            f'<rect width="{_n(frame.width)}" height="{_n(height)}" fill="{BACKGROUND}"/>',
            *parts,
            "</svg>",
        ]
    )


def _words(
    frame: _Frame,
    position: float,
    y: float,
    text: str,
    *,
    anchor: str,
    css_class: str,
    full: str | None,
) -> str:
    """People's words (labels, names), set right to left in a right-to-left chart."""
    return _text(
        frame.x(position),
        y,
        text,
        anchor=frame.anchor(anchor),
        css_class=css_class,
        full=full,
        rtl_text=frame.rtl,
    )


def _number(
    frame: _Frame,
    position: float,
    y: float,
    text: str,
    css_class: str,
    fill: str = INK,
    *,
    anchor: str = "start",
) -> str:
    """Figures ("12", "<5") read left to right in Arabic too, so they stay left to right."""
    return _text(
        frame.x(position), y, text, anchor=frame.anchor(anchor), fill=fill, css_class=css_class
    )


def _text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str,
    fill: str = INK,
    size: float = FONT_SIZE,
    css_class: str,
    full: str | None = None,
    rtl_text: bool = False,
) -> str:
    attributes = _attrs(x=x, y=y, fill=fill)
    attributes += f' font-family="{FONT_FAMILY}" font-size="{_n(size)}" text-anchor="{anchor}"'
    words = _escape(_ARABIC_MARKS.sub("", content))
    if rtl_text:
        # A right-to-left isolate, not direction="rtl": WeasyPrint ignores `direction` and takes
        # text-anchor literally while browsers measure it from the right, so that attribute would
        # put labels in different places on the page and in the PDF. The isolate orders mixed
        # text ("نظم GIS", a trailing "…") the same everywhere, with anchors that mean left/right.
        words = f"{RLI}{words}{PDI}"
    tip = f"<title>{_escape(full)}</title>" if full else ""
    # The tooltip comes after the words: WeasyPrint draws only a <text>'s leading characters.
    return f'<text{attributes} class="{css_class}">{words}{tip}</text>'


def _line(
    x1: float, y1: float, x2: float, y2: float, ink: str, *, css_class: str, weight: float = 1.0
) -> str:
    return f'<line{_attrs(x1=x1, y1=y1, x2=x2, y2=y2, stroke=ink)} stroke-width="{_n(weight)}" class="{css_class}"/>'


def _attrs(**values: float | str) -> str:
    return "".join(
        f" {name}={quoteattr(value if isinstance(value, str) else _n(value))}"
        for name, value in values.items()
    )


def _escape(text: str) -> str:
    # A bare carriage return would reach the reader as a line feed: keep it as a reference.
    return escape(_NOT_XML.sub("", text), {"\r": "&#13;"})


def _n(number: float) -> str:
    return f"{number:.2f}".rstrip("0").rstrip(".")


def _text_width(text: str, size: float = FONT_SIZE) -> float:
    return len(text) * size * CHAR_EM


def _longest(texts: Iterable[str]) -> str:
    return max(texts, key=len, default="")


def _fit(text: str, room: float) -> str:
    """The text, or as much of it as fits in `room` followed by an ellipsis."""
    text = _NOT_XML.sub("", text)
    if _text_width(text) <= room:
        return text
    keep = max(1, int(room / (FONT_SIZE * CHAR_EM)) - 1)
    return text[:keep].rstrip() + "…"
