"""check_report on the seed examples and on real published reports (shared/samples), transcribed by hand.

The expectations come from the hand-checked ``*.expected.json`` of each sample: what must be found,
and — as important — what must not be flagged in a consistent report.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.annual_report.checks import RULES, Finding, check_report
from gongkai.annual_report.formats import APPEAL_COLUMNS, REQUEST_COLUMN_KEYS, SECTIONS
from gongkai.annual_report.model import AnnualReport, Cell

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load_example(name: str) -> AnnualReport:
    return AnnualReport.from_json((EXAMPLES / name).read_text(encoding="utf-8"))


def request_rows(rows: dict[str, list[int | None]]) -> dict[str, dict[str, Cell]]:
    return {key: dict(zip(REQUEST_COLUMN_KEYS, values, strict=True)) for key, values in rows.items()}


def appeal_rows(rows: dict[str, list[int | None]]) -> dict[str, dict[str, Cell]]:
    keys = [c.key for c in APPEAL_COLUMNS]
    return {key: dict(zip(keys, values, strict=True)) for key, values in rows.items()}


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def by_rule(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


# -- the seed --------------------------------------------------------------------------------------


def test_seed_as_published_breaks_the_balance_in_the_total_row() -> None:
    findings = check_report(load_example("donghuashi-2019.json"))
    assert sorted((f.rule, f.table, f.row, f.column) for f in errors(findings)) == [
        ("A1", "requests", "total", "natural_person"),
        ("A1", "requests", "total", "total"),
        ("A3", "requests", "total", "natural_person"),
        ("A3", "requests", "total", "total"),
    ]
    a1 = by_rule(findings, "A1")[0]
    assert a1.message.startswith("表三（七）总计·自然人：按勾稽关系应为 2，报告为 0")
    assert (a1.row_label, a1.column_label, a1.expected, a1.actual) == ("（七）总计", "自然人", 2, 0)
    # The narrative's "收到政府信息公开申请数量为 2 件，申请人类型为自然人" agrees with the table.
    assert by_rule(findings, "A7") == []


def test_seed_corrected_has_no_error() -> None:
    assert errors(check_report(load_example("donghuashi-2019-corrected.json"))) == []


def test_findings_are_sorted_and_json_safe() -> None:
    findings = check_report(load_example("donghuashi-2019.json"), published_on=dt.date(2020, 2, 3))
    rules = [int(f.rule[1:]) for f in findings]
    assert rules == sorted(rules)
    # Within a rule the format's column order: 自然人 before 总计.
    assert [f.column for f in by_rule(findings, "A1")] == ["natural_person", "total"]
    dumped = json.loads(json.dumps([f.to_dict() for f in findings], ensure_ascii=False))
    assert dumped[0] == {
        "rule": "A1",
        "severity": "error",
        "table": "requests",
        "row": "total",
        "column": "natural_person",
        "row_label": "（七）总计",
        "column_label": "自然人",
        "expected": 2,
        "actual": 0,
        "message": findings[0].message,
    }
    assert dumped[-1]["rule"] == "A12"
    assert set(f.rule for f in findings) <= set(RULES)


# -- 上海市人民政府办公厅 2019 -----------------------------------------------------------------------------

SHANGHAI_OVERVIEW = (
    "2019年，上海市人民政府办公厅坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻习近平总书记考察上海重要讲话精神，"
    "严格落实党中央、国务院关于全面推进政务公开工作的部署，全面落实《条例》要求，围绕市委、市政府中心工作，聚焦社会公众"
    "需求，不断提高政府工作透明度，切实提升人民群众获得感和满意度。\n（一）主动公开方面\n2019年，通过“中国上海”门户网站、"
    "《上海市人民政府公报》等平台主动公开规章13件，行政规范性文件60件，市政府其他文件162件，人事任免文件141件。紧扣机构改革"
    "进程，及时发布调整后的机关职能、机构设置、办公地址、联系方式等信息。及时更新政府信息公开指南，明确公众获取主动公开和依"
    "申请公开信息的主要渠道和具体方式。准确发布市政府办公厅2019年部门预算、2018年部门决算信息，以及2019年度财政支出项目绩效"
    "目标、2018年度财政支出项目绩效评价结果等财政信息。\n[...]\n（二）依申请公开方面\n严格执行新出台的《条例》，进一步规范政"
    "府信息公开申请办理工作。及时修订全市“依申请办理示范文书”，优化依申请工作流程。加强公开服务点当面咨询的接待和服务，依申"
    "请办理过程中注意与申请人进行电话沟通，精准了解相关诉求，提高便民服务水平。实现全市依申请统一受理入口和统一办理功能，进一"
    "步提高了受理、办理、流转、审批等流程的规范化水平，并使办理全过程留痕。在“中国上海”门户网站依申请受理页面增加办理状态查"
    "询、在线补正、申请撤回等功能，方便公众使用查询。\n市政府办公厅代表市政府共受理政府信息公开申请859件，申请数量较去年回落"
    "12.3%；答复政府信息公开申请805件（含上年度结转申请18件，另有72件申请按照《条例》顺延到下年度答复），均在法定期限内予以答"
    "复。予以公开及部分公开258件，占33.9%；不予公开35件，占4.34%；因本机关不掌握等原因无法提供265件，占32.9%；不予处理158件，"
    "占19.6%；其他处理0件。信息公开类行政复议7件，诉讼9件，均获维持，继续保持了省级政府零败诉的记录，维护了市政府依法行政、"
    "公开透明的良好形象。\n（三）政府信息管理方面\n[...]\n（四）平台建设方面\n[...]\n（五）监督保障方面\n[...]"
)

_ = None  # a blank cell as published


def shanghai_2019() -> AnnualReport:
    headings = [s.heading for s in SECTIONS]
    headings[4] = "五、政府信息公开工作存在的主要问题及改进情况"
    return AnnualReport(
        organisation="上海市人民政府办公厅",
        year=2019,
        format="2019",
        published_on=dt.date(2020, 1, 31),
        sections={
            "overview": SHANGHAI_OVERVIEW,
            "proactive": "",
            "requests": "",
            "appeals": "",
            "problems": "（一）主要问题\n一是新《条例》实施后，专业领域的理论学习仍需加强。",
            "other": "无。",
        },
        headings=headings,
        proactive={
            "art20_1.rules": {"made": 13, "published": 13, "total": 524},
            "art20_1.normative_documents": {"made": 60, "published": 60, "total": 368},
            "art20_5.licensing": {"previous": 0, "change": 0, "decisions": 0},
            "art20_5.other_services": {"previous": 0, "change": 0, "decisions": 0},
            "art20_6.penalty": {"previous": 0, "change": 0, "decisions": 0},
            "art20_6.enforcement": {"previous": 0, "change": 0, "decisions": 0},
            "art20_8.fees": {"previous": 0, "change": 0},
            "art20_9.procurement": {"projects": 6, "amount_wan": Decimal("251000")},
        },
        requests=request_rows(
            {
                "new_received": [821, 35, _, _, 2, 1, 859],
                "carried_over": [18, _, _, _, _, _, 18],
                "granted": [258, 12, _, _, 1, 1, _],
                "partial": [3, _, _, _, _, _, _],
                "refused.state_secret": [14, _, _, _, _, _, _],
                "refused.law_forbidden": [_, _, _, _, _, _, _],
                "refused.three_securities": [_, _, _, _, _, _, _],
                "refused.third_party": [_, _, _, _, _, _, _],
                "refused.internal": [5, _, _, _, _, _, _],
                "refused.process": [3, 1, _, _, _, _, _],
                "refused.enforcement": [_, _, _, _, _, _, _],
                "refused.query": [10, 2, _, _, _, _, _],
                "unavailable.not_held": [252, 12, _, _, 1, _, _],
                "unavailable.needs_creation": [44, 3, _, _, _, _, _],
                "unavailable.unclear": [25, _, _, _, _, _, _],
                "not_processed.complaint": [148, 1, _, _, _, _, _],
                "not_processed.repeated": [5, 4, _, _, _, _, _],
                "not_processed.publication": [_, _, _, _, _, _, _],
                "not_processed.excessive": [_, _, _, _, _, _, _],
                "not_processed.confirm": [_, _, _, _, _, _, _],
                "other": [_, _, _, _, _, _, _],
                "total": [767, 35, _, _, 2, 1, 805],
                "carried_forward": [72, _, _, _, _, _, 72],
            }
        ),
        appeals=appeal_rows(
            {
                "review": [5, _, _, 2, 7],
                "litigation_direct": [8, _, _, 1, 9],
                "litigation_after_review": [_, _, _, _, _],
            }
        ),
    )


def test_shanghai_2019_narrative_contradicts_its_tables_three_times() -> None:
    findings = check_report(shanghai_2019())
    narrative = by_rule(findings, "A7")
    assert [(f.table, f.row, f.expected, f.actual) for f in narrative] == [
        ("requests", "", 275, 258),
        ("requests", "unavailable", 337, 265),
        ("appeals", "", 13, 16),
    ]
    assert "予以公开及部分公开258件" in narrative[0].message
    assert "无法提供265件" in narrative[1].message
    assert "行政复议7件，诉讼9件，均获维持" in narrative[2].message
    assert all(f.severity == "warning" for f in narrative)


def test_shanghai_2019_blank_totals_are_warnings_not_arithmetic_errors() -> None:
    findings = check_report(shanghai_2019())
    assert errors(findings) == []
    blanks = {(f.row, f.column) for f in by_rule(findings, "A11")}
    assert ("granted", "total") in blanks
    assert ("litigation_after_review", "total") in blanks
    assert ("new_received", "natural_person") not in blanks
    # "251000元" in a 万元 column
    (unit,) = by_rule(findings, "A10")
    assert (unit.row, unit.column, unit.expected, unit.actual) == (
        "art20_9.procurement",
        "amount_wan",
        "25.1000",
        "251000",
    )


def test_shanghai_2019_arithmetic_is_checked_where_all_numbers_are_present() -> None:
    report = shanghai_2019()
    report.requests["total"]["natural_person"] = 766  # the 自然人 column is complete in every row
    findings = errors(check_report(report))
    assert {(f.rule, f.row, f.column) for f in findings} == {
        ("A1", "total", "natural_person"),
    }


# -- 沭阳县人民政府 2025 -------------------------------------------------------------------------------

SHUYANG_OVERVIEW = (
    "2025年，我县坚持以习近平新时代中国特色社会主义思想为指导，以习近平法治思想为指引，认真贯彻国"
    "务院办公厅和省、市有关工作部署，严格遵守《政府信息公开条例》相关制度规定，紧紧围绕县委、县政府中"
    "心工作，通过系统化推进主动公开、规范化办理依申请公开、精细化建设公开平台、常态化开展监督管理，有"
    "效保障了群众的知情权、参与权和监督权，确保权力在阳光下运行。\n"
    "\n"
    "### (一) 系统化推进主动公开。\n"
    "\n"
    "2025年，我县坚持以群众需求为导向，聚焦重点领域和关键环节，努力让政务信息“看\n"
    "\n"
    "得懂、用得上、易监督”。\n"
    "\n"
    "一是拓宽主动公开渠道。强化县政府门户网站信息公开主阵地功能，全年通过县政府门户网站主动公开政府信"
    "息4511条，开展意见征集9期。督促县直部门在信息公开页面发布信息3044条，确保信息传递无死角"
    "。深化政务新媒体矩阵建设，聚焦全县经济发展、城乡建设等重点领域开设《项目进行时》《乡村梦想家》《"
    "沐阳“网”事》等专栏33个，策采相关新闻稿件2606篇，推送系列原创短视频1113个、图文177"
    "5条。年度涌现爆款内容52条，其中1条播放量破亿、2条破千万、49条破百万，让政务声音直抵群众指"
    "尖。畅通12345热线、县长信箱等民意反映渠道，形成了多渠道、广覆盖、高效率的信息发布与互动回应"
    "体系。\n"
    "\n"
    "二是提升公开质量。全年公开政策文件4件，对3件主动公开政策性文件进行意见征集并公开征集结果，让群"
    "众深度参与政策制定。扎实推进年度报告公开工作，完成全县64家单位政府信息公开年度报告集中公开、统"
    "一发布，主动接受社会监督。始终坚持公开为常态、不公开为例外，以重大建设项目、公共资源配置、社会公"
    "益事业建设三大领域为重点，推进各类规划、财政预算决算、行政事业性收费项目目录清单等信息公开。持续"
    "深化稳就业、促消费、优化营商环境及教育、医疗、养老等民生关切领域信息公开，进一步完善重大建设项目"
    "施工、竣工等关键环节信息披露，强化住房保障领域信息公开工作，以精准公开回应群众关切，确保内容全面"
    "精准、流程合规有序、公开及时高效。\n"
    "\n"
    "### 三是提高解读效能。\n"
    "聚焦政策解读效能提升，紧扣“读图时代”传播特质，以群众喜闻乐见的方式升级政策解读，推动政策从“纸"
    "上”走向“心上”。全年累计发布解读类信息 21 条，打造文字、图文、视频全品类解读产品矩阵，其中"
    "图文及视频类产品共 17 篇，占比超八成。围绕政策落地全流程开展分层分类精准解读，完成政府文件、"
    "征求意见稿等专项解读，完成政府常务会议同步配套解读 7 次，政府工作报告、信息公开年报均实现图片"
    "视频等可视化解读，切实提升群众政策理解度，有效扩大政务公开质效与传播力。县医保局对《职工基本医疗"
    "保险门诊共济保障机制实施细则》、县财政局对农业保险政策、县工信局针对“三首两新”等新政策、新举措"
    "，进行通俗化解读阐释，用百姓语言破解政策密码，助力群众精准享受政策红利。\n"
    "\n"
    "### （二）规范化办理依申请公开。\n"
    "2025 年，我县严格遵循《条例》规定，规范依申请公开办理流程，优化服务方式，提升办理质效，依法"
    "妥善回应各类信息公开申请，全年申请办理工作规范有序、闭环高效。全县全年共受理政府信息公开申请 7"
    "49 件，其中自然人申请 741 件，法人或其他组织申请 8 件；共办理 718 件，结转下一年"
    " 31 件。依法做好相关行政复议、行政诉讼案件的应诉工作，全县共办理相关案件 74 件，有力维护"
    "了群众合法权益与政府公信力。\n"
    "\n"
    "#### 一是强化流程管控，守住高效办理“生命线”。\n"
    "创新建立“线下依申请件倒计时报警器”，对申请办理时限等关键环节进行监控，当出现超期预警等问题时，"
    "及时向责任单位\n"
    "\n"
    "进行提醒通知，全年发出催办提示 84 次，有效防止相关单位出现超时未答复问题，以技术赋能保障群众"
    "诉求快速响应。\n"
    "\n"
    "二是深化沟通联动，筑牢矛盾化解“第一道防线”。坚持以信息公开赋能基层治理，将服务群众走在前落到实"
    "处，以办前沟通解民忧、以积极作为化民愁，全力推动争议纠纷源头化解。针对政府信息依申请公开事项，变"
    "“被动办理”为“主动服务”，主动对接申请人，精准摸清合理诉求，牵头联动相关部门协同发力，用政策讲"
    "解、协调办理、全程跟进等实在行动，满足群众合理诉求。2025 年，累计开展办前主动沟通 49 次"
    "，成功推动化解各类争议纠纷 33 件，有效消除群众误解、化解潜在矛盾隐患，把群众急难愁盼问题解决"
    "在萌芽状态，让政务公开更有温度，基层服务更有力度。\n"
    "\n"
    "三是强化案例复盘，提升依法办理“专业化水平”。针对行政复议、行政诉讼案件暴露的短板问题，一方面精"
    "准答复文书制作、办理流程衔接等基础工作，及时梳理实操经验并在全县共享，汇总疑难问题向县司法局复议"
    "科出具问询函寻求专业指导；另一方面加强与复议机关、法律顾问的常态化会商机制，聚力破解工作堵点难点"
    "，不断提升政府信息公开工作法治化、规范化水平。\n"
    "\n"
    "（三）精细化建设公开平台。我县坚持把平台建设作为政务公开的重要载体，以标准化、规范化为目标，聚焦"
    "网站、新媒体等核心平台，抓实日常运维、信息清理、督导检查等关键举措，持续提升公开平台服务效能，筑"
    "牢政务公开坚实阵地。\n"
    "\n"
    "### 一是从严日常管理。\n"
    "强化网站发布审核把关，建立常态化巡检机制，重点排查错误表述、失效链接、日期偏差、敏感词汇及隐私信"
    "息泄露等问题，全年累计整改不规范描述22处、失效链接43处、各类错误信息83处，坚决守住信息发布"
    "安全底线。严格遵循政府网站专栏专题开设与关停流程，建立动态监管台账，有序下线过期专题，确保平台内"
    "容精准合规。\n"
    "\n"
    "### 二是开展过期信息清理。\n"
    "组织开展政府已公开信息内容清理行动，明确清理范围、标准和时限，重点清理失效废止、内容过时、与现行"
    "政策不符的信息，累计清理过期信息697条，确保公开信息的准确性、时效性和权威性，让群众获取信息“"
    "不迷路”。\n"
    "\n"
    "### 三是定期推进网页巡查。\n"
    "定期对全县各单位信息公开页面开展全面巡查，重点核查公开指南、机构设置、行政公文、财政信息等核心内"
    "容的日常更新情况。更新完善《政府信息主动公开标准目录》（2025版）、《基层政务公开标准目录》（"
    "2025版）、《面向村（居）政务公开标准目录》（2025版）3份清单，以标准化引领规范化，推动政"
    "务公开质效持续提升。\n"
    "\n"
    "### （四）常态化开展监督管理。\n"
    "我县坚持把监督保障作为政务公开落地见效的关键抓手，通过强化业务培训、健全考核机制，不断提升全县政"
    "府信息公开工作规范化、专业化水平。一是持续深化案例讲解培训。聚焦行政复议中的典型案例，梳理共性问"
    "题与规范要求，开展专题培训，通过案例实\n"
    "\n"
    "操，赋能业务提升，确保工作人员精准掌握政策要求、规范办理流程。二是健全考核激励体系。将县直单位信"
    "息公开工作纳入高质量发展考核，明确核心考核指标、细化评分标准，通过考核倒逼责任落实，推动全县信息"
    "公开工作整体提质增效。\n"
)

SHUYANG_OTHER = (
    "我县认真落实《政府信息公开信息处理费管理办法》要求，指导推动全县行政机关按规定收取费用。全县行政机关在办理2025年度信息公开"
    "申请中收取信息处理费共计380元，其中民政局1件，收取380元。"
)


def shuyang_2025() -> AnnualReport:
    zeros = [0, 0, 0, 0, 0, 0, 0]
    return AnnualReport(
        organisation="沭阳县人民政府",
        year=2025,
        format="2021",
        published_on=dt.date(2026, 1, 23),
        sections={
            "overview": SHUYANG_OVERVIEW,
            "proactive": "",
            "requests": "",
            "appeals": "",
            "problems": "一是政策解读多样性需进一步加强。二是依申请办件质量需进一步提升。三是联系群众工作需要进一步巩固。",
            "other": SHUYANG_OTHER,
        },
        headings=[s.heading for s in SECTIONS],
        proactive={
            "art20_1.rules": {"issued": 0, "repealed": 0, "in_force": 0},
            "art20_1.normative_documents": {"issued": 6, "repealed": 1, "in_force": 32},
            "art20_5.licensing": {"decisions": 517645},
            "art20_6.penalty": {"decisions": 693957},
            "art20_6.enforcement": {"decisions": 2154},
            "art20_8.fees": {"amount_wan": Decimal("4068.208")},
        },
        requests=request_rows(
            {
                "new_received": [705, 3, 0, 0, 5, 0, 713],
                "carried_over": [36, 0, 0, 0, 0, 0, 36],
                "granted": [290, 1, 0, 0, 3, 0, 294],
                "partial": [99, 0, 0, 0, 2, 0, 101],
                "refused.state_secret": zeros,
                "refused.law_forbidden": zeros,
                "refused.three_securities": [2, 0, 0, 0, 0, 0, 2],
                "refused.third_party": [2, 0, 0, 0, 0, 0, 2],
                "refused.internal": [13, 0, 0, 0, 0, 0, 13],
                "refused.process": [2, 0, 0, 0, 0, 0, 2],
                "refused.enforcement": [4, 0, 0, 0, 0, 0, 4],
                "refused.query": [9, 0, 0, 0, 0, 0, 9],
                "unavailable.not_held": [111, 0, 0, 0, 0, 0, 111],
                "unavailable.needs_creation": [2, 0, 0, 0, 0, 0, 2],
                "unavailable.unclear": zeros,
                "not_processed.complaint": [12, 0, 0, 0, 0, 0, 12],
                "not_processed.repeated": [6, 1, 0, 0, 0, 0, 7],
                "not_processed.publication": zeros,
                "not_processed.excessive": zeros,
                "not_processed.confirm": zeros,
                "other.no_correction": [9, 0, 0, 0, 0, 0, 9],
                "other.unpaid_fee": [7, 0, 0, 0, 0, 0, 7],
                "other.other": [142, 1, 0, 0, 0, 0, 143],
                "total": [710, 3, 0, 0, 5, 0, 718],
                "carried_forward": [31, 0, 0, 0, 0, 0, 31],
            }
        ),
        appeals=appeal_rows(
            {
                "review": [27, 10, 9, 15, 61],
                "litigation_direct": [3, 0, 0, 0, 3],
                "litigation_after_review": [8, 0, 1, 1, 10],
            }
        ),
    )


def test_shuyang_2025_is_consistent_and_nothing_fires() -> None:
    assert check_report(shuyang_2025(), fees_charged_yuan=Decimal(380)) == []


def test_shuyang_2025_fee_against_the_ledger() -> None:
    (finding,) = check_report(shuyang_2025(), fees_charged_yuan=Decimal(400))
    assert (finding.rule, finding.table, finding.row) == ("A14", "sections", "other")
    assert (finding.expected, finding.actual) == ("400", "380")
    assert "380元" in finding.message


@pytest.mark.parametrize(
    ("sentence", "row", "stated"),
    [
        ("全县全年共受理政府信息公开申请 750 件，其中自然人申请 741 件。", "new_received", 750),
        ("全县全年共受理政府信息公开申请 749 件，其中自然人申请 740 件。", "new_received", 740),
        ("全县全年共受理政府信息公开申请 749 件，共办理 717 件，结转下一年 31 件。", "total", 717),
        ("全县全年共受理政府信息公开申请 749 件，共办理 718 件，结转下一年 32 件。", "carried_forward", 32),
    ],
)
def test_shuyang_2025_altered_narrative_is_caught(sentence: str, row: str, stated: int) -> None:
    report = shuyang_2025()
    report.sections["overview"] += "\n" + sentence
    (finding,) = check_report(report, fees_charged_yuan=Decimal(380))
    assert (finding.rule, finding.severity, finding.row, finding.actual) == ("A7", "warning", row, stated)
    assert str(stated) in finding.message


# -- 淮安市人民政府 2024 (text as pdftotext extracts it: lines broken mid-sentence, page numbers) ----------

HUAIAN_OVERVIEW = (
    "2024 年，我市坚持以习近平新时代中国特色社会主义思想为\n"
    "指导，认真学习宣传贯彻党的二十大和二十届二中、三中全会精\n"
    "神，按照党中央国务院、省委省政府决策部署和市委工作要求，\n"
    "严格落实《中华人民共和国政府信息公开条例》各项规定，圆满\n"
    "完成了各项任务。\n"
    "（一）主动公开情况。2024 年，市政府网站主动公开各类政\n"
    "府信息 5500 余条，全年新增公开市政府规章 1 件、市政府及市\n"
    "政府办政策性文件 11 件，通过文字、图片等形式制作政策解读\n"
    "21 个，制作《淮安市人民政府公报》6 期。紧紧围绕保障民生、\n"
    "深化改革、科技创新等工作主线，组织召开了“春节前后服务企\n"
    "业用工和促进返乡人员就业创业专项活动”“建设‘四最’一流\n"
    "-1-\n"
    "\n"
    "\x0c营商环境高质量推进产业发展”“加快建设长三角北部重要产业\n"
    "科技创新高地的若干政策”等新闻发布会 12 场，努力传递政府\n"
    "声音、宣传政策法规、回应舆论关切。\n"
    "（二）依申请公开情况。定期对政府信息公开申请集中的领\n"
    "域和热点问题进行研判，探索从源头上解决实际问题。着力强化\n"
    "与申请人的直接沟通，准确了解申请人诉求，提高答复的及时性\n"
    "和针对性。2024 年，全市共受理政府信息公开申请 3119 件，答\n"
    "复 3050 件（含上年度结转申请 34 件，另有 103 件顺延到下年度\n"
    "答复），均在法定期限内予以答复。政府信息公开行政复议 351\n"
    "件，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，尚\n"
    "未审结 37 件；政府信息公开行政诉讼 46 件，其中结果维持 25\n"
    "件，结果纠正 5 件，其他结果 9 件，尚未审结 7 件。\n"
    "（三）政府信息管理情况。在政府网站、政务新媒体、政府\n"
    "公报等公开平台发布信息时，坚持“先审查、后公开”“一事一\n"
    "审”工作原则，规范审查程序，建立健全重要事项公开保密审查\n"
    "协调机制，落实政府信息公开属性源头认定机制，加强政府信息\n"
    "源头管理工作。对政务公开平台已公开信息进行梳理，优化主动\n"
    "公开目录，着力为群众提供看得懂、找得到、用得上的政府信息\n"
    "公开服务。系统性排查全市各地各部门政务服务网办事指南、表\n"
    "格样表、在线申请等与群众密切相关服务事项，并不断修改完善，\n"
    "积极构建权威、便捷、高效的一体化互联网政务服务平台。\n"
    "（四）政府信息公开平台建设情况。进一步优化政务公开专\n"
    "栏设置，省市联动制作“全力巩固和增强经济回升向好态势”“推\n"
    "动大规模设备更新和消费品以旧换新”等专题专栏。在日常读网\n"
    "巡查的基础上，定期对政府信息公开栏目进行检查，将栏目不更\n"
    "-2-\n"
    "\n"
    "\x0c新、政策解读不通俗易懂、互动咨询不回应等问题列入重点检查\n"
    "范围。深入开展防治政务新媒体“指尖上的形式主义”工作，聚\n"
    "焦解决政务新媒体开而少用、更新不及时、不互动不回应、表述\n"
    "不规范等新老问题。截至目前，全市在运维政务新媒体共计 95\n"
    "个，在省办 2024 年四个季度政务新媒体检查抽查中，合格率均\n"
    "为 100%。\n"
    "（五）政府信息公开监督保障情况。根据省政务公开年度和\n"
    "季度监测指标，全年组织 4 次政府信息公开栏目全覆盖检查，并\n"
    "出具各县区、各部门政务公开评估分报告。在日常巡查的基础上，\n"
    "按季度开展政务新媒体专项检查，针对突出问题和日常共性问题，\n"
    "及时督促整改。针对具体问题，创新开展调研式培训、过堂式培\n"
    "训，不断提高全市政务公开工作人员的工作能力和水平。\n"
)


def huaian_2024() -> AnnualReport:
    zeros = [0, 0, 0, 0, 0, 0, 0]
    return AnnualReport(
        organisation="淮安市人民政府",
        year=2024,
        format="2021",
        sections={
            "overview": HUAIAN_OVERVIEW,
            "proactive": "",
            "requests": "",
            "appeals": "",
            # The published section 五 in full.
            "problems": (
                "对照上级新要求和公众新期待，还有一些需要加强和改进的地方。主要表现在：一是政策解读质量仍需提升，"
                "个别单位政策解读内容简单、形式单一；二是政务公开队伍建设还需进一步加强，个别单位存在人员配备不足、"
                "兼职多、流动性过快的问题。\n针对存在问题，下一步，我市将着力加强政策解读质效，重点提升解读的针对性"
                "和通俗化，探索建立政社合作、多元参与的政策宣传解读模式，开发更多可读、可视、可感的政策解读产品，"
                "积极回应企业和群众的实际需求；建立健全“传帮带”机制，对新上岗人员开展“面对面、手把手”指导，定期组织"
                "业务培训，全面提升政务公开工作队伍水平，同时加强先进典型宣传和正面激励，增强队伍凝聚力。"
            ),
            "other": "2024 年，市政府严格落实《政府信息公开信息处理费管理\n办法》，全年收取政府信息公开信息处理费 3940 元。\n\n-6-\n",
        },
        proactive={
            "art20_1.rules": {"issued": 1, "repealed": 0, "in_force": 11},
            "art20_1.normative_documents": {"issued": 8, "repealed": 26, "in_force": 66},
            "art20_5.licensing": {"decisions": 447228},
            "art20_6.penalty": {"decisions": 3985758},
            "art20_6.enforcement": {"decisions": 88283},
            "art20_8.fees": {"amount_wan": Decimal("96171.6")},
        },
        requests=request_rows(
            {
                "new_received": [3001, 53, 0, 0, 61, 4, 3119],
                "carried_over": [34, 0, 0, 0, 0, 0, 34],
                "granted": [1288, 21, 0, 0, 50, 3, 1362],
                "partial": [447, 7, 0, 0, 0, 0, 454],
                "refused.state_secret": [2, 0, 0, 0, 0, 0, 2],
                "refused.law_forbidden": [30, 1, 0, 0, 0, 0, 31],
                "refused.three_securities": [5, 0, 0, 0, 0, 0, 5],
                "refused.third_party": [6, 0, 0, 0, 0, 0, 6],
                "refused.internal": [7, 1, 0, 0, 0, 0, 8],
                "refused.process": [12, 0, 0, 0, 0, 0, 12],
                "refused.enforcement": [9, 0, 0, 0, 0, 0, 9],
                "refused.query": [105, 0, 0, 0, 0, 0, 105],
                "unavailable.not_held": [746, 12, 0, 0, 10, 1, 769],
                "unavailable.needs_creation": [11, 0, 0, 0, 0, 0, 11],
                "unavailable.unclear": [1, 0, 0, 0, 0, 0, 1],
                "not_processed.complaint": [56, 6, 0, 0, 0, 0, 62],
                "not_processed.repeated": [25, 0, 0, 0, 0, 0, 25],
                "not_processed.publication": zeros,
                "not_processed.excessive": zeros,
                "not_processed.confirm": [1, 0, 0, 0, 0, 0, 1],
                "other.no_correction": [67, 3, 0, 0, 1, 0, 71],
                "other.unpaid_fee": [6, 0, 0, 0, 0, 0, 6],
                "other.other": [108, 2, 0, 0, 0, 0, 110],
                "total": [2932, 53, 0, 0, 61, 4, 3050],
                "carried_forward": [103, 0, 0, 0, 0, 0, 103],
            }
        ),
        appeals=appeal_rows(
            {
                "review": [72, 64, 178, 37, 351],
                "litigation_direct": [13, 4, 8, 1, 26],
                "litigation_after_review": [12, 1, 1, 6, 20],
            }
        ),
    )


def test_huaian_2024_hard_wrapped_narrative_is_consistent() -> None:
    assert check_report(huaian_2024(), fees_charged_yuan=Decimal(3940)) == []


@pytest.mark.parametrize(
    ("old", "new", "row", "expected", "stated"),
    [
        # The figure straddles a line break in the PDF text.
        ("答\n复 3050 件", "答\n复 3005 件", "total", 3050, 3005),
        ("行政复议 351\n件", "行政复议 315\n件", "review", 351, 315),
        ("另有 103 件顺延", "另有 130 件顺延", "carried_forward", 103, 130),
    ],
)
def test_huaian_2024_a_changed_figure_is_found_across_line_breaks(
    old: str, new: str, row: str, expected: int, stated: int
) -> None:
    report = huaian_2024()
    assert old in report.sections["overview"]
    report.sections["overview"] = report.sections["overview"].replace(old, new)
    (finding,) = check_report(report)
    assert (finding.rule, finding.row, finding.expected, finding.actual) == ("A7", row, expected, stated)
