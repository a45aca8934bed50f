"""A15: 五、存在的主要问题及改进情况 says something — a concrete problem and what is done about it.

The section being absent or empty is A8's (an error). Present and non-empty, it is warned (A15; the
statute note's table says info, issue 9 asks for a warning) for any of these reasons, all named in the
message:

- **only a denial**: the whole section is "无", "暂无", "本年度不存在问题" and the like;
- **too short**: fewer than ``MIN_PROBLEMS_CHARS`` characters of content (letters, digits and Chinese
  characters; spacing and punctuation do not count). A real problem and its remedy take more than a line:
  "一是专门机构建设仍需进一步完善。改进措施：加强培训，提升工作水平。" is 29 characters;
- **only stock phrases**: once the words every report uses whatever its problems are removed ("存在一些
  不足", "与上级要求和群众期待相比仍有差距", "下一步将进一步加强", "不断提高工作水平", "切实保障
  知情权、参与权和监督权" …, see ``_STOCK_WORDS``), fewer than ``MIN_SPECIFIC_CHARS`` characters are left.
  A concrete problem always leaves its subject behind: "政策解读", "人手紧缺", "专栏更新不及时";
- **the same as last year** (with last year's report): at least ``similarity.REUSE_THRESHOLD`` of this
  year's sentences of 五 are last year's sentences of 五 (figures masked). The 2021 format asks ([R])
  that last year's problems be followed up; a copied section follows nothing up.
"""

from __future__ import annotations

import re
import unicodedata

from gongkai.annual_report.model import AnnualReport

from .base import WARNING, Cells, Finding
from .similarity import REUSE_THRESHOLD, percent, reuse_share, sentence_keys

MIN_PROBLEMS_CHARS = 40
MIN_SPECIFIC_CHARS = 4
_QUOTE_UP_TO = 40

# Words that say nothing about which problem, by kind; removed longest first.
_STOCK_GROUPS = (
    # who and when
    "政府信息公开工作 政府信息公开 政务公开工作 政务公开 信息公开工作 信息公开 公开工作 工作中 工作 日常 "
    "我单位 我局 我委 我办 我街道 我镇 我乡 我县 我区 我市 我厅 我部 我院 我们 我中心 "
    "本单位 本机关 本街道 本部门 本局 本中心 本年度 今年 年度 全年 年 过去一年 一年来",
    # "some results, but a gap to the expectations of superiors and the public"
    "虽然 虽 取得了 取得 一定的 一定 成效 成绩 进展 但是 但 然而 不过 "
    "与 和 及 同 对照 比照 对比 相比较 相比 相较 比 "
    "上级 领导 的 要求 新要求 群众 人民群众 公众 社会公众 社会 期待 新期待 期盼 期望 需求 新形势 新任务 形势 任务",
    # "there are still some shortcomings"
    "还 仍然 仍 依然 尚 也 都 均 存在着 存在 有着 有 一些 部分 若干 少数 个别 某些 许多 诸多 较多 "
    "不足之处 不足 问题 差距 短板 薄弱环节 薄弱 之处 地方 方面 环节 情况 现象 缺点 不到位 不够 "
    "有待 需要 需 亟需 亟待 仍需 还需 有所 尚未 主要 明显 突出 重大 较大 一般 具体 相关 有关 各项 各类 各方面",
    # "next we will further strengthen ..."
    "下一步 今后 在今后的 接下来 未来 新的一年 来年 明年 将来 "
    "将 要 会 应 应当 必须 把 以 为 在 对 于 中 上 下 从 就 并 并且 同时 而 等 了 着 是 "
    "继续 进一步 持续 不断 切实 努力 认真 全面 积极 主动 扎实 稳步 大力 着力 深入 狠抓 始终 坚持 严格 "
    "按照 依法 规范 规范化 标准化 制度化 常态化 "
    "加强 加大 提高 提升 改进 改善 完善 健全 做好 做实 做细 抓好 推进 推动 促进 落实 深化 强化 优化 "
    "拓展 拓宽 丰富 增强 确保 保证 保障 力度 水平 质量 效果 实效 质效 能力 意识 透明度 公信力 满意度",
    # the rights formula, denials, the section's own words
    "知情权 参与权 表达权 监督权 权利 合法权益 无 暂无 没有 不存在 未发现 未出现 目前 暂未 "
    "改进情况 改进措施 措施 整改 主要问题 存在的问题",
)
_STOCK_WORDS = frozenset(word for group in _STOCK_GROUPS for word in group.split())
_STOCK_LENGTHS = sorted({len(w) for w in _STOCK_WORDS}, reverse=True)
_FIGURE_CHARS = frozenset("0123456789零〇一二两三四五六七八九十百千万亿")
_DENIAL = re.compile(
    r"^(?:本年度|今年|目前|本年)?(?:暂无|暂未发现|无|没有|不存在|未发现)"
    r"(?:明显|突出|主要|需要报告)?(?:的)?(?:问题|不足|情况)?(?:及改进情况)?$"
)
_NOT_CONTENT = re.compile(r"[\W_]+")
_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def content(text: str) -> str:
    """The letters, digits and Chinese characters of ``text`` (full-width folded); what counts as said."""
    said = _NOT_CONTENT.sub("", text)
    return unicodedata.normalize("NFKC", said) if _FULL_WIDTH_ALNUM.search(said) else said


def specific_chars(said: str, enough: int = MIN_SPECIFIC_CHARS) -> int:
    """How many characters of ``said`` (see ``content``) are neither stock words nor figures, counting
    up to ``enough``: stock words are skipped longest first from left to right. Real sections reach
    ``enough`` within their first clause, so this costs little whatever their length."""
    count = 0
    i, end = 0, len(said)
    while i < end:
        for length in _STOCK_LENGTHS:
            if said[i : i + length] in _STOCK_WORDS:
                i += length
                break
        else:
            if said[i] not in _FIGURE_CHARS:
                count += 1
                if count >= enough:
                    return count
            i += 1
    return count


def problems_reasons(text: str, previous_text: str | None = None, *, said: str | None = None) -> list[str]:
    """Why section 五's ``text`` is boilerplate (empty list: it is not); ``said`` is ``content(text)``."""
    said = content(text) if said is None else said
    quoted = text.strip() if len(text.strip()) <= _QUOTE_UP_TO else ""
    if _DENIAL.match(said):
        return [f"只写了“{text.strip()}”，没有说明存在的问题及改进情况"]
    reasons = []
    if len(said) < MIN_PROBLEMS_CHARS:
        reasons.append(f"内容过短（{len(said)} 字，少于 {MIN_PROBLEMS_CHARS} 字）")
    if specific_chars(said) < MIN_SPECIFIC_CHARS:
        reasons.append("只有“存在一些不足”“下一步将进一步加强”一类套话，没有写明具体问题")
    if previous_text:
        mine = sentence_keys(text)
        shared, share = reuse_share(mine, sentence_keys(previous_text))
        if mine and share >= REUSE_THRESHOLD:
            reasons.append(
                f"问题与改进情况与上年度相同（{len(mine)} 句中有 {shared} 句与上年度报告此部分相同，"
                f"占 {percent(share)}%），未说明上年度问题的改进"
            )
    if reasons and quoted:
        reasons.append(f"全文为“{quoted}”")
    return reasons


def check_problems(cells: Cells, previous: AnnualReport | None) -> list[Finding]:
    """A15 on section 五; nothing when the section is absent or empty (A8 says so)."""
    text = cells.report.sections.get("problems")
    said = content(text) if text is not None else ""
    if text is None or not said:
        return []
    previous_text = previous.sections.get("problems") if previous is not None else None
    reasons = problems_reasons(text, previous_text, said=said)
    if not reasons:
        return []
    label = cells.row_label("sections", "problems")
    return [
        cells.finding(
            "A15",
            WARNING,
            "sections",
            "problems",
            "",
            None,
            len(said),
            f"{label}流于形式：" + "；".join(reasons),
        )
    ]
