"""The API's OpenAPI schema is valid, and no documented endpoint answers with a server error on the demo data.

schemathesis reads ``/api/v1/schema/`` from the WSGI application itself (no server, no network), generates
requests for every operation from the schema, and sends them to the same application, anonymously and as a
signed-in reviewer (token authentication). The report's data is loaded once for this module, inside a
transaction that is rolled back afterwards, so the other test modules see the database they expect.
Examples per operation are bounded so that the whole module runs in well under a minute.
"""

import io

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token

from config.wsgi import application
from review.roles import Role, ensure_role_groups

SCHEMA_URL = "/api/v1/schema/"
# Generated requests per user, shared out over the operations (at least 3 each): the module stays under a minute
# as the other apps add endpoints (81 operations at the time of writing, about 6 requests each).
EXAMPLES_PER_USER = 480


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The report's figures, reference data and role groups, for this module only (rolled back at the end)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_report_data", stdout=io.StringIO())
            ensure_role_groups()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def reviewer_token(demo_data, django_user_model):
    reviewer = django_user_model.objects.create_user("schema-reviewer")
    reviewer.groups.add(ensure_role_groups()[Role.REVIEWER])
    return Token.objects.create(user=reviewer).key


@pytest.fixture
def connection_kept_open():
    """Requests sent straight to the WSGI application would close the test's connection at their end (Django's
    ``close_old_connections``), and with it the test's transaction on PostgreSQL. Django's test client disconnects
    that handler for the same reason; so does this fixture, for the duration of one test."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(demo_data, connection_kept_open):
    return schemathesis.openapi.from_wsgi(SCHEMA_URL, application)


def examples_each(found: list) -> int:
    return max(3, EXAMPLES_PER_USER // len(found))


def operations(schema):
    found = []
    for result in schema.get_all_operations():
        found.append(result.ok())  # raises if an operation cannot be read from the schema
    return found


@pytest.mark.django_db
def test_the_schema_is_valid_openapi_3(client, demo_data):
    response = client.get(SCHEMA_URL, HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    validate_schema(document)  # drf-spectacular's check against the OpenAPI 3.0 JSON schema; raises if invalid
    assert "/api/v1/region-patent-figures/" in document["paths"]


def exercise(operation, headers: dict, examples: int) -> None:
    """Send generated requests for one operation; fail on the first 5xx, with the request that caused it."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(headers=headers)
        assert response.status_code < 500, f"{case.method} {case.formatted_path} {case.query}: {response.text[:500]}"

    run()


@pytest.mark.django_db
def test_no_server_errors_for_anonymous_users(api_schema):
    found = operations(api_schema)
    assert len(found) >= 22  # the statistics app's lists and details at least
    for operation in found:
        exercise(operation, {}, examples_each(found))


@pytest.mark.django_db
def test_no_server_errors_for_a_reviewer(api_schema, reviewer_token):
    found = operations(api_schema)
    for operation in found:
        exercise(operation, {"Authorization": f"Token {reviewer_token}"}, examples_each(found))


@pytest.mark.django_db
def test_the_api_root_lists_every_endpoint_for_anyone(client):
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert {"annual-returns", "region-patent-figures", "work-summaries", "review-events"} <= set(response.json())
