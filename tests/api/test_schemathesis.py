"""The published OpenAPI schema, checked by a property-based API tester.

schemathesis loads ``/api/v1/schema/`` from the app itself and generates
requests for every operation (random slugs, cursors, filters, page sizes) on
a newsroom seeded with articles and comments in every state. Its checks: no
5xx, every status code, content type, header and body as the schema says.
Random slugs mostly find nothing, so each article in each state is also asked
for by name: the published one must validate as a 200, the others as 404s.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

SCHEMA_URL = "/api/v1/schema/?format=json"
# Enough to find a 500 or a schema mismatch in these small read-only endpoints
# while keeping the whole module well under 30 seconds.
EXAMPLES_PER_OPERATION = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 10}


pytestmark = pytest.mark.django_db


@pytest.fixture
def api_schema(newsroom):
    # As Django's own test client does: a WSGI call made inside a test must not
    # close the database connection that holds the test's transaction (on
    # PostgreSQL, request_finished's health check would close it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(SCHEMA_URL, get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def all_operations(api_schema) -> list:
    return [result.ok() for result in api_schema.get_all_operations()]


def has_query_parameters(operation) -> bool:
    return any(parameter.location == "query" for parameter in operation.iter_parameters())


def test_the_schema_documents_every_endpoint(api_schema):
    labels = {operation.label for operation in all_operations(api_schema)}

    assert labels == {
        "GET /api/v1/articles/",
        "GET /api/v1/articles/{slug}/",
        "GET /api/v1/articles/{slug}/comments/",
        "GET /api/v1/sections/",
        "GET /api/v1/tags/",
        "GET /api/v1/authors/",
    }


# schemathesis's own pytest integration (``from_fixture``/``parametrize``)
# does not run under pytest 9 yet, so each operation's strategy is driven by
# hypothesis directly: the same generated cases and the same checks.
@pytest.mark.parametrize("generation_mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_as_its_schema_says(api_schema, generation_mode):
    for operation in all_operations(api_schema):
        if generation_mode == GenerationMode.NEGATIVE and not has_query_parameters(operation):
            # Invalid slugs ("..", "a/b") would test URL normalisation, not
            # the API; test_visibility covers malformed slugs with fixed cases.
            continue

        @given(case=operation.as_strategy(generation_mode=generation_mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION[generation_mode],
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case):
            case.call_and_validate()

        answers_as_documented()


@pytest.mark.parametrize(
    ("state", "expected_status"),
    [
        ("published", 200),
        ("draft", 404),
        ("in_review", 404),
        ("scheduled", 404),
        ("unpublished", 404),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/articles/{slug}/", "/api/v1/articles/{slug}/comments/"])
def test_articles_in_every_state_answer_as_the_schema_says(
    api_schema, newsroom, path, state, expected_status
):
    article = getattr(newsroom, state)
    case = api_schema[path]["GET"].Case(path_parameters={"slug": article.slug})

    response = case.call_and_validate()

    assert response.status_code == expected_status
