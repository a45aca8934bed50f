"""Tokens and highlighting, without a database."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gongkai.search.highlight import highlight, match_spans, snippet
from gongkai.search.tokens import document_tokens, field_tokens, parse_query, runs


def test_runs_split_han_from_words_and_drop_punctuation() -> None:
    assert runs("东花市发〔2019〕3号") == [(True, "东花市发"), (False, "2019"), (False, "3"), (True, "号")]
    assert runs("ＡＢＣ公司，Ltd.") == [(False, "abc"), (True, "公司"), (False, "ltd")]


def test_field_tokens_are_bigrams_words_and_single_characters() -> None:
    ft = field_tokens("养老服务 2020年")
    assert ft.stream == ["养老", "老服", "服务", "2020"]
    assert ft.chars == ["养", "老", "服", "务", "年"]


def test_title_and_document_number_tokens_are_prefixed() -> None:
    doc = document_tokens(title="养老通知", doc_number="东发〔2019〕3号", body="养老", category="art20_1",
                          department_id=7, year=2019)  # fmt: skip
    assert doc.stream == ["t_养老", "t_老通", "t_通知", "n_东发", "n_2019", "n_3", "养老"]
    assert doc.bag == ["t_养", "t_老", "t_通", "t_知", "n_东", "n_发", "n_号", "养", "老",
                       "cat_art20_1", "year_2019", "dept_7"]  # fmt: skip


def test_document_number_query_is_one_phrase_plus_its_lone_character() -> None:
    (term,) = parse_query("东花市发〔2019〕3号")
    assert term.phrases == (("东花", "花市", "市发", "2019", "3"),)
    assert term.chars == ("号",)
    assert term.needle == "东花市发20193号"


def test_one_character_query_is_a_character_condition() -> None:
    (term,) = parse_query(" 区 ")
    assert term.phrases == () and term.chars == ("区",)


def test_terms_are_split_on_spaces_deduplicated_and_normalised() -> None:
    terms = parse_query("垃圾分类　ＰＭ２．５ 垃圾分类 ，。")
    assert [t.needle for t in terms] == ["垃圾分类", "pm25"]
    assert terms[0].phrases == (("垃圾", "圾分", "分类"),)
    assert terms[1].phrases == (("pm2", "5"),)


def test_punctuation_only_query_has_no_terms() -> None:
    assert parse_query("〔〕，。!?") == []


def test_highlight_escapes_and_marks_across_punctuation() -> None:
    html = highlight("<b>关于</b>东花市发〔2019〕3号的通知", ["东花市发20193号"])
    assert html == "&lt;b&gt;关于&lt;/b&gt;<mark>东花市发〔2019〕3号</mark>的通知"


def test_highlight_never_lets_markup_through() -> None:
    html = highlight('<script>alert("养老")</script>', ["养老"])
    assert "<script" not in html and "<mark>养老</mark>" in html


def test_snippet_is_a_window_around_the_first_match() -> None:
    body = "甲" * 200 + "垃圾分类" + "乙" * 200
    html = snippet(body, ["垃圾分类"], length=60)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>垃圾分类</mark>" in html
    assert len(html.replace("<mark>", "").replace("</mark>", "")) == 62


def test_snippet_without_a_match_is_the_start() -> None:
    assert snippet("短文本", ["无关"]) == "短文本"


@given(
    st.text(alphabet="养老服务垃圾分类，。 abc123〔〕", max_size=60),
    st.sampled_from(["养老", "分类", "abc", "3"]),
)
def test_every_marked_span_spells_the_needle(text: str, needle: str) -> None:
    for start, end in match_spans(text, [needle]):
        assert "".join(ch for ch in text[start:end] if ch.isalnum()).lower() == needle
