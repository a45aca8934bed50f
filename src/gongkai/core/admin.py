"""Admin: users, the read-only audit log and outbox, and the page where staff key in a year's 放假安排."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gongkai.core import calendar_rules, services
from gongkai.core.models import AuditEvent, CalendarRange, CalendarYear, OutboxMessage, User

admin.site.site_header = _("政务公开工作台")
admin.site.site_title = _("政务公开工作台")
admin.site.index_title = _("管理")


@admin.register(User)
class GongkaiUserAdmin(UserAdmin):
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("登录安全"), {"fields": ("password_change_required", "demo_account")}),
    )
    readonly_fields = ("demo_account",)  # only `gongkai demo` marks its own accounts

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not change:
            # The administrator chose this password: its owner chooses their own at first sign-in.
            obj.password_change_required = True
        super().save_model(request, obj, form, change)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                services.user_password_set(actor=request.user, user=self.get_object(request, id))
        return response


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "actor", "verb", "verb_label", "object_type", "object_repr", "ip")
    list_filter = ("verb", "object_type")
    search_fields = ("verb", "object_repr", "object_id", "actor__username")
    date_hierarchy = "occurred_at"
    list_select_related = ("actor",)

    @admin.display(description=_("操作说明"))
    def verb_label(self, obj: AuditEvent) -> str:
        return obj.verb_label


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "created_at", "sent_at", "attempts", "last_error")
    list_filter = ("kind",)


class CalendarRangeFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        year = self.instance.year
        if year is None:
            return  # the year field itself is invalid and says so
        ranges = [
            calendar_rules.DayRange(
                f.cleaned_data["kind"],
                f.cleaned_data["name"],
                f.cleaned_data["first_day"],
                f.cleaned_data["last_day"],
            )
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        errors = calendar_rules.year_errors(year, ranges, require_holiday=True)
        if errors:
            raise ValidationError(errors)


class CalendarRangeInline(admin.TabularInline):
    model = CalendarRange
    formset = CalendarRangeFormSet
    fields = ("kind", "name", "first_day", "last_day")
    extra = 3


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Staff key in the State Council notice here; saving goes through ``services.enter_calendar_year``."""

    inlines = (CalendarRangeInline,)
    list_display = ("year", "source", "notice_title", "entered_by", "updated_at")
    list_filter = ("source",)
    fields = ("year", "notice_title", "notice_url", "notice_text", "source", "entered_by", "entered_at")
    formfield_overrides: ClassVar[dict[Any, dict[str, Any]]] = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fixed = ("source", "entered_by", "entered_at")
        return ("year", *fixed) if obj is not None else fixed

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Removing a year would silently turn its deadlines into errors; correct it instead.
        return False

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: Any, change: bool) -> None:
        # Saved together with its ranges in save_related, through the service.
        pass

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        holidays, shifts = calendar_rules.spans_by_kind(f.cleaned_data for fs in formsets for f in fs.forms)
        saved = services.enter_calendar_year(
            actor=request.user,
            year=form.instance.year,
            holidays=holidays,
            workday_shifts=shifts,
            notice_title=form.cleaned_data.get("notice_title", ""),
            notice_url=form.cleaned_data.get("notice_url", ""),
            notice_text=form.cleaned_data.get("notice_text", ""),
        )
        # The admin's redirect and its own change log need the saved row.
        form.instance.pk = saved.pk
        form.instance._state.adding = False

    def construct_change_message(self, request: HttpRequest, form: Any, formsets: Any, add: bool) -> Any:
        # The formsets were never saved (the service replaced the ranges), so they cannot describe
        # the change; the audit event holds the full before/after.
        return super().construct_change_message(request, form, [], add)
