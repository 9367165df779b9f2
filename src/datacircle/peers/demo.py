"""Demo peer learning: learning profiles from the generated network, and one published round
in Kenya whose matches are at every stage (waiting, active, completed, declined)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from datacircle.accounts.demo import batched
from datacircle.accounts.models import Organisation, Person
from datacircle.core.demo import DemoNetwork
from datacircle.peers import services
from datacircle.peers.models import Match, MatchEvent, MatchingRound, Profile

BATCH = 5000
DEMO_ROUND = ("kenya-rc", "First peer-learning round")
FEEDBACK = (
    "We built a pivot table from our own distribution data: now I can do it alone.",
    "Two short sessions were enough; we will meet again for charts.",
    "Good to meet someone from another branch.",
)


def capacity_of(role: str) -> int:
    return 2 if role in ("coordinator", "facilitator", "network_admin") else 1


@transaction.atomic
def load_profiles(network: DemoNetwork) -> int:
    """A profile for every generated person, from the generator's wants and shares; one in
    twenty is on a break. Demo logins get skills that show the workflow."""
    created = 0
    for chunk in batched(network.people(), BATCH):
        ids = dict(
            Person.objects.filter(external_key__in=[p.key for p in chunk]).values_list(
                "external_key", "pk"
            )
        )
        rows = []
        for demo in chunk:
            wants, shares = dict(demo.wants), dict(demo.shares)
            if demo.login == "member" and not wants:
                wants = {"analysis": 1}
            if demo.login == "facilitator" and not shares:
                shares = {"analysis": 4}
            index = int(demo.key.rsplit("-", 1)[1])
            rows.append(
                Profile(
                    person_id=ids[demo.key],
                    wants=wants,
                    shares=shares,
                    capacity=capacity_of(demo.role),
                    status=Profile.Status.BREAK
                    if index % 20 == 19 and not demo.login
                    else Profile.Status.AVAILABLE,
                    source=Profile.Source.DEMO,
                )
            )
        Profile.objects.bulk_create(rows)
        created += len(rows)
    return created


@transaction.atomic
def load_round() -> MatchingRound | None:
    """Compute the demo round, then move its matches along as people would have answered."""
    slug, title = DEMO_ROUND
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        return None
    coordinator = Person.objects.filter(organisation=organisation, role="coordinator").first()
    round = MatchingRound.objects.create(
        organisation=organisation, title=title, created_by=coordinator
    )
    services.compute(round)
    now = timezone.now()
    for index, match in enumerate(round.matches.order_by("pk")):
        stage = index % 5
        match.status = Match.Status.WAITING
        if stage in (0, 1):
            match.learner_answer = match.sharer_answer = Match.Answer.ACCEPTED
            match.status = Match.Status.ACTIVE
        if stage == 1:
            match.status = Match.Status.COMPLETED
            match.learner_rating = 5 - index % 2
            match.learner_feedback = FEEDBACK[index % len(FEEDBACK)]
        if stage == 2:
            match.learner_answer = Match.Answer.ACCEPTED
            match.sharer_answer = Match.Answer.DECLINED
            match.status = Match.Status.DECLINED
        match.save()
        MatchEvent.objects.create(
            match=match, actor=coordinator, before=Match.Status.PROPOSED, after=match.status
        )
    round.status = MatchingRound.Status.PUBLISHED
    round.published_at = now
    round.save()
    return round
