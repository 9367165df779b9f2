"""People's languages by name, in the reader's language, listed as that language does."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("reader_language", "shown"),
    [
        ("en", "English, French"),
        ("fr", "anglais, français"),
        ("es", "inglés, francés"),
        ("ar", "الإنجليزية، الفرنسية"),
    ],
)
def test_languages_are_named_in_the_readers_language(network, login, reader_language, shown):
    reader = network["kenyan_coordinator"]
    reader.languages = [reader_language]
    reader.save()
    colleague = network["kenyan_nologin"]
    colleague.languages = ["en", "fr"]
    colleague.save()
    client = login(reader)
    person = client.get(reverse("person", args=[colleague.pk])).content.decode()
    people = client.get(reverse("people")).content.decode()
    for page in (person, people):
        assert shown in page
        assert "en, fr" not in page
