"""Writes of the ranking: the office head sets the weights and publishes a quarter (freezing it)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.services import record_event
from gongkai.org.access import Permission, require
from gongkai.org.selectors import get_organisation
from gongkai.ranking.frozen import snapshot_of
from gongkai.ranking.indicators import BY_CODE, INDICATORS, MAX_WEIGHT
from gongkai.ranking.models import PublishedQuarter, RankingMethod
from gongkai.ranking.queries import Quarter
from gongkai.ranking.selectors import compute_ranking, weights_in_force


def _clean_weights(weights: dict[str, Any]) -> dict[str, int]:
    unknown = set(weights) - set(BY_CODE)
    if unknown:
        raise ValidationError(f"未知的考核指标：{'、'.join(sorted(unknown))}")
    out: dict[str, int] = {}
    for indicator in INDICATORS:
        value = weights.get(indicator.code, indicator.default_weight)
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError(f"“{indicator.label}”的权重应为整数") from None
        if not 0 <= number <= MAX_WEIGHT:
            raise ValidationError(f"“{indicator.label}”的权重应在 0 到 {MAX_WEIGHT} 之间")
        if not indicator.available and number:
            raise ValidationError(f"“{indicator.label}”的台账尚未建立，权重只能为 0")
        out[indicator.code] = number
    if not any(out.values()):
        raise ValidationError("至少要有一项指标的权重大于 0")
    return out


@transaction.atomic
def ranking_method_set(*, actor: Any, weights: dict[str, Any]) -> RankingMethod:
    """Set this office's indicator weights (公开办负责人)."""
    require(actor, Permission.RANKING_EDIT, "只有公开办负责人可以修改考核方法")
    clean = _clean_weights(weights)
    org = get_organisation()
    before = weights_in_force()
    method, _ = RankingMethod.objects.select_for_update().get_or_create(organisation=org)
    method.weights = clean
    method.updated_at = timezone.now()
    method.save()
    record_event(actor=actor, verb=AuditVerb.RANKING_METHOD_SET, obj=method, before=before, after=clean)
    return method


@transaction.atomic
def ranking_publish(*, actor: Any, quarter: Quarter) -> PublishedQuarter:
    """Publish a quarter internally: its scores, method and records are frozen from now on."""
    require(actor, Permission.RANKING_EDIT, "只有公开办负责人可以发布季度排名")
    today = timezone.localdate()
    if quarter.last_day >= today:
        raise ValidationError(f"{quarter.label}尚未结束，季度结束后才能发布排名")
    org = get_organisation()
    if PublishedQuarter.objects.filter(organisation=org, year=quarter.year, quarter=quarter.quarter).exists():
        raise ValidationError(f"{quarter.label}的排名已经发布，发布后不再改动")
    ranking = compute_ranking(quarter)
    try:
        with transaction.atomic():
            pq = PublishedQuarter.objects.create(
                organisation=org,
                year=quarter.year,
                quarter=quarter.quarter,
                published_by=actor,
                snapshot=snapshot_of(ranking, today),
            )
    except IntegrityError:
        raise ValidationError(f"{quarter.label}的排名已经发布，发布后不再改动") from None
    record_event(
        actor=actor,
        verb=AuditVerb.RANKING_PUBLISH,
        obj=pq,
        after={"weights": ranking.weights, "totals": {r.department: r.total for r in ranking.rows}},
    )
    return pq
