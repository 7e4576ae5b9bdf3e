"""schemathesis against the live OpenAPI document, once per role: every operation, a bounded
number of generated requests each, and three checks on every answer: no server error, the
body matches the documented schema, the status is one the operation documents.

The document is read from ``/api/v1/openapi.json`` through the project's WSGI application, and
the requests go through the same application in this process, so the test runs on the suite's
database (SQLite or PostgreSQL) with no server and no network. Writes need ``If-Match``, which
the document cannot express as a parameter; half the runs send the version the seeded claims
have, so writes get past the precondition and reach the services.
"""

from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from claims.services.api_tokens import api_token_create
from tests.support.factories import ClaimFactory, SourceFactory, StoryFactory, UserFactory

EXAMPLES = 8  # per operation, per identity, per flavour: about 600 requests in all
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
ROLES = ("reporter", "editor", "moderator")


@pytest.fixture(autouse=True)
def _no_long_polls(monkeypatch):
    """``/events?wait=`` would hold a request for up to 30 s; the check is about shapes."""
    monkeypatch.setattr("claims.api.events.MAX_WAIT", 0)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: the WSGI handler must not close the connection that
    holds the test's transaction at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, settings):
    settings.CLAIMDESK_API_RATE_LIMIT = 100_000  # the rate limit has its own test
    editor = UserFactory(username="st-editor", role="editor")
    story = StoryFactory(actor=editor, title="Flight PS752", is_public=True)
    private = StoryFactory(actor=editor, title="Embargoed", is_public=False)
    claims = [ClaimFactory(story=s, actor=editor) for s in (story, story, private)]
    SourceFactory(name="Canada's foreign minister")
    tokens = {}
    for role in ROLES:
        user = editor if role == "editor" else UserFactory(username=f"st-{role}", role=role)
        tokens[role] = api_token_create(user=user, name=f"st {role}", scope="write")[1]
    tokens["read-only"] = api_token_create(user=editor, name="st read", scope="read")[1]
    return {"tokens": tokens, "claims": claims, "story": story}


def _schema():
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def _run(operation, headers, path_parameters, stats, found, mode=GenerationMode.POSITIVE):
    strategy = operation.as_strategy(mode, headers=headers, path_parameters=path_parameters)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def exercise(case):
        response = case.call(headers={"Host": "testserver"})
        stats["calls"] += 1
        stats[f"status {response.status_code}"] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as group:
            for failure in group.exceptions:
                key = (operation.label, type(failure).__name__, response.status_code)
                found.setdefault(key, f"{failure.title}: {failure.message}"[:400])

    try:
        exercise()
    except Unsatisfiable:
        # Nothing to make invalid (no parameters, no body): the positive runs cover it.
        assert mode == GenerationMode.NEGATIVE, operation.label


def test_every_operation_for_every_role_conforms(world, capsys):
    schema = _schema()
    operations = [result.ok() for result in schema.get_all_operations()]
    stats: Counter = Counter()
    found: dict = {}
    claim = world["claims"][0]
    for operation in operations:
        for _identity, token in world["tokens"].items():
            auth = {"Authorization": f"Bearer {token}"}
            _run(operation, auth, None, stats, found)
            if "claim_id" in operation.path:
                # The seeded claim at its current version: the write reaches the service.
                fixed = {"claim_id": claim.pk}
                claim.refresh_from_db()
                headers = {**auth, "If-Match": f'"{claim.version}"'}
                _run(operation, headers, fixed, stats, found)
        _run(operation, {}, None, stats, found)  # anonymous
        # Invalid input (wrong types, missing or unknown fields): documented problems, no 500.
        auth = {"Authorization": f"Bearer {world['tokens']['editor']}"}
        _run(operation, auth, None, stats, found, GenerationMode.NEGATIVE)

    summary = (
        f"schemathesis: {len(operations)} operations, {stats['calls']} calls, "
        f"{len(found)} failures; statuses "
        + ", ".join(f"{k.split()[1]}×{v}" for k, v in sorted(stats.items()) if k != "calls")
    )
    with capsys.disabled():
        print("\n" + summary)
    assert len(operations) >= 19
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in sorted(found.items()))


def test_the_document_has_every_operation_the_routers_serve(db):
    """Only the event stream (Server-Sent Events, not JSON) is left out of the document."""
    from claims.api.app import api

    served = {
        f"{method} /api/v1{path}"
        for _prefix, router in api._routers
        for path, view in router.path_operations.items()
        for operation in view.operations
        if operation.include_in_schema
        for method in operation.methods
    }
    documented = {result.ok().label for result in _schema().get_all_operations()}
    assert documented == served
