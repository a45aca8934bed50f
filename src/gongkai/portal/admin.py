"""Admin: the editable portal pages (configuration, not ledger data)."""

from __future__ import annotations

from django.contrib import admin

from gongkai.portal.models import Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "updated_at")
    readonly_fields = ("updated_at",)

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False  # the portal links to both pages; edit them instead
