"""The office head's weights form: one integer per indicator, the unavailable ones fixed at 0."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.ranking.indicators import INDICATORS, MAX_WEIGHT


class WeightsForm(forms.Form):
    def __init__(self, *args: Any, weights: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for indicator in INDICATORS:
            self.fields[indicator.code] = forms.IntegerField(
                label=indicator.label,
                min_value=0,
                max_value=MAX_WEIGHT,
                initial=weights.get(indicator.code, indicator.default_weight),
                disabled=not indicator.available,
                help_text="" if indicator.available else "所需台账尚未建立，暂不计分",
                error_messages={
                    "required": "请填写权重",
                    "invalid": "权重应为整数",
                    "min_value": "权重不能小于 0",
                    "max_value": f"权重不能大于 {MAX_WEIGHT}",
                },
            )
