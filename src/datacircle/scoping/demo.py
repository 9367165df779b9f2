"""Demo scoping rounds: a baseline and a follow-up in Kenya, a round in Senegal, and one across
the whole network, answered by the demo people (see datacircle.core.demo_scoping)."""

from __future__ import annotations

from datetime import date

from datacircle.accounts.models import Organisation
from datacircle.core.demo import DemoNetwork
from datacircle.core.demo_scoping import demo_responses
from datacircle.scoping import services
from datacircle.scoping.models import Round

# (organisation, slug, title, status, opens, closes, responding organisations or None = all,
#  response rate, tag of the answers, baseline slug)
DEMO_ROUNDS = (
    (
        "kenya-rc",
        "baseline-2025",
        "Data skills baseline 2025",
        Round.Status.CLOSED,
        date(2025, 3, 3),
        date(2025, 3, 28),
        ("kenya-rc",),
        0.6,
        "kenya-2025",
        None,
    ),
    (
        "kenya-rc",
        "follow-up-2026",
        "Data skills follow-up 2026",
        Round.Status.OPEN,
        date(2026, 3, 2),
        date(2026, 12, 18),
        ("kenya-rc",),
        0.75,
        "kenya-2026",
        "baseline-2025",
    ),
    (
        "senegal-rc",
        "competences-2026",
        "Compétences données 2026",
        Round.Status.OPEN,
        date(2026, 4, 6),
        date(2026, 12, 18),
        ("senegal-rc",),
        0.7,
        "senegal-2026",
        None,
    ),
    (
        "ifrc",
        "network-2026",
        "Network data skills 2026",
        Round.Status.CLOSED,
        date(2026, 2, 2),
        date(2026, 3, 27),
        None,
        0.5,
        "network-2026",
        None,
    ),
)


def load_rounds(network: DemoNetwork) -> list[Round]:
    """Create the demo rounds with their answers, coded free text and cached analyses."""
    created: list[Round] = []
    by_slug: dict[str, Round] = {}
    for org, slug, title, status, opens, closes, responding, rate, tag, baseline in DEMO_ROUNDS:
        organisation = Organisation.objects.get(slug=org)
        round = Round.objects.create(
            organisation=organisation,
            slug=slug,
            title=title,
            status=status,
            opens_on=opens,
            closes_on=closes,
            baseline=by_slug.get(baseline) if baseline else None,
        )
        frame = demo_responses(
            network, seed=network.seed, response_rate=rate, organisations=responding, round_tag=tag
        )
        if responding is not None:
            # A national society's own round does not ask which organisation people are in.
            frame = frame.with_columns(organisation=None)
        services.save_frame(round, frame, "kobo")
        services.analysis_for(round)
        by_slug[slug] = round
        created.append(round)
    return created
