"""Demo working group in Kenya: members who lead what they can share, an organisation
milestone, and a programme planned from the Kenyan follow-up round's demand and published."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from datacircle.accounts.models import Organisation, Person
from datacircle.peers.models import Profile
from datacircle.programme import plans
from datacircle.programme.models import Member, Milestone, Programme
from datacircle.scoping.models import Round

MEMBERS = 12
SLOTS = [{"weekday": 1, "time": "10:00"}, {"weekday": 3, "time": "14:00"}]


@transaction.atomic
def load_demo() -> dict:
    kenya = Organisation.objects.filter(slug="kenya-rc").first()
    if kenya is None:
        return {"members": 0, "sessions": 0}
    leaders = list(
        Profile.objects.filter(person__organisation=kenya)
        .exclude(shares={})
        .select_related("person")
        .order_by("person__role", "person_id")[:MEMBERS]
    )
    for i, profile in enumerate(leaders):
        Member.objects.create(
            person=profile.person,
            leads=sorted(profile.shares),
            weekdays=[1, 3] if i % 2 == 0 else [1, 2, 3],
            monthly_limit=2,
        )
    today = timezone.localdate()
    Milestone.objects.create(
        organisation=kenya,
        name="Launch of our data protection policy",
        description="The society's own data protection policy is presented to all branches.",
        kind=Milestone.Kind.ONCE,
        on=today + timedelta(days=60),
        length_days=1,
        themes=["data-protection", "data-management"],
    )
    coordinator = Person.objects.filter(organisation=kenya, role="coordinator").first()
    monday = today + timedelta(days=7 - today.weekday())
    programme = Programme.objects.create(
        organisation=kenya,
        title=f"Data sessions from {monday:%B %Y}",
        demand_round=Round.objects.filter(organisation=kenya).order_by("-created_at").first(),
        starts_on=monday,
        weeks=26,
        slot_times=SLOTS,
        timezone="Africa/Nairobi",
        city="Nairobi",
        created_by=coordinator,
    )
    summary = plans.compute(programme)
    plans.publish(programme, coordinator, tell=False)
    return {
        "members": len(leaders),
        "sessions": summary["sessions"],
        "first": date.isoformat(monday),
    }
