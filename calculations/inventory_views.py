"""The inventory page and its downloads (docs/reporting.md). Views hold no calculation: the selector
calculations.inventory.inventory builds the document, presentation/inventory.py formats it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.roles import refuse_auditors

from . import selectors
from .engine.bridge import MissingProfile
from .forms import InventoryForm, RestateForm
from .inventory import RunsNotInPeriod, inventory, inventory_runs
from .inventory_bridge import inventory_bridge, restate_runs
from .inventory_export import inventory_csv, inventory_xlsx
from .presentation.inventory import bridge_view, inventory_page
from .services import InvalidOption

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _document(request):
    """(form, document or None, refusal message or None) of the request's choices."""
    form = InventoryForm(request.GET if request.GET else None)
    if not form.is_bound or not form.is_valid():
        return form, None, None
    choices = form.cleaned_data
    try:
        return form, inventory(choices["start"], choices["end"], project=choices["project"] or None,
                               runs=choices["runs"]), None
    except selectors.OverlappingRuns as refused:
        return form, None, _("Runs overlap, so some days would count twice: %(detail)s. Name the runs to count "
                             "below.") % {"detail": refused}
    except (RunsNotInPeriod, InvalidOption) as refused:
        return form, None, str(refused)


@login_required
def inventory_view(request):
    form, document, refusal = _document(request)
    context = {"form": form, "refusal": refusal}
    if document is not None:
        context["page"] = inventory_page(document)
        query = {key: value for key, value in request.GET.items() if value}
        context["query"] = urlencode(query)
        context["restate_form"] = RestateForm(initial={
            "start": document["start"], "end": document["end"], "project": document["project"] or "",
            "runs": ",".join(str(run["id"]) for run in document["runs"])})
        context["bridge"], context["bridge_refusal"] = _bridge(form.cleaned_data)
    status = 400 if refusal or (form.is_bound and not form.is_valid()) else 200
    return render(request, "calculations/inventory.html", context, status=status)


def _bridge(choices: dict):
    """(the base year's bridge for the page, or None; refusal or None)."""
    if not choices.get("base_year"):
        return None, None
    try:
        data = inventory_bridge((choices["base_start"], choices["base_end"]), (choices["start"], choices["end"]),
                                project=choices["project"] or None, base_runs=choices["base_runs"],
                                runs=choices["runs"])
    except selectors.OverlappingRuns as refused:
        return None, _("Base year: runs overlap, so some days would count twice: %(detail)s. Name the base-year "
                       "runs to count.") % {"detail": refused}
    except (RunsNotInPeriod, InvalidOption, MissingProfile) as refused:
        return None, str(refused)
    return bridge_view(data, str(choices["base_year"]), f"{choices['start']} → {choices['end']}"), None


@login_required
@refuse_auditors
@require_POST
def inventory_restate(request):
    """Restate the inventory's runs under another version, then show the restated runs' inventory."""
    form = RestateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The restatement was refused: %(errors)s") % {
            "errors": "; ".join(str(e) for errors in form.errors.values() for e in errors)})
        return redirect(reverse("runs:inventory"))
    choices = form.cleaned_data
    try:
        runs = inventory_runs(choices["start"], choices["end"], project=choices["project"] or None,
                              runs=choices["runs"])
        pairs = restate_runs(runs, version_number=choices["version"], user=request.user)
    except (selectors.OverlappingRuns, RunsNotInPeriod, InvalidOption) as refused:
        messages.error(request, str(refused))
        return redirect(reverse("runs:inventory"))
    messages.success(request, _("%(count)s runs restated under methodology v%(version)s; the originals are kept.") % {
        "count": len(pairs), "version": choices["version"]})
    query = {"start": choices["start"].isoformat(), "end": choices["end"].isoformat(),
             "runs": ",".join(str(new.pk) for original, new in pairs)}
    if choices["project"]:
        query["project"] = choices["project"]
    return redirect(f"{reverse('runs:inventory')}?{urlencode(query, safe=',')}")


def _download(request, render_document, content_type: str, extension: str):
    form, document, refusal = _document(request)
    if document is None:
        return HttpResponse(refusal or _("Give a valid period."), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(render_document(document), content_type=content_type)
    name = f"inventory-{document['start']}-{document['end']}{'-' + document['project'] if document['project'] else ''}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@login_required
def inventory_download_csv(request):
    return _download(request, inventory_csv, "text/csv; charset=utf-8", "csv")


@login_required
def inventory_download_xlsx(request):
    return _download(request, inventory_xlsx, XLSX, "xlsx")
