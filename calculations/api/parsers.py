"""The analytics of POST /api/energy, from a multipart form or a raw body, as bytes in memory."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.parsers import BaseParser

from calculations.uploads import RAW_CONTENT_TYPES, UPLOAD_FIELD, UploadRefused, read_capped, \
    refuse_if_declared_too_large, uploaded_file_bytes

from .errors import TooLarge


class RawAnalyticsParser(BaseParser):
    """A raw YAML, JSON or CSV body, kept as bytes for the analytics parser."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        if stream is None:
            return b""
        try:
            return read_capped(stream)  # never more than the cap in memory, whatever the declared size
        except UploadRefused as refused:
            raise TooLarge(str(refused)) from None


def read_analytics(request) -> tuple[bytes, str | None, str | None, dict[str, str]]:
    """(bytes, file name, content type, form fields) of a DRF request, multipart or raw; UploadRefused
    (400, 413, 415) when it carries no usable analytics."""
    content_type = (request.content_type or "").split(";")[0].strip().lower()
    if content_type.startswith("multipart/form-data") or content_type == "application/x-www-form-urlencoded":
        data, filename, file_content_type = uploaded_file_bytes(request._request, request.FILES)
        form = {k: v for k, v in request.data.items() if k != UPLOAD_FIELD and isinstance(v, str)}
        return data, filename, file_content_type, form
    if content_type not in RAW_CONTENT_TYPES:
        raise UploadRefused(
            415, "unsupported_media_type",
            _("Unsupported content type %(type)s: send multipart/form-data with the field '%(field)s', "
              "or a raw body as %(raw)s.") % {"type": repr(content_type) if content_type else _("(none)"),
                                                "field": UPLOAD_FIELD, "raw": ", ".join(sorted(RAW_CONTENT_TYPES))},
        )
    refuse_if_declared_too_large(request, framing=0)  # a raw body is the analytics: no multipart slack
    data = request.data
    if not data:
        raise UploadRefused(400, "empty", _("The request body is empty: send the analytics."))
    return data, None, content_type, {}
