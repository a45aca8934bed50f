"""Web page front end: literal pages shaped like the ones government portals publish."""

from __future__ import annotations

import pytest
from test_parse_files_support import texts

from gongkai.annual_report.parsing.base import UnreadableReport
from gongkai.annual_report.parsing.html import html_lines

PAGE = """<!DOCTYPE html>
<html><head><title>某某区人民政府</title>
<style>td { border: 1px solid #000 }</style>
<script>var total = 12; document.write("<p>不是报告</p>");</script></head>
<body>
<nav><a href="/">首页</a> &gt; <a href="/zfxxgk/">政府信息公开</a></nav>
<h1>某某区人民政府2021年政府信息公开工作年度报告</h1>
<p>&nbsp;&nbsp;&nbsp;&nbsp;本报告依据《中华人民共和国政府信息公开条例》编制。</p>
<h2>三、收到和处理政府信息公开申请情况</h2>
<!-- 表格开始 -->
<table>
 <tbody>
  <tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，<br>等于第三项加第四项之和）</td>
      <td colspan="7">申请人情况</td></tr>
  <tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
  <tr><td>商业<br/>企业</td><td>科研<br>机构</td><td>社会公益<br>组织</td><td>法律服务<br>机构</td><td>其他</td></tr>
  <tr><td colspan="3">一、本年新收政府信息公开申请数量</td>
      <td>10</td><td>1</td><td>&nbsp;</td><td></td><td>0</td><td>0</td><td>11</td></tr>
  <tr><td rowspan="2"><p>三</p><p>、</p><p>本年度办理结果</p></td>
      <td colspan="2">（一）予以公开</td><td>5</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>6</td></tr>
  <tr><td rowspan="1">（三）不予公开</td><td>1.属于国家秘密</td>
      <td><span>0</span></td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
 </tbody>
</table>
<p style="display: none">隐藏的文字</p>
<p>第一段<br>第二段</p>
<div class="footer">版权所有：某某区人民政府</div>
</body></html>"""


def test_page_blocks_and_table_rows() -> None:
    lines = html_lines(PAGE.encode("utf-8"))
    assert [texts(ln) for ln in lines] == [
        ["某某区人民政府2021年政府信息公开工作年度报告"],
        ["本报告依据《中华人民共和国政府信息公开条例》编制。"],
        ["三、收到和处理政府信息公开申请情况"],
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
        ["自然人", "法人或其他组织", "总计"],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
        ["一、本年新收政府信息公开申请数量", "10", "1", "", "", "0", "0", "11"],
        ["三、本年度办理结果", "（一）予以公开", "5", "1", "0", "0", "0", "0", "6"],
        ["（三）不予公开", "1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"],
        ["第一段"],
        ["第二段"],
        ["版权所有：某某区人民政府"],
    ]
    row = lines[6]
    assert [t.x for t in row.tokens] == [0.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
    assert all(t.cell for t in row.tokens)
    assert lines[8].tokens[0].x == 1.0  # the cell right of the merged group label
    assert row.tokens[3].where == "第 1 个表格第 4 行第 6 列"


def test_layout_table_around_the_report() -> None:
    page = """<html><body><table width="100%"><tr><td>
      <table><tr><td><a href="/">首页</a></td></tr></table>
      <h3>二、主动公开政府信息情况</h3>
      <table border="1">
        <tr><td colspan="4">第二十条第（一）项</td></tr>
        <tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
        <tr><td>规章</td><td>0</td><td>0</td><td>3</td></tr>
      </table>
    </td></tr></table></body></html>"""
    lines = html_lines(page)
    assert [texts(ln) for ln in lines] == [
        ["首页"],
        ["二、主动公开政府信息情况"],
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "3"],
    ]
    assert lines[4].tokens[0].cell and not lines[1].tokens[0].cell


def test_declared_gb2312_page_with_gbk_characters() -> None:
    # 镕 is in GBK/GB18030 but not in GB2312; such pages still declare gb2312.
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
    page += "<body><p>朱镕基路街道办事处</p></body></html>"
    lines = html_lines(page.encode("gb18030"))
    assert texts(lines[0]) == ["朱镕基路街道办事处"]


def test_undeclared_gb18030_page() -> None:
    lines = html_lines("<html><body><p>政府信息公开</p></body></html>".encode("gb18030"))
    assert texts(lines[0]) == ["政府信息公开"]


def test_empty_page() -> None:
    with pytest.raises(UnreadableReport, match="网页"):
        html_lines(b"   ")
