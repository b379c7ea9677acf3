"""The answer of POST /api/energy: the result document as JSON, written straight from the engine's cells.

A large run answers hundreds of thousands of daily cells (bench/README.md): a dict per cell
and json.dumps cost more than reading the upload. The head (methodology, input, totals,
profiles) still comes from result_document() and DRF's JSON settings; the daily cells are one
bytes template over the result columns, their numbers written by orjson (Python's float repr
was the cost): the same doubles, in the shortest text that reads back exactly, whose form can
differ from repr's (0.000014000000000000001 for 1.4000000000000001e-05). The first cell is
checked against result_document()'s own on every request (any difference falls back to the
plain Response). Large answers are streamed, so the JSON is never in memory whole.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import replace
from datetime import date

import orjson
from django.http import HttpResponse, StreamingHttpResponse
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.encoders import JSONEncoder

from calculations import services
from calculations.engine.compute import ESTIMATE_NAMES, DailyResults
from calculations.engine.result import result_document

STREAM_MIN_CELLS = 10_000  # about 5 MB of JSON; smaller answers are one HttpResponse
_CELLS_PER_CHUNK = 2_000
_ESTIMATE = b'{"value":%s,"low":%s,"high":%s}'
_CELL_START = b'{"date":%s,"profile":%s,"inferences":%s,"input_tokens":%s,"cached_input_tokens":%s,"output_tokens":%s'
logger = logging.getLogger(__name__)


def json_text(value) -> str:
    """json.dumps as DRF's JSONRenderer does it (settings, encoder, escaped U+2028/2029)."""
    text = json.dumps(
        value, cls=JSONEncoder, ensure_ascii=not api_settings.UNICODE_JSON, allow_nan=not api_settings.STRICT_JSON,
        separators=(",", ":") if api_settings.COMPACT_JSON else (", ", ": "),
    )
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def day_json(day: date) -> bytes:
    """A day's JSON text, "YYYY-MM-DD": what json_text gives its isoformat() (ASCII digits and hyphens
    need no escape), without the encoder's setup, which a century of days paid 36,500 times."""
    return b'"%s"' % day.isoformat().encode()


def _json_numbers(column) -> list[bytes]:
    """The JSON text of each number of a column, by one orjson call (float repr is the cost here)."""
    if not column:
        return []
    try:
        text = orjson.dumps(column if type(column) is list else column.tolist())
    except orjson.JSONEncodeError:  # an integer beyond 64 bits, as token counts could be
        return [str(number).encode() for number in column]
    return text[1:-1].split(b",")


def cells_json(daily: DailyResults, texts: dict, inferences_reported: bool = True) -> bytes:
    """The daily entries of result_document(), comma-separated, from the result columns.

    One template for the cells, its pieces interleaved with the columns of JSON texts: no dict,
    object or formatting per cell. An estimate not assessed in any cell is a literal null in the template;
    one assessed in some cells only (section 6 figures for some models) is rendered per cell.
    `texts` caches the JSON of days and profiles across chunks.
    """
    cells = daily.cells
    for key in set(cells.days).union(cells.profiles).difference(texts):
        texts[key] = day_json(key) if isinstance(key, date) else json_text(key).encode()
    template = [_CELL_START]
    columns = [map(texts.__getitem__, cells.days), map(texts.__getitem__, cells.profiles),
               [b"null"] * len(cells) if not inferences_reported else _json_numbers(cells.inferences),
               *map(_json_numbers, (daily.input_tokens,
                                    [0 if n is None else n for n in cells.cached_input_tokens], daily.output_tokens))]
    estimates = list(daily.estimate_columns())
    for index, name in enumerate(ESTIMATE_NAMES):
        triple = estimates[3 * index:3 * index + 3]
        not_assessed = sum(map(math.isnan, triple[0]))
        if not_assessed == len(triple[0]):
            template.append(b',"%s":null' % name.encode())
        elif not not_assessed:
            template.append(b',"%s":%s' % (name.encode(), _ESTIMATE))
            columns += map(_json_numbers, triple)
        else:
            template.append(b',"%s":%%s' % name.encode())
            columns.append([b"null" if numbers[0] == b"null" else _ESTIMATE % numbers
                            for numbers in zip(*map(_json_numbers, triple))])
    return interleaved((b"".join(template) + b"}").split(b"%s"), columns, len(cells))


def interleaved(constants: list[bytes], columns: list, count: int) -> bytes:
    """`count` items, comma-separated, each `constants[0] + columns[0][i] + constants[1] + ... + constants[-1]`:
    what `constants` joined by "%s" applied with `%` to each row gives, without formatting a row at a time
    (one list of every piece, filled a column at a time by slice assignment, and one join)."""
    width = 2 * len(columns) + 1
    pieces: list = [b""] * (count * width)
    for index, constant in enumerate(constants):
        pieces[2 * index::width] = [(b"," + constant) if index == 0 else constant] * count
    for index, column in enumerate(columns):
        pieces[2 * index + 1::width] = column if type(column) is list else list(column)
    return b"".join(pieces)[1:]


def _document_chunks(before: str, daily: DailyResults, after: str, inferences_reported: bool = True):
    texts: dict = {}
    yield before.encode()
    for start in range(0, len(daily), _CELLS_PER_CHUNK):
        chunk = cells_json(daily[start:start + _CELLS_PER_CHUNK], texts, inferences_reported)
        yield chunk if start == 0 else b"," + chunk
    yield after.encode()


def document_response(request, evaluation: services.Evaluation, http_status: int, extra: dict | None = None):
    """evaluation.document() plus `extra` keys, the values DRF's JSONRenderer would answer, only cheaper."""
    extra = extra or {}
    media_type = getattr(request, "accepted_media_type", "") or ""
    if type(getattr(request, "accepted_renderer", None)) is not JSONRenderer or ";" in media_type:
        # The browsable API, or JSON with parameters such as indent=4: DRF renders it.
        return Response({**evaluation.document(), **extra}, status=http_status)
    result = evaluation.result
    cells = result.cells
    head = result_document(replace(result, cells=cells[:1]), evaluation.summary, evaluation.parameters,
                           evaluation.uncertainty)
    first = head.pop("daily")
    reported = evaluation.summary.inferences_reported
    if first and json.loads(cells_json(cells[:1], {}, reported)) != first[0]:
        logger.warning("the templated daily cell differs from result_document(): answering through DRF")
        return Response({**evaluation.document(), **extra}, status=http_status)
    before, marker, after = json_text({**head, "daily": [], **extra}).partition('"daily":[]')
    assert marker, "result_document() has a daily list"
    chunks = _document_chunks(before + '"daily":[', cells, "]" + after, reported)
    if len(cells) >= STREAM_MIN_CELLS:
        return StreamingHttpResponse(chunks, status=http_status, content_type="application/json")
    return HttpResponse(b"".join(chunks), status=http_status, content_type="application/json")
