"""Staff plain text as portal paragraphs: headings by their numbering, articles stay paragraphs."""

from __future__ import annotations

from gongkai.portal.text import paragraphs


def test_headings_and_articles() -> None:
    text = "第一章　总则\n一、主动公开\n（一）申请方式\n第五条　本规则自发布之日起施行。\n\n  可以在线提交。  \n<b>不是标签</b>"
    got = [(p.text, p.heading) for p in paragraphs(text)]
    assert got == [
        ("第一章　总则", True),
        ("一、主动公开", True),
        ("（一）申请方式", True),
        ("第五条　本规则自发布之日起施行。", False),  # an article is body text, however short
        ("可以在线提交。", False),
        ("<b>不是标签</b>", False),
    ]


def test_a_long_numbered_line_is_a_paragraph() -> None:
    line = "一、" + "本机关依照条例规定主动公开政府信息" * 3
    assert paragraphs(line)[0].heading is False
