"""The ranking's indicators and the default method, as data: the page, the XLSX and the scores read it.

Every indicator is computed from records only (never a figure keyed in) and scored 0–100; a 科室's total
is the weighted mean of the indicators that have records for it, so a 科室 without, say, any request this
quarter is neither rewarded nor punished for it.
"""

from __future__ import annotations

from dataclasses import dataclass

# Art. 26: proactive information is published within 20 working days of being formed or changed.
PUBLICATION_DAYS = 20
# Each working day of average delay on the 科室's replies costs this many points of the delay score.
DELAY_POINTS_PER_DAY = 10


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    default_weight: int
    method: str  # how the score is computed, written out on the page and in the XLSX
    available: bool = True  # False while the ledger it reads does not exist yet


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "pub_timely",
        "主动公开及时率",
        30,
        f"本季度公开的信息中，自形成或者变更之日起 {PUBLICATION_DAYS} 个工作日内公开的比例"
        "（《条例》第二十六条），得分 = 比例 × 100。",
    ),
    Indicator(
        "pub_volume",
        "主动公开数量",
        15,
        "本季度公开的信息条数（按类别列出），得分 = 本科室条数 ÷ 条数最多的科室 × 100。",
    ),
    Indicator(
        "review_returned",
        "审核退回",
        10,
        "本季度对本科室信息作出的保密审查决定中被退回的比例，得分 = (1 − 退回比例) × 100。",
    ),
    Indicator(
        "req_timely",
        "依申请按期答复率",
        25,
        "答复期限在本季度内的申请中，在期限内答复的比例（期限已过仍未答复的计为超期），得分 = 比例 × 100。",
    ),
    Indicator(
        "req_delay",
        "依申请超期工作日",
        10,
        "同上申请的平均超期工作日数（按期答复的计 0），"
        f"得分 = 100 − 平均超期工作日 × {DELAY_POINTS_PER_DAY}，最低 0 分。",
    ),
    Indicator(
        "letters_timely",
        "信箱转办按期办结率",
        10,
        "回复期限在本季度内的信箱转办件（已撤回的除外）中，科室在期限内回复的比例，得分 = 比例 × 100。",
    ),
    Indicator(
        "supervision_timely",
        "督办任务按期完成率",
        10,
        "办结时限在本季度内的区委区政府督查督办事项（已办结或已到期）中，在时限内办结的比例"
        "（到期仍未办结的计为超期），得分 = 比例 × 100。",
    ),
)

BY_CODE = {i.code: i for i in INDICATORS}
DEFAULT_WEIGHTS: dict[str, int] = {i.code: i.default_weight for i in INDICATORS}
MAX_WEIGHT = 100

TOTAL_METHOD = (
    "总分 = Σ(指标得分 × 权重) ÷ Σ权重，只计本季度有记录的指标（例如本季度没有依申请公开的科室不计该两项）；"
    "总分相同的科室名次并列。数据全部取自台账记录，不手工填报。"
)
