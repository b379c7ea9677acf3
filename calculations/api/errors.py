"""One JSON error shape for every API refusal:

    {"error": {"code": "...", "message": "...", "details": [{"line": ..., "path": ..., "message": ...}]}}
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from calculations.engine.analytics import AnalyticsError
from calculations.presentation.messages import refusal_summary, translated_issue


def error_body(code: str, message: str, details: list[dict] | None = None) -> dict:
    """The error shape itself; every API refusal is built by this function."""
    return {"error": {"code": code, "message": message, "details": details or []}}


def error_detail(path: str | None, message: str, line: int | None = None) -> dict:
    """One entry of `details`: where (line, key path) and what."""
    return {"line": line, "path": path, "message": message}


def error_response(http_status: int, code: str, message: str, details: list[dict] | None = None, headers=None) -> Response:
    return Response(error_body(code, message, details), status=http_status, headers=headers)


class OptionRefused(exceptions.APIException):
    """400 for an option that would otherwise be ignored (calculations/api/options.py), with its own code."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, code: str, problems: list[tuple[str, str]]):
        self.body = error_body(code, "; ".join(f"{name}: {message}" for name, message in problems),
                               [error_detail(name, message) for name, message in problems])
        super().__init__(self.body["error"]["message"])


def invalid_option_response(error) -> Response:
    """400 for an option the methodology version does not know (services.InvalidOption: region, version…)."""
    return error_response(status.HTTP_400_BAD_REQUEST, f"invalid_{error.field}", str(error),
                          [error_detail(error.field, str(error))])


class TooLarge(exceptions.APIException):
    """A body over the analytics cap, found while reading it (the declared size is checked earlier)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def analytics_error_response(error: AnalyticsError) -> Response:
    details = [translated_issue(i).as_dict() for i in error.issues]
    return error_response(status.HTTP_400_BAD_REQUEST, error.code, refusal_summary(error.issues), details)


_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    429: "throttled",
}


def _details(detail, path: str = "") -> list[dict]:
    if isinstance(detail, dict):
        return [d for key, value in detail.items() for d in _details(value, f"{path}.{key}" if path else str(key))]
    if isinstance(detail, list):
        return [d for item in detail for d in _details(item, path)]
    return [error_detail(path or None, str(detail))]


def exception_handler(exc, context):
    if isinstance(exc, AnalyticsError):
        return analytics_error_response(exc)
    if isinstance(exc, OptionRefused):
        return Response(exc.body, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, (TooManyFilesSent, TooManyFieldsSent, RequestDataTooBig)):
        # Django's limits on a multipart body (one file a request): a 400 in the API's shape, not its HTML page.
        exc = exceptions.ParseError(str(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    http_status = response.status_code
    code = _CODES.get(http_status, "error")
    if isinstance(exc, exceptions.APIException):
        if isinstance(exc.detail, (dict, list)):
            details = _details(exc.detail)
            message = "; ".join(f"{d['path']}: {d['message']}" if d["path"] else d["message"] for d in details)
        else:
            details, message = [], str(exc.detail)
            code = getattr(exc.detail, "code", None) if http_status not in _CODES else code
    else:
        details, message = [], str(exc)
    headers = {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")}
    return error_response(http_status, code or "error", message, details, headers=headers)


def is_api_request(request) -> bool:
    return request.path.startswith(("/api/", "/energy"))


def page_not_found(request, exception):
    """handler404: an unknown URL under /api/ (e.g. /api/runs/abc) answers the API's JSON error shape;
    every other path keeps Django's page."""
    if is_api_request(request):
        return JsonResponse(error_body("not_found", _("No such API endpoint.")), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """handler500: API clients get the JSON error shape (never a traceback), pages Django's page."""
    if is_api_request(request):
        return JsonResponse(error_body("server_error", _("Internal error: nothing was saved. "
                                         "Try again; if it persists, tell the administrator.")), status=500)
    return defaults.server_error(request)
