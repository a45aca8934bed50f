"""The personal-data detector (core/personal_data.py) on letters written the way people write them.

Each letter lists what must be found (kind, exact text) and nothing else may be: the traps (dates, amounts,
文号, hotlines, the office's own titles, counts of buildings) are in the same letters.
"""

from __future__ import annotations

import pytest

from gongkai.core.identity import resident_id_check_char
from gongkai.core.personal_data import MASK, describe, find_personal_data, mask, segments

ID_A = "110101198001011232"  # valid check character
ID_X = "32058219920315004X"  # X check character
ID_TYPO = "440304197512308810"  # the last character mistyped (should be 4): still someone's number

LETTERS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "noise",
        "尊敬的区长：您好！\n"
        f"我是张建华，身份证号{ID_A}，家住东花市北里东区3号楼2单元501室。楼下餐馆每天凌晨2点还在营业，"
        "噪音严重。2024-05-06我拨打过12345市民服务热线，至今没有解决。请尽快处理，谢谢！\n"
        "联系电话：138 1111 2222\n"
        "张建华\n2024年5月6日",
        [
            ("name", "张建华"),
            ("id_number", ID_A),
            ("address", "东花市北里东区3号楼2单元501室"),
            ("mobile", "138 1111 2222"),
            ("name", "张建华"),
        ],
    ),
    (
        "parking",
        "区长您好：小区消防通道长期被一辆京N·8K2T7的车占用，物业说按东政发〔2019〕3号文件无权处理。"
        "小区共有3栋楼、两个单元门，三室一厅的住户最多。停车费每月300元，去年涨到12,800元一年。"
        "地铁5号线出口也被堵。请王主任关注。匿名居民",
        [("plate", "京N·8K2T7")],
    ),
    (
        "contacts",
        "反映人：刘芳（女）\n手机：+86-139-1234-5678\n座机：(010)6712-3456转801\n"
        "邮箱 liufang_1980@163.com，QQ：287654321，微信号：lf_beijing88\n"
        "我在广渠门内大街12号开了一家小店，门前的人行道砖松动已经半年。",
        [
            ("name", "刘芳"),
            ("mobile", "+86-139-1234-5678"),
            ("landline", "(010)6712-3456转801"),
            ("email", "liufang_1980@163.com"),
            ("account", "287654321"),
            ("account", "lf_beijing88"),
            ("address", "广渠门内大街12号"),
        ],
    ),
    (
        "village",
        "本人欧阳秀英，张家村3组村民，老身份证号码110101800101123，2019年土地补偿款至今未发放到位，"
        f"请帮忙查一下。补偿款打到我儿子的卡里：6222020200001234562。我儿子身份证{ID_TYPO}。",
        [
            ("name", "欧阳秀英"),
            ("address", "张家村3组"),
            ("id_number", "110101800101123"),
            ("bank_card", "6222020200001234562"),
            ("id_number", ID_TYPO),
        ],
    ),
    (
        "reply",
        "李秀兰女士：您好！\n您反映的东花市南里西区5-2-301室漏水问题，我们已转城市管理科处理，"
        "物业公司已于2024年6月3日完成维修。如有疑问，请拨打96010或010-67101234咨询。",
        [("name", "李秀兰"), ("address", "东花市南里西区5-2-301"), ("landline", "010-67101234")],
    ),
    (
        "traps",
        "尊敬的书记：\n我是东花市北里的居民，也是一名高中生家长。本人于2023年9月起多次反映学校门口交通问题。"
        "根据《北京市道路交通安全条例》第3号令和京政办发[2019]12号，学校周边应设隔离护栏。"
        "网站京ICP备12345678号上的电话4008-123-456不通（少了一位）。邮编100061，工单号20240506001。"
        "我是向阳小区业主，孩子在高三，每天7:30上学，1号门人最多。\n谢谢",
        [],
    ),
    (
        "hotline-and-400",
        "我叫马丽，在网上买的电器坏了，商家客服电话400-810-5858一直占线，拨打12315也没人接。"
        "我的电话是67123456，晚上打。",
        [("name", "马丽"), ("landline", "400-810-5858"), ("landline", "67123456")],
    ),
    (
        "full-width",
        "署名：赵四　电话：１３８１１１１２２２２　身份证：" + ID_X.lower(),
        [("name", "赵四"), ("mobile", "１３８１１１１２２２２"), ("id_number", ID_X.lower())],
    ),
]


@pytest.mark.parametrize("letter", LETTERS, ids=[name for name, _, _ in LETTERS])
def test_finds_what_is_personal_and_nothing_else(letter: tuple[str, str, list[tuple[str, str]]]) -> None:
    _, text, expected = letter
    found = [(s.kind.key, s.text) for s in find_personal_data(text)]
    assert found == expected


def test_the_check_character_matters_for_random_numbers() -> None:
    # 18 digits whose birth date is impossible and 18 with an unknown area code are not ID numbers.
    first17 = "11010120231350123"  # month 13
    assert find_personal_data(f"编号{first17}{resident_id_check_char(first17)}") == []
    first17 = "99010119800101123"  # no province 99
    assert find_personal_data(f"编号{first17}{resident_id_check_char(first17)}") == []
    # A Luhn-invalid 19-digit number is not taken for a bank card either.
    assert find_personal_data("订单号6222020200001234567") == []


def test_known_contact_details_are_found_wherever_they_stand() -> None:
    text = "欧阳测试人反映：楼道灯坏了，请回电1391234 5678。"
    found = find_personal_data(text, known=["欧阳测试人", "13912345678", "x@example.cn"])
    assert [(s.kind.key, s.text) for s in found] == [("name", "欧阳测试人"), ("mobile", "1391234 5678")]


def test_names_need_a_cue_or_a_salutation() -> None:
    # Bare surnames in running text, offices and placeholders are not flagged.
    for text in (
        "周末，小区里很吵。",
        "王主任：您好！",
        "尊敬的李区长：",
        "本人王某某反映：",
        "我是马路对面的商户",
        "张先生说物业不管",
    ):
        assert find_personal_data(text) == [], text
    assert [s.text for s in find_personal_data("尊敬的张先生：您好")] == ["张"]  # the title is no one's
    assert [s.text for s in find_personal_data("王五：\n你的来信收到了")] == ["王五"]


def test_certain_and_heuristic_kinds() -> None:
    spans = find_personal_data(f"我是张三，身份证{ID_A}")
    assert [(s.kind.key, s.certain) for s in spans] == [("name", False), ("id_number", True)]


def test_mask_segments_and_describe() -> None:
    text = "我是张三，\n电话13811112222。"
    spans = find_personal_data(text)
    assert mask(text) == f"我是{MASK}，\n电话{MASK}。"
    assert [(seg.text, seg.span is not None) for seg in segments(text, spans)] == [
        ("我是", False),
        ("张三", True),
        ("，\n电话", False),
        ("13811112222", True),
        ("。", False),
    ]
    assert describe("公开的来信内容", text, spans) == [
        "“公开的来信内容”第1行第3字：姓名（张*）",
        "“公开的来信内容”第2行第3字：手机号码（138******22）",
    ]
    assert describe("标题", "张三反映", find_personal_data("张三反映", known=["张三"])) == [
        "“标题”第1字：姓名（张*）"
    ]
    assert mask("没有个人信息") == "没有个人信息"
