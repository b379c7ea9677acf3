"""The ledger in the admin, read-only for everyone: when it was last verified and the verdict, and its entries."""

from django.contrib import admin
from django.utils.html import format_html_join

from .models import LedgerCheck, LedgerEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written only by the app (seals) and by verify_ledger (checks)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerCheck)
class LedgerCheckAdmin(ReadOnlyAdmin):
    list_display = ("checked_at", "verdict", "entries", "head_position", "problem_count")
    list_filter = ("intact",)
    fields = ("checked_at", "verdict", "entries", "head_position", "head_seal", "problem_list")
    readonly_fields = fields

    @admin.display(description="verdict", boolean=True, ordering="intact")
    def verdict(self, obj: LedgerCheck) -> bool:
        return obj.intact

    @admin.display(description="problems")
    def problem_count(self, obj: LedgerCheck) -> int:
        return len(obj.problems)

    @admin.display(description="problems")
    def problem_list(self, obj: LedgerCheck):
        return format_html_join("", "<p><strong>{}</strong>: {} ({})</p>",
                                ((p["subject"], p["problem"], p["detail"]) for p in obj.problems)) or "–"


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("position", "kind", "object_id", "seal", "sealed_at")
    list_filter = ("kind",)
    search_fields = ("=object_id", "seal")
    readonly_fields = ("position", "kind", "object_id", "content_sha256", "seal", "sealed_at")
