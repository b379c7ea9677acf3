"""manage.py create_api_token: a token printed once, stored as a digest, with an expiry."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient


def create(capsys, *args) -> str:
    call_command("create_api_token", *args)
    return capsys.readouterr().out.strip()


def test_the_printed_token_authenticates_its_user(analyst, capsys):
    text = create(capsys, "analyst")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    assert client.get("/api/runs").status_code == 200
    assert AuthToken.objects.get().user == analyst


@pytest.mark.parametrize(("days", "expected"), [("7", timedelta(days=7)), ("0", None)])
def test_days_sets_the_expiry_and_zero_means_never(analyst, capsys, days, expected):
    create(capsys, "analyst", "--days", days)
    expiry = AuthToken.objects.get().expiry
    if expected is None:
        assert expiry is None
    else:
        assert expiry - timezone.now() == pytest.approx(expected, abs=timedelta(minutes=1))


def test_a_new_token_deletes_its_user_s_expired_tokens_only(analyst, django_user_model, capsys):
    other = django_user_model.objects.create_user("other", password="other-password-1")
    AuthToken.objects.create(user=analyst, expiry=timedelta(seconds=-1))
    kept = {AuthToken.objects.create(user=analyst)[0].digest,
            AuthToken.objects.create(user=other, expiry=timedelta(seconds=-1))[0].digest}
    create(capsys, "analyst")
    new = AuthToken.objects.exclude(digest__in=kept).get()
    assert new.user == analyst and new.expiry > timezone.now()
    assert AuthToken.objects.count() == len(kept) + 1


def test_an_unknown_user_is_refused(db):
    with pytest.raises(CommandError, match="No active user 'nobody'"):
        call_command("create_api_token", "nobody")
