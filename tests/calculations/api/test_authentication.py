"""API tokens (django-rest-knox: digests with an expiry) and the throttles of requests that fail to
authenticate (calculations.api.authentication)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

RATE = 3


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": f"{RATE}/minute", "failed_token": f"{RATE}/minute"}}


def client_with(header: str | None = None, address: str = "192.0.2.20") -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    if header is not None:
        client.credentials(HTTP_AUTHORIZATION=header)
    return client


def test_a_token_is_stored_as_a_digest_never_as_its_text(analyst):
    _, text = AuthToken.objects.create(user=analyst)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AuthToken._meta.db_table}")
        stored = " ".join(map(str, cursor.fetchall()))
    assert text not in stored
    assert client_with(f"Token {text}").get("/api/runs").status_code == 200


def test_a_new_token_expires_after_the_configured_days(analyst, settings):
    token, _ = AuthToken.objects.create(user=analyst)
    assert token.expiry - timezone.now() == pytest.approx(timedelta(days=90), abs=timedelta(minutes=1))


def test_an_expired_token_is_a_401_and_is_deleted(analyst):
    token, text = AuthToken.objects.create(user=analyst, expiry=timedelta(seconds=-1))
    response = client_with(f"Token {text}").get("/api/runs")
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"
    assert not AuthToken.objects.filter(digest=token.digest).exists()


def test_wrong_tokens_from_one_address_get_429_past_the_rate(analyst, low_rates):
    client = client_with("Token " + "0" * 64)
    statuses = [client.get("/api/runs").status_code for _ in range(RATE + 2)]
    assert statuses == [401] * RATE + [429] * 2
    response = client.get("/api/runs")
    assert response.json()["error"]["code"] == "throttled" and int(response["Retry-After"]) > 0
    # Another address is not held back by this one's failures.
    assert client_with("Token " + "0" * 64, address="192.0.2.21").get("/api/runs").status_code == 401


def test_an_address_past_the_failed_token_rate_is_refused_its_good_token_too(analyst, low_rates):
    _, text = AuthToken.objects.create(user=analyst)
    for _ in range(RATE):
        client_with("Token wrong").get("/api/runs")
    assert client_with(f"Token {text}").get("/api/runs").status_code == 429
    assert client_with(f"Token {text}", address="192.0.2.22").get("/api/runs").status_code == 200


def test_anonymous_requests_are_counted_before_their_401(db, low_rates):
    statuses = [client_with().get("/api/runs").status_code for _ in range(RATE + 2)]
    assert statuses == [401] * RATE + [429] * 2


def test_a_token_that_is_not_utf8_is_a_401_not_a_500(db):
    client = APIClient()
    response = client.get("/api/runs", HTTP_AUTHORIZATION="Token \xe9\xff".encode("latin-1").decode("latin-1"))
    assert response.status_code == 401
