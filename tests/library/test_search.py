"""Finding modules: words in any field, accents and case ignored, skills by their names in any
language, filters, and the help desk's suggestions."""

from __future__ import annotations

import re

from django.urls import reverse


def titles(page) -> list[str]:
    return re.findall(r'<h3><a href="/library/\d+/"[^>]*>([^<]+)</a>', page.content.decode())


def test_words_find_modules_best_first(starter, network, login):
    client = login(network["kenyan"])
    found = titles(client.get(reverse("area-library"), {"q": "pivot"}))
    assert found[0] == "Pivot tables in 45 minutes"
    # Case, accents and word starts do not matter; every word must appear.
    assert "Designing with data protection guidance" in titles(
        client.get(reverse("area-library"), {"q": "PROTÉCT guid"})
    )
    assert titles(client.get(reverse("area-library"), {"q": "pivot zebra"})) == []


def test_a_skill_is_found_by_its_name_in_another_language(starter, network, login):
    found = titles(login(network["kenyan"]).get(reverse("area-library"), {"q": "cartographie"}))
    assert "Reading a map of needs" in found


def test_filters_combine_with_search(starter, network, login):
    client = login(network["kenyan"])
    french = titles(client.get(reverse("area-library"), {"language": "fr"}))
    assert french == ["Les questions à poser avant de créer un produit d&#x27;information"]
    short = titles(client.get(reverse("area-library"), {"minutes": "30"}))
    assert short == ["One chart, one message (30-minute version)"]
    laptops = titles(client.get(reverse("area-library"), {"q": "spreadsheet", "unplugged": "1"}))
    assert "Spreadsheet habits that save hours" not in laptops
    gis = titles(client.get(reverse("area-library"), {"skill": "gis"}))
    assert gis == ["Reading a map of needs"]


def test_the_help_desk_suggests_modules_while_typing(starter, network, login):
    client = login(network["kenyan"])
    response = client.get(reverse("helpdesk-suggestions"), {"q": "pivot table", "format": "json"})
    assert any("Pivot tables" in s["title"] for s in response.json()["suggestions"])


def test_the_index_follows_edits_and_deletions(starter, network, login):
    from dataclasses import replace

    from datacircle.library import services
    from datacircle.library.models import Module

    client = login(network["kenyan"])
    module = Module.objects.get(organisation__isnull=True, slug="pivot-tables-in-45-minutes")
    services.save_working_copy(module, replace(services.parsed(module), title="Zanzibar tables"))
    assert titles(client.get(reverse("area-library"), {"q": "zanzibar"})) == ["Zanzibar tables"]
    module.delete()
    assert titles(client.get(reverse("area-library"), {"q": "zanzibar"})) == []
