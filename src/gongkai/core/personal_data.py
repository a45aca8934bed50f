"""Finding personal data in free text before anything is published (a letter to the mailbox, its reply).

``find_personal_data(text)`` returns ``Span``s (start, end, kind, Chinese label) for:

- numbers that identify a person, found by their structure and checked where a check exists:
  公民身份号码 (18 digits with the GB 11643 check character, or a mistyped one whose area code and birth
  date still stand; the old 15-digit form), mobile numbers (+86, spaces, dashes), landlines with their
  area code (and 8-digit local numbers after 电话/座机), 400/800 numbers, bank cards (Luhn), e-mail
  addresses, QQ/微信 accounts and licence plates. These are ``certain``: a publication must not carry them.
- names and addresses, found by where they stand: after 我是/本人/联系人：/署名：…, as a salutation
  (张三同志：您好) or a signature line, and house-level addresses (…路12号, …小区3号楼2单元501室,
  …村3组). These are heuristics, so they are not ``certain``: staff either edit them out or confirm that
  what was marked is not personal data.

Words the office uses about itself (尊敬的区长：您好, 王主任), dates, amounts, 文号 (东政发〔2019〕3号)
and public hotlines (12345, 96010) are not personal data. The module is plain Python over ``str`` offsets,
so a template can mark the spans and a service can refuse with a message that says where they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from gongkai.core.identity import resident_id_check_char, resident_id_plausible


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    certain: bool  # found by structure (and a check): never published, whatever staff say


ID_NUMBER = Kind("id_number", "身份证号码", True)
MOBILE = Kind("mobile", "手机号码", True)
LANDLINE = Kind("landline", "固定电话", True)
EMAIL = Kind("email", "电子邮箱", True)
BANK_CARD = Kind("bank_card", "银行卡号", True)
ACCOUNT = Kind("account", "QQ号或微信号", True)
PLATE = Kind("plate", "车牌号码", True)
ADDRESS = Kind("address", "住址", False)
NAME = Kind("name", "姓名", False)
KINDS: tuple[Kind, ...] = (ID_NUMBER, MOBILE, LANDLINE, EMAIL, BANK_CARD, ACCOUNT, PLATE, ADDRESS, NAME)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: Kind
    text: str

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def certain(self) -> bool:
        return self.kind.certain

    @property
    def masked(self) -> str:
        """The value as a message may show it: enough to find it, not enough to use it."""
        value = self.text.strip()
        if self.kind is NAME:
            return value[:1] + "*" * (len(value) - 1)
        if self.kind in (ADDRESS, EMAIL):
            keep = max(1, min(4, len(value) // 3))
            return value[:keep] + "…"
        if len(value) <= 4:
            return "*" * len(value)
        return value[:3] + "*" * (len(value) - 5) + value[-2:]


# Full-width digits, letters and punctuation typed on a phone keyboard are the same characters; one for one,
# so offsets into the folded text are offsets into the original.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _fold(text: str) -> str:
    return text.translate(_FOLD)


_HAN = "\u4e00-\u9fff"
_D = r"(?<![0-9A-Za-z])"  # a number starts here: not inside a longer one
_E = r"(?![0-9A-Za-z])"


# -- numbers -----------------------------------------------------------------------------------------------

_ID_18 = re.compile(_D + r"(\d{6}[ -]?\d{8}[ -]?\d{3}[0-9Xx])" + _E)
_ID_15 = re.compile(_D + r"(\d{15})" + _E)
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z+])((?:(?:\+|00)\s?86[\s-]?|[(（]\+?86[)）]\s?)?1[3-9]\d(?:[\s-]?\d){8})" + _E
)
_LOCAL_NUMBER = r"[2-9]\d{2,3}[\s-]?\d{4}"
_LANDLINE = re.compile(
    rf"(?<![0-9A-Za-z-])((?:[(（]0\d{{2,3}}[)）]|0\d{{2,3}})[\s-]?{_LOCAL_NUMBER}(?:[-转]\d{{1,5}})?)" + _E
)
# A local number without its area code is only a number when the text says it is one.
_LOCAL = re.compile(rf"(?:电话|座机|固话|联系方式)(?:号码)?[:：是为\s]*({_LOCAL_NUMBER})" + _E)
_HOTLINE = re.compile(_D + r"([48]00[\s-]?\d{3}[\s-]?\d{4})" + _E)
_CARD = re.compile(_D + r"([3-6]\d{3}(?:[\s-]?\d){12,15})" + _E)
_EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9][\w.+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
_ACCOUNT = re.compile(
    r"(?:QQ|qq|扣扣)(?:号码?)?[:：是为\s]*([1-9]\d{4,10})" + _E
    + r"|(?<![A-Za-z])(?:微信|VX|vx|wx|WX)(?:号)?[:：是为\s]*([A-Za-z][-_A-Za-z0-9]{5,19})" + _E
)  # fmt: skip
_PLATE = re.compile(
    r"([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·•.\s-]?[A-HJ-NP-Z0-9]{5,6})"
    + _E
)


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit() or ch in "Xx").upper()


def _resident_id(number: str) -> bool:
    """An 18-character resident ID: its check character holds, or only it is wrong (area code and birth
    date stand) and the number is not a bank card's: a writer's typo does not make the number less theirs."""
    if not resident_id_plausible(number):
        return False
    return resident_id_check_char(number[:17]) == number[17] or not _luhn(number)


def _luhn(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _numbers(text: str) -> Iterator[tuple[int, int, Kind]]:
    for m in _EMAIL.finditer(text):
        yield m.start(1), m.end(1), EMAIL
    for m in _ID_18.finditer(text):
        if _resident_id(_digits(m.group(1))):
            yield m.start(1), m.end(1), ID_NUMBER
    for m in _ID_15.finditer(text):
        number = m.group(1)
        if resident_id_plausible(number[:6] + "19" + number[6:]):
            yield m.start(1), m.end(1), ID_NUMBER
    for m in _CARD.finditer(text):
        number = _digits(m.group(1))
        if 16 <= len(number) <= 19 and _luhn(number):
            yield m.start(1), m.end(1), BANK_CARD
    for pattern, kind in ((_MOBILE, MOBILE), (_LANDLINE, LANDLINE), (_LOCAL, LANDLINE), (_HOTLINE, LANDLINE)):
        for m in pattern.finditer(text):
            yield m.start(1), m.end(1), kind
    for m in _ACCOUNT.finditer(text):
        group = 1 if m.group(1) else 2
        yield m.start(group), m.end(group), ACCOUNT
    for m in _PLATE.finditer(text):
        if any(ch.isdigit() for ch in m.group(1)[2:]):
            yield m.start(1), m.end(1), PLATE


# -- addresses ---------------------------------------------------------------------------------------------

_NUM = r"(?:\d+|[一二三四五六七八九十百零〇两]+)"
# Units below the street: a building, an entrance, a flat. One of them makes an address a home's.
_HOUSE_UNITS = r"号楼|号院|栋|幢|座|单元|门|室|户"
_UNIT_CHAIN = re.compile(
    rf"((?:第?{_NUM}(?:-{_NUM})?\s*(?:{_HOUSE_UNITS}|层|楼|号)\s*)+(?:\d{{2,4}}(?![\d年月日元万%]))?)"
)
# 3-2-501 after an estate's name: building, entrance, flat.
_DASHED = re.compile(r"(?<=[小区院里苑园村庄号楼座])\s*(\d{1,3}-\d{1,2}-\d{2,4})" + _E)
_STREET_SUFFIX = ("大街", "胡同", "路", "街", "巷", "弄", "里", "道", "条", "坊")
_VILLAGE_GROUP = re.compile(
    rf"((?:村|庄|屯|社区)\s*第?{_NUM}\s*(?:组|队|社)(?![织成建员长合会])|第?{_NUM}\s*村民小组)"
)
_NOT_AFTER = re.compile(r"(?:线|路公交|路车|次|期|批|文件|令|届|个|名|人|岁|年|月|日|元|号文|\d*厅)")
# Where a place name that runs into the numbers starts: after the last of these (or punctuation).
_PLACE_STOPS = (
    "居住在", "住在", "家住", "现住", "我住", "住址", "地址", "位于", "我家", "楼下", "楼上", "对面",
    "附近", "门口", "旁边", "隔壁", "在", "于", "是", "的", "到", "从", "与", "及",
)  # fmt: skip
_PLACE_RUN = re.compile(rf"[{_HAN}A-Za-z]{{1,16}}$")


def _place_start(text: str, end: int) -> int:
    """Start of the place name right before ``end`` (东花市北里东区 of 东花市北里东区3号楼)."""
    run = _PLACE_RUN.search(text[max(0, end - 16) : end])
    if run is None:
        return end
    start = end - len(run.group(0))
    segment = text[start:end]
    cut = max((segment.rfind(s) + len(s) for s in _PLACE_STOPS if s in segment), default=0)
    return start + cut


_CN_NUM = re.compile(r"第?[一二三四五六七八九十百零〇两]+")
_COUNT_UNITS = re.compile(rf"第?{_NUM}\s*(?:门|座|户)")


def _is_home_address(text: str, chain: str, start: int) -> bool:
    """Whether the numbers ``chain`` (found at ``start``) place a home, not a count, a date or a 文号."""
    units = re.findall(rf"(?:{_HOUSE_UNITS}|层|楼|号)", chain)
    house = any(re.fullmatch(_HOUSE_UNITS, u) for u in units)
    street = chain.endswith("号") and text[:start].rstrip().endswith(_STREET_SUFFIX)
    if len(units) == 1:
        if _COUNT_UNITS.fullmatch(chain):
            return False  # 3门, 2座, 5户: a count or a gate
        if _CN_NUM.match(chain) and units[0] not in ("号楼", "号院"):
            return False  # 三栋楼, 两单元, 三室一厅: how many, not which
    return house or street or (len(units) > 1 and "号" in units)


def _addresses(text: str) -> Iterator[tuple[int, int, Kind]]:
    for m in _UNIT_CHAIN.finditer(text):
        chain = m.group(1).rstrip()
        start, end = m.start(1), m.start(1) + len(chain)
        if text[max(0, start - 1) : start] in ("〕", "]", "）", ")") or _NOT_AFTER.match(text, end):
            continue  # 〔2019〕3号, 3号线, 5号文件, 3室1厅
        if chain[-1] in "栋幢座" and text.startswith("楼", end):
            continue  # 3栋楼: how many buildings
        if _is_home_address(text, chain, start):
            yield _place_start(text, start), end, ADDRESS
    for pattern in (_DASHED, _VILLAGE_GROUP):
        for m in pattern.finditer(text):
            yield _place_start(text, m.start(1)), m.end(1), ADDRESS


# -- names -------------------------------------------------------------------------------------------------

# The commonest single surnames (about nine in ten people), less the ones that are everyday words at the
# start of a phrase (和, 文, 明, 平, 国, 来, 信, 公, 海, 花, 成, 时, 全, 常, 区, 门, 路, 万, 安, 原, 东, 南).
_SURNAMES_1 = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严覃武戴莫孔"
    "向汤温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季"
    "裴霍涂苗谷盛曲翁冉骆蓝游辛靳管柴鲍喻祁蒲房滕屈饶牟艾尤穆卓吉缪简车项连麦褚娄窦戚岑景党宫费卜冷晏"
    "席卫米柏宗瞿桂佟臧闵苟邬边卞姬师仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘池邝匡鞠荆冀郁胥班储栗燕楚鄢"
)
_SURNAMES_2 = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "令狐",
    "夏侯", "端木", "西门", "南宫", "独孤", "轩辕", "呼延", "申屠", "澹台", "太史", "万俟", "钟离", "闻人",
)  # fmt: skip
_SURNAME = "(?:" + "|".join(_SURNAMES_2) + f"|[{_SURNAMES_1}])"
_NAME = rf"{_SURNAME}[{_HAN}]{{1,2}}"
# What a name is followed by in a letter: punctuation, the end, or the next particular about the person.
_AFTER_NAME = re.compile(
    r"(?:[\s，。！？、；：,.!?;:（）()“”\"'—-]|$|电话|手机|联系|住|家住|现住|身份证|今年|男|女|系|反映|来信|投诉|"
    r"咨询|举报|同志|先生|女士|老师|师傅|\d)"
)
# Given-name parts that are an office, a role or a placeholder, not a person (王主任, 张某某; 李大爷 is kept).
_NOT_GIVEN = re.compile(
    r".?(?:区长|市长|县长|镇长|乡长|主任|书记|局长|科长|处长|所长|队长|站长|部长|经理|领导|干部|某|×|＊|\*|X)|总"
)
# Words that start with a surname character and stand where a name could (a signature line, after 本人).
_NOT_NAMES = frozenset(
    {"谢谢", "谢谢您", "谢谢了", "周末", "高中", "高中生", "祝好", "严重", "任何", "曾经", "方便", "包括",
     "单位", "车辆", "费用", "余额", "许多", "尚未", "符合", "管理", "施工", "卫生", "项目", "温馨"}
)  # fmt: skip
_CUES = re.compile(
    r"(?:我是|我叫|我名叫|本人是|本人叫|本人|姓名|联系人|署名|落款|来信人|反映人|写信人|签名|具名|居民|业主|村民)"
    r"[:：\s]*"
)
_TITLES = r"(?:同志|先生|女士|小姐|老师|师傅)"
# A salutation opens a line: 张三同志：您好, 尊敬的李女士, 王五：你好. A bare name needs a colon or 您好, so
# that a line opening 周末，… is not read as one.
_SALUTATION = re.compile(
    rf"(?:^|\n)[ \t]*(?:尊敬的|亲爱的)?[ \t]*"
    rf"(?:({_SURNAME}[{_HAN}]{{0,2}}?{_TITLES})[ \t]*(?:[:：,，]|您好|你好)"
    rf"|({_NAME})[ \t]*(?:[:：]|[,，]?[ \t]*(?:您好|你好)))"
)
_DATE = r"(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-./]\d{1,2}[-./]\d{1,2})"
_SIGNATURE = re.compile(
    rf"^[ \t—\-－]*(?:此致\s*敬礼[!！]?\s*)?(?:居民|业主|村民|来信人|写信人|署名[:：]?)?[ \t]*({_NAME})[ \t]*{_DATE}?[ \t]*$",
    re.M,
)
_SURNAME_RE = re.compile(_SURNAME)


def _person(value: str) -> bool:
    """A surname and given name that is neither an office (王主任), a placeholder (张某) nor a word (谢谢)."""
    m = _SURNAME_RE.match(value)
    if m is None or value in _NOT_NAMES:
        return False
    given = re.sub(_TITLES + "$", "", value[m.end() :])
    return not (given and _NOT_GIVEN.fullmatch(given))


def _name_at(text: str, pos: int) -> tuple[int, int] | None:
    """A surname and a one- or two-character given name at ``pos`` that ends where a name can end."""
    m = _SURNAME_RE.match(text, pos)
    if m is None:
        return None
    for given in (2, 1):
        end = m.end() + given
        part = text[m.end() : end]
        han = len(part) == given and re.fullmatch(f"[{_HAN}]+", part)
        if han and _person(text[pos:end]) and _AFTER_NAME.match(text, end):
            return pos, end
    return None


def _names(text: str, known: Iterable[str]) -> Iterator[tuple[int, int, Kind]]:
    for m in _CUES.finditer(text):
        found = _name_at(text, m.end())
        if found:
            yield found[0], found[1], NAME
    for m in _SALUTATION.finditer(text):
        if m.group(1) and _person(m.group(1)):
            title = re.search(_TITLES + "$", m.group(1))
            yield m.start(1), m.end(1) - (len(title.group(0)) if title else 0), NAME  # 张三 of 张三同志
        elif m.group(2):
            found = _name_at(text, m.start(2))
            if found:
                yield found[0], found[1], NAME
    tail_from = max(0, len(text) - 120)  # a signature stands in the last lines
    for m in _SIGNATURE.finditer(text, tail_from):
        found = _name_at(text, m.start(1))
        if found:
            yield found[0], found[1], NAME
    for name in {n.strip() for n in known if len(n.strip()) >= 2}:
        for m in re.finditer(re.escape(name), text):
            yield m.start(), m.end(), NAME


def _known_contacts(text: str, known: Iterable[str]) -> Iterator[tuple[int, int, Kind]]:
    """The writer's own phone number or e-mail address, however it was written into the text."""
    for value in known:
        value = value.strip()
        if "@" in value:
            for m in re.finditer(re.escape(value), text, re.I):
                yield m.start(), m.end(), EMAIL
        elif len(_digits(value)) >= 7:
            digits = _digits(value)
            spaced = r"[\s-]?".join(re.escape(d) for d in digits)
            for m in re.finditer(_D + spaced + _E, text):
                yield m.start(), m.end(), MOBILE if digits.startswith("1") else LANDLINE


# -- the public functions ----------------------------------------------------------------------------------


def find_personal_data(text: str, *, known: Iterable[str] = ()) -> list[Span]:
    """Every span of personal data in ``text``, in order, none overlapping.

    ``known`` are values known to belong to the person (the letter's name, phone, e-mail): they are found
    wherever they occur. When two findings overlap, the one found by structure wins, then the longer one.
    """
    known = tuple(known)
    folded = _fold(text or "")
    found = [
        *_numbers(folded),
        *_known_contacts(folded, known),
        *_addresses(folded),
        *_names(folded, [_fold(k) for k in known]),
    ]
    order = {kind: i for i, kind in enumerate(KINDS)}
    found.sort(key=lambda f: (not f[2].certain, -(f[1] - f[0]), order[f[2]], f[0]))
    taken: list[tuple[int, int]] = []
    spans: list[Span] = []
    for start, end, kind in found:
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start or any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        spans.append(Span(start, end, kind, text[start:end]))
    return sorted(spans, key=lambda s: s.start)


MASK = "***"


def mask(text: str, spans: Iterable[Span] | None = None) -> str:
    """``text`` with every span (default: every finding) replaced by ``MASK``: a suggestion, not a verdict."""
    spans = find_personal_data(text) if spans is None else sorted(spans, key=lambda s: s.start)
    out, at = [], 0
    for span in spans:
        out += [text[at : span.start], MASK]
        at = span.end
    out.append(text[at:])
    return "".join(out)


@dataclass(frozen=True)
class Segment:
    text: str
    span: Span | None = None  # None: plain text


def segments(text: str, spans: Iterable[Span]) -> list[Segment]:
    """``text`` cut into plain and personal-data pieces, for a template to mark the latter."""
    out, at = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start > at:
            out.append(Segment(text[at : span.start]))
        out.append(Segment(text[span.start : span.end], span))
        at = span.end
    if at < len(text):
        out.append(Segment(text[at:]))
    return out


def describe(field_label: str, text: str, spans: Iterable[Span]) -> list[str]:
    """One Chinese line per span: where it is (line and character) and what it looks like, masked."""
    lines = []
    for span in spans:
        line = text.count("\n", 0, span.start) + 1
        column = span.start - (text.rfind("\n", 0, span.start) + 1) + 1
        where = f"第{line}行第{column}字" if "\n" in text else f"第{column}字"
        lines.append(f"“{field_label}”{where}：{span.label}（{span.masked}）")
    return lines
