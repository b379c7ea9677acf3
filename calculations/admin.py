"""Admin: the users' page gains an "Unlock login" action (django-axes lockouts, calculations.throttles), and
a token created in the API tokens' page deletes its user's expired ones (calculations.api.authentication).

Runs are not registered in the admin: a run is an audit record, immutable once saved, read on the
run pages and through the API (`/runs/`, `/api/runs`). The methodology's admin is in methodology/admin.py."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from knox.admin import AuthTokenAdmin
from knox.models import AuthToken

from calculations.api.authentication import delete_expired_tokens
from calculations.throttles import unlock_logins

User = get_user_model()


class LockoutUserAdmin(UserAdmin):
    actions = [*UserAdmin.actions, "unlock_login"]

    @admin.action(description=_("Unlock login (clear failed logins)"), permissions=["change"])
    def unlock_login(self, request, queryset):
        usernames = [user.get_username() for user in queryset]
        unlock_logins(usernames)
        self.message_user(request, ngettext(
            "Login unlocked for %(count)d account.", "Login unlocked for %(count)d accounts.", len(usernames),
        ) % {"count": len(usernames)}, messages.SUCCESS)


admin.site.unregister(User)
admin.site.register(User, LockoutUserAdmin)


class ApiTokenAdmin(AuthTokenAdmin):
    """knox's page, whose new token sweeps its user's expired tokens (not swept on each request any more)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            delete_expired_tokens(obj.user)


admin.site.unregister(AuthToken)
admin.site.register(AuthToken, ApiTokenAdmin)
