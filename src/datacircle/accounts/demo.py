"""Loading a generated demo network (datacircle.core.demo) into the database, atomically."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.contrib.auth import get_user_model
from django.db import transaction

from datacircle.accounts.models import Organisation, Person, Unit
from datacircle.core.demo import DEMO_PASSWORD, DemoNetwork, DemoPerson

__all__ = ["DEMO_PASSWORD", "load_network"]
BATCH = 5000


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@transaction.atomic
def load_network(network: DemoNetwork, advance: Callable[[int], object] = lambda n: None) -> dict:
    """Write the network's organisations, units and people; people with a demo login get a user.

    `advance(n)` is called after each batch of n people, for progress bars.
    """
    organisations: dict[str, Organisation] = {}
    for demo_org in network.organisations:  # parents come before their children
        organisations[demo_org.key] = Organisation.objects.create(
            slug=demo_org.key,
            name=demo_org.name,
            short_name=demo_org.short_name,
            kind=demo_org.kind,
            country=demo_org.country,
            parent=organisations[demo_org.parent] if demo_org.parent else None,
        )
    units = {
        demo_unit.key: Unit(organisation=organisations[demo_unit.organisation], name=demo_unit.name)
        for demo_unit in network.units
    }
    Unit.objects.bulk_create(units.values())
    logins = []
    for chunk in batched(network.people(), BATCH):
        Person.objects.bulk_create(person_row(p, organisations, units) for p in chunk)
        logins.extend(p for p in chunk if p.login)
        advance(len(chunk))
    users = get_user_model()
    for demo_person in logins:
        user = users.objects.create_user(
            username=demo_person.login, email=demo_person.email, password=DEMO_PASSWORD
        )
        Person.objects.filter(
            organisation=organisations[demo_person.organisation], external_key=demo_person.key
        ).update(user=user)
    return {
        "organisations": len(organisations),
        "units": len(units),
        "people": network.size,
        "logins": [(p.login, p.role, organisations[p.organisation].name) for p in logins],
    }


def person_row(demo: DemoPerson, organisations: dict, units: dict) -> Person:
    return Person(
        organisation=organisations[demo.organisation],
        unit=units[demo.unit],
        given_name=demo.given_name,
        family_name=demo.family_name,
        email=demo.email,
        kind=demo.kind,
        role=demo.role,
        languages=list(demo.languages),
        timezone=demo.timezone,
        external_key=demo.key,
    )
