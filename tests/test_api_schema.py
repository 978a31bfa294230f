"""The API's OpenAPI schema is valid, and no documented endpoint answers with a server error on the demo data.

schemathesis reads ``/api/v1/schema/`` from the WSGI application itself (no server, no network), generates
requests for every operation from the schema, and sends them to the same application, anonymously, as a
signed-in reviewer and as a signed-in officer (token authentication). Besides the generated requests, every operation
gets the inputs that once gave server errors: ``%`` and other format characters and NUL in every query parameter,
and versions that are not whole numbers in every body and DELETE that carries a ``version``. The schema itself must
document the refusals (400, 403, 404, 409) of the operations that can give them.

The module works inside a transaction that is rolled back afterwards (on the report the session loaded), so the
other test modules see the database they expect. Generated examples per operation are bounded (``EXAMPLES_PER_USER``)
so that the module's time stays bounded as endpoints are added.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, given, settings

from core.tokens import issue_token
from review.roles import Role, ensure_role_groups

from .report import report_loaded

SCHEMA_URL = "/api/v1/schema/"
# Generated requests per user, shared out over the operations (at least 3 each): the module stays under a minute
# as the other apps add endpoints (81 operations at the time of writing, about 6 requests each).
EXAMPLES_PER_USER = 360
# Query texts that once gave 500s: a filter's message formatted twice ("%"), NUL on PostgreSQL. A lone "%" (what
# a user types to mean "any"), then every other format character in one text (formatting stops at the first that it
# cannot fill, whichever it is), then NUL inside a text.
BAD_QUERY_TEXTS = ["%", "100% %s %(term)s %d", "a\x00b"]
# Versions that are not a version: each must be refused (400), never written and never a server error.
BAD_VERSIONS = ["abc", "1.5", "", "\x00", -1, 0, 2**31, 10**30, 1.5, True, None, [1], {"version": 1}]


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The report's figures, reference data and role groups (the session loaded them; a transactional test before
    may have emptied the database), for this module only (rolled back at the end)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            report_loaded()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def reviewer_token(demo_data, django_user_model):
    reviewer = django_user_model.objects.create_user("schema-reviewer")
    reviewer.groups.add(ensure_role_groups()[Role.REVIEWER])
    return issue_token(reviewer)[1]


@pytest.fixture
def officer_token(demo_data, django_user_model):
    from review.models import RegionAssignment
    from statistics.models import Region

    officer = django_user_model.objects.create_user("schema-officer")
    officer.groups.add(ensure_role_groups()[Role.OFFICER])
    RegionAssignment.objects.create(user=officer, region=Region.objects.lookup("北京"))
    return issue_token(officer)[1]


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
    from config.wsgi import application  # here, not at import: building it touches the database (liveness check)

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


def signed_out_last(found: list) -> list:
    """Signing the token out (token/logout/, token/logoutall/) comes last: the other operations run signed in."""
    return sorted(found, key=lambda operation: "/token/logout" in operation.path)


@pytest.mark.django_db
def test_no_server_errors_for_a_reviewer(api_schema, reviewer_token):
    found = signed_out_last(operations(api_schema))
    for operation in found:
        exercise(operation, {"Authorization": f"Token {reviewer_token}"}, examples_each(found))


@pytest.mark.django_db
def test_no_server_errors_for_an_officer(api_schema, officer_token):
    found = signed_out_last(operations(api_schema))
    for operation in found:
        exercise(operation, {"Authorization": f"Token {officer_token}"}, examples_each(found))


# The inputs that once gave server errors, sent to every operation ---------------------------------------------------


def parameters_in(operation, location: str) -> list[str]:
    return [parameter.name for parameter in operation.iter_parameters() if parameter.location.value == location]


def body_properties(api_schema, operation) -> set:
    """The JSON body's property names (through its component), or an empty set."""
    body = (operation.definition.raw.get("requestBody") or {}).get("content", {}).get("application/json", {})
    reference = body.get("schema", {}).get("$ref", "")
    if not reference.startswith("#/components/schemas/"):
        return set(body.get("schema", {}).get("properties", {}))
    component = api_schema.raw_schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
    return set(component.get("properties", {}))


def bad_inputs(api_schema, operation):
    """(case, what) pairs: format characters and NUL in each query parameter; bad versions where one is taken."""
    path = dict.fromkeys(parameters_in(operation, "path"), 1)  # the report's first records exist for every list
    for name in parameters_in(operation, "query"):
        for text in BAD_QUERY_TEXTS:
            yield operation.Case(path_parameters=path, query={name: text}), f"?{name}={text!r}"
    if "version" in parameters_in(operation, "query"):
        for version in BAD_VERSIONS:
            if isinstance(version, str | int) and not isinstance(version, bool):
                yield operation.Case(path_parameters=path, query={"version": version}), f"?version={version!r}"
    if "version" in body_properties(api_schema, operation):
        for version in BAD_VERSIONS:
            case = operation.Case(path_parameters=path, body={"version": version}, media_type="application/json")
            yield case, f"version={version!r}"


def check_bad_inputs(api_schema, headers: dict) -> int:
    sent = 0
    for operation in signed_out_last(operations(api_schema)):
        for case, what in bad_inputs(api_schema, operation):
            response = case.call(headers=headers)
            sent += 1
            where = f"{case.method} {case.formatted_path} {what}: {response.status_code} {response.text[:300]}"
            assert response.status_code < 500, where
            if "version" in what and case.method.upper() in ("PUT", "PATCH", "DELETE", "POST"):
                assert response.status_code in (400, 403, 404, 405), where  # refused, never written
    return sent


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "reviewer", "officer"])
def test_format_characters_nul_and_bad_versions_are_refused_for_everyone(api_schema, request, who):
    """One test per kind of caller (they ran in one before: the longest test of the suite, which a worker then ran
    alone at the end)."""
    headers = {} if who == "anonymous" else {"Authorization": f"Token {request.getfixturevalue(f'{who}_token')}"}
    assert check_bad_inputs(api_schema, headers) > 300  # every query parameter of every operation


@pytest.mark.django_db
def test_the_schema_documents_the_refusals(client, demo_data):
    document = client.get(SCHEMA_URL, HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            codes = set(operation["responses"])
            assert "400" in codes, (method, path)  # bad input, a NUL at least, is possible everywhere
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert {"403", "409"} <= codes, (method, path)
    summary = document["paths"]["/api/v1/work-summaries/{id}/"]
    assert "403" not in summary["get"]["responses"]  # published summaries are public
    assert {"400", "403", "404", "409"} <= set(summary["patch"]["responses"])
    assert any(parameter["name"] == "version" for parameter in summary["delete"]["parameters"])
    refusal = document["components"]["schemas"]["Refusal"]
    assert "detail" in refusal["properties"]


@pytest.mark.django_db
def test_fields_that_can_be_null_are_marked_nullable(client, demo_data):
    schemas = client.get(SCHEMA_URL, HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["components"]["schemas"]
    assert schemas["WorkSummary"]["properties"]["submitted_at"]["nullable"] is True
    assert schemas["Region"]["properties"]["parent"]["nullable"] is True  # read through a nullable relation
    assert schemas["Platform"]["properties"]["city_name"]["nullable"] is True


@pytest.mark.django_db
def test_every_list_and_detail_answers_as_its_schema_says(api_schema, reviewer_token):
    """Nullable fields in particular: a null where the schema promises a string breaks generated clients."""
    from schemathesis.specs.openapi.checks import response_schema_conformance

    headers = {"Authorization": f"Token {reviewer_token}"}
    checked = 0
    for operation in operations(api_schema):
        if operation.method.upper() != "GET":
            continue
        if "{" in operation.path and set(parameters_in(operation, "path")) != {"id"}:
            continue
        case = operation.Case(path_parameters=dict.fromkeys(parameters_in(operation, "path"), 1))
        response = case.call(headers=headers)
        if response.status_code != 200:
            continue
        case.validate_response(response, checks=[response_schema_conformance], headers=headers)
        checked += 1
    assert checked >= 40


@pytest.mark.django_db
def test_the_api_root_lists_every_endpoint_for_anyone(client):
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert {"annual-returns", "region-patent-figures", "work-summaries", "review-events"} <= set(response.json())
