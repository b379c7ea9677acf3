"""Pieces of the OpenAPI schema shared by the API's views (drf-spectacular)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

# The shape of every refusal (calculations.api.errors.error_body).
ERROR_SCHEMA = inline_serializer(
    "Error",
    {
        "error": inline_serializer(
            "ErrorBody",
            {
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "details": serializers.ListField(child=serializers.DictField()),
            },
        )
    },
)
RESULT_SCHEMA = OpenApiTypes.OBJECT
TEXT = {"type": "string", "pattern": "^[^\\x00]*$"}  # DRF refuses NUL characters in text


def or_empty(schema: dict) -> dict:
    """A query filter that may also be sent empty, and is then ignored (HTML filter forms send empty fields)."""
    return {"anyOf": [schema, {"type": "string", "maxLength": 0}]}
