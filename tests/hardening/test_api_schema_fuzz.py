"""Fuzzing the REST API with schemathesis against the project's own OpenAPI schema.

Every operation of /api/schema is called in process through the WSGI application with a DRF token,
with requests generated from the schema (valid and invalid ones). Each answer must not be a 5xx and
must conform to the schema: documented status code, content type, body shape and headers.
Bounded: 25 examples per operation and phase (HARDENING_FUZZ_EXAMPLES=500 for a deeper local run), no
deadline (CI machines are slow).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, settings

from schemathesis.specs.openapi.checks import positive_data_acceptance

from env5001site.wsgi import application

from .conftest import GOOD_CSV

def _project_schema():
    """The schema /api/schema serves (it needs a login, so it is generated here rather than fetched)."""
    from drf_spectacular.generators import SchemaGenerator

    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = application
    return loaded


schema = _project_schema()

# Operations whose schema-valid requests may still be refused with 400 for a reason no schema can say:
# the file's content (an upload is any bytes), a region or version that does not exist in the database,
# runs that overlap (or, for an inventory, chosen runs outside its period, a project that does not exist).
# Every other check still applies to them (no 5xx, documented status and shape).
DOMAIN_VALIDATED = {
    ("POST", "/api/energy"), ("POST", "/energy"), ("POST", "/api/runs/{id}/reevaluate"), ("GET", "/api/periods"),
    ("GET", "/api/inventory"), ("GET", "/api/inventory/bridge"), ("POST", "/api/inventory/restate"),
}


@pytest.fixture
def api_token(db, analyst, methodology_v1):
    """A token, and two saved runs so that run ids 1-2 (and their re-evaluation) exist often enough.

    Called straight through the WSGI handler, each request would start and end by closing the database
    connection (close_old_connections), and with it the test's transaction on PostgreSQL: it is
    unhooked while fuzzing, as Django's test client does for each of its requests (so only after the
    test client's last request here)."""
    from django.core import signals
    from django.db import close_old_connections
    from knox.models import AuthToken
    from rest_framework.test import APIClient

    token = AuthToken.objects.create(user=analyst)[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    for label in ("a", "b"):
        assert client.post(f"/api/energy?label={label}", data=GOOD_CSV, content_type="text/csv").status_code == 201
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield token
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@schema.hook
def map_path_parameters(context, path_parameters):
    """Point generated ids at the saved runs and version 1 half of the time, so the 200 answers are
    fuzzed too and not only the 404s."""
    from calculations.models import Run

    if not path_parameters:
        return path_parameters
    ids = list(Run.objects.values_list("pk", flat=True))
    for name, value in path_parameters.items():
        if isinstance(value, int) and value % 2 == 0:
            path_parameters[name] = ids[value % len(ids)] if name == "id" and ids else 1
    return path_parameters


@schema.parametrize()
@settings(max_examples=int(os.environ.get("HARDENING_FUZZ_EXAMPLES", 25)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])
def test_the_api_never_fails_and_answers_as_its_schema_says(case, api_token):
    cache.clear()  # the throttle counts per user in the cache: fuzzing is not a client over its quota
    excluded = [positive_data_acceptance] if (case.method.upper(), case.path) in DOMAIN_VALIDATED else []
    case.call_and_validate(headers={"Authorization": f"Token {api_token}"}, excluded_checks=excluded)


@pytest.mark.parametrize("url", ["/api/runs/abc", "/api/runs/1/nothing", "/api/nothing"])
def test_an_unknown_api_url_answers_the_json_error_shape(token_client, url):
    response = token_client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


def test_an_unknown_page_url_keeps_django_s_html_404(web_client):
    response = web_client.get("/runs/abc/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
