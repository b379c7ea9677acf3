"""Fixtures of the API tests: a run saved through POST /api/energy from a small CSV."""

from __future__ import annotations

import pytest

from calculations.models import Run

CSV = b"date,profile,inferences,input_tokens,output_tokens\n2025-01-01,chatbot,1250,,\n2025-01-02,chatbot,1100,1650000,420000\n2025-01-02,completion,75,,\n"


@pytest.fixture
def run(api_client, methodology_v1):
    """A run labelled "January": 2 425 inferences over two days, some with explicit tokens."""
    response = api_client.post("/api/energy?label=January", data=CSV, content_type="text/csv")
    assert response.status_code == 201
    return Run.objects.get(pk=response.json()["run"]["id"])
