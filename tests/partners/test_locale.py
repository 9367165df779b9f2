"""A partner's dates read as the reader's language writes them."""

from __future__ import annotations

from datetime import date

from django.urls import reverse


def test_a_spanish_reader_sees_a_spanish_date(network, partners, login):
    savannah = partners["savannah"]
    savannah.agreement_signed_on = date(2026, 12, 5)
    savannah.save()
    reader = network["kenyan_coordinator"]
    reader.languages = ["es"]
    reader.save()
    page = login(reader).get(reverse("partner", args=[savannah.pk])).content.decode()
    assert "5 de diciembre de 2026" in page
    assert "5 diciembre 2026" not in page
