"""A logged-in session ends after SESSION_COOKIE_AGE seconds without a request (calculations.middleware)."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from calculations import middleware


@pytest.fixture
def idle_timeout(settings):
    settings.SESSION_COOKIE_AGE = 600
    return timedelta(seconds=600)


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_idle_past_the_timeout_is_sent_to_log_in(page_client, idle_timeout):
    assert page_client.get("/runs/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = page_client.get("/runs/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_login_session_ends_after_the_idle_timeout(client, analyst, idle_timeout):
    assert client.post("/accounts/login/", {"username": "analyst", "password": "analyst-password-1"}).status_code == 302
    remaining = session_row(client).expire_date - timezone.now()
    assert idle_timeout - timedelta(seconds=30) < remaining <= idle_timeout


def test_a_request_pushes_the_end_of_an_active_session_back(page_client, idle_timeout, monkeypatch):
    page_client.get("/runs/")
    Session.objects.update(expire_date=timezone.now() + timedelta(seconds=5))
    later = middleware.time.time() + middleware.SESSION_REFRESH_SECONDS
    monkeypatch.setattr(middleware.time, "time", lambda: later)
    assert page_client.get("/runs/").status_code == 200
    assert session_row(page_client).expire_date - timezone.now() > idle_timeout - timedelta(seconds=30)


def test_requests_within_a_minute_do_not_rewrite_the_session(page_client, idle_timeout):
    page_client.get("/runs/")
    before = session_row(page_client).expire_date
    page_client.get("/runs/")
    assert session_row(page_client).expire_date == before


def test_the_first_request_after_login_does_not_rewrite_the_session(page_client, idle_timeout):
    """The login's own save sets the end (calculations.apps connects the receiver, held strongly)."""
    before = session_row(page_client).expire_date
    page_client.get("/runs/")
    assert session_row(page_client).expire_date == before
