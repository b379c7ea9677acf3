"""Admin: the users' page gains an "Unlock login" action (django-axes lockouts, calculations.throttles).

Runs are not registered in the admin: a run is an audit record, immutable once saved, read on the
run pages and through the API (`/runs/`, `/api/runs`). The methodology's admin is in methodology/admin.py."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
