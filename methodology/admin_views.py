"""The admin's own pages and operations on methodology versions: diff, publish, new draft.

Thin: the work is done by methodology.services and methodology.selectors; here
we check permissions, call them, and turn their errors into admin messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from calculations.engine.config import ConfigError
from calculations.engine.diff import Change
from calculations.engine.parameters import PARAM_UNITS

from .models import MethodologyVersion
from .selectors import version_diff
from .services import PublishError, create_draft, publish_version


# --------------------------------------------------------------------------- diff presentation


@dataclass(frozen=True)
class DiffRow:
    """One line of the diff page: a parameter (or name, source, ...) added, removed or changed."""

    kind: str  # added, removed, changed
    section: str  # regions, models, profiles, default_region
    code: str
    field: str
    unit: str
    old: str
    new: str


def format_number(number: float) -> str:
    """Exact, without a trailing `.0`: editors compare these with their sources."""
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def format_value(value: Any) -> str:
    """A canonical value as text: `44 (21.7 – 56)` for a parameter with a range, `44` without one."""
    if value is None:
        return "—"
    if isinstance(value, dict) and set(value) == {"value", "low", "high"}:
        central = format_number(value["value"])
        if value["low"] == value["value"] == value["high"]:
            return central
        return f"{central} ({format_number(value['low'])} – {format_number(value['high'])})"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


def diff_rows(changes: list[Change]) -> list[DiffRow]:
    """Changes as rows; an added or removed entry is listed parameter by parameter."""
    rows = []
    for change in changes:
        if change.field is None and change.section != "default_region":
            entry = change.new if change.kind == "added" else change.old
            for field, value in sorted(entry.items()):
                text = format_value(value)
                rows.append(DiffRow(
                    change.kind, change.section, change.code, field, PARAM_UNITS.get(field, ""),
                    old="" if change.kind == "added" else text,
                    new=text if change.kind == "added" else "",
                ))
        else:
            rows.append(DiffRow(
                change.kind, change.section, change.code or "", change.field or "",
                PARAM_UNITS.get(change.field or "", ""), format_value(change.old), format_value(change.new),
            ))
    return rows


# --------------------------------------------------------------------------- operations shared by buttons and actions


def change_url(version: MethodologyVersion) -> str:
    return reverse("admin:methodology_methodologyversion_change", args=[version.pk])


def publish_one(model_admin, request, version: MethodologyVersion) -> bool:
    """Publish `version`, reporting the outcome (or every reason for a refusal) as messages."""
    try:
        published = publish_version(version, user=request.user)
    except PublishError as error:
        model_admin.message_user(request, f"{version} was not published: {error}", messages.ERROR)
        for issue in error.issues:
            model_admin.message_user(request, f"{issue.path}: {issue.reason}", messages.ERROR)
        return False
    model_admin.log_change(request, published, f"Published as v{published.number}.")
    model_admin.message_user(
        request, format_html('Published <a href="{}">{}</a> (sha256 {}).', change_url(published), published,
                             published.sha256[:12]),
        messages.SUCCESS,
    )
    return True


def new_draft_from(model_admin, request, source: MethodologyVersion) -> MethodologyVersion | None:
    """A draft copied from published `source`, or None (with a message) when `source` is a draft."""
    if not source.is_published:
        # A draft's parent is what its diff is taken against by default: it must not move.
        model_admin.message_user(request, f"{source} is a draft: derive new drafts from published versions only.",
                                 messages.ERROR)
        return None
    draft = create_draft(source, user=request.user)
    model_admin.log_addition(request, draft, f"New draft from {source}.")
    model_admin.message_user(
        request, format_html('Created <a href="{}">{}</a> from {}.', change_url(draft), draft, source),
        messages.SUCCESS,
    )
    return draft


# --------------------------------------------------------------------------- views


def _version_or_404(model_admin, request, object_id) -> MethodologyVersion:
    version = model_admin.get_queryset(request).filter(pk=object_id).first()
    if version is None:
        raise Http404("No such methodology version.")
    return version


def publish_view(model_admin, request, object_id):
    """POST: publish this draft, then show its (now read-only) page."""
    if not model_admin.has_publish_permission(request):
        raise PermissionDenied
    version = _version_or_404(model_admin, request, object_id)
    publish_one(model_admin, request, version)
    return HttpResponseRedirect(change_url(version))


def new_draft_view(model_admin, request, object_id):
    """POST: copy this published version into a new draft and open it."""
    if not model_admin.has_derive_permission(request):
        raise PermissionDenied
    source = _version_or_404(model_admin, request, object_id)
    draft = new_draft_from(model_admin, request, source)
    return HttpResponseRedirect(change_url(draft or source))


def diff_view(model_admin, request, object_id):
    """GET: what changed from `?against=<id>` (default: the parent) to this version."""
    version = _version_or_404(model_admin, request, object_id)
    if not model_admin.has_view_permission(request, version):
        raise PermissionDenied
    against_id = request.GET.get("against", "")
    if against_id:
        if not against_id.isdigit():
            raise Http404("No such methodology version.")
        against = _version_or_404(model_admin, request, int(against_id))
    else:
        against = version.parent
    rows, issues = [], []
    if against is not None:
        try:
            rows = diff_rows(version_diff(against, version))
        except ConfigError as error:
            # A draft being edited may not be a valid methodology yet: say why instead of failing.
            issues = error.issues
    opts = model_admin.opts
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "title": f"Changes in {version}" + (f" since {against}" if against else ""),
        "subtitle": str(version),
        "version": version,
        "against": against,
        "others": MethodologyVersion.objects.exclude(pk=version.pk).defer("snapshot"),
        "rows": rows,
        "issues": issues,
        "change_url": change_url(version),
    }
    return TemplateResponse(request, "admin/methodology/methodologyversion/diff.html", context)
