"""A synthetic, realistic network for the demo, the tests and the benchmarks.

Deterministic from a seed and lazy: `DemoNetwork.people()` yields one person at a time, so a
network of a million people costs no more memory than one of a hundred.
"""

from __future__ import annotations

import random
import unicodedata
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

import yaml

# Skill codes of the built-in taxonomy. Weights follow what the field reports people most want:
# analysing data, spreadsheets, data storytelling, data management and specific tools.
WANT_WEIGHTS: dict[str, int] = {
    "analysis": 160,
    "spreadsheets": 140,
    "storytelling": 120,
    "data-management": 105,
    "tools": 95,
    "visualisation": 70,
    "collection": 55,
    "cleaning": 50,
    "dashboards": 45,
    "gis": 40,
    "data-literacy": 35,
    "data-protection": 30,
    "statistics": 28,
    "information-products": 25,
    "databases": 20,
    "programming": 18,
    "open-data": 12,
}
# Fewer people can teach storytelling or analysis than want it; collection and spreadsheets
# are where many already feel confident: the gaps a scoping round should reveal.
SHARE_WEIGHTS: dict[str, int] = {
    "spreadsheets": 150,
    "collection": 130,
    "data-literacy": 90,
    "tools": 80,
    "gis": 60,
    "analysis": 55,
    "data-management": 50,
    "cleaning": 45,
    "visualisation": 40,
    "data-protection": 35,
    "dashboards": 30,
    "databases": 25,
    "programming": 25,
    "information-products": 20,
    "statistics": 20,
    "storytelling": 15,
    "open-data": 10,
}
SKILLS: tuple[str, ...] = tuple(WANT_WEIGHTS)

# (login, role, organisation key, what this login shows), in the order they are created.
DEMO_LOGINS: tuple[tuple[str, str, str, str], ...] = (
    ("admin", "network_admin", "ifrc", "network admin: sees the whole network"),
    ("coordinator", "coordinator", "kenya-rc", "data leader who runs the programme"),
    ("facilitator", "facilitator", "kenya-rc", "runs sessions"),
    ("member", "member", "kenya-rc", "a volunteer or staff member"),
    ("coordinatrice", "coordinator", "senegal-rc", "data leader, works in French"),
    ("volunteer-lb", "member", "lebanese-rc", "a member who works in Arabic"),
)
MIN_PEOPLE = len(DEMO_LOGINS)
# Shown by `datacircle demo`; the demo database is local and throwaway.
DEMO_PASSWORD = "circle-demo-2026"  # noqa: S105 (printed for the local demo)

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "demo_network.yaml"


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    name: str
    short_name: str
    kind: str
    country: str  # ISO 3166-1 alpha-2
    parent: str | None
    languages: tuple[str, ...]  # first is the working language; others are common second ones
    timezone: str
    names: str  # name pool in the data file
    share: float  # relative number of people
    branches: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()

    @property
    def domain(self) -> str:
        # RFC 2606 reserves .example: demo addresses can never reach a real mailbox.
        return f"{self.key}.example"


@dataclass(frozen=True)
class Reference:
    """What the generator draws from, read from DATA_FILE."""

    organisations: tuple[DemoOrganisation, ...]
    names: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # pool: (given, family)


@cache
def reference() -> Reference:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    organisations = tuple(
        DemoOrganisation(
            key=row["key"],
            name=row["name"],
            short_name=row["short_name"],
            kind=row["kind"],
            country=row["country"],
            parent=row.get("parent"),
            languages=tuple(row["languages"]),
            timezone=row["timezone"],
            names=row["names"],
            share=float(row["share"]),
            branches=tuple(row.get("branches", ())),
            departments=tuple(row.get("departments") or data["departments"][row["languages"][0]]),
        )
        for row in data["organisations"]
    )
    names = {
        pool: (tuple(lists["given"]), tuple(lists["family"]))
        for pool, lists in data["names"].items()
    }
    return Reference(organisations, names)


@dataclass(frozen=True)
class DemoUnit:
    key: str
    organisation: str
    name: str
    branch: bool  # branches are mostly volunteers, departments mostly staff


class DemoPerson(NamedTuple):
    key: str
    organisation: str
    unit: str
    given_name: str
    family_name: str
    email: str
    kind: str  # staff | volunteer
    role: str  # network_admin | coordinator | facilitator | member
    languages: tuple[str, ...]
    timezone: str
    login: str | None
    wants: tuple[tuple[str, int], ...]  # (skill, current level 0-2) the person wants to learn
    shares: tuple[tuple[str, int], ...]  # (skill, level 3-4) the person can share


WANT_COUNTS = (0, 1, 2, 3, 4)
WANT_COUNT_WEIGHTS = tuple(accumulate((8, 30, 32, 20, 10)))
WANT_LEVELS = (0, 1, 2)
WANT_LEVEL_WEIGHTS = tuple(accumulate((30, 45, 25)))
SHARE_PROBABILITY = {"member": 0.15, "facilitator": 1.0, "coordinator": 1.0, "network_admin": 1.0}
ROLE_WEIGHTS = tuple(accumulate((5, 30, 965)))
ROLES = ("coordinator", "facilitator", "member")
WANT_CUMULATIVE = tuple(accumulate(WANT_WEIGHTS.values()))
SHARE_SKILLS = tuple(SHARE_WEIGHTS)
SHARE_CUMULATIVE = tuple(accumulate(SHARE_WEIGHTS.values()))


@cache
def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c == "-")).lower()


def pick(rng: random.Random, items, cum_weights):
    """One weighted choice: `rng.choices(items, cum_weights=…)[0]` without the list, which
    matters when a million people are drawn."""
    return items[bisect(cum_weights, rng.random() * cum_weights[-1])]


class DemoNetwork:
    """Organisations and units as lists; people generated on demand, the same every time."""

    def __init__(self, people: int, seed: int):
        if people < MIN_PEOPLE:
            raise ValueError(
                f"A demo network needs at least {MIN_PEOPLE} people (one per demo login)."
            )
        self.size = people
        self.seed = seed
        self._reference = reference()
        self.organisations: list[DemoOrganisation] = list(self._reference.organisations)
        self.units: list[DemoUnit] = [
            DemoUnit(f"{org.key}/{index}", org.key, name, is_branch)
            for org in self.organisations
            for index, (name, is_branch) in enumerate(
                [(name, False) for name in org.departments] + [(b, True) for b in org.branches]
            )
        ]
        self._by_key = {org.key: org for org in self.organisations}
        self._units_of = {
            org.key: [unit for unit in self.units if unit.organisation == org.key]
            for org in self.organisations
        }
        self._unit_weights = {
            key: tuple(accumulate(3 if unit.branch else 1 for unit in units))
            for key, units in self._units_of.items()
        }
        self._org_weights = tuple(accumulate(org.share for org in self.organisations))

    def people(self) -> Iterator[DemoPerson]:
        rng = random.Random(self.seed)
        for index in range(self.size):
            if index < len(DEMO_LOGINS):
                login, role, org_key, _description = DEMO_LOGINS[index]
                organisation = self._by_key[org_key]
            else:
                login = None
                organisation = pick(rng, self.organisations, self._org_weights)
                role = pick(rng, ROLES, ROLE_WEIGHTS)
            yield self._person(rng, index, organisation, role, login)

    def _person(self, rng, index, organisation, role, login) -> DemoPerson:
        unit = pick(rng, self._units_of[organisation.key], self._unit_weights[organisation.key])
        given_names, family_names = self._reference.names[organisation.names]
        given, family = rng.choice(given_names), rng.choice(family_names)
        if organisation.kind == "national_society":
            volunteer_share = 0.85 if unit.branch else 0.3
        else:
            volunteer_share = 0.05
        kind = "volunteer" if rng.random() < volunteer_share else "staff"
        languages = self._languages(rng, organisation)
        shares = self._shares(rng, role)
        return DemoPerson(
            key=f"demo-{index}",
            organisation=organisation.key,
            unit=unit.key,
            given_name=given,
            family_name=family,
            email=f"{ascii_fold(given)}.{ascii_fold(family)}.{index}@{organisation.domain}",
            kind=kind,
            role=role,
            languages=languages,
            timezone=organisation.timezone,
            login=login,
            wants=self._wants(rng, {skill for skill, _level in shares}),
            shares=shares,
        )

    @staticmethod
    def _languages(rng, organisation: DemoOrganisation) -> tuple[str, ...]:
        first, *others = organisation.languages
        if others and rng.random() < 0.4:
            return (first, rng.choice(others))
        return (first,)

    def _wants(self, rng, exclude: set[str]) -> tuple[tuple[str, int], ...]:
        count = pick(rng, WANT_COUNTS, WANT_COUNT_WEIGHTS)
        if not count:
            return ()
        picked = rng.choices(SKILLS, cum_weights=WANT_CUMULATIVE, k=2 * count)
        chosen = list(dict.fromkeys(s for s in picked if s not in exclude))[:count]
        levels = rng.choices(WANT_LEVELS, cum_weights=WANT_LEVEL_WEIGHTS, k=len(chosen))
        return tuple(zip(chosen, levels, strict=True))

    def _shares(self, rng, role: str) -> tuple[tuple[str, int], ...]:
        if rng.random() >= SHARE_PROBABILITY[role]:
            return ()
        picked = rng.choices(SHARE_SKILLS, cum_weights=SHARE_CUMULATIVE, k=3)
        chosen = list(dict.fromkeys(picked))[: rng.randint(1, 3)]
        return tuple((skill, 4 if rng.random() < 0.3 else 3) for skill in chosen)


def build_network(people: int, seed: int = 2026) -> DemoNetwork:
    """A demo network of `people` people; the same seed always gives the same network."""
    return DemoNetwork(people, seed)
