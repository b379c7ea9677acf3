"""Login lockout (issue 20, item 3): 60 wrong passwords in 28 s, then the right one, logged in, on the
login page and the admin's. Failures are now counted per account and per address (django-axes, in the
cache): past LOGIN_FAILURE_LIMIT, the account, and the address, are locked out with a 429 that says why,
until the cool-off ends or an administrator unlocks them."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client


PASSWORD = "analyst-password-1"
LOGIN_PAGES = ["/accounts/login/", "/admin/login/"]


@pytest.fixture
def staff_analyst(analyst):
    """The admin login page admits staff only: the analyst is made staff to log in there."""
    analyst.is_staff = True
    analyst.save()
    return analyst


def log_in(path: str, username: str, password: str, address: str = "192.0.2.10"):
    return Client(REMOTE_ADDR=address).post(path, {"username": username, "password": password})


def logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


@pytest.mark.parametrize("path", LOGIN_PAGES)
def test_the_right_password_after_60_wrong_ones_is_refused_with_a_clear_429(staff_analyst, path, settings):
    statuses = [log_in(path, "analyst", f"wrong-{n}").status_code for n in range(60)]
    assert statuses[:settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert set(statuses[settings.AXES_FAILURE_LIMIT - 1:]) == {429}
    response = log_in(path, "analyst", PASSWORD)
    assert response.status_code == 429 and not logged_in(response)
    page = response.content.decode()
    assert "Too many failed logins for this account or from this address" in page
    assert "locked for 15 minutes" in page
    assert int(response["Retry-After"]) == 15 * 60


def test_an_account_is_locked_whatever_address_the_failures_come_from(staff_analyst, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in("/accounts/login/", "analyst", "wrong", address=f"198.51.100.{n}")
    assert log_in("/accounts/login/", "analyst", PASSWORD, address="203.0.113.1").status_code == 429


def test_an_address_is_locked_whatever_accounts_it_tries(staff_analyst, django_user_model, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in("/accounts/login/", f"someone-{n}", "wrong", address="198.51.100.7")
    assert log_in("/accounts/login/", "analyst", PASSWORD, address="198.51.100.7").status_code == 429
    assert logged_in(log_in("/accounts/login/", "analyst", PASSWORD, address="203.0.113.2"))


def test_a_login_under_the_limit_succeeds_and_clears_the_count(staff_analyst, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in("/accounts/login/", "analyst", "wrong")
    assert logged_in(log_in("/accounts/login/", "analyst", PASSWORD))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in("/accounts/login/", "analyst", "wrong")
    assert logged_in(log_in("/accounts/login/", "analyst", PASSWORD))


def test_an_administrator_unlocks_an_account_from_the_users_admin(staff_analyst, admin_client, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in("/accounts/login/", "analyst", "wrong", address=f"198.51.100.{n}")
    assert log_in("/accounts/login/", "analyst", PASSWORD, address="203.0.113.3").status_code == 429
    response = admin_client.post("/admin/auth/user/", {"action": "unlock_login", "_selected_action": [staff_analyst.pk]},
                                 follow=True)
    assert "Login unlocked for 1 account." in response.content.decode()
    assert logged_in(log_in("/accounts/login/", "analyst", PASSWORD, address="203.0.113.3"))


def test_an_administrator_unlocks_an_address_with_a_command(staff_analyst, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in("/accounts/login/", f"someone-{n}", "wrong", address="198.51.100.9")
    assert log_in("/accounts/login/", "analyst", PASSWORD, address="198.51.100.9").status_code == 429
    call_command("axes_reset_ip", "198.51.100.9")
    assert logged_in(log_in("/accounts/login/", "analyst", PASSWORD, address="198.51.100.9"))
