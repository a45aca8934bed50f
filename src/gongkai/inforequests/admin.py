"""Admin of the reply review chain. Every save or delete replaces the whole chain through
``services.review_chain_set`` (validated, audited), never ``Model.save``; the form checks the chain it
would produce with the same rules (``review.chain_errors``), so a refusal is a form error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from gongkai.inforequests import services
from gongkai.inforequests.models import ReplyReviewStep
from gongkai.inforequests.review import StepSpec, chain_errors
from gongkai.org.access import Permission, can


def _ordered(steps: list[ReplyReviewStep]) -> list[ReplyReviewStep]:
    return sorted(steps, key=lambda s: (s.position or 0, s.pk or 10**9))


def _chain(steps: list[ReplyReviewStep]) -> list[StepSpec]:
    return [StepSpec(s.name.strip(), s.role, s.own_department) for s in _ordered(steps)]


def _with(obj: ReplyReviewStep) -> list[ReplyReviewStep]:
    """The office's steps with ``obj`` added or changed, in their order."""
    return _ordered([*ReplyReviewStep.objects.exclude(pk=obj.pk), obj])


class StepAdminForm(forms.ModelForm):
    class Meta:
        model = ReplyReviewStep
        fields = ("position", "name", "role", "own_department")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            step = ReplyReviewStep(pk=self.instance.pk, **{k: data.get(k) for k in self.Meta.fields})
            errors = chain_errors(_chain(_with(step)))
            if errors:
                raise ValidationError(errors)
        return data


@admin.register(ReplyReviewStep)
class ReplyReviewStepAdmin(admin.ModelAdmin):
    form = StepAdminForm
    list_display = ("position", "name", "role", "own_department", "updated_by", "updated_at")
    ordering = ("position",)

    def _may_edit(self, request: HttpRequest) -> bool:
        return can(request.user, Permission.REPLY_CHAIN_EDIT) or bool(
            getattr(request.user, "is_superuser", False)
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may_edit(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The last step stays: a chain without a step would leave the 告知书 without a signer.
        return self._may_edit(request) and ReplyReviewStep.objects.count() > 1

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request) or super().has_view_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: ReplyReviewStep, form: Any, change: bool) -> None:
        steps = _with(obj)
        rows = services.review_chain_set(actor=request.user, steps=_chain(steps))
        # The chain is renumbered from 1; the admin's redirect needs the row that holds ``obj``'s place.
        saved = rows[steps.index(obj)]
        obj.pk, obj.position = saved.pk, saved.position
        obj._state.adding = False

    def delete_model(self, request: HttpRequest, obj: ReplyReviewStep) -> None:
        self.delete_queryset(request, ReplyReviewStep.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ReplyReviewStep]) -> None:
        gone = set(queryset.values_list("pk", flat=True))
        try:
            services.review_chain_set(
                actor=request.user,
                steps=_chain([s for s in ReplyReviewStep.objects.all() if s.pk not in gone]),
            )
        except ValidationError as exc:
            self.message_user(request, f"审核流程未修改：{'；'.join(exc.messages)}", messages.ERROR)
