"""Hypothesis strategies that generate *consistent* annual reports, for property tests.

It lives with the tests (not in the ``gongkai`` package) because it imports hypothesis, a dev
dependency: a production install imports every module of the package cleanly without it. Test modules
in this directory import it as ``report_strategies`` (pytest puts the directory on ``sys.path``).
``consistent_reports()`` draws a report of either format (including the Beijing 2019 variant) that
every rule of ``gongkai.annual_report.checks`` accepts: Table 三 balances row- and column-wise,
Table 四's totals add up, Table 二 is internally sane, all six sections are present under statutory
headings, section 一 restates some of the table figures in the phrasings real reports use (and some
unrelated figures a checker must leave alone), section 六 reports the 信息处理费 (2021) and the report
is published on time. Section 一 also tells what the office did and section 五 names concrete problems
with their remedies; an office does not copy last year's narrative (A13, A15), so a report draws those
sentences from one of two pools by the parity of its year, and consecutive years never share them.
``consistent_report_pairs()`` draws last year's and this year's report so that the cross-year rules
(A5, A6, A13, A15) hold as well. Renderer and parser round-trip tests reuse them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from gongkai.annual_report.formats import (
    APPEAL_GROUPS,
    APPEAL_OUTCOME_KEYS,
    APPLICANT_KEYS,
    SECTIONS,
    ReportFormat,
    get_format,
)
from gongkai.annual_report.model import AnnualReport, Cell, TableData

__all__ = ["DEPARTMENTS", "FORMAT_CHOICES", "GOVERNMENTS", "consistent_report_pairs", "consistent_reports"]

FORMAT_CHOICES: tuple[tuple[str, str], ...] = (
    ("2019", "national"),
    ("2019", "beijing"),
    ("2021", "national"),
)
# Names decide the deadline (A12): …人民政府 publishes by 3月31日, everyone else by 1月31日.
DEPARTMENTS = ("东花市街道办事处", "东城区财政局", "上海市人民政府办公厅", "朝阳门街道办事处", "沭阳县民政局")
GOVERNMENTS = ("沭阳县人民政府", "淮安市人民政府", "东城区人民政府")

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_CHINESE_DIGITS = "零一二三四五六七八九"

Draw = Any  # hypothesis' draw callable


def _chinese(n: int, *, liang: bool) -> str:
    """1..99 as a Chinese numeral: 2 → 两/二, 12 → 十二, 20 → 二十, 35 → 三十五."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return "两" if n == 2 and liang else _CHINESE_DIGITS[n]
    head = "" if tens == 1 else _CHINESE_DIGITS[tens]
    return head + "十" + (_CHINESE_DIGITS[ones] if ones else "")


def _number(draw: Draw, n: int) -> str:
    """A count as reports print it: 12, "12 " with spaces, full-width １２, or 十二 for small numbers."""
    styles = ["plain", "spaced", "full_width"] + (["chinese"] if 0 < n < 100 else [])
    style = draw(st.sampled_from(styles))
    if style == "spaced":
        return f" {n} "
    if style == "full_width":
        return str(n).translate(_FULL_WIDTH)
    if style == "chinese":
        return _chinese(n, liang=draw(st.booleans()))
    return str(n)


# -- tables ----------------------------------------------------------------------------------------


def _requests(draw: Draw, fmt: ReportFormat, scale: int, carried_over: dict[str, int] | None) -> TableData:
    leaves = [r.key for r in fmt.outcome_leaves]
    table: TableData = {r.key: {} for r in fmt.request_rows}
    for col in APPLICANT_KEYS:
        col_scale = scale if col == "natural_person" else draw(st.sampled_from([0, 0, max(1, scale // 10)]))
        values = {leaf: draw(st.integers(0, col_scale)) for leaf in leaves}
        handled = sum(values.values())
        forward = draw(st.integers(0, col_scale))
        if carried_over is not None:
            before = carried_over.get(col, 0)
            forward = max(forward, before - handled)  # nobody can carry more in than was open
        else:
            before = draw(st.integers(0, handled + forward))
        for leaf, v in values.items():
            table[leaf][col] = v
        table["total"][col] = handled
        table["carried_forward"][col] = forward
        table["carried_over"][col] = before
        table["new_received"][col] = handled + forward - before
    for row in table.values():
        row["total"] = sum(_count(row[c]) for c in APPLICANT_KEYS)
    return table


def _count(value: Cell) -> int:
    assert isinstance(value, int)
    return value


def _appeals(draw: Draw) -> TableData:
    scale = draw(st.sampled_from([0, 2, 20]))
    table: TableData = {}
    for group in APPEAL_GROUPS:
        row: dict[str, Cell] = {k: draw(st.integers(0, scale)) for k in APPEAL_OUTCOME_KEYS}
        row["total"] = sum(_count(row[k]) for k in APPEAL_OUTCOME_KEYS)
        table[group.key] = row
    return table


def _money(draw: Draw, places: int) -> Decimal:
    # Kept below 10000 万元 when written without decimals would look like 元 (A10); always with decimals here.
    return Decimal(draw(st.integers(0, 10**5 * 10**places))).scaleb(-places)


def _proactive(draw: Draw, fmt: ReportFormat, previous: AnnualReport | None) -> TableData:
    table: TableData = {}
    before = previous.proactive if previous is not None and previous.format == fmt.id else None
    for block in fmt.proactive:
        keys = {c.key for c in block.columns}
        # A parent row such as 其他对外管理服务事项 is printed either itself or through its local sub-rows.
        use_sub_rows = any(r.optional for r in block.rows) and draw(st.booleans())
        for row in block.rows:
            is_parent = any(r.optional and r.key.startswith(row.key + ".") for r in block.rows)
            if (row.optional and not use_sub_rows) or (is_parent and use_sub_rows):
                continue
            cells: dict[str, Cell] = {}
            old = before.get(row.key) if before is not None else None
            if keys >= {"made", "published", "total"}:
                published = draw(st.integers(0, 50))
                cells |= {
                    "made": draw(st.integers(0, 50)),
                    "published": published,
                    "total": published + draw(st.integers(0, 500)),
                }
            if keys >= {"issued", "repealed", "in_force"}:
                issued = draw(st.integers(0, 20))
                if old is not None and isinstance(old.get("in_force"), int):
                    base = _count(old["in_force"])
                    repealed = draw(st.integers(0, base + issued))
                    in_force = base + issued - repealed
                else:
                    in_force = draw(st.integers(0, 300))
                    repealed = draw(st.integers(0, 20))
                cells |= {"issued": issued, "repealed": repealed, "in_force": in_force}
            if "previous" in keys:
                if (
                    old is not None
                    and isinstance(old.get("previous"), int)
                    and isinstance(old.get("change"), int)
                ):
                    prev_items = _count(old["previous"]) + _count(old["change"])
                else:
                    prev_items = draw(st.integers(0, 100))
                cells["previous"] = prev_items
                cells["change"] = draw(st.integers(-prev_items, 30))
            if "decisions" in keys:
                cells["decisions"] = draw(st.integers(0, 10**6))
            if "projects" in keys:
                cells["projects"] = draw(st.integers(0, 200))
            if "amount_wan" in keys:
                places = 4 if fmt.variant == "beijing" else draw(st.sampled_from([2, 3, 4]))
                cells["amount_wan"] = _money(draw, places)
            table[row.key] = cells
    return table


# -- prose -----------------------------------------------------------------------------------------


def _sum(table: TableData, rows: list[str], col: str = "total") -> int:
    return sum(_count(table[r][col]) for r in rows)


def _group(fmt: ReportFormat, group: str) -> list[str]:
    return [r.key for r in fmt.group_rows(group)]


def _overview(draw: Draw, fmt: ReportFormat, year: int, requests: TableData, appeals: TableData) -> str:
    """Section 一 as offices write it: unrelated activity figures, then the request figures, restated."""
    n = _number
    noise = [
        f"{year}年，本机关全年主动公开政府信息{n(draw, draw(st.integers(0, 999)))}条",
        f"收到区长信箱信件{n(draw, draw(st.integers(0, 99)))}件，办结{n(draw, draw(st.integers(0, 99)))}件",
        f"完成区委区政府督查督办{n(draw, draw(st.integers(0, 99)))}件",
        f"本年度回应公众关注热点或重大舆情{n(draw, draw(st.integers(0, 999)))}次",
        f"全年发出催办提示{n(draw, draw(st.integers(0, 99)))}次，化解各类争议纠纷{n(draw, draw(st.integers(0, 99)))}件",
    ]
    picked = _some(draw, noise)
    paragraphs = ["。".join(picked) + "。"] if picked else []

    new = requests["new_received"]
    carried = requests["carried_over"]
    legal = sum(_count(new[c]) for c in APPLICANT_KEYS[1:])
    intake = [
        f"{year}年收到政府信息公开申请数量为{n(draw, _count(new['total']))}件",
        f"本年度共受理政府信息公开申请{n(draw, _count(new['total']) + _count(carried['total']))}件",
        f"其中自然人申请{n(draw, _count(new['natural_person']))}件，法人或其他组织申请{n(draw, legal)}件",
        f"上年结转政府信息公开申请{n(draw, _count(carried['total']))}件",
        f"办结政府信息公开申请{n(draw, _count(requests['total']['total']))}件",
        f"结转下年度继续办理{n(draw, _count(requests['carried_forward']['total']))}件",
    ]
    if _count(new["total"]) > 0 and new["natural_person"] == new["total"]:
        intake.append("申请人类型为自然人")
    granted = _sum(requests, ["granted"])
    partial = _sum(requests, ["partial"])
    outcomes = [
        f"予以公开{n(draw, granted)}件",
        f"部分公开{n(draw, partial)}件",
        f"予以公开及部分公开{n(draw, granted + partial)}件",
        f"不予公开{n(draw, _sum(requests, _group(fmt, 'refused')))}件",
        f"因本机关不掌握等原因无法提供{n(draw, _sum(requests, _group(fmt, 'unavailable')))}件",
        f"不予处理{n(draw, _sum(requests, _group(fmt, 'not_processed')))}件",
        f"其他处理{n(draw, _sum(requests, _group(fmt, 'other')))}件",
    ]
    request_sentences = []
    picked = _some(draw, intake)
    if picked:
        request_sentences.append("政府信息公开申请办理方面，" + "，".join(picked))
    picked = _some(draw, outcomes)
    if picked:
        request_sentences.append("在办结的申请中，" + "；".join(picked))
    review = _count(appeals["review"]["total"])
    litigation = _count(appeals["litigation_direct"]["total"]) + _count(
        appeals["litigation_after_review"]["total"]
    )
    if draw(st.booleans()):
        sentence = f"信息公开类行政复议{n(draw, review)}件，行政诉讼{n(draw, litigation)}件"
        if review + litigation and all(row["upheld"] == row["total"] for row in appeals.values()):
            sentence += "，均获维持"
        request_sentences.append(sentence)
    if request_sentences:
        paragraphs.append("。".join(request_sentences) + "。")
    paragraphs.append("街道修订政府信息主动公开制度，按照“谁主管、谁负责”的原则实行双重审核制度。")
    work = draw(st.permutations(_WORK[year % 2]))[: draw(st.integers(4, len(_WORK[year % 2])))]
    paragraphs.append("。".join(work) + "。")
    return "\n".join(draw(st.permutations(paragraphs)))


# What the office did (section 一) and its problems with their remedies (section 五), without figures.
# Two pools, used in alternate years: no sentence of one year recurs the next (A13, A15).
_WORK: tuple[tuple[str, ...], ...] = (
    (
        "修订政府信息公开指南，细化依申请公开的受理、答复和送达流程",
        "在政府信息公开专栏增设重点领域信息栏目，按月检查栏目更新情况",
        "组织各科室信息员参加政策解读和保密审查专题培训，提升信息发布质量",
        "对涉及群众切身利益的政策文件，坚持解读材料与文件同步起草、同步审签、同步发布",
        "建立政务新媒体信息发布台账，发布前由科室负责人和主管主任两级审核",
        "开展政府信息公开工作自查，对发现的栏目空白和链接失效问题逐项整改",
    ),
    (
        "完成政府信息公开目录梳理，清理过期失效信息，规范信息分类和命名",
        "推进决策公开，重要事项在决策前通过网站和社区公告栏公开征求居民意见",
        "依托网格化平台收集居民诉求，对热点问题在政务微信及时回应",
        "编制依申请公开答复文书示范文本，统一告知书格式和救济途径表述",
        "举办政务开放日活动，邀请居民代表、人大代表走进办事大厅体验办事流程",
        "将政务公开工作纳入科室季度考核，考核结果在机关内部通报",
    ),
)
_PROBLEMS: tuple[tuple[str, ...], ...] = (
    (
        "政策解读形式较为单一，图解、视频等解读产品偏少。改进措施：对重要政策同步制作图解和短视频解读，由起草科室负责",
        "个别科室信息报送不及时，专栏部分栏目更新滞后。改进措施：建立每周更新提醒，按季度通报各科室报送情况并纳入考核",
        "依申请公开答复文书格式不够统一，告知救济途径的表述不一致。改进措施：修订答复文书模板，对经办人员开展专题培训",
    ),
    (
        "上年度指出的栏目更新滞后问题已经整改，但重点领域信息公开深度不够，部分项目只公开了立项信息。改进措施：梳理重点领域公开清单，项目进展和结果信息同步公开",
        "依申请公开办理中与申请人沟通不足，补正告知不够清楚。改进措施：编写补正告知指引，受理后先电话确认申请内容",
        "政务新媒体与门户网站发布内容衔接不够，偶有重复发布和遗漏。改进措施：由公开办统一审核后同步发布",
    ),
)
_ORDINALS = ("一是", "二是", "三是")


def _problems(draw: Draw, year: int) -> str:
    pool = _PROBLEMS[year % 2]
    picked = draw(st.permutations(pool))[: draw(st.integers(1, len(pool)))]
    return "\n".join(f"{_ORDINALS[i]}{text}。" for i, text in enumerate(picked))


def _some(draw: Draw, phrases: list[str]) -> list[str]:
    """A subset of ``phrases``, kept in the order a report would state them."""
    return [p for p in phrases if draw(st.booleans())]


def _headings(draw: Draw) -> list[str] | None:
    if draw(st.booleans()):
        return None
    out = []
    for section in SECTIONS:
        heading = draw(st.sampled_from((section.heading, *section.aliases)))
        if draw(st.booleans()):
            heading = heading.replace("、", "、 ", 1)  # a stray space from PDF extraction
        out.append(heading)
    return out


def _other_section(draw: Draw, fmt: ReportFormat, year: int) -> str:
    if fmt.id != "2021":
        return draw(st.sampled_from(["无。", "本机关无其他需要报告的事项。"]))
    fee = draw(st.integers(0, 5000))
    if fee == 0:
        return f"依据《政府信息公开信息处理费管理办法》，{year}年本机关未收取信息处理费。"
    return f"依据《政府信息公开信息处理费管理办法》规定，{year}年本机关实际收取信息处理费共计{fee}元。"


# -- reports ---------------------------------------------------------------------------------------


def _report(
    draw: Draw,
    format_id: str,
    variant: str,
    year: int,
    organisation: str,
    previous: AnnualReport | None = None,
) -> AnnualReport:
    fmt = get_format(format_id, variant)
    scale = draw(st.sampled_from([0, 3, 30, 400]))
    carried = None
    if previous is not None:
        carried = {c: _count(v) for c, v in previous.requests["carried_forward"].items() if c != "total"}
    requests = _requests(draw, fmt, scale, carried)
    appeals = _appeals(draw)
    deadline = dt.date(year + 1, 3, 31) if organisation.endswith("人民政府") else dt.date(year + 1, 1, 31)
    return AnnualReport(
        organisation=organisation,
        year=year,
        format=format_id,
        variant=variant,
        published_on=draw(st.dates(dt.date(year + 1, 1, 1), deadline)),
        sections={
            "overview": _overview(draw, fmt, year, requests, appeals),
            "proactive": "",
            "requests": "",
            "appeals": "",
            "problems": _problems(draw, year),
            "other": _other_section(draw, fmt, year),
        },
        headings=_headings(draw),
        proactive=_proactive(draw, fmt, previous),
        requests=requests,
        appeals=appeals,
    )


def _year_for(format_id: str) -> st.SearchStrategy[int]:
    return st.integers(2019, 2020) if format_id == "2019" else st.integers(2021, 2030)


@st.composite
def consistent_reports(draw: Draw, formats: tuple[tuple[str, str], ...] = FORMAT_CHOICES) -> AnnualReport:
    """A report that passes every check of the catalogue (see the module docstring)."""
    format_id, variant = draw(st.sampled_from(formats))
    year = draw(_year_for(format_id))
    organisation = draw(st.sampled_from(DEPARTMENTS + GOVERNMENTS))
    return _report(draw, format_id, variant, year, organisation)


@st.composite
def consistent_report_pairs(draw: Draw) -> tuple[AnnualReport, AnnualReport]:
    """(last year's report, this year's report) of one organisation, continuous across the years."""
    year = draw(st.integers(2019, 2029))
    organisation = draw(st.sampled_from(DEPARTMENTS + GOVERNMENTS))
    variant = draw(st.sampled_from(["national", "beijing"])) if year <= 2020 else "national"
    previous = _report(draw, "2019" if year <= 2020 else "2021", variant, year, organisation)
    next_id = "2019" if year + 1 <= 2020 else "2021"
    current = _report(
        draw, next_id, variant if next_id == "2019" else "national", year + 1, organisation, previous
    )
    return previous, current
