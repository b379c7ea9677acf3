"""Pages are throttled per user and per address (calculations.middleware.PageThrottleMiddleware)."""

import pytest
from django.test import Client

RATE = 3


@pytest.fixture
def low_page_rates(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "page_anon": f"{RATE}/minute", "page_user": f"{RATE}/minute"}}


def test_an_address_past_the_anonymous_page_rate_gets_a_429_page(db, low_page_rates):
    client = Client(REMOTE_ADDR="192.0.2.30")
    statuses = [client.get("/accounts/login/").status_code for _ in range(RATE + 1)]
    assert statuses == [200] * RATE + [429]
    response = client.get("/accounts/login/")
    assert "Too many requests: try again in" in response.content.decode() and int(response["Retry-After"]) > 0
    assert Client(REMOTE_ADDR="192.0.2.31").get("/accounts/login/").status_code == 200


def test_a_user_past_the_page_rate_gets_a_429_page(page_client, low_page_rates):
    statuses = [page_client.get("/runs/").status_code for _ in range(RATE + 1)]
    assert statuses == [200] * RATE + [429]


def test_the_api_is_not_counted_by_the_page_rate(api_client, low_page_rates):
    assert {api_client.get("/api/runs").status_code for _ in range(RATE + 1)} == {200}
