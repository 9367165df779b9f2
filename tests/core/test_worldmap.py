"""The world map: geometry from the packaged outlines, shading, tooltips and legend."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from datacircle.core import worldmap

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 (our own output)


def fills(svg: str) -> dict[str, str]:
    return {
        element.get("data-country"): element.get("fill")
        for element in parse(svg).iter(f"{SVG}path")
        if element.get("data-country")
    }


def test_every_country_of_the_package_is_on_the_map_but_antarctica():
    countries = worldmap.geometry().countries
    for code in ("KE", "SN", "LB", "CO", "PH", "BD", "ES", "CH", "SS", "XK", "SG", "MT"):
        assert code in countries, code
    assert "AQ" not in countries
    assert len(countries) > 240


def test_small_island_states_keep_a_position_for_their_dot():
    singapore = worldmap.geometry().countries["SG"]
    malaysia = worldmap.geometry().countries["MY"]
    # Singapore lies just south of peninsular Malaysia on the map.
    assert abs(singapore.centre[0] - malaysia.centre[0]) < 60
    assert singapore.area < worldmap.SMALL_AREA < malaysia.area


def test_rings_follow_relative_and_absolute_commands():
    (ring,) = worldmap.rings("m 10,10 5,0 0,5 h -5 z")
    assert ring == [(10, 10), (15, 10), (15, 15), (10, 15)]
    (ring,) = worldmap.rings("M 10 10 L 20 10 V 20 H 10 Z")
    assert ring == [(10, 10), (20, 10), (20, 20), (10, 20)]
    first, second = worldmap.rings("m 0,0 c 1,1 2,2 4,0 l 0,4 z m 10,10 l 1,0 0,1 z")
    assert first == [(0, 0), (4, 0), (4, 4)]
    assert second == [(10, 10), (11, 10), (11, 11)]  # z went back to (0, 0) first


def test_a_single_curve_island_keeps_its_shape_through_control_points():
    (plain,) = worldmap.rings("m 0,0 c 3,-3 6,3 0,0")
    (detailed,) = worldmap.rings("m 0,0 c 3,-3 6,3 0,0", controls=True)
    assert plain == [(0, 0), (0, 0)]
    assert detailed == [(0, 0), (3, -3), (6, 3), (0, 0)]


@pytest.mark.parametrize("data", ["10 10 l 1 1", "m 1 2 c 1 2 3"])
def test_broken_path_data_is_an_error(data):
    with pytest.raises(ValueError):
        list(worldmap.rings(data))


def test_countries_with_deliveries_are_shaded_darker_for_more():
    svg = worldmap.choropleth({"KE": 40, "SN": 3, "co": 12}, title="Deliveries")
    shades = fills(svg)
    assert shades["FR"] == worldmap.NONE_COLOUR
    assert {shades["KE"], shades["SN"], shades["CO"]} <= set(worldmap.PALETTE)
    order = worldmap.PALETTE.index
    assert order(shades["SN"]) < order(shades["CO"]) < order(shades["KE"])


def test_tooltips_name_the_country_and_escape_text():
    svg = worldmap.choropleth(
        {"KE": 2},
        title="Reach <map>",
        labels={"KE": "Kenya", "FR": "France & Co"},
        notes={"KE": "2 deliveries, <5 people"},
    )
    root = parse(svg)  # well-formed despite the markup-like text
    assert root.find(f"{SVG}title").text == "Reach <map>"
    titles = {
        element.get("data-country"): element.find(f"{SVG}title").text
        for element in root.iter(f"{SVG}path")
    }
    assert titles["KE"] == "Kenya: 2 deliveries, <5 people"
    assert titles["FR"] == "France & Co"
    assert root.get("role") == "img"


def test_small_countries_with_deliveries_get_a_dot_others_not():
    svg = worldmap.choropleth({"SG": 1, "MT": 0, "KE": 1}, title="t")
    dots = {c.get("data-country") for c in parse(svg).iter(f"{SVG}circle")}
    assert "SG" in dots
    assert "MT" not in dots
    assert "KE" not in dots


def test_codes_not_on_the_map_are_said_not_dropped_silently():
    svg = worldmap.choropleth({"ZZ": 3, "KE": 1}, title="t")
    assert "Not on the map: ZZ" in parse(svg).find(f"{SVG}desc").text


def test_legend_reads_from_the_right_in_right_to_left_pages():
    ltr = parse(worldmap.choropleth({"KE": 3}, title="t", legend_title="Deliveries"))
    rtl = parse(worldmap.choropleth({"KE": 3}, title="t", legend_title="Deliveries", rtl=True))
    legend = f"{SVG}g[@class='legend']"
    assert ltr.find(legend).get("text-anchor") == "start"
    assert rtl.find(legend).get("text-anchor") == "end"
    first_ltr = float(ltr.find(legend).findall(f"{SVG}rect")[0].get("x"))
    first_rtl = float(rtl.find(legend).findall(f"{SVG}rect")[0].get("x"))
    assert first_rtl > first_ltr
    # Geography is never mirrored.
    assert fills(worldmap.choropleth({"KE": 3}, title="t", rtl=True)) == fills(
        worldmap.choropleth({"KE": 3}, title="t")
    )


def test_the_map_is_small_enough_for_a_slow_connection():
    svg = worldmap.choropleth({code: 1 for code in ("KE", "SN", "LB")}, title="t")
    assert len(svg.encode()) < 100_000  # the package's own file is over a megabyte


@given(st.dictionaries(st.sampled_from(["KE", "SN", "LB", "CO"]), st.integers(0, 10_000)))
def test_bands_cover_every_positive_count_once(values):
    bands = worldmap.bands(values)
    assert len(bands) <= len(worldmap.PALETTE)
    for low, high in zip(bands, bands[1:], strict=False):
        assert low.high + 1 == high.low
        assert worldmap.PALETTE.index(low.colour) < worldmap.PALETTE.index(high.colour)
    for value in values.values():
        matching = [band for band in bands if band.low <= value <= band.high]
        assert len(matching) == (1 if value > 0 else 0)
