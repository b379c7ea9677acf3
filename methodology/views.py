"""Methodology browser: published versions, every parameter of one, the diff of two."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from calculations.presentation import methodology as methodology_presentation

from .selectors import listed_versions, published_versions, version_canonical, version_diff
from .serializers import version_detail


def _published_or_404(number: int):
    version = published_versions().select_related("parent", "published_by").filter(number=number).first()
    if version is None:
        raise Http404(_("No published methodology version %(number)s.") % {"number": number})
    return version


@login_required
@require_GET
def version_list(request):
    versions = list(listed_versions())
    rows = [
        {"version": version, "previous": versions[i + 1] if i + 1 < len(versions) else None}
        for i, version in enumerate(versions)
    ]
    return render(request, "methodology/version_list.html", {"rows": rows})


@login_required
@require_GET
def version_detail_page(request, number: int):
    version = _published_or_404(number)
    detail = version_detail(version)
    others = list(published_versions().exclude(pk=version.pk).values_list("number", flat=True))
    return render(request, "methodology/version_detail.html", {
        "version": version,
        "detail": detail,
        "sections": methodology_presentation.version_sections(
            detail, version_canonical(version).get("equivalents"), version=version),
        "others": others,
    })


@login_required
@require_GET
def version_diff_page(request, number: int, other: int):
    old, new = _published_or_404(number), _published_or_404(other)
    changes = [change.as_dict() for change in version_diff(old, new)]
    others = list(published_versions().values_list("number", flat=True))
    return render(request, "methodology/version_diff.html", {
        "old": old,
        "new": new,
        "rows": methodology_presentation.changes_rows(changes),
        "others": others,
    })
