"""Admin for methodology editors: edit drafts inline, publish them, derive new drafts, diff versions.

Who may do what:
- every active staff user may read versions, their rows and diffs;
- "Methodology editors" (add/change/delete permissions) derive and edit drafts;
- holders of methodology.publish_methodologyversion publish.
A published version is read-only for everyone: no change, no delete, inlines frozen.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.timezone import localtime
from django.views.decorators.http import require_POST

from . import admin_views
from .forms import (
    BOUNDS,
    MethodologyVersionForm,
    ParameterInput,
    UsageProfileForm,
    UsageProfileFormSet,
    VersionRowForm,
    parameter_names,
)
from .models import Equivalent, ImmutableVersionError, MethodologyVersion, ModelProfile, Region, UsageProfile

RECORD_FIELDS = ("number", "status", "parent", "created_by", "created_at", "published_by", "published_at", "sha256")


def _is_staff(user) -> bool:
    return user.is_active and user.is_staff


def _is_draft(version) -> bool:
    return version is not None and not version.is_published


def _row_count(row_model):
    """Rows of each version, as a subquery: no N+1 and no join fan-out across the three row tables."""
    rows = (
        row_model.objects.filter(version=OuterRef("pk")).order_by().values("version")
        .annotate(count=Count("pk")).values("count")
    )
    return Coalesce(Subquery(rows), 0)


class VersionRowInline(admin.StackedInline):
    """The rows of a version: editable on a draft by editors, read-only otherwise."""

    form = VersionRowForm
    extra = 0
    formfield_overrides = {
        models.FloatField: {"widget": ParameterInput(attrs={"step": "any"})},
        models.PositiveIntegerField: {"widget": ParameterInput(attrs={"step": 1})},
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 80})},
    }
    before_parameters: tuple[str, ...] = ("code", "name", "name_fr")
    after_parameters: tuple[str, ...] = ("source",)

    def get_fieldsets(self, request, obj=None):
        # One line per parameter: value, low, high side by side.
        parameter_lines = [tuple(f"{name}_{bound}" for bound in BOUNDS) for name in parameter_names(self.model)]
        return [(None, {"fields": [*self.before_parameters, *parameter_lines, *self.after_parameters]})]

    def has_view_permission(self, request, obj=None):
        return _is_staff(request.user)

    def _may(self, request, action: str, obj) -> bool:
        return _is_draft(obj) and request.user.has_perm(f"methodology.{action}_{self.opts.model_name}")

    def has_add_permission(self, request, obj=None):
        return self._may(request, "add", obj)

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "delete", obj)


class RegionInline(VersionRowInline):
    model = Region


class ModelProfileInline(VersionRowInline):
    model = ModelProfile
    before_parameters = ("code", "name", "name_fr", "procurement")


class UsageProfileInline(VersionRowInline):
    model = UsageProfile
    form = UsageProfileForm
    formset = UsageProfileFormSet
    before_parameters = ("code", "name", "name_fr", "model")
    after_parameters = ("aliases", "source")


class EquivalentInline(VersionRowInline):
    model = Equivalent
    before_parameters = ("code", "name", "name_fr", "metric", "unit", "unit_fr")


@admin.register(MethodologyVersion)
class MethodologyVersionAdmin(admin.ModelAdmin):
    form = MethodologyVersionForm
    inlines = [RegionInline, ModelProfileInline, UsageProfileInline, EquivalentInline]
    list_display = ("version", "status", "label", "published", "parent", "region_count", "model_count", "profile_count")
    list_display_links = ("version",)
    list_filter = ("status",)
    search_fields = ("label", "changelog")
    # Drafts first, then the newest published version (NULL numbers sort the same on every database).
    ordering = (F("number").desc(nulls_first=True), "-created_at")
    fieldsets = (
        (None, {"fields": ("label", "label_fr", "changelog", "default_region")}),
        ("Record", {"fields": RECORD_FIELDS}),
    )
    readonly_fields = RECORD_FIELDS
    actions = ["new_draft_action", "publish_action"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request)
            .select_related("published_by", "parent", "created_by")
            .defer("snapshot")
            .with_draft_numbers()
            .annotate(
                region_count=_row_count(Region),
                model_count=_row_count(ModelProfile),
                profile_count=_row_count(UsageProfile),
            )
        )

    # ----------------------------------------------------------------- list columns

    @admin.display(description="version", ordering="number")
    def version(self, obj):
        return obj.name

    @admin.display(description="published", ordering="published_at")
    def published(self, obj):
        if not obj.is_published:
            return "-"
        when = localtime(obj.published_at).strftime("%Y-%m-%d %H:%M")
        return f"{when} by {obj.published_by}" if obj.published_by_id else when

    @admin.display(description="regions", ordering="region_count")
    def region_count(self, obj):
        return obj.region_count

    @admin.display(description="models", ordering="model_count")
    def model_count(self, obj):
        return obj.model_count

    @admin.display(description="profiles", ordering="profile_count")
    def profile_count(self, obj):
        return obj.profile_count

    # ----------------------------------------------------------------- permissions

    def has_module_permission(self, request):
        return _is_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return _is_staff(request.user)

    def has_add_permission(self, request):
        # A draft starts as a copy of a published version ("New draft from this version")
        # or from the config files (load_methodology), so it is complete from the start.
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return request.user.has_perm("methodology.change_methodologyversion")

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return request.user.has_perm("methodology.delete_methodologyversion")

    def has_derive_permission(self, request, obj=None):
        return request.user.has_perm("methodology.add_methodologyversion")

    def has_publish_permission(self, request, obj=None):
        return request.user.has_perm("methodology.publish_methodologyversion")

    # ----------------------------------------------------------------- actions

    @admin.action(description="New draft from the selected published versions", permissions=["derive"])
    def new_draft_action(self, request, queryset):
        for version in queryset:
            admin_views.new_draft_from(self, request, version)

    @admin.action(description="Publish the selected drafts", permissions=["publish"])
    def publish_action(self, request, queryset):
        # Oldest first, so the numbers follow the order the drafts were created in.
        for version in queryset.order_by("created_at", "pk"):
            if version.is_published:
                self.message_user(request, f"{version} is already published.", messages.WARNING)
            else:
                admin_views.publish_one(self, request, version)

    # ----------------------------------------------------------------- pages

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        own = [
            path("<int:object_id>/diff/", self.admin_site.admin_view(self.diff_view), name="%s_%s_diff" % info),
            path("<int:object_id>/publish/", self.admin_site.admin_view(require_POST(self.publish_view)),
                 name="%s_%s_publish" % info),
            path("<int:object_id>/new-draft/", self.admin_site.admin_view(require_POST(self.new_draft_view)),
                 name="%s_%s_new_draft" % info),
        ]
        return own + super().get_urls()

    def diff_view(self, request, object_id):
        return admin_views.diff_view(self, request, object_id)

    def publish_view(self, request, object_id):
        return admin_views.publish_view(self, request, object_id)

    def new_draft_view(self, request, object_id):
        return admin_views.new_draft_view(self, request, object_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = self.get_object(request, object_id)
        if version is not None:
            # The buttons of the page's object tools (see the change_form template).
            extra_context = {
                **(extra_context or {}),
                "diff_url": self._own_url("diff", version),
                "new_draft_url": self._own_url("new_draft", version)
                if version.is_published and self.has_derive_permission(request) else None,
                "publish_url": self._own_url("publish", version)
                if not version.is_published and self.has_publish_permission(request) else None,
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def _own_url(self, name: str, version) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=[version.pk])

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None:
            version = self.get_object(request, object_id)
            if version is not None and version.is_published and self.has_change_permission(request):
                # An editor's page went stale (the draft was published meanwhile): explain, don't 403.
                self.message_user(request, f"{version} is published and cannot change; derive a new draft from it.",
                                  messages.ERROR)
                return HttpResponseRedirect(request.path)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ImmutableVersionError as error:
            # Published between the permission check and the save: the models refused it.
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)
