"""Figures on the results page read with the reader's decimal separator; the chart's
coordinates and the links' values stay machine numbers."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.maturity.test_results import answered  # noqa: F401 (a fixture)


def test_a_french_reader_sees_decimal_commas_and_the_chart_keeps_dots(
    network,
    login,
    answered,  # noqa: F811
):
    reader = network["kenyan_coordinator"]
    reader.languages = ["fr"]
    reader.save()
    html = login(reader).get(reverse("maturity-results", args=[answered.pk])).content.decode()
    assert '<html lang="fr"' in html
    for figure in ("3,0", "2,7", "1,0–4,0 (σ 1,25)"):
        assert figure in html
    assert "2.7<" not in html and "Data: 2,7" in html  # the points' titles too
    points = re.findall(r'<polygon[^>]* points="([^"]+)"', html)
    assert points
    for value in points:
        assert re.fullmatch(r"-?[\d.]+,-?[\d.]+( -?[\d.]+,-?[\d.]+)*", value), value


def test_the_radar_description_separates_as_arabic_does(
    network,
    login,
    answered,  # noqa: F811
):
    reader = network["kenyan_coordinator"]
    reader.languages = ["ar"]
    reader.save()
    html = login(reader).get(reverse("maturity-results", args=[answered.pk])).content.decode()
    (description,) = re.findall(r"<desc[^>]*>(.*?)</desc>", html, re.S)
    assert "، " in description and "؛ " in description
    assert ", " not in description and "; " not in description
