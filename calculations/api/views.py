"""REST API. Views only translate HTTP to service calls and back."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.roles import NotAuditor
from calculations import selectors, services
from calculations.daily_csv import daily_csv_lines
from calculations.engine.analytics import AnalyticsError
from calculations.engine.uncertainty import document_section
from calculations.models import Run, RunSource
from calculations.uploads import UploadRefused, refuse_if_declared_too_large
from methodology.selectors import VersionNotFound, get_published_version, listed_versions, version_diff
from methodology.serializers import version_detail, version_summary

from .errors import analytics_error_response, error_detail, error_response, invalid_option_response
from .options import NoOptions, request_options
from .parsers import RawAnalyticsParser, read_analytics
from .rendering import document_response
from .schema import ERROR_SCHEMA, RESULT_SCHEMA, TEXT, or_empty
from .serializers import (
    MAX_ID,
    CompareSerializer,
    EnergyOptionsSerializer,
    EnergyUploadSerializer,
    InventoryBridgeSerializer,
    InventorySerializer,
    PeriodSerializer,
    ReevaluateSerializer,
    RestateSerializer,
    RunFilterSerializer,
    RunSummarySerializer,
    period_problem,
    run_reference,
)


class EnergyView(APIView):
    """Compute an upload; save it as a run unless save=false."""

    permission_classes = [IsAuthenticated, NotAuditor]  # an upload, even unsaved: not for auditors
    receives_analytics = True  # BodySizeLimitMiddleware admits bodies up to the analytics cap here
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
            OpenApiParameter("unknown_models", {"type": "string", "enum": ["generic", ""]},
                             description="generic: models of a usage report that no alias matches count as the "
                             "version's usage profile 'generic' (400 when the version has none); the run names them"),
            OpenApiParameter("project", {**TEXT, "maxLength": 64},
                             description="Project code the run is filed under (default: the default project)"),
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
            data, filename, content_type, form = read_analytics(request)
        except UploadRefused as refused:
            return error_response(refused.status, refused.code, str(refused))
        opts = request_options(request, EnergyOptionsSerializer, body=form)
        try:
            project = services.resolve_project(opts.get("project"))
            evaluation = services.evaluate_upload(
                data, version_number=opts.get("version"), region=opts.get("region") or None,
                profile=opts.get("profile") or None, filename=filename, content_type=content_type,
                unknown_models=opts.get("unknown_models") or None,
            )
        except AnalyticsError as error:
            return analytics_error_response(error)
        except services.InvalidOption as error:
            return invalid_option_response(error)
        if not opts["save"]:
            return document_response(request, evaluation, status.HTTP_200_OK)
        run = services.save_run(evaluation, user=request.user, source=RunSource.API, label=opts.get("label", ""),
                                profile_option=opts.get("profile") or "", project=project)
        return document_response(request, evaluation, status.HTTP_201_CREATED, {"run": run_reference(run, request)})


class RunListView(generics.ListAPIView):
    serializer_class = RunSummarySerializer

    @extend_schema(parameters=[
        OpenApiParameter("region", TEXT), OpenApiParameter("version", or_empty({"type": "integer", "minimum": 1})),
        OpenApiParameter("label", TEXT),
        OpenApiParameter("period_start", or_empty({"type": "string", "format": "date"}),
                         description="runs whose period ends on or after"),
        OpenApiParameter("period_end", or_empty({"type": "string", "format": "date"}),
                         description="runs whose period starts on or before"),
        OpenApiParameter("user", TEXT, description="username"),
        OpenApiParameter("project", TEXT, description="project code"),
    ], responses={200: RunSummarySerializer(many=True), 400: ERROR_SCHEMA,
                  404: OpenApiResponse(ERROR_SCHEMA, description="No such page")})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = request_options(self.request, RunFilterSerializer, also=("page",))
        return selectors.filter_runs(selectors.runs_for_listing(), **filters)


class RunDetailView(APIView):
    @extend_schema(responses={200: RESULT_SCHEMA, 404: ERROR_SCHEMA})
    def get(self, request, pk: int):
        request_options(request, NoOptions)
        run = get_object_or_404(selectors.runs_for_listing(), pk=pk)
        summary = RunSummarySerializer(run, context={"request": request}).data
        equivalents = [e.as_dict() for e in selectors.run_equivalents(run)]
        return Response({**selectors.run_document(run), "equivalents": equivalents, "run": summary})


class RunDailyCsvView(APIView):
    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR, 404: ERROR_SCHEMA})
    def get(self, request, pk: int):
        request_options(request, NoOptions)
        run = get_object_or_404(Run, pk=pk)
        response = StreamingHttpResponse(daily_csv_lines(run), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="run-{run.pk}-daily.csv"'
        return response


class RunSensitivityView(APIView):
    @extend_schema(
        summary="What drives the result",
        description="For each hypothesis with a range, energy and carbon when it alone goes from its low to its "
        "high value (the others central), largest carbon swing first: the data of a tornado chart. "
        "`variance_shares`: each hypothesis' first-order Sobol share of the variance of energy and carbon over "
        "the run's Monte Carlo draws, largest carbon share first (null: not computed, a run saved before it).",
        responses={200: OpenApiTypes.OBJECT, 404: ERROR_SCHEMA},
    )
    def get(self, request, pk: int):
        request_options(request, NoOptions)
        run = get_object_or_404(selectors.runs_for_listing(), pk=pk)
        return Response({
            "run": run.pk,
            "energy_kwh": run.energy_kwh_value,
            "carbon_gco2e": run.carbon_gco2e_value,
            "swings": [swing.as_dict() for swing in selectors.run_sensitivity(run)],
            "variance_shares": run.uncertainty and document_section(run.uncertainty)["drivers"],
        })


class ReevaluateView(APIView):
    permission_classes = [IsAuthenticated, NotAuditor]

    # Options in the query string or the body (JSON or form fields), as POST /api/energy takes them.
    @extend_schema(parameters=[
        OpenApiParameter("version", or_empty({"type": "integer", "minimum": 1}),
                         description="Published methodology version (default: the run's)"),
        OpenApiParameter("region", {**TEXT, "maxLength": 64}, description="Region code (default: the run's)"),
        OpenApiParameter("label", {**TEXT, "maxLength": 200}, description="Label of the new run (default: the run's)"),
        OpenApiParameter("project", {**TEXT, "maxLength": 64},
                         description="Project code of the new run (default: the run's; the original keeps its own)"),
    ], request={"application/json": ReevaluateSerializer},
                   responses={201: RESULT_SCHEMA, 400: ERROR_SCHEMA, 404: ERROR_SCHEMA})
    def post(self, request, pk: int):
        run = get_object_or_404(selectors.runs_for_listing(), pk=pk)
        options = request_options(request, ReevaluateSerializer, body=request.data)
        try:
            project = services.resolve_project(options["project"]) if options.get("project") else None
            new_run = services.reevaluate_run(
                run, user=request.user, version_number=options.get("version"),
                region=options.get("region") or None, label=options.get("label", ""), project=project,
            )
        except services.InvalidOption as error:
            return invalid_option_response(error)
        return Response({**selectors.run_document(new_run), "run": run_reference(new_run, request)}, status=201)


class CompareView(APIView):
    @extend_schema(parameters=[OpenApiParameter(name, {"type": "integer", "minimum": 1}, required=True) for name in "ab"],
                   responses={200: OpenApiTypes.OBJECT, 400: ERROR_SCHEMA, 404: ERROR_SCHEMA})
    def get(self, request):
        ids = request_options(request, CompareSerializer)
        runs = selectors.runs_for_listing()
        a = get_object_or_404(runs, pk=ids["a"])
        b = get_object_or_404(runs, pk=ids["b"])
        return Response(selectors.compare_runs(a, b))


class InventoryView(APIView):
    @extend_schema(
        summary="The inventory of a period: per project, by scope, location- and market-based",
        description="Consolidates the runs covering [start, end] (docs/reporting.md): per project the runs "
        "without double counting (overlapping runs of a project are refused with 400 naming them, unless `runs` "
        "chooses which to count), totals by GHG Protocol scope category, location- and market-based, with the "
        "90 % interval, per project and per month, the runs (ids, hashes, versions) and the hypotheses used.",
        parameters=[
            OpenApiParameter("start", {"type": "string", "format": "date"}, required=True),
            OpenApiParameter("end", {"type": "string", "format": "date"}, required=True,
                             description="last day, on or after start (else 400)"),
            OpenApiParameter("project", {**TEXT, "maxLength": 64}, description="project code (default: all)"),
            OpenApiParameter("runs", or_empty({"type": "array", "items": {"type": "integer", "minimum": 1,
                                                                          "maximum": MAX_ID}, "minItems": 1}),
                             style="form", explode=False, description="comma-separated run ids to count"),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: ERROR_SCHEMA},
    )
    def get(self, request):
        from calculations.inventory import inventory

        query = request_options(request, InventorySerializer)
        refused = _period_refusal(query)
        if refused is not None:
            return refused
        try:
            return Response(inventory(query["start"], query["end"], project=query["project"] or None,
                                      runs=query["runs"]))
        except (ValueError, services.InvalidOption) as error:
            response = _inventory_refusal(error)
            if response is None:
                raise
            return response


def _inventory_refusal(error) -> Response | None:
    """The 400 of a refused inventory (unknown project, runs outside the period, overlapping runs), or None."""
    from calculations.inventory import RunsNotInPeriod

    if isinstance(error, services.InvalidOption):
        return invalid_option_response(error)
    if isinstance(error, RunsNotInPeriod):
        return error_response(400, "runs_not_in_period", str(error), [error_detail("runs", str(error))])
    if isinstance(error, selectors.OverlappingRuns):
        return error_response(
            400, "overlapping_runs",
            gettext("The runs overlap: %(detail)s. Choose the runs to count with runs=…") % {"detail": error},
            [error_detail("runs", f"runs {a.pk} and {b.pk} overlap") for a, b in error.pairs])
    return None


def _period_refusal(query: dict, *pairs: tuple[str, str]) -> Response | None:
    """400 invalid_period when a period's start is after its end (or it spans over ten years)."""
    for first, last in pairs or (("start", "end"),):
        problem = period_problem(query[first], query[last], first, last)
        if problem is not None:
            field, reason = problem
            return error_response(400, "invalid_period", f"{field}: {reason}", [error_detail(field, reason)])
    return None


class InventoryBridgeView(APIView):
    @extend_schema(
        summary="Base period against current period: the Shapley bridge of two inventories",
        description="The change in energy, in location-based carbon and in market-based carbon from the base "
        "period's inventory to the current one's, attributed to usage, token_sizes, hardware, efficiency, pue and "
        "carbon_intensity (docs/methodology.md section 12; pairing of runs in docs/reporting.md). "
        "carbon_market_gco2e: a and b null on a side that does not assess it, factors null unless both sides do.",
        parameters=[*(OpenApiParameter(name, {"type": "string", "format": "date"}, required=True)
                      for name in ("base_start", "base_end", "start", "end")),
                    OpenApiParameter("project", {**TEXT, "maxLength": 64}),
                    *(OpenApiParameter(name, or_empty({"type": "array", "items": {"type": "integer", "minimum": 1,
                                                                                   "maximum": MAX_ID},
                                                       "minItems": 1}), style="form", explode=False)
                      for name in ("base_runs", "runs"))],
        responses={200: OpenApiTypes.OBJECT, 400: ERROR_SCHEMA},
    )
    def get(self, request):
        from calculations.engine.bridge import MissingProfile
        from calculations.inventory_bridge import inventory_bridge

        query = request_options(request, InventoryBridgeSerializer)
        refused = _period_refusal(query, ("base_start", "base_end"), ("start", "end"))
        if refused is not None:
            return refused
        try:
            return Response(inventory_bridge((query["base_start"], query["base_end"]), (query["start"], query["end"]),
                                             project=query["project"] or None, base_runs=query["base_runs"],
                                             runs=query["runs"]))
        except MissingProfile as refused:
            return error_response(400, "profile_not_in_version", str(refused))
        except (ValueError, services.InvalidOption) as refused:
            response = _inventory_refusal(refused)
            if response is None:
                raise
            return response


class RestateView(APIView):
    permission_classes = [IsAuthenticated, NotAuditor]

    @extend_schema(
        summary="Restate a period's runs under another methodology version",
        description="Every run the inventory of [start, end] counts (of `project`; or exactly `runs`) is "
        "re-evaluated under `version`, in one transaction: originals kept, each new run linked to its original "
        "(derived_from). Answers the pairs original → new.",
        request={"application/json": RestateSerializer}, responses={201: OpenApiTypes.OBJECT, 400: ERROR_SCHEMA},
    )
    def post(self, request):
        from calculations.inventory import inventory_runs
        from calculations.inventory_bridge import restate_runs

        options = request_options(request, RestateSerializer, body=request.data)
        refused = _period_refusal(options)
        if refused is not None:
            return refused
        try:
            runs = inventory_runs(options["start"], options["end"], project=options["project"] or None,
                                  runs=options["runs"])
            pairs = restate_runs(runs, version_number=options["version"], user=request.user)
        except (ValueError, services.InvalidOption) as refused:
            response = _inventory_refusal(refused)
            if response is None:
                raise
            return response
        return Response({"version": options["version"],
                         "restated": [{"original": old.pk, "run": new.pk} for old, new in pairs]}, status=201)


class PeriodView(APIView):
    @extend_schema(
        summary="Totals per month or quarter across runs",
        description="For runs covering consecutive periods (e.g. twelve monthly uploads), with the runs' carbon "
        "per GHG Protocol scope category (scopes: worst-case bounds, as the inventory's keys). Overlapping runs "
        "would count days twice and are refused with 400.",
        parameters=[OpenApiParameter("runs", {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "minItems": 1},
                                     required=True, style="form", explode=False, description="comma-separated run ids"),
                    OpenApiParameter("granularity", or_empty({"type": "string", "enum": ["month", "quarter"]}),
                                     description="month (default) or quarter")],
        responses={200: OpenApiTypes.OBJECT, 400: ERROR_SCHEMA, 404: ERROR_SCHEMA},
    )
    def get(self, request):
        query = request_options(request, PeriodSerializer)
        ids = query["runs"]
        runs = list(selectors.runs_for_listing().filter(pk__in=ids))
        missing = sorted(set(ids) - {run.pk for run in runs})
        if missing:
            return error_response(404, "not_found", gettext("No run %(ids)s.") % {"ids": ", ".join(map(str, missing))})
        try:
            return Response(selectors.period_totals(runs, query["granularity"]))
        except selectors.OverlappingRuns as error:
            return error_response(400, "overlapping_runs", gettext("The runs overlap: %(detail)s.") % {"detail": error})


class VersionListView(APIView):
    @extend_schema(operation_id="api_methodology_versions_list",
                   responses={200: {"type": "array", "items": {"type": "object"}}})
    def get(self, request):
        request_options(request, NoOptions)
        return Response([version_summary(v) for v in listed_versions()])


class VersionDetailView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT, 404: ERROR_SCHEMA})
    def get(self, request, number: int):
        request_options(request, NoOptions)
        return Response(version_detail(_published_or_404(number)))


class VersionDiffView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT, 404: ERROR_SCHEMA})
    def get(self, request, number: int, other: int):
        request_options(request, NoOptions)
        old, new = _published_or_404(number), _published_or_404(other)
        return Response({"from": old.number, "to": new.number,
                         "changes": [change.as_dict() for change in version_diff(old, new)]})


def _published_or_404(number: int):
    try:
        return get_published_version(number)
    except VersionNotFound:
        raise NotFound(gettext("No published methodology version %(number)s.") % {"number": number}) from None
