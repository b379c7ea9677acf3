"""The new-run form words every kind of refused file in French for a French reader: Fluid Topics and
OpenAI exports, encodings, CSV, YAML and xlsx workbooks (the API's side: api/test_french_refusals.py)."""

from __future__ import annotations

import html
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pages_testing import text
from xlsx_testing import XLSX, workbook



LONG_PERIOD = {"results": [{"name": "chatbot", "periods": [
    {"periodStartDate": "2025-01-01", "periodEndDate": "2025-01-08", "aiQueryCount": 5}]}]}
LONG_BUCKET = {"object": "page", "has_more": False, "data": [{"start_time": 1735689600, "end_time": 1736294400, "results": [
    {"object": "organization.usage.completions.result", "model": "llama-3.1-70b-instruct", "num_model_requests": 1,
     "input_tokens": 1, "output_tokens": 1}]}]}

# (file name, content, content type, French text the page shows, English text it must not show)
FILES = [
    ("fluidtopics.json", json.dumps(LONG_PERIOD).encode(), "application/json",
     "les périodes doivent durer un jour, celle-ci dure 7 jours du 2025-01-01 au 2025-01-08", "periods must be one day"),
    ("openai.json", json.dumps(LONG_BUCKET).encode(), "application/json",
     "les tranches (buckets) doivent durer au plus un jour", "buckets must last"),
    ("latin1.csv", "date,profile,inferences\n2025-01-01,caf\xe9,1\n".encode("latin-1"), "text/csv",
     "le fichier n’est pas en UTF-8 : l’octet 0xE9", "the file is not UTF-8"),
    ("broken.csv", b'date,profile,inferences\n2025-01-01,chatbot,"12\n', "text/csv",
     "CSV non valide : unexpected end of data", "not valid CSV"),
    ("alias.yaml", b"days:\n  - *a\n", "application/yaml", "les alias YAML (*nom) sont refusés", "are refused"),
    ("wide.xlsx", workbook(["date", "profile", "inferences"], ["2025-01-01", "chatbot", 1, "note"]), XLSX,
     "une valeur à droite des 3 colonnes de l’en-tête", "right of the header"),
]


@pytest.mark.parametrize(("name", "content", "content_type", "french", "english"), FILES, ids=[f[0] for f in FILES])
def test_the_french_form_words_the_refusal_in_french(page_client, methodology_v1, name, content, content_type, french,
                                                     english):
    response = page_client.post("/runs/new", {"analytics_file": SimpleUploadedFile(name, content, content_type=content_type),
                                              "version": "1"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    page = html.unescape(text(response))
    assert french in page and english not in page
