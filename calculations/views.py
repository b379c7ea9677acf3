"""Pages of the runs. Views only translate HTTP to service and selector calls and back;
numbers are formatted by calculations.presentation."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.roles import refuse_auditors
from calculations.api.serializers import RunSummarySerializer

from . import selectors, services
from .presentation import comparison as comparison_page
from .presentation import history as history_page
from .presentation import periods as periods_page
from .presentation import report as report_page
from .presentation import run_page
from .presentation.messages import translated_issue
from .engine.analytics import AnalyticsError
from .forms import CompareForm, MethodologyOptions, PeriodForm, ReevaluateForm, RunFilterForm, UploadForm
from .models import RunSource
from .uploads import UploadRefused, receives_analytics, refuse_if_declared_too_large, uploaded_file_bytes

PAGE_SIZE = 20
COMPARE_CHOICES = 100


def _run_url(run) -> str:
    return reverse("runs:detail", args=[run.pk])


# --------------------------------------------------------------------------- history


@login_required
@require_GET
def run_list(request):
    options = MethodologyOptions()
    form = RunFilterForm(request.GET or None, options=options)
    runs = selectors.filter_runs(selectors.runs_for_listing(), **form.filters())
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    listed = list(page.object_list)
    return render(request, "calculations/run_list.html", {
        "form": form,
        "page_obj": page,
        "table": history_page.history_rows(listed),
        "charts": history_page.history_charts(listed),
        "has_versions": bool(options.versions),
    })


# --------------------------------------------------------------------------- new run


@receives_analytics
@login_required
@refuse_auditors
@require_http_methods(["GET", "POST"])
def new_run(request):
    options = MethodologyOptions()
    if request.method == "GET":  # ?project=CODE: the project just created on the projects page, chosen
        initial = {"project": request.GET["project"]} if request.GET.get("project") else {}
        return _render_new(request, UploadForm(options=options, initial=initial), options)
    try:
        # From the Content-Length header alone, before a byte of the body is read.
        refuse_if_declared_too_large(request)
    except UploadRefused as refused:
        form = UploadForm(options=options)
        messages.error(request, str(refused))
        return _render_new(request, form, options, status=refused.status)

    form = UploadForm(request.POST, request.FILES, options=options)
    try:
        upload, refusal = uploaded_file_bytes(request, request.FILES), None
    except UploadRefused as refused:
        upload, refusal = None, refused
    form.is_valid()
    status = 400
    if refusal is not None and refusal.code != "missing_file":
        form.errors.pop("analytics_file", None)
        form.add_error("analytics_file", str(refusal))
        status = refusal.status
    issues = []
    if form.is_valid() and upload is not None:
        data, filename, content_type = upload
        choices = form.cleaned_data
        try:
            project = services.resolve_project(choices["project"])
            evaluation = services.evaluate_upload(
                data, version_number=choices["version"], region=choices["region"] or None,
                profile=choices["profile"] or None, filename=filename, content_type=content_type,
                unknown_models=choices["unknown_models"] or None,
            )
        except AnalyticsError as error:
            issues = [translated_issue(issue) for issue in error.issues]
            form.add_error("analytics_file", ngettext(
                "The file was refused: %(count)d problem, shown with its place in the file.",
                "The file was refused: %(count)d problems, shown with their place in the file.",
                len(issues),
            ) % {"count": len(issues)})
        except services.InvalidOption as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            run = services.save_run(
                evaluation, user=request.user, source=RunSource.WEB, label=choices["label"],
                profile_option=choices["profile"] or "", project=project,
            )
            messages.success(request, _("Run #%(id)s computed and saved.") % {"id": run.pk})
            return redirect(_run_url(run))
    return _render_new(request, form, options, issues=issues, status=status)


def _render_new(request, form, options, *, issues=(), status=200):
    return render(request, "calculations/run_new.html", {
        "form": form,
        "issues": issues,
        "has_versions": bool(options.versions),
    }, status=status)


# --------------------------------------------------------------------------- one run


@login_required
@require_GET
def run_detail(request, pk: int):
    run = get_object_or_404(selectors.runs_for_listing(), pk=pk)
    form = ReevaluateForm(options=MethodologyOptions(), run=run)
    return _render_detail(request, run, form)


@login_required
@refuse_auditors
@require_POST
def reevaluate(request, pk: int):
    run = get_object_or_404(selectors.runs_for_listing(), pk=pk)
    form = ReevaluateForm(request.POST, options=MethodologyOptions(), run=run)
    if form.is_valid():
        choices = form.cleaned_data
        try:
            new_run = services.reevaluate_run(
                run, user=request.user, version_number=choices["version"], region=choices["region"] or None,
                label=choices["label"],
                project=services.resolve_project(choices["project"]) if choices["project"] else None,
            )
        except services.InvalidOption as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Run #%(new)s re-evaluates run #%(old)s.") % {"new": new_run.pk, "old": run.pk})
            return redirect(_run_url(new_run))
    return _render_detail(request, run, form, status=400)


def _render_detail(request, run, form, status=200):
    return render(request, "calculations/run_detail.html", {
        "run": run,
        "page": run_page.run_detail(run),
        "reevaluate_form": form,
        "reevaluations": list(run.reevaluations.select_related("methodology_version").order_by("-created_at")[:20]),
    }, status=status)


@login_required
@require_GET
def report(request, pk: int):
    """The run's audit report: one page designed to be printed or saved as PDF."""
    run = get_object_or_404(selectors.runs_for_listing(), pk=pk)
    return render(request, "calculations/run_report.html", {"run": run, "report": report_page.run_report(run)})


@login_required
@require_GET
def methodology_document(request):
    """docs/methodology.md as it ships with this engine version (linked from the audit report)."""
    path = settings.BASE_DIR / "docs" / "methodology.md"
    if not path.is_file():
        raise Http404(_("The methodology document is not installed."))
    return FileResponse(path.open("rb"), content_type="text/plain; charset=utf-8")


@login_required
@require_GET
def download_json(request, pk: int):
    run = get_object_or_404(selectors.runs_for_listing(), pk=pk)
    document = {
        **selectors.run_document(run),
        "run": RunSummarySerializer(run, context={"request": request}).data,
    }
    response = JsonResponse(document, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="run-{run.pk}.json"'
    return response


@login_required
@require_GET
def download_csv(request, pk: int):
    """The API's daily CSV (one row per day and profile), streamed."""
    return redirect(reverse("api:run-daily-csv", args=[pk]))


# --------------------------------------------------------------------------- comparison


@login_required
@require_GET
def compare(request):
    picked = request.GET.getlist("run")
    if picked and "a" not in request.GET and "b" not in request.GET:
        if len(picked) == 2 and all(p.isdigit() for p in picked):
            older, newer = sorted(picked, key=int)
            return redirect(f"{reverse('runs:compare')}?{urlencode({'a': older, 'b': newer})}")
        messages.warning(request, _("Tick exactly two runs to compare them."))
    recent = list(selectors.runs_for_listing()[:COMPARE_CHOICES])
    bound = "a" in request.GET and "b" in request.GET
    initial = {key: request.GET[key] for key in ("a", "b") if request.GET.get(key, "").isdigit()}
    form = CompareForm(request.GET if bound else None, runs=recent, initial=initial)
    context = {"form": form}
    status = 200
    if form.is_valid():
        ids = form.cleaned_data["a"], form.cleaned_data["b"]
        found = selectors.runs_for_listing().in_bulk(ids)
        if len(found) != 2:
            raise Http404(_("No such run."))
        a, b = found[ids[0]], found[ids[1]]
        context.update({
            "a": a,
            "b": b,
            "comparison": comparison_page.comparison(a, b, selectors.compare_runs(a, b)),
        })
        missing = [run for run in (a, b) if run not in recent]
        if missing:
            form = CompareForm(request.GET, runs=missing + recent)
            form.is_valid()
            context["form"] = form
    elif bound:
        status = 400
    return render(request, "calculations/run_compare.html", context, status=status)


# --------------------------------------------------------------------------- periods


@login_required
@require_GET
def periods(request):
    """Totals per month or quarter across runs that follow one another (selectors.period_totals)."""
    picked = request.GET.getlist("run")
    if picked and "runs" not in request.GET:  # the history page's ticked runs
        query = {"runs": ",".join(picked), "granularity": request.GET.get("granularity") or "month"}
        return redirect(f"{reverse('runs:periods')}?{urlencode(query, safe=',')}")
    form = PeriodForm(request.GET if "runs" in request.GET else None)
    context = {"form": form}
    if not form.is_bound:
        return render(request, "calculations/run_periods.html", context)
    if not form.is_valid():
        return render(request, "calculations/run_periods.html", context, status=400)
    ids, granularity = form.cleaned_data["runs"], form.cleaned_data["granularity"]
    runs = list(selectors.runs_for_listing().filter(pk__in=ids))
    missing = sorted(set(ids) - {run.pk for run in runs})
    if missing:
        raise Http404(_("No such run."))
    context.update({"ids": ",".join(map(str, ids)), "granularity": granularity})
    try:
        data = selectors.period_totals(runs, granularity)
    except selectors.OverlappingRuns as error:
        context.update({"overlaps": periods_page.overlap_messages(error),
                        "runs": periods_page.period_runs(runs, overlaps=error)})
        return render(request, "calculations/run_periods.html", context, status=400)
    context["page"] = periods_page.periods(data, runs)
    return render(request, "calculations/run_periods.html", context)
