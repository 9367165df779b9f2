"""Property-based tests of the whole API from its own OpenAPI document (schemathesis): for
any input, valid or not, no server error, and every answer is what the document says."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)


def _load():
    from datacircle.web.wsgi import application

    # Reading the document touches no table, so it can be loaded when the tests are collected.
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


schema = _load()


@pytest.fixture
def same_connection():
    """Keep the test's database connection (and its transaction) across requests to the WSGI
    application, as Django's test client does: at the end of a request Django closes a
    connection that is not in autocommit mode, which on PostgreSQL is the test's own."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_every_request_as_documented(
    case, same_connection, network, starter, deliveries, pulled, kenya_token
):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {kenya_token[1]}"},
        checks=[
            not_a_server_error,
            response_schema_conformance,
            status_code_conformance,
            content_type_conformance,
            negative_data_rejection,
        ],
    )
