"""SVG charts for the scoping report: valid, escaped, mirrored for Arabic, and never drawing a
suppressed value.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datacircle.core.charts import (
    BACKGROUND,
    INK,
    MUTED_INK,
    PALETTE,
    PDI,
    RLI,
    Bar,
    Row,
    Series,
    bar_chart,
    dumbbell_chart,
    nice_ticks,
)

SVG = "{http://www.w3.org/2000/svg}"
LEARN = Series("Want to learn", PALETTE[0])
SHARE = Series("Can share", PALETTE[1])
OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}


def count(value: float | None, low: float | None = None, high: float | None = None) -> Bar:
    return Bar(value, "<5" if value is None else f"{value:g}", low, high)


def skills_chart(**options) -> str:
    rows = [
        Row("Data literacy", (count(42, 33, 51), count(7))),
        Row("Cleaning", (count(31), count(None))),
        Row("Visualisation", (count(None), count(18))),
    ]
    return bar_chart(
        rows, [LEARN, SHARE], title="Skills", description="Wanted and offered", **options
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it


def found(root: ET.Element, tag: str, css_class: str) -> list[ET.Element]:
    return [e for e in root.iter(SVG + tag) if e.get("class") == css_class]


def words(element: ET.Element) -> str:
    """The words drawn, without the right-to-left isolate that wraps them in an RTL chart."""
    text = element.text or ""
    if text.startswith(RLI) and text.endswith(PDI):
        return text[1:-1]
    return text


def texts(root: ET.Element, css_class: str) -> list[str]:
    return [words(e) for e in found(root, "text", css_class)]


def right_edge(rect: ET.Element) -> float:
    return float(rect.get("x")) + float(rect.get("width"))


# --- the bar chart ----------------------------------------------------------------------------


def test_the_svg_is_valid_xml_labelled_for_screen_readers_and_scales_with_the_page():
    root = parse(skills_chart())
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("height") is None
    assert len(root.get("viewBox").split()) == 4
    title_id, desc_id = root.get("aria-labelledby").split()
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    assert by_id[title_id].tag == SVG + "title" and by_id[title_id].text == "Skills"
    assert by_id[desc_id].tag == SVG + "desc" and by_id[desc_id].text == "Wanted and offered"


def test_two_charts_on_one_page_do_not_share_ids():
    first = parse(bar_chart([], [LEARN], title="Round 1", description="d"))
    second = parse(bar_chart([], [LEARN], title="Round 2", description="d"))
    assert first.get("aria-labelledby") != second.get("aria-labelledby")


def test_one_bar_per_shown_value_with_lengths_in_proportion():
    root = parse(skills_chart())
    bars = found(root, "rect", "bar")
    assert len(bars) == 4  # six values, two of them suppressed
    widths = {b.find(SVG + "title").text: float(b.get("width")) for b in bars}
    assert widths["Want to learn: 42"] / widths["Can share: 7"] == pytest.approx(6, rel=0.01)
    assert {b.get("fill") for b in bars} == {LEARN.colour, SHARE.colour}


def test_a_suppressed_value_shows_only_its_display_text():
    svg = skills_chart()
    root = parse(svg)
    assert texts(root, "suppressed") == ["<5", "<5"]
    tips = [b.find(SVG + "title").text for b in found(root, "rect", "bar")]
    assert "Can share: <5" not in tips and "Want to learn: <5" not in tips
    assert "&lt;5" in svg


def test_every_figure_is_written_at_its_bar_end():
    root = parse(skills_chart())
    assert sorted(texts(root, "value")) == sorted(["42", "7", "31", "18"])


def test_whiskers_only_where_an_interval_is_given_and_the_value_text_clears_them():
    root = parse(skills_chart())
    whiskers = found(root, "path", "whisker")
    assert len(whiskers) == 1
    first_bar = found(root, "rect", "bar")[0]
    value_text = found(root, "text", "value")[0]
    # The interval reaches 51, beyond the bar's 42, and the text sits past its end.
    zero = float(first_bar.get("x"))
    whisker_end = zero + (right_edge(first_bar) - zero) * 51 / 42
    assert float(value_text.get("x")) > whisker_end


def test_no_whiskers_at_all_without_intervals():
    rows = [Row("Cleaning", (count(31), count(12)))]
    assert not found(
        parse(bar_chart(rows, [LEARN, SHARE], title="t", description="d")), "path", "whisker"
    )


def test_the_axis_has_nice_ticks_with_gridlines_and_uses_the_value_format():
    root = parse(skills_chart(value_format=lambda v: f"{v:g} people"))
    assert texts(root, "tick") == ["0 people", "20 people", "40 people", "60 people"]
    assert len(found(root, "line", "grid")) == 4


def test_max_value_extends_the_axis_but_never_hides_a_longer_bar():
    to_100 = parse(skills_chart(max_value=100))
    assert texts(to_100, "tick")[-1] == "100"
    to_10 = parse(skills_chart(max_value=10))
    assert texts(to_10, "tick")[-1] == "60"


def test_the_legend_names_each_series_with_its_colour():
    root = parse(skills_chart())
    assert texts(root, "legend") == ["Want to learn", "Can share"]
    assert [s.get("fill") for s in found(root, "rect", "legend-swatch")] == [PALETTE[0], PALETTE[1]]


def test_many_series_wrap_the_legend_onto_more_lines():
    series = [Series(f"A rather long series name {i}", PALETTE[i]) for i in range(6)]
    root = parse(bar_chart([], series, title="t", description="d"))
    lines = {e.get("y") for e in found(root, "text", "legend")}
    assert len(lines) > 1
    for text in found(root, "text", "legend"):
        assert 0 <= float(text.get("x")) <= 640


def test_the_chart_grows_taller_with_each_row():
    def height(rows: int) -> float:
        data = [Row(f"skill {i}", (count(i + 5), count(3 + i))) for i in range(rows)]
        svg = bar_chart(data, [LEARN, SHARE], title="t", description="d")
        return float(parse(svg).get("viewBox").split()[3])

    assert height(1) < height(2) < height(10)
    assert height(10) - height(9) == pytest.approx(height(3) - height(2))


def test_a_long_label_is_cut_with_an_ellipsis_and_kept_whole_in_a_tooltip():
    label = "Information products and reports for donors and partners in the field"
    root = parse(bar_chart([Row(label, (count(12),))], [LEARN], title="t", description="d"))
    (text,) = found(root, "text", "label")
    assert words(text).endswith("…") and len(words(text)) < len(label)
    assert label.startswith(words(text)[:-1])
    assert text.find(SVG + "title").text == label


def test_a_short_label_has_no_tooltip():
    root = parse(bar_chart([Row("GIS", (count(12),))], [LEARN], title="t", description="d"))
    (text,) = found(root, "text", "label")
    assert words(text) == "GIS" and text.find(SVG + "title") is None


def test_labels_names_and_titles_are_escaped():
    evil = '<script>alert("x")</script> & co'
    svg = bar_chart(
        [Row(evil, (count(3),))], [Series(evil, PALETTE[0])], title=evil, description=evil
    )
    root = parse(svg)
    assert not list(root.iter(SVG + "script")) and not list(root.iter("script"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert found(root, "text", "label")[0].find(SVG + "title").text == evil
    assert texts(root, "legend") == [evil]
    assert root.find(SVG + "title").text == evil


def test_no_styles_scripts_or_outside_resources_for_weasyprint_and_print():
    svg = skills_chart(rtl=True)
    for forbidden in ("<style", "style=", "var(", "href", "url(", "@import", "<script", "<image"):
        assert forbidden not in svg
    for text in parse(svg).iter(SVG + "text"):
        assert text.get("font-family") == "DejaVu Sans, Arial, sans-serif"
        assert text.get("fill") in {INK, MUTED_INK}


def test_arabic_words_are_drawn_without_vowel_marks_weasyprint_cannot_place():
    # WeasyPrint sets SVG text letter by letter: a shadda would print as a dotted circle.
    wanted = Series("يرغبون في التعلّم", PALETTE[0])
    root = parse(
        bar_chart([Row("البيانات", (count(3),))], [wanted], title="t", description="d", rtl=True)
    )
    assert texts(root, "legend") == ["يرغبون في التعلم"]
    assert texts(root, "label") == ["البيانات"]


def test_zero_rows_give_a_valid_chart_saying_there_is_no_data():
    root = parse(bar_chart([], [LEARN, SHARE], title="t", description="d"))
    assert texts(root, "empty") == ["No data"]
    assert not found(root, "rect", "bar") and not found(root, "text", "tick")
    translated = parse(
        bar_chart([], [LEARN], title="t", description="d", empty_text="Aucune donnée")
    )
    assert texts(translated, "empty") == ["Aucune donnée"]


def test_all_zero_values_still_give_an_axis():
    root = parse(bar_chart([Row("GIS", (count(0),))], [LEARN], title="t", description="d"))
    assert texts(root, "tick") == ["0", "1", "2", "3", "4"]
    assert float(found(root, "rect", "bar")[0].get("width")) == 0


def test_a_row_needs_one_bar_per_series():
    with pytest.raises(ValueError, match=r"row 'GIS' has 1 bars for 2 series"):
        bar_chart([Row("GIS", (count(3),))], [LEARN, SHARE], title="t", description="d")


def test_a_chart_too_narrow_to_draw_is_refused():
    with pytest.raises(ValueError, match="minimum"):
        skills_chart(width=100)


@pytest.mark.parametrize(
    ("bar", "message"),
    [
        (lambda: Bar(None, "<5", 1, 9), "cannot carry a confidence interval"),
        (lambda: Bar(-1, "-1"), "not a number ≥ 0"),
        (lambda: Bar(math.nan, "nan"), "not a number ≥ 0"),
        (lambda: Bar(5, "5", low=2), "both low and high"),
        (lambda: Bar(5, "5", 7, 3), "low 7 is above high 3"),
        (lambda: Series("Learn", "blue"), "not a hex colour"),
    ],
)
def test_impossible_inputs_are_refused_with_a_reason(bar, message):
    with pytest.raises(ValueError, match=message):
        bar()


# --- right to left ----------------------------------------------------------------------------


def test_rtl_mirrors_the_chart_so_the_first_bar_grows_from_the_right():
    ltr, rtl = parse(skills_chart()), parse(skills_chart(rtl=True))
    width = float(rtl.get("viewBox").split()[2])
    first_ltr, first_rtl = found(ltr, "rect", "bar")[0], found(rtl, "rect", "bar")[0]
    assert right_edge(first_rtl) == pytest.approx(width - float(first_ltr.get("x")))
    assert float(first_rtl.get("x")) == pytest.approx(width - right_edge(first_ltr))
    assert float(first_rtl.get("x")) > float(first_ltr.get("x"))
    # Labels sit right of the bars, reading from the axis outwards.
    label = found(rtl, "text", "label")[0]
    assert float(label.get("x")) >= right_edge(first_rtl)
    assert label.get("text-anchor") == "start"
    assert found(ltr, "text", "label")[0].get("text-anchor") == "end"


def test_rtl_figures_sit_left_of_their_bars_anchored_at_their_right():
    rtl = parse(skills_chart(rtl=True))
    first_bar, first_value = found(rtl, "rect", "bar")[0], found(rtl, "text", "value")[0]
    assert first_value.get("text-anchor") == "end"
    assert float(first_value.get("x")) < float(first_bar.get("x"))
    assert first_value.text == "42"  # figures keep their own left-to-right order


def test_arabic_labels_are_set_right_to_left_and_survive_unchanged():
    label = "نظم المعلومات الجغرافية GIS"
    root = parse(
        bar_chart([Row(label, (count(4),))], [LEARN], title="t", description="d", rtl=True)
    )
    (text,) = found(root, "text", "label")
    # An isolate keeps "GIS" at the end of the Arabic, in browsers and in WeasyPrint alike.
    assert text.text == f"{RLI}{label}{PDI}"


def test_the_chart_renders_into_a_pdf_with_weasyprint():
    weasyprint = pytest.importorskip("weasyprint")
    html = f"<html><body>{skills_chart()}{skills_chart(rtl=True)}</body></html>"
    pdf = weasyprint.HTML(string=html).write_pdf()
    assert pdf.startswith(b"%PDF")


# --- the dumbbell chart ---------------------------------------------------------------------


def rounds_chart(rows, **options) -> str:
    return dumbbell_chart(
        rows, labels=("Baseline", "Follow-up"), title="Change", description="d", **options
    )


def test_two_rounds_are_two_dots_joined_by_a_line_in_their_colours():
    root = parse(rounds_chart([("Cleaning", count(10), count(22)), ("GIS", count(30), count(18))]))
    dots = found(root, "circle", "dot")
    assert len(dots) == 4 and len(found(root, "line", "connector")) == 2
    assert [d.get("fill") for d in dots[:2]] == [PALETTE[0], PALETTE[1]]
    assert texts(root, "legend") == ["Baseline", "Follow-up"]
    assert sorted(texts(root, "value")) == ["10", "18", "22", "30"]


def test_the_larger_value_lies_further_from_the_axis_start_in_both_directions():
    rows = [("Cleaning", count(10), count(22))]
    ltr = [float(d.get("cx")) for d in found(parse(rounds_chart(rows)), "circle", "dot")]
    rtl = [float(d.get("cx")) for d in found(parse(rounds_chart(rows, rtl=True)), "circle", "dot")]
    assert ltr[0] < ltr[1]
    assert rtl[0] > rtl[1]
    assert rtl == pytest.approx([640 - x for x in ltr])


def test_a_suppressed_end_is_a_hollow_marker_at_no_position_with_its_text():
    def hollow(other: float) -> list[ET.Element]:
        svg = rounds_chart([("Cleaning", count(None), count(other)), ("GIS", count(3), count(60))])
        return found(parse(svg), "circle", "dot-suppressed")

    (marker,) = hollow(10)
    assert marker.get("fill") == BACKGROUND and marker.get("stroke") == PALETTE[0]
    # Wherever the other end lies, the marker stays put: its place says nothing.
    assert hollow(55)[0].get("cx") == marker.get("cx")
    root = parse(rounds_chart([("Cleaning", count(None), count(10))]))
    assert len(found(root, "circle", "dot")) == 1
    assert not found(root, "line", "connector")
    assert texts(root, "suppressed") == ["<5"]


def test_both_ends_suppressed_draw_no_dot_and_keep_each_round_in_its_own_slot():
    root = parse(rounds_chart([("GIS", count(None), count(None)), ("Data", count(None), count(4))]))
    assert [d.get("fill") for d in found(root, "circle", "dot")] == [PALETTE[1]]  # the 4
    markers = found(root, "circle", "dot-suppressed")
    assert [m.get("stroke") for m in markers] == [PALETTE[0], PALETTE[1], PALETTE[0]]
    assert markers[0].get("cx") == markers[2].get("cx") != markers[1].get("cx")


def test_a_dumbbell_with_no_rows_says_there_is_no_data():
    root = parse(rounds_chart([], empty_text="لا توجد بيانات", rtl=True))
    assert texts(root, "empty") == ["لا توجد بيانات"]


# --- palette ----------------------------------------------------------------------------------


def contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_text_is_readable_and_the_first_series_colours_stand_out_from_the_background():
    assert contrast(INK, BACKGROUND) >= 4.5
    assert contrast(MUTED_INK, BACKGROUND) >= 4.5
    for colour in PALETTE[:4]:
        assert contrast(colour, BACKGROUND) >= 3.0  # WCAG 1.4.11, graphical objects


def test_the_palette_is_okabe_ito_without_the_yellow_lost_on_white():
    assert set(PALETTE) <= OKABE_ITO and len(set(PALETTE)) == len(PALETTE)
    assert "#F0E442" not in PALETTE


# --- properties -------------------------------------------------------------------------------


def is_nice(step: float) -> bool:
    mantissa = Decimal(repr(step)).normalize()
    exponent = mantissa.adjusted()
    return mantissa.scaleb(-exponent) in {Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)}


@given(
    maximum=st.floats(min_value=1e-6, max_value=1e12, allow_nan=False),
    count=st.integers(min_value=3, max_value=8),
)
def test_nice_ticks_start_at_zero_cover_the_maximum_in_even_nice_steps(maximum, count):
    ticks = nice_ticks(maximum, count)
    assert ticks[0] == 0
    assert ticks[-1] >= maximum * (1 - 1e-9)
    assert (count - 1) // 2 + 2 <= len(ticks) <= count
    step = ticks[1] - ticks[0]
    assert all(
        b - a == pytest.approx(step, rel=1e-9) for a, b in zip(ticks, ticks[1:], strict=False)
    )
    assert is_nice(ticks[1])
    # Not needlessly long: one step less would not reach the maximum.
    assert ticks[-2] < maximum


def test_nice_ticks_by_example():
    assert nice_ticks(42) == [0, 20, 40, 60]
    assert nice_ticks(100) == [0, 25, 50, 75, 100]
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(0.3) == [0, 0.1, 0.2, 0.3]
    assert nice_ticks(0) == [0, 1, 2, 3, 4]
    # 0.07 / 0.01 is 7.000000000000001 in floating point: still seven steps, and round ticks.
    assert nice_ticks(0.07, count=8) == [0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07]


@pytest.mark.parametrize(("maximum", "count"), [(math.nan, 5), (math.inf, 5), (10, 1)])
def test_nice_ticks_refuses_what_has_no_axis(maximum, count):
    with pytest.raises(ValueError):
        nice_ticks(maximum, count)


@settings(max_examples=60)
@given(
    label=st.text(max_size=80),
    title=st.text(max_size=40),
    values=st.lists(st.none() | st.integers(0, 10_000), min_size=1, max_size=3),
    rtl=st.booleans(),
)
def test_any_text_and_values_give_valid_svg_that_keeps_the_words(label, title, values, rtl):
    series = [Series(f"series {i}", PALETTE[i]) for i in range(len(values))]
    row = Row(label, tuple(count(v) for v in values))
    svg = bar_chart([row], series, title=title, description="d", rtl=rtl)
    root = parse(svg)
    (text,) = found(root, "text", "label")
    tooltip = text.find(SVG + "title")
    shown = words(text) if tooltip is None else tooltip.text
    # Only the characters XML 1.0 cannot carry at all are dropped.
    xml_safe = "".join(c for c in label if c in "\t\n\r" or (c >= " " and c not in "\ufffe\uffff"))
    assert (shown or "") == xml_safe
    assert len(found(root, "rect", "bar")) == sum(v is not None for v in values)
    assert len(found(root, "text", "suppressed")) == sum(v is None for v in values)
