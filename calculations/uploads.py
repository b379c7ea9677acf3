
"""Upload handling that never writes the analytics to disk."""

from io import BytesIO

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _

from calculations.engine.parser import CONTENT_TYPES
from calculations.presentation.numbers import binary_size


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keep every uploaded file in memory, whatever its size, up to the analytics cap.

    Django's default chain spills files over 2.5 MB to a temporary file; analytics must
    never touch the disk, so this handler replaces both defaults.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.ANALYTICS_MAX_UPLOAD_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        self.buffer.write(raw_data)

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


class UploadRefused(Exception):
    """The request carries no usable analytics; `status` is the HTTP answer (400, 413, 415)."""

    def __init__(self, status: int, code: str, message: str):
        self.status = status
        self.code = code
        super().__init__(message)


# A raw body is accepted under any content type the parser knows.
RAW_CONTENT_TYPES = CONTENT_TYPES
UPLOAD_FIELD = "analytics_file"


MULTIPART_FRAMING = 64 * 1024  # multipart framing adds a few hundred bytes around the file itself


def refuse_if_declared_too_large(request, *, framing: int = MULTIPART_FRAMING) -> None:
    """413 from the Content-Length header alone, before a byte of the body is read.

    `framing` is the slack allowed above the cap for the multipart envelope: a raw body is the
    analytics themselves and gets none (framing=0)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise UploadRefused(400, "bad_request", _("Invalid Content-Length header.")) from None
    if declared > settings.ANALYTICS_MAX_UPLOAD_BYTES + framing:
        raise UploadRefused(413, "too_large", _too_large_message())


def _too_large_message() -> str:
    return _("The analytics are larger than the limit of %(size)s.") % {
        "size": binary_size(settings.ANALYTICS_MAX_UPLOAD_BYTES)}


def uploaded_file_bytes(request, files) -> tuple[bytes, str | None, str | None]:
    """(bytes, file name, content type) of the multipart field `analytics_file`."""
    if getattr(request, "upload_too_large", False):
        raise UploadRefused(413, "too_large", _too_large_message())
    upload = files.get(UPLOAD_FIELD)
    if upload is None:
        raise UploadRefused(400, "missing_file", _("The multipart request has no '%(field)s' file field.") % {"field": UPLOAD_FIELD})
    # The handler kept the upload in a BytesIO: take its buffer rather than copying it again.
    buffer = upload.file
    data = buffer.getvalue() if hasattr(buffer, "getvalue") else upload.read()
    if not data:
        raise UploadRefused(400, "empty", _("The uploaded file '%(name)s' is empty.") % {"name": upload.name})
    return data, upload.name, upload.content_type
