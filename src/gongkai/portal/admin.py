"""Admin: the editable portal pages (configuration, not ledger data). Saves go through ``page_update``
(validated, audited), so only those who may edit the pages in the workbench may edit them here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.org.access import Permission, can
from gongkai.portal.models import Page
from gongkai.portal.page_services import page_update


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "updated_at")
    readonly_fields = ("updated_at",)

    def get_readonly_fields(self, request: HttpRequest, obj: Page | None = None) -> Any:
        return (*self.readonly_fields, "slug") if obj is not None else self.readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and can(request.user, Permission.PAGE_EDIT)

    def has_change_permission(self, request: HttpRequest, obj: Page | None = None) -> bool:
        return super().has_change_permission(request, obj) and can(request.user, Permission.PAGE_EDIT)

    def has_delete_permission(self, request: HttpRequest, obj: Page | None = None) -> bool:
        return False  # the portal links to both pages; edit them instead

    def save_model(self, request: HttpRequest, obj: Page, form: Any, change: bool) -> None:
        page = page_update(actor=request.user, slug=obj.slug, title=obj.title, body=obj.body)
        obj.pk = page.pk
