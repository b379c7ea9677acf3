"""API authentication: knox tokens (stored as SHA-512 digests, with an expiry), whose failures are
counted per address, and a last step that counts unauthenticated requests before their 401.

DRF checks throttles after authentication and permissions: a wrong token or no credentials got a 401
at any rate. Both are counted here, in the shared cache (calculations.throttles).

A token is checked in one query, which also answers whether its user is an auditor (audit.roles): every
statement of a request is a round trip to the database, and a typical upload has 50 ms in all (issue 19).
"""

from __future__ import annotations

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from audit.roles import auditor_exists, remember_auditor
from calculations.throttles import ScopedRateThrottle


class TokenAuthentication(KnoxTokenAuthentication):
    """`Authorization: Token <token>`; an address that sent too many wrong tokens gets 429 until its
    count falls under the `failed_token` rate, whatever token it sends."""

    def authenticate(self, request):
        throttle = ScopedRateThrottle("failed_token", by_user=False)
        if throttle.over_limit(request):
            raise exceptions.Throttled(throttle.wait())
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle.count()
            raise

    def authenticate_credentials(self, token):
        """knox's check of a token, in one query: the tokens of its key, their user, and whether that
        user is an auditor (audit.roles.auditor_exists, remembered on the user for the permission check).

        With knox's own a request ran three: the token with its user, then every token of the user
        (knox's sweep of their expired tokens, on every request), and later the user's groups for the
        auditor check (NotAuditor). The sweep is done when a token is created instead
        (delete_expired_tokens), in one DELETE: a user's other expired tokens stay in the table until
        their next token is created, refused as ever meanwhile (each token's expiry is checked here).

        As knox: each token of the key is compared by its digest; an expired one is deleted (knox's
        `token_expired` signal) and skipped, so an expired token gets "Invalid token."; an inactive
        user is refused; AUTO_REFRESH (off in settings.py) renews the token's expiry."""
        invalid = _("Invalid token.")
        try:
            token = token.decode("utf-8")
        except UnicodeDecodeError:  # knox decodes it unguarded (a 500)
            raise exceptions.AuthenticationFailed(invalid) from None
        candidates = (get_token_model().objects.filter(token_key=token[:CONSTANTS.TOKEN_KEY_LENGTH])
                      .select_related("user").annotate(user_is_auditor=auditor_exists("user")))
        for auth_token in candidates:
            if self.deleted_as_expired(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(invalid) from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                remember_auditor(auth_token.user, auth_token.user_is_auditor)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(invalid)

    def deleted_as_expired(self, auth_token) -> bool:
        """Delete `auth_token` if it has expired, with knox's signal; whether it had."""
        if auth_token.expiry is None or auth_token.expiry >= timezone.now():
            return False
        username = auth_token.user.get_username()
        auth_token.delete()
        token_expired.send(sender=self.__class__, username=username, source="auth_token")
        return True


def delete_expired_tokens(user) -> int:
    """Delete the expired API tokens of `user` in one statement; how many. Called where a token is
    created (the create_api_token command, the admin), in place of knox's sweep on every request
    (TokenAuthentication.authenticate_credentials says why); knox's signal is sent for each, as there."""
    deleted, _by_model = get_token_model().objects.filter(user=user, expiry__lt=timezone.now()).delete()
    for _token in range(deleted):
        token_expired.send(sender=TokenAuthentication, username=user.get_username(), source="other_token")
    return deleted


class UnauthenticatedRateAuthentication(BaseAuthentication):
    """Last of DEFAULT_AUTHENTICATION_CLASSES: a request that no authenticator accepted is counted
    against the `anon` rate of its address here, before the permission check answers 401."""

    def authenticate(self, request):
        throttle = ScopedRateThrottle("anon", by_user=False)
        if throttle.over_limit(request):
            raise exceptions.Throttled(throttle.wait())
        throttle.count()
        return None


class TokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI security scheme of the tokens: `Authorization: Token <token>`, named as before knox."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization",
                                                   token_prefix=self.target.authenticate_header(None))
