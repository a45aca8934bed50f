"""The index on the database under test (SQLite FTS5, or PostgreSQL when DATABASE_URL points there)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.search import index
from gongkai.search.backends import IndexRow
from gongkai.search.index import index_rows, remove_publication, search
from gongkai.search.models import SearchDoc

pytestmark = pytest.mark.django_db

D = dt.date


JUNE = D(2019, 6, 1)


def row(
    pid: int,
    title: str,
    body: str = "",
    *,
    doc: str = "",
    cat: str = "art20_11",
    dept: int | None = 1,
    on: D = JUNE,
) -> IndexRow:
    return IndexRow(pid, title, doc, body, cat, dept, on)


@pytest.fixture
def ledger() -> None:
    index_rows(
        [
            row(
                1,
                "关于做好社区养老服务工作的通知",
                "各社区：现就居家养老服务有关事项通知如下。",
                on=D(2019, 3, 1),
            ),
            row(
                2,
                "东花市街道垃圾分类工作实施方案",
                "推进生活垃圾分类，桶前值守。",
                doc="东花市发〔2019〕3号",
                cat="art20_1",
                on=D(2019, 5, 10),
            ),
            row(
                3,
                "2019年财政预算公开",
                "本年度预算收入……用于老年人助餐和养老驿站建设。",
                cat="art20_7",
                dept=2,
                on=D(2019, 2, 1),
            ),
            row(4, "老旧小区综合整治", "改造老楼，服务居民。", on=D(2020, 1, 15)),
            row(5, "街道办事处机构职能", "办公地址：东花市北里。", cat="art20_2", dept=2, on=D(2018, 12, 1)),
        ]
    )


def ids(page: index.SearchPage) -> list[int]:
    return [h.publication_id for h in page.hits]


def test_two_character_query_finds_exactly_the_items_containing_it(ledger: None) -> None:
    page = search("养老")
    # Title hits first, then body hits; 老旧 and 老楼 contain 老 but not 养老.
    assert ids(page) == [1, 3]
    assert [h.in_title for h in page.hits] == [True, False]
    assert page.total == 2 and not page.total_is_lower_bound
    assert page.hits[0].title == "关于做好社区<mark>养老</mark>服务工作的通知"
    assert "<mark>养老</mark>驿站" in page.hits[1].snippet


def test_one_character_query_matches_any_item_with_the_character(ledger: None) -> None:
    assert ids(search("老")) == [4, 1, 3]  # title hits newest first, then the body hit
    assert ids(search("圾")) == [2]


def test_document_number_query_finds_the_document_whatever_the_brackets(ledger: None) -> None:
    for q in ("东花市发〔2019〕3号", "东花市发[2019]3号", "东花市发(2019)3号", "2019〕3号"):
        page = search(q)
        assert ids(page) == [2], q
    assert search("东花市发〔2019〕3号").hits[0].doc_number == "<mark>东花市发〔2019〕3号</mark>"
    assert ids(search("东花市发〔2019〕4号")) == []


def test_three_and_four_character_queries_are_phrases(ledger: None) -> None:
    assert ids(search("垃圾分类")) == [2]
    assert ids(search("分类垃圾")) == []  # the same bigram set, in another order
    assert ids(search("养老驿站")) == [3]
    assert ids(search("服务工")) == [1]


def test_several_terms_must_all_match(ledger: None) -> None:
    assert ids(search("养老 预算")) == [3]
    assert ids(search("养老 垃圾")) == []
    # One term in the title, the other in the body: a match, though not a title match.
    page = search("财政 养老")
    assert ids(page) == [3] and not page.hits[0].in_title


def test_filters_by_category_department_and_year(ledger: None) -> None:
    assert ids(search("养老", category="art20_7")) == [3]
    assert ids(search("养老", category="art20_11")) == [1]
    assert ids(search("老", department=2)) == [3]
    assert ids(search("老", year=2020)) == [4]
    assert ids(search("东花市", year=2018)) == [5]
    assert ids(search("东花市", year=2018, department=1)) == []


def test_query_without_searchable_characters_finds_nothing(ledger: None) -> None:
    page = search("〔〕，。")
    assert not page.searchable and page.hits == () and page.total == 0


def test_pagination_walks_title_hits_then_body_hits() -> None:
    index_rows([row(i, f"通知{i}", on=D(2019, 1, 1) + dt.timedelta(days=i)) for i in range(1, 8)])
    index_rows(
        [row(i, f"公告{i}", "附：通知", on=D(2019, 1, 1) + dt.timedelta(days=i)) for i in range(8, 13)]
    )
    pages = [search("通知", page=p, per_page=5) for p in (1, 2, 3)]
    assert [ids(p) for p in pages] == [[7, 6, 5, 4, 3], [2, 1, 12, 11, 10], [9, 8]]
    assert [p.num_pages for p in pages] == [3, 3, 3]
    assert pages[0].has_next and not pages[0].has_previous and not pages[2].has_next
    assert search("通知", page=99, per_page=5).page == 3


def test_counts_stop_at_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "MAX_RESULTS", 4)
    index_rows([row(i, f"通知{i}") for i in range(1, 11)])
    page = search("通知", per_page=3)
    assert page.total == 4 and page.total_is_lower_bound and page.num_pages == 2


def test_remove_and_reindex_keep_the_index_in_step(ledger: None) -> None:
    remove_publication(1)
    assert ids(search("养老")) == [3]
    remove_publication(999)  # unknown ids are ignored
    index_rows([row(1, "关于做好社区助餐服务工作的通知", on=D(2019, 3, 1))])
    assert ids(search("养老")) == [3]
    assert ids(search("助餐")) == [1, 3]  # the re-indexed title hit first
    assert SearchDoc.objects.count() == 5


def test_user_input_cannot_break_out_of_the_match_syntax(ledger: None) -> None:
    for q in [
        '"',
        '养老" OR "',
        "NOT 养老",
        "养老 AND",
        "f : cat_art20_7",
        "养老*",
        "':* | '",
        "\\",
        "(",
        "NEAR(养老)",
    ]:
        search(q)  # must not raise a syntax error
    assert ids(search("NOT 养老")) == []  # "not" is a word here, and no item contains it
