"""The catalogue is public: no answer and no schema of the API may carry a person's data.

The one exception is the credit a module file gives its contributors (`contributors:` inside
`source`), the attribution its licence asks for when it is published.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from tests.catalogue.conftest import ADAPTED, FEEDBACK_COMMENT

FORBIDDEN_PROPERTIES = {
    "email",
    "phone",
    "username",
    "given_name",
    "family_name",
    "full_name",
    "person",
    "people",
    "recorded_by",
    "created_by",
    "published_by",
    "added_by",
    "comment",
    "timezone",
}

# Every way of reading each GET operation: path parameters filled with what is there.
PATH_VALUES = [
    {"organisation": "kenya-rc", "slug": ADAPTED, "number": 1},
    {"organisation": "kenya-rc", "slug": ADAPTED, "number": 2},
    {"organisation": "datacircle", "slug": ADAPTED, "number": 1},
    {"organisation": "far-rc", "slug": "habits-far", "number": 3},
]
QUERIES = [
    {},
    {"page_size": 100},
    {"organisation": "kenya-rc", "by": "organisation,year"},
    {"by": "country,module,city"},
    {"by": "organisation,module"},
    {"by": "organisation,language"},
    {"by": "organisation", "organisation": "kenya-rc"},
]


def without_sources(value):
    """The body with module files taken out (their `contributors` credit people by name)."""
    if isinstance(value, dict):
        return {k: without_sources(v) for k, v in value.items() if k != "source"}
    if isinstance(value, list):
        return [without_sources(v) for v in value]
    return value


@pytest.fixture
def everything(network, starter, adapted, pulled, deliveries, feedback, facilitator, kenya_token):
    """Every kind of row that could leak a person into the catalogue."""


def personal_values(network, facilitator):
    from django.contrib.auth import get_user_model

    from datacircle.accounts.models import Person

    values = set()
    for person in Person.objects.all():
        values |= {person.email, person.given_name, person.family_name, person.timezone}
    values |= set(get_user_model().objects.values_list("username", flat=True))
    values.add(FEEDBACK_COMMENT)
    return {v for v in values if v}


def get_everything(client):
    """Every GET operation of the OpenAPI document, read with each set of path values and
    each query: {operation path: {address: body}}."""
    document = client.get("/api/v1/openapi.json").json()
    bodies: dict[str, dict[str, object]] = {}
    for path, operations in document["paths"].items():
        if "get" not in operations:
            continue
        read = bodies.setdefault(path, {})
        for values in PATH_VALUES:
            url = re.sub(r"\{(\w+)\}", lambda m, values=values: str(values[m.group(1)]), path)
            for query in QUERIES:
                address = f"{url}?{urlencode(query)}"
                response = client.get(address)
                assert response.status_code == 200, (address, response.content)
                read[address] = response.json()
    return document, bodies


def test_no_answer_names_a_person(client, everything, network, facilitator):
    _document, bodies = get_everything(client)
    assert len(bodies) == 6  # root, organisations, modules, a module, a version, deliveries
    assert all(bodies.values())
    personal = personal_values(network, facilitator)
    assert "Baraka" in personal and "baraka@example.org" in personal and "otieno" in personal
    answers = {address: body for read in bodies.values() for address, body in read.items()}
    assert len(answers) > 40
    for address, body in answers.items():
        text = str(without_sources(body))
        for value in personal:
            assert not re.search(rf"\b{re.escape(value)}\b", text), (value, address)


def test_the_only_names_are_the_credit_inside_the_module_file(client, everything):
    body = client.get(f"/api/v1/modules/kenya-rc/{ADAPTED}").json()
    assert "- Baraka Mwangi" in body["source"]  # credited as the adapter, by the licence
    assert "Baraka" not in str(without_sources(body))
    assert "baraka@example.org" not in body["source"]


def test_no_schema_has_a_personal_property(client):
    document = client.get("/api/v1/openapi.json").json()
    found = set()

    def walk(node):
        if isinstance(node, dict):
            for key in node.get("properties", {}):
                found.add(key)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    assert found  # the walk reached the schemas
    assert {"reference", "participants_shown", "source"} <= found
    assert not found & FORBIDDEN_PROPERTIES
    parameters = {
        p["name"]
        for operations in document["paths"].values()
        for operation in operations.values()
        for p in operation.get("parameters", [])
    }
    assert not parameters & FORBIDDEN_PROPERTIES
