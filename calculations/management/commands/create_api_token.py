"""Create an API token for a user and print it once: only its digest is stored. The user's expired tokens
are deleted then (calculations.api.authentication.delete_expired_tokens: not on every request, as knox did)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from knox.models import AuthToken
from knox.settings import knox_settings

from calculations.api.authentication import delete_expired_tokens


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (it cannot be shown again: only its digest is kept)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=None,
                            help="days before the token expires (default: API_TOKEN_TTL_DAYS; 0: never)")

    def handle(self, *args, username, days, **options):
        try:
            user = get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No active user {username!r}.") from None
        if days is not None and days < 0:
            raise CommandError("--days is a number of days from 0 (never expires).")
        ttl = knox_settings.TOKEN_TTL if days is None else (timedelta(days=days) if days else None)
        token, text = AuthToken.objects.create(user=user, expiry=ttl)
        delete_expired_tokens(user)
        expires = f"expires {token.expiry:%Y-%m-%d %H:%M} UTC" if token.expiry else "never expires"
        self.stderr.write(f"API token for {username} ({expires}); send it as 'Authorization: Token <token>':")
        self.stdout.write(text)
