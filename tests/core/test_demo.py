"""The demo network generator: deterministic, consistent, realistic, and lazy at any size."""

from __future__ import annotations

import tracemalloc
import zoneinfo
from collections import Counter
from itertools import islice

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datacircle.core.demo import (
    DEMO_LOGINS,
    MIN_PEOPLE,
    SKILLS,
    build_network,
)

LANGUAGES = {"en", "fr", "es", "ar"}
ROLES = {"network_admin", "coordinator", "facilitator", "member"}
TIMEZONES = zoneinfo.available_timezones()


def test_the_same_seed_gives_the_same_network_and_another_seed_does_not():
    first = list(build_network(people=500, seed=11).people())
    assert first == list(build_network(people=500, seed=11).people())
    assert first != list(build_network(people=500, seed=12).people())


def test_people_can_be_read_twice_from_one_network():
    network = build_network(people=200, seed=3)
    assert list(network.people()) == list(network.people())


def test_a_bigger_network_starts_with_the_smaller_one():
    # Scaling up a demo keeps the people it already had, so screenshots and docs stay valid.
    small = list(build_network(people=100, seed=5).people())
    assert list(islice(build_network(people=1000, seed=5).people(), 100)) == small


@settings(max_examples=25, deadline=None)
@given(people=st.integers(MIN_PEOPLE, 400), seed=st.integers(0, 2**32))
def test_every_person_is_consistent(people, seed):
    network = build_network(people=people, seed=seed)
    organisations = {org.key: org for org in network.organisations}
    units = {unit.key: unit for unit in network.units}
    generated = list(network.people())
    assert len(generated) == people == network.size
    assert len({person.key for person in generated}) == people
    assert len({person.email for person in generated}) == people
    for person in generated:
        assert units[person.unit].organisation == person.organisation
        assert person.role in ROLES and person.kind in {"staff", "volunteer"}
        assert person.languages and set(person.languages) <= LANGUAGES
        assert person.languages[0] == organisations[person.organisation].languages[0]
        assert person.timezone in TIMEZONES
        assert person.email.isascii() and person.email.endswith(".example")
        wanted = [skill for skill, _level in person.wants]
        shared = [skill for skill, _level in person.shares]
        assert len(set(wanted)) == len(wanted) and len(set(shared)) == len(shared)
        assert not set(wanted) & set(shared), "nobody wants to learn what they can teach"
        assert all(skill in SKILLS and 0 <= level <= 2 for skill, level in person.wants)
        assert all(skill in SKILLS and level in (3, 4) for skill, level in person.shares)


def test_organisations_form_a_network_parents_first():
    network = build_network(people=100, seed=1)
    seen: set[str] = set()
    kinds = Counter()
    for org in network.organisations:
        assert org.parent is None or org.parent in seen, f"{org.key} comes before its parent"
        assert len(org.country) == 2 and org.country.isupper()
        seen.add(org.key)
        kinds[org.kind] += 1
    assert kinds["secretariat"] == 1
    assert kinds["regional_office"] >= 3
    assert kinds["national_society"] >= 5
    assert kinds["partner"] >= 1
    assert len({org.key for org in network.organisations}) == len(network.organisations)
    assert all(
        any(u.organisation == org.key for u in network.units) for org in network.organisations
    )


def test_demo_logins_come_first_with_their_role_and_organisation():
    people = list(islice(build_network(people=100, seed=9).people(), len(DEMO_LOGINS)))
    assert [(p.login, p.role, p.organisation) for p in people] == [
        (login, role, organisation) for login, role, organisation, _ in DEMO_LOGINS
    ]
    assert {"admin", "coordinator", "facilitator", "member"} <= {p.login for p in people}


def test_only_the_demo_logins_have_logins_and_only_admin_runs_the_network():
    people = list(build_network(people=3000, seed=9).people())
    assert sum(1 for p in people if p.login) == len(DEMO_LOGINS)
    assert [p.login for p in people if p.role == "network_admin"] == ["admin"]


def test_too_few_people_for_the_demo_logins_is_refused_clearly():
    with pytest.raises(ValueError, match=f"at least {MIN_PEOPLE} people"):
        build_network(people=MIN_PEOPLE - 1)


def test_the_network_is_realistic():
    network = build_network(people=20_000, seed=2026)
    people = list(network.people())
    by_organisation = Counter(p.organisation for p in people)
    societies = [o.key for o in network.organisations if o.kind == "national_society"]
    assert all(by_organisation[key] >= 500 for key in societies), by_organisation
    first_languages = Counter(p.languages[0] for p in people)
    assert set(first_languages) == LANGUAGES
    assert all(share >= 0.08 * len(people) for share in first_languages.values())
    volunteers = sum(1 for p in people if p.kind == "volunteer")
    assert 0.5 < volunteers / len(people) < 0.8, "most people in National Societies volunteer"
    roles = Counter(p.role for p in people)
    assert roles["member"] > roles["facilitator"] > roles["coordinator"] > 0


def test_skill_interest_is_skewed_as_the_field_reports():
    people = list(build_network(people=20_000, seed=2026).people())
    wanted = Counter(skill for p in people for skill, _level in p.wants)
    top_five = {skill for skill, _count in wanted.most_common(5)}
    assert top_five == {"analysis", "spreadsheets", "storytelling", "data-management", "tools"}
    assert set(wanted) == set(SKILLS), "every skill is wanted by someone"
    shared = Counter(skill for p in people for skill, _level in p.shares)
    # Demand outstrips supply for storytelling far more than for spreadsheets.
    assert wanted["storytelling"] / shared["storytelling"] > 3 * (
        wanted["spreadsheets"] / shared["spreadsheets"]
    )
    sharers = sum(1 for p in people if p.shares)
    assert 0.1 < sharers / len(people) < 0.3
    assert all(p.shares for p in people if p.role in {"coordinator", "facilitator"})


def test_a_million_people_are_generated():
    network = build_network(people=1_000_000, seed=2026)
    total, last = 0, None
    for last in network.people():  # noqa: B007 (the last one is checked below)
        total += 1
    assert total == 1_000_000
    assert last.key == "demo-999999"


def test_people_stream_without_being_held_in_memory():
    network = build_network(people=50_000, seed=2026)
    tracemalloc.start()
    try:
        for _person in network.people():
            pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Holding 50,000 people would take tens of megabytes; streaming them takes almost nothing.
    assert peak < 1024 * 1024, f"peak {peak} bytes"
