"""Deliveries on top of the shared small network: Kenya's many and large, Senegal's one small,
one online; Kenya's own published adaptation of a starter module."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture
def library(network):
    """The starter library and Kenya's published adaptation of "One chart, one message"."""
    from datacircle.library import services
    from datacircle.library.models import Module

    services.load_starter_library()
    original = Module.objects.get(organisation__isnull=True, slug="one-chart-one-message")
    adaptation = services.adapt(
        original.latest_version, network["kenya"], network["kenyan_coordinator"]
    )
    services.publish(adaptation, network["kenyan_coordinator"])
    return {"original": original, "adaptation": adaptation}


@pytest.fixture
def deliveries(network, library):
    """Kenya: 20 + 15 people in Nairobi (2025), 3 in Mombasa and 9 online (2026), 12 with its
    adaptation in Nairobi (2026); Senegal: 3 in Dakar (2026)."""
    from datacircle.programme.models import Delivery

    original = library["original"].latest_version
    adapted = library["adaptation"].latest_version
    kenya, senegal = network["kenya"], network["senegal"]
    recorder = network["kenyan_coordinator"]

    def deliver(version, organisation, held_on, participants, city="", country="", **fields):
        return Delivery.objects.create(
            module_version=version,
            organisation=organisation,
            held_on=held_on,
            city=city,
            country=country,
            language=fields.pop("language", "en"),
            participants=participants,
            recorded_by=recorder,
            **fields,
        )

    return [
        deliver(original, kenya, date(2025, 3, 4), 20, "Nairobi", "KE"),
        deliver(original, kenya, date(2025, 6, 10), 15, "Nairobi", "KE"),
        deliver(original, kenya, date(2026, 2, 3), 3, "Mombasa", "KE"),
        deliver(original, kenya, date(2026, 4, 7), 9, online=True),
        deliver(adapted, kenya, date(2026, 5, 5), 12, "Nairobi", "KE"),
        deliver(original, senegal, date(2026, 3, 2), 3, "Dakar", "SN", language="fr"),
    ]
