"""Admin of the org app. Saves go through ``org.services`` (validated, audited), never ``Model.save``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.org import services
from gongkai.org.models import Department, Organisation, StaffProfile

# Second-factor devices change only through org.second_factor (enrolment by their owner, a reset by the
# 公开办负责人), which audits them; django-otp's own admin would edit secrets unrecorded.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One row: organisation_set edits the organisation once it exists.
        return super().has_add_permission(request) and not Organisation.objects.exists()

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        org = services.organisation_set(
            actor=request.user,
            name=obj.name,
            kind=obj.kind,
            parent_name=obj.parent_name,
            address=obj.address,
            phone=obj.phone,
            mailbox_name=obj.mailbox_name,
        )
        obj.pk = org.pk


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "sort_order", "active")

    def save_model(self, request: HttpRequest, obj: Department, form: Any, change: bool) -> None:
        if change:
            services.department_update(
                actor=request.user,
                department=obj,
                organisation=obj.organisation,
                name=obj.name,
                sort_order=obj.sort_order,
                active=obj.active,
            )
            return
        dept = services.department_create(
            actor=request.user,
            organisation=obj.organisation,
            name=obj.name,
            sort_order=obj.sort_order,
            active=obj.active,
        )
        obj.pk = dept.pk


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "department", "title")

    def get_readonly_fields(self, request: HttpRequest, obj: StaffProfile | None = None) -> Any:
        return ("user",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: StaffProfile, form: Any, change: bool) -> None:
        if change:
            services.staff_profile_update(
                actor=request.user, profile=obj, department=obj.department, title=obj.title
            )
            return
        profile = services.staff_profile_create(
            actor=request.user, user=obj.user, department=obj.department, title=obj.title
        )
        obj.pk = profile.pk
