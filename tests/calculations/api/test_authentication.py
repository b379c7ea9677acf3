"""API tokens (django-rest-knox: digests with an expiry) and the throttles of requests that fail to
authenticate (calculations.api.authentication)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from knox.signals import token_expired
from rest_framework.test import APIClient

from calculations.api.authentication import delete_expired_tokens

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


# One query checks the token, loads its user and answers whether the user is an auditor (issue 19).

def token_queries(captured) -> list[str]:
    """The statements of a request about tokens or groups (the auditor role)."""
    return [query["sql"] for query in captured.captured_queries
            if "knox_authtoken" in query["sql"] or "auth_group" in query["sql"]]


def test_a_token_request_is_authenticated_in_one_query(analyst):
    client = client_with(f"Token {AuthToken.objects.create(user=analyst)[1]}")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/methodology/versions").status_code == 200
    assert len(token_queries(captured)) == 1  # knox's own: two (the token with its user, the user's tokens)


def test_the_same_query_answers_the_auditor_check_of_an_upload(analyst):
    client = client_with(f"Token {AuthToken.objects.create(user=analyst)[1]}")
    with CaptureQueriesContext(connection) as captured:  # refused after the permission checks (NotAuditor)
        assert client.post("/api/energy", data=b"", content_type="text/csv").status_code == 400
    [query] = token_queries(captured)
    assert "knox_authtoken" in query and "auth_group" in query


def test_a_request_deletes_nothing(analyst):
    """The user's other expired tokens are deleted when a token is created, not on each request."""
    other_expired, _ = AuthToken.objects.create(user=analyst, expiry=timedelta(seconds=-1))
    client = client_with(f"Token {AuthToken.objects.create(user=analyst)[1]}")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/methodology/versions").status_code == 200
    assert not [query for query in captured.captured_queries if query["sql"].startswith("DELETE")]
    assert AuthToken.objects.filter(digest=other_expired.digest).exists()


def test_an_expired_token_sends_knox_s_signal(analyst):
    _, text = AuthToken.objects.create(user=analyst, expiry=timedelta(seconds=-1))
    sent = []

    def receive(sender, username, source, **kwargs):
        sent.append((username, source))

    token_expired.connect(receive)
    try:
        assert client_with(f"Token {text}").get("/api/runs").status_code == 401
    finally:
        token_expired.disconnect(receive)
    assert sent == [("analyst", "auth_token")]


def test_an_inactive_user_s_token_is_refused(analyst):
    _, text = AuthToken.objects.create(user=analyst)
    analyst.is_active = False
    analyst.save()
    response = client_with(f"Token {text}").get("/api/runs")
    assert response.status_code == 401 and "inactive" in response.json()["error"]["message"]


def test_with_auto_refresh_a_request_renews_its_token_as_knox_does(analyst, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "AUTO_REFRESH": True}  # off in settings.py
    token, text = AuthToken.objects.create(user=analyst, expiry=timedelta(days=1))
    assert client_with(f"Token {text}").get("/api/runs").status_code == 200
    token.refresh_from_db()
    assert token.expiry - timezone.now() == pytest.approx(timedelta(days=90), abs=timedelta(minutes=1))


def test_a_token_of_a_known_key_but_a_wrong_digest_is_refused_and_counted(analyst, low_rates):
    _, text = AuthToken.objects.create(user=analyst)
    forged = text[:-1] + ("0" if text[-1] != "0" else "1")  # the same token_key, another digest
    statuses = [client_with(f"Token {forged}").get("/api/runs").status_code for _ in range(RATE + 1)]
    assert statuses == [401] * RATE + [429]


# The sweep of a user's expired tokens, where a token is created.

def test_delete_expired_tokens_deletes_the_user_s_expired_tokens_in_one_statement(analyst, django_user_model,
                                                                                  django_assert_num_queries):
    other = django_user_model.objects.create_user("other", password="other-password-1")
    expired = [AuthToken.objects.create(user=analyst, expiry=timedelta(seconds=-1))[0] for _ in range(2)]
    kept = [AuthToken.objects.create(user=analyst)[0], AuthToken.objects.create(user=analyst, expiry=None)[0],
            AuthToken.objects.create(user=other, expiry=timedelta(seconds=-1))[0]]
    with django_assert_num_queries(1):
        assert delete_expired_tokens(analyst) == len(expired)
    assert set(AuthToken.objects.values_list("digest", flat=True)) == {token.digest for token in kept}


def test_a_token_created_in_the_admin_deletes_its_user_s_expired_tokens(analyst, admin_client):
    expired, _ = AuthToken.objects.create(user=analyst, expiry=timedelta(seconds=-1))
    response = admin_client.post("/admin/knox/authtoken/add/", {"user": analyst.pk, "expiry_0": "", "expiry_1": ""})
    assert response.status_code == 302
    assert not AuthToken.objects.filter(digest=expired.digest).exists()
    assert AuthToken.objects.filter(user=analyst).count() == 1
