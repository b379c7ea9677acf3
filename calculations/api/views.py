"""REST API. Views only translate HTTP to service calls and back."""

from __future__ import annotations

import csv
import json
import logging
import math
from dataclasses import replace
from datetime import date

import orjson
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import BaseParser, FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.views import APIView

from calculations import selectors, services
from calculations.engine.analytics import AnalyticsError
from calculations.engine.compute import ESTIMATE_NAMES, DailyResults
from calculations.engine.result import result_document
from calculations.exports import daily_csv_rows
from calculations.models import Run, RunSource
from calculations.uploads import RAW_CONTENT_TYPES, UploadRefused, refuse_if_declared_too_large, uploaded_file_bytes
from methodology.selectors import VersionNotFound, get_published_version, published_versions, version_diff
from methodology.serializers import version_detail, version_summary

from .errors import analytics_error_response, error_response
from .serializers import (
    EnergyOptionsSerializer,
    EnergyUploadSerializer,
    ReevaluateSerializer,
    RunSummarySerializer,
    run_reference,
)

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
MAX_ID = 2**63 - 1  # a database id (bigint)
TEXT = {"type": "string", "pattern": "^[^\\x00]*$"}  # DRF refuses NUL characters in text


def _or_empty(schema: dict) -> dict:
    """A query filter that may also be sent empty, and is then ignored (HTML filter forms send empty fields)."""
    return {"anyOf": [schema, {"type": "string", "maxLength": 0}]}


class RawAnalyticsParser(BaseParser):
    """A raw YAML, JSON or CSV body, kept as bytes for the analytics parser."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read() if stream is not None else b""



class EnergyView(APIView):
    """Compute an upload; save it as a run unless save=false."""

    parser_classes = [MultiPartParser, FormParser, RawAnalyticsParser]

    @extend_schema(
        summary="Compute energy and carbon of uploaded analytics",
        description="Send the analytics as the multipart field `analytics_file`, or as a raw body with content type "
        "application/yaml, application/json or text/csv. Options go in the query string or form fields. "
        "The upload is processed in memory and discarded: only the aggregates, its SHA-256 and size are kept.",
        parameters=[
            # The limits of EnergyOptionsSerializer, which refuses whatever passes them with a 400.
            OpenApiParameter("region", {**TEXT, "maxLength": 64},
                             description="Region code (default: the version's default region)"),
            OpenApiParameter("version", {"type": "integer", "minimum": 1},
                             description="Published methodology version (default: latest)"),
            OpenApiParameter("label", {**TEXT, "maxLength": 200}),
            OpenApiParameter("save", bool, description="false: compute without keeping anything (200)"),
            OpenApiParameter("profile", {**TEXT, "maxLength": 64},
                             description="Usage profile for reports that carry no model"),
        ],
        request={
            "multipart/form-data": EnergyUploadSerializer,
            "application/yaml": OpenApiTypes.BINARY,
            "application/json": OpenApiTypes.BINARY,
            "text/csv": OpenApiTypes.BINARY,
        },
        responses={
            201: OpenApiResponse(RESULT_SCHEMA, description="Saved run: the result document plus run.id and run.url"),
            200: OpenApiResponse(RESULT_SCHEMA, description="Not saved (save=false): the result document"),
            400: ERROR_SCHEMA, 401: ERROR_SCHEMA, 413: ERROR_SCHEMA, 415: ERROR_SCHEMA,
        },
    )
    def post(self, request):
        try:
            refuse_if_declared_too_large(request)
            data, filename, content_type, form = self._read(request)
        except UploadRefused as refused:
            return error_response(refused.status, refused.code, str(refused))
        options = EnergyOptionsSerializer(data={**form, **request.query_params.dict()})
        options.is_valid(raise_exception=True)
        opts = options.validated_data
        try:
            evaluation = services.evaluate_upload(
                data, version_number=opts.get("version"), region=opts.get("region") or None,
                profile=opts.get("profile") or None, filename=filename, content_type=content_type,
            )
        except AnalyticsError as error:
            return analytics_error_response(error)
        except services.InvalidOption as error:
            return error_response(400, f"invalid_{error.field}", str(error), [{"line": None, "path": error.field, "message": str(error)}])
        if not opts["save"]:
            return document_response(request, evaluation, status.HTTP_200_OK)
        run = services.save_run(evaluation, user=request.user, source=RunSource.API, label=opts.get("label", ""),
                                profile_option=opts.get("profile") or "")
        return document_response(request, evaluation, status.HTTP_201_CREATED, {"run": run_reference(run, request)})

    @staticmethod
    def _read(request):
        """(bytes, file name, content type, form fields) from a multipart or raw request."""
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        if content_type.startswith("multipart/form-data") or content_type == "application/x-www-form-urlencoded":
            data, filename, file_content_type = uploaded_file_bytes(request._request, request.FILES)
            form = {k: v for k, v in request.data.items() if k != "analytics_file" and isinstance(v, str)}
            return data, filename, file_content_type, form
        if content_type not in RAW_CONTENT_TYPES:
            raise UploadRefused(
                415, "unsupported_media_type",
                f"Unsupported content type {content_type or '(none)'!r}: send multipart/form-data with the field "
                f"'analytics_file', or a raw body as {', '.join(sorted(RAW_CONTENT_TYPES))}.",
            )
        refuse_if_declared_too_large(request, framing=0)  # a raw body is the analytics: no multipart slack
        data = request.data
        if not data:
            raise UploadRefused(400, "empty", "The request body is empty: send the analytics.")
        return data, None, content_type, {}


# --- EnergyView's response: the result document as JSON, written straight from the engine's cells ---
#
# A large run answers hundreds of thousands of daily cells (bench/README.md): a dict per cell
# and json.dumps cost more than reading the upload. The head (methodology, input, totals,
# profiles) still comes from result_document() and DRF's JSON settings; the daily cells are one
# bytes template over the result columns, their numbers written by orjson (Python's float repr
# was the cost): the same doubles, in the shortest text that reads back exactly, whose form can
# differ from repr's (0.000014000000000000001 for 1.4000000000000001e-05). The first cell is
# checked against result_document()'s own on every request (any difference falls back to the
# plain Response). Large answers are streamed, so the JSON is never in memory whole.

STREAM_MIN_CELLS = 10_000  # about 5 MB of JSON; smaller answers are one HttpResponse
_CELLS_PER_CHUNK = 2_000
_ESTIMATE = b'{"value":%s,"low":%s,"high":%s}'
_CELL_START = b'{"date":%s,"profile":%s,"inferences":%s,"input_tokens":%s,"output_tokens":%s'
logger = logging.getLogger(__name__)


def _json_dumps(value) -> str:
    """json.dumps as DRF's JSONRenderer does it (settings, encoder, escaped U+2028/2029)."""
    text = json.dumps(
        value, cls=JSONEncoder, ensure_ascii=not api_settings.UNICODE_JSON, allow_nan=not api_settings.STRICT_JSON,
        separators=(",", ":") if api_settings.COMPACT_JSON else (", ", ": "),
    )
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _json_numbers(column) -> list[bytes]:
    """The JSON text of each number of a column, by one orjson call (float repr is the cost here)."""
    if not column:
        return []
    try:
        text = orjson.dumps(column if type(column) is list else column.tolist())
    except orjson.JSONEncodeError:  # an integer beyond 64 bits, as token counts could be
        return [str(number).encode() for number in column]
    return text[1:-1].split(b",")


def _cells_json(daily: DailyResults, texts: dict) -> bytes:
    """The daily entries of result_document(), comma-separated, from the result columns.

    One template for the cells, applied by `map` over the zipped columns of JSON texts: no dict
    or object per cell. An estimate not assessed in any cell is a literal null in the template;
    one assessed in some cells only (section 6 figures for some models) is rendered per cell.
    `texts` caches the JSON of days and profiles across chunks.
    """
    cells = daily.cells
    for key in set(cells.days).union(cells.profiles).difference(texts):
        texts[key] = _json_dumps(key.isoformat() if isinstance(key, date) else key).encode()
    template = [_CELL_START]
    columns = [map(texts.__getitem__, cells.days), map(texts.__getitem__, cells.profiles),
               *map(_json_numbers, (cells.inferences, daily.input_tokens, daily.output_tokens))]
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
    return b",".join(map((b"".join(template) + b"}").__mod__, zip(*columns)))


def _document_chunks(before: str, daily: DailyResults, after: str):
    texts: dict = {}
    yield before.encode()
    for start in range(0, len(daily), _CELLS_PER_CHUNK):
        chunk = _cells_json(daily[start:start + _CELLS_PER_CHUNK], texts)
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
    head = result_document(replace(result, cells=cells[:1]), evaluation.summary, evaluation.parameters)
    first = head.pop("daily")
    if first and json.loads(_cells_json(cells[:1], {})) != first[0]:
        logger.warning("the templated daily cell differs from result_document(): answering through DRF")
        return Response({**evaluation.document(), **extra}, status=http_status)
    before, marker, after = _json_dumps({**head, "daily": [], **extra}).partition('"daily":[]')
    assert marker, "result_document() has a daily list"
    chunks = _document_chunks(before + '"daily":[', cells, "]" + after)
    if len(cells) >= STREAM_MIN_CELLS:
        return StreamingHttpResponse(chunks, status=http_status, content_type="application/json")
    return HttpResponse(b"".join(chunks), status=http_status, content_type="application/json")


class RunListView(generics.ListAPIView):
    serializer_class = RunSummarySerializer

    @extend_schema(parameters=[
        OpenApiParameter("region", TEXT), OpenApiParameter("version", _or_empty({"type": "integer", "minimum": 1})),
        OpenApiParameter("label", TEXT),
        OpenApiParameter("period_start", _or_empty({"type": "string", "format": "date"}),
                         description="runs whose period ends on or after"),
        OpenApiParameter("period_end", _or_empty({"type": "string", "format": "date"}),
                         description="runs whose period starts on or before"),
        OpenApiParameter("user", TEXT, description="username"),
    ], responses={200: RunSummarySerializer(many=True), 400: ERROR_SCHEMA,
                  404: OpenApiResponse(ERROR_SCHEMA, description="No such page")})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = RunFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.filter_runs(selectors.runs_for_listing(), **filters.validated_data)


class RunFilterSerializer(serializers.Serializer):
    """Filters of GET /api/runs; a blank text filter means no filter, as in an HTML form."""

    region = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, min_value=1)
    label = serializers.CharField(required=False, allow_blank=True)
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    user = serializers.CharField(required=False, allow_blank=True)


class RunDetailView(APIView):
    @extend_schema(responses={200: RESULT_SCHEMA, 404: ERROR_SCHEMA})
    def get(self, request, pk: int):
        run = get_object_or_404(selectors.runs_for_listing(), pk=pk)
        summary = RunSummarySerializer(run, context={"request": request}).data
        equivalents = [e.as_dict() for e in selectors.run_equivalents(run)]
        return Response({**selectors.run_document(run), "equivalents": equivalents, "run": summary})


class RunDailyCsvView(APIView):
    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR, 404: ERROR_SCHEMA})
    def get(self, request, pk: int):
        run = get_object_or_404(Run, pk=pk)

        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())
        response = StreamingHttpResponse((writer.writerow(row) for row in daily_csv_rows(run)), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="run-{run.pk}-daily.csv"'
        return response


class RunSensitivityView(APIView):
    @extend_schema(
        summary="What drives the result",
        description="For each hypothesis with a range, energy and carbon when it alone goes from its low to its "
        "high value (the others central), largest carbon swing first: the data of a tornado chart.",
        responses={200: OpenApiTypes.OBJECT, 404: ERROR_SCHEMA},
    )
    def get(self, request, pk: int):
        run = get_object_or_404(selectors.runs_for_listing(), pk=pk)
        return Response({
            "run": run.pk,
            "energy_kwh": run.energy_kwh_value,
            "carbon_gco2e": run.carbon_gco2e_value,
            "swings": [swing.as_dict() for swing in selectors.run_sensitivity(run)],
        })


class ReevaluateView(APIView):
    # Options documented as JSON: a malformed form body reads as "no options", which a schema cannot say.
    @extend_schema(request={"application/json": ReevaluateSerializer},
                   responses={201: RESULT_SCHEMA, 400: ERROR_SCHEMA, 404: ERROR_SCHEMA})
    def post(self, request, pk: int):
        run = get_object_or_404(selectors.runs_for_listing(), pk=pk)
        options = ReevaluateSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        try:
            new_run = services.reevaluate_run(
                run, user=request.user, version_number=options.validated_data.get("version"),
                region=options.validated_data.get("region") or None, label=options.validated_data.get("label", ""),
            )
        except services.InvalidOption as error:
            return error_response(400, f"invalid_{error.field}", str(error), [{"line": None, "path": error.field, "message": str(error)}])
        return Response({**selectors.run_document(new_run), "run": run_reference(new_run, request)}, status=201)


class CompareView(APIView):
    @extend_schema(parameters=[OpenApiParameter(name, {"type": "integer", "minimum": 1}, required=True) for name in "ab"],
                   responses={200: OpenApiTypes.OBJECT, 400: ERROR_SCHEMA, 404: ERROR_SCHEMA})
    def get(self, request):
        ids = CompareSerializer(data=request.query_params)
        ids.is_valid(raise_exception=True)
        runs = selectors.runs_for_listing()
        a = get_object_or_404(runs, pk=ids.validated_data["a"])
        b = get_object_or_404(runs, pk=ids.validated_data["b"])
        return Response(selectors.compare_runs(a, b))


class PeriodSerializer(serializers.Serializer):
    runs = serializers.CharField(help_text="comma-separated run ids")
    granularity = serializers.ChoiceField(choices=["month", "quarter"], default="month")

    def validate_runs(self, value: str) -> list[int]:
        try:
            ids = sorted({int(part) for part in value.split(",") if part.strip()})
        except ValueError:
            raise serializers.ValidationError("must be comma-separated run ids, e.g. 3,4,5") from None
        if not ids:
            raise serializers.ValidationError("name at least one run")
        if not 1 <= ids[0] <= ids[-1] <= MAX_ID:  # an id beyond the database's integers is a 400, not a 500
            raise serializers.ValidationError(f"run ids are whole numbers from 1 to {MAX_ID}")
        return ids


class PeriodView(APIView):
    @extend_schema(
        summary="Totals per month or quarter across runs",
        description="For runs covering consecutive periods (e.g. twelve monthly uploads). Overlapping runs "
        "would count days twice and are refused with 400.",
        parameters=[OpenApiParameter("runs", {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "minItems": 1},
                                     required=True, style="form", explode=False, description="comma-separated run ids"),
                    OpenApiParameter("granularity", _or_empty({"type": "string", "enum": ["month", "quarter"]}),
                                     description="month (default) or quarter")],
        responses={200: OpenApiTypes.OBJECT, 400: ERROR_SCHEMA, 404: ERROR_SCHEMA},
    )
    def get(self, request):
        query = PeriodSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        ids = query.validated_data["runs"]
        runs = list(selectors.runs_for_listing().filter(pk__in=ids))
        missing = sorted(set(ids) - {run.pk for run in runs})
        if missing:
            return error_response(404, "not_found", f"No run {', '.join(map(str, missing))}.")
        try:
            return Response(selectors.period_totals(runs, query.validated_data["granularity"]))
        except selectors.OverlappingRuns as error:
            return error_response(400, "overlapping_runs", f"The runs overlap: {error}.")


class CompareSerializer(serializers.Serializer):
    a = serializers.IntegerField(min_value=1)
    b = serializers.IntegerField(min_value=1)


class VersionListView(APIView):
    @extend_schema(operation_id="api_methodology_versions_list",
                   responses={200: {"type": "array", "items": {"type": "object"}}})
    def get(self, request):
        return Response([version_summary(v) for v in published_versions()])


class VersionDetailView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT, 404: ERROR_SCHEMA})
    def get(self, request, number: int):
        return Response(version_detail(_published_or_404(number)))


class VersionDiffView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT, 404: ERROR_SCHEMA})
    def get(self, request, number: int, other: int):
        old, new = _published_or_404(number), _published_or_404(other)
        return Response({"from": old.number, "to": new.number,
                         "changes": [change.as_dict() for change in version_diff(old, new)]})


def _published_or_404(number: int):
    try:
        return get_published_version(number)
    except VersionNotFound:
        from rest_framework.exceptions import NotFound

        raise NotFound(f"No published methodology version {number}.") from None
