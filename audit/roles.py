"""The auditor role: members of the "Auditors" group read everything and change nothing.

Every logged-in user reads every run, report, export and methodology version; auditors are refused
what changes the record: uploads (saved or not: an auditor brings no data), re-evaluations, and in
the admin anything beyond the view permissions their group holds (migration audit 0003).
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.functional import SimpleLazyObject
from rest_framework.permissions import BasePermission

AUDITORS_GROUP = "Auditors"


def is_auditor(user) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_auditor", None)
    if cached is None:
        cached = user._is_auditor = user.groups.filter(name=AUDITORS_GROUP).exists()
    return cached


def refuse_auditors(view):
    """A page that changes the record: 403 for auditors (after login_required has sent visitors to log in)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if is_auditor(request.user):
            raise PermissionDenied("Auditors read the record; they do not change it.")
        return view(request, *args, **kwargs)

    return guarded


class NotAuditor(BasePermission):
    """API operations that change the record: refused to auditors."""

    message = "Auditors read the record; they do not change it."

    def has_permission(self, request, view) -> bool:
        return not is_auditor(request.user)


def roles(request) -> dict[str, Any]:
    """Template context: whether to offer the actions an auditor may not take (asked of the database
    only by a page that shows one)."""
    return {"is_auditor": SimpleLazyObject(lambda: is_auditor(request.user))}
