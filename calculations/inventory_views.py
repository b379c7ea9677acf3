"""The inventory page and its downloads (docs/reporting.md). Views hold no calculation: the selector
calculations.inventory.inventory builds the document, presentation/inventory.py formats it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import selectors
from .forms import InventoryForm
from .inventory import RunsNotInPeriod, inventory
from .inventory_export import inventory_csv, inventory_xlsx
from .presentation.inventory import inventory_page
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
    status = 400 if refusal or (form.is_bound and not form.is_valid()) else 200
    return render(request, "calculations/inventory.html", context, status=status)


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
