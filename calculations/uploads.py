
"""Upload handling that never writes the analytics to disk."""

from io import BytesIO

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from calculations.engine.parser import CONTENT_TYPES
from calculations.presentation.numbers import binary_size


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keep the uploaded file in memory, whatever its size, up to the analytics cap.

    Django's default chain spills files over 2.5 MB to a temporary file; analytics must
    never touch the disk, so this handler replaces both defaults. Django makes one handler per
    request, so `received` counts the bytes of every file of the request together: the cap
    bounds the request, not each of its files (DATA_UPLOAD_MAX_NUMBER_FILES admits one anyway).
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        """Before the parser reads a byte: a body declared larger than the cap plus its framing is
        not parsed at all (BodySizeLimitMiddleware refuses it earlier; this holds wherever it is absent)."""
        if content_length > settings.ANALYTICS_MAX_UPLOAD_BYTES + MULTIPART_FRAMING:
            self.request.upload_too_large = True
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = BytesIO()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.ANALYTICS_MAX_UPLOAD_BYTES:
            self.request.upload_too_large = True
            self.buffer = BytesIO()  # drop what was held: the request is refused
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




def receives_analytics(view):
    """Mark a view that takes an analytics upload: only its requests may carry a body up to the
    analytics cap (every other request is held to DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    view.receives_analytics = True
    return view


def body_limit(view_func) -> int:
    """The largest body a request to this view may declare (BodySizeLimitMiddleware)."""
    view_class = getattr(view_func, "cls", None)  # DRF's as_view() keeps the class here
    if getattr(view_func, "receives_analytics", False) or getattr(view_class, "receives_analytics", False):
        return settings.ANALYTICS_MAX_UPLOAD_BYTES + MULTIPART_FRAMING
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def declared_length(request) -> int:
    """The Content-Length header as a number (0 when absent); UploadRefused(400) when it is not one."""
    value = request.META.get("CONTENT_LENGTH") or "0"
    if not value.isdigit():
        raise UploadRefused(400, "bad_request", _("Invalid Content-Length header."))
    return int(value)


def read_capped(stream) -> bytes:
    """A raw body, reading at most one byte past the cap: UploadRefused(413) when it goes past."""
    limit = settings.ANALYTICS_MAX_UPLOAD_BYTES
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(413, "too_large", _too_large_message())
    return data


def refuse_if_declared_too_large(request, *, framing: int = MULTIPART_FRAMING) -> None:
    """413 from the Content-Length header alone, before a byte of the body is read.

    `framing` is the slack allowed above the cap for the multipart envelope: a raw body is the
    analytics themselves and gets none (framing=0)."""
    if declared_length(request) > settings.ANALYTICS_MAX_UPLOAD_BYTES + framing:
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
