"""calculations.uploads: the size cap, named in the unit it is set in."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import translation

from calculations.uploads import UploadRefused, refuse_if_declared_too_large


def refusal_over_the_default_cap() -> UploadRefused:
    request = RequestFactory().post("/api/energy", data=b"", content_type="text/csv",
                                    CONTENT_LENGTH=str(51 * 1024 * 1024))
    with pytest.raises(UploadRefused) as refused:
        refuse_if_declared_too_large(request, framing=0)
    return refused.value


def test_the_default_cap_is_named_in_mebibytes(settings):
    assert settings.ANALYTICS_MAX_UPLOAD_BYTES == 50 * 1024 * 1024
    with translation.override("en"):
        refused = refusal_over_the_default_cap()
    assert refused.status == 413
    assert str(refused) == "The analytics are larger than the limit of 50 MiB."


def test_the_cap_is_named_in_french_for_a_french_reader():
    with translation.override("fr"):
        assert str(refusal_over_the_default_cap()) == "Les analytics dépassent la limite de 50 Mio."
