"""calculations.uploads: the size cap, named in the unit it is set in."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from calculations.uploads import UploadRefused, refuse_if_declared_too_large


def test_the_default_cap_is_named_in_mebibytes(settings):
    assert settings.ANALYTICS_MAX_UPLOAD_BYTES == 50 * 1024 * 1024
    request = RequestFactory().post("/api/energy", data=b"", content_type="text/csv",
                                    CONTENT_LENGTH=str(51 * 1024 * 1024))
    with pytest.raises(UploadRefused) as refused:
        refuse_if_declared_too_large(request, framing=0)
    assert refused.value.status == 413
    assert str(refused.value) == "The analytics are larger than the limit of 50 MiB."
