"""The words our scripts show come from a JavaScript catalogue served by Data Circle itself, one
address per language, loaded with <script src> before the scripts that use it."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse


def catalogue(client, language: str, **headers):
    return client.get(reverse("javascript-catalogue", args=[language]), headers=headers)


def written(text: str) -> str:
    """A string as the catalogue writes it (JSON, non-ASCII letters escaped)."""
    return json.dumps(text)[1:-1]


def test_the_catalogue_holds_our_scripts_words_in_the_language_of_its_address(client):
    response = catalogue(client, "fr", accept_language="es")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Content-Language"] == "fr"
    text = response.content.decode()
    assert written("Vérification…") in text  # the library editor's live check
    assert written("Les suggestions de la FAQ ne sont pas disponibles") in text  # the help desk
    assert written("Revisando…") not in text  # the address, not the browser, chooses
    # Only our apps' catalogues: not the admin's calendar and date picker strings.
    assert "Calendar" not in text and "janvier" not in text


def test_arabic_counts_with_six_plural_forms(client):
    text = catalogue(client, "ar").content.decode()
    assert "n%100>=11 && n%100<=99 ? 4 : 5" in text
    forms = re.search(r'"%\(count\)s design finding to consider\.": \[(.*?)\]', text, re.S)
    assert forms and forms.group(1).count('"') == 12


def test_english_needs_no_catalogue_and_unknown_languages_are_not_found(client):
    english = catalogue(client, "en")
    assert english.status_code == 200
    assert "django.gettext" in english.content.decode()
    assert catalogue(client, "xx").status_code == 404


def test_browsers_keep_the_catalogue_and_ask_again_with_if_modified_since(client):
    first = catalogue(client, "es")
    assert "public" in first["Cache-Control"] and "max-age=86400" in first["Cache-Control"]
    assert first["Last-Modified"]
    again = catalogue(client, "es", if_modified_since=first["Last-Modified"])
    assert again.status_code == 304


def test_the_catalogue_is_a_script_the_content_security_policy_allows(client):
    response = catalogue(client, "fr")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    # The plural rule is plain code in the file: nothing needs eval() ('unsafe-eval').
    assert "eval(" not in response.content.decode()


@pytest.mark.parametrize(
    ("address", "script"),
    [("library-new", "library/editor.js"), ("helpdesk-ask", "helpdesk/suggest.js")],
)
def test_pages_load_the_catalogue_of_their_language_before_their_script(
    network, login, address, script
):
    network["senegalese"].role = "facilitator"  # Awa reads French and may write modules
    network["senegalese"].save()
    page = login(network["senegalese"]).get(reverse(address)).content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts[0] == "/jsi18n/fr/"
    assert script in scripts[1]


def test_every_app_with_script_catalogues_is_served():
    from pathlib import Path

    from datacircle.web.views import SCRIPT_APPS

    package = Path(__file__).resolve().parents[2] / "src" / "datacircle"
    with_catalogues = {
        p.parents[3].name for p in package.glob("*/locale/*/LC_MESSAGES/djangojs.po")
    }
    assert set(SCRIPT_APPS) == with_catalogues
