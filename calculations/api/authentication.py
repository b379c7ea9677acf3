"""API authentication: knox tokens (stored as SHA-512 digests, with an expiry), whose failures are
counted per address, and a last step that counts unauthenticated requests before their 401.

DRF checks throttles after authentication and permissions: a wrong token or no credentials got a 401
at any rate. Both are counted here, in the shared cache (calculations.throttles)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

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
        try:
            token.decode("utf-8")
        except UnicodeDecodeError:  # knox decodes it unguarded (a 500)
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        return super().authenticate_credentials(token)


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
