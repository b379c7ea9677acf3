"""The auditor role: members of the "Auditors" group read everything and change nothing.

Every logged-in user reads every run, report, export and methodology version; auditors are refused
what changes the record: uploads (saved or not: an auditor brings no data), re-evaluations, and in
the admin anything beyond the view permissions their group holds (migration audit 0003).
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.utils.functional import SimpleLazyObject
from rest_framework.permissions import BasePermission

AUDITORS_GROUP = "Auditors"


def is_auditor(user) -> bool:
    """Whether `user` is in the Auditors group: asked of the database once per user object, unless the
    query that loaded the user already answered (auditor_exists, remember_auditor)."""
    if not user.is_authenticated:
        return False
    known = getattr(user, "_is_auditor", None)
    if known is None:
        known = user._is_auditor = user.groups.filter(name=AUDITORS_GROUP).exists()
    return known


def auditor_exists(user_ref: str = "pk") -> Exists:
    """An annotation: whether the user `user_ref` names in the outer query is an auditor ("pk" in a query
    of users, "user" in a query of rows with a foreign key to the user). The query that loads the user
    answers it, one round trip fewer than is_auditor's own (API token authentication)."""
    return Exists(Group.objects.filter(user=OuterRef(user_ref), name=AUDITORS_GROUP))


def remember_auditor(user, auditor: bool) -> None:
    """Record on `user` the answer of an auditor_exists annotation: is_auditor then asks nothing."""
    user._is_auditor = bool(auditor)


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
