"""Full-text search over published items: the index's API.

- ``index_publication(pub)`` / ``remove_publication(pub_id)`` keep one item in step (the signal
  receivers call them on every save and delete; a service may call them too).
- ``rebuild_index()`` re-creates the index from the ledger (after a bulk import, or a tokeniser change).
- ``search(query, category=, department=, year=, page=)`` answers the portal.

Ranking is the same on both databases: items with every query term in the title or document number
come first, then items that match in the body; within each group the newest publication comes first.
Only the first ``MAX_RESULTS`` of each group are counted and paged, so a one-character query over a
million items costs no more than a specific one; the page then says "500 条以上".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils.safestring import SafeString

from gongkai.search.backends import IndexRow, Query, backend_for, chunks, sort_key
from gongkai.search.highlight import highlight, snippet
from gongkai.search.tokens import QueryTerm, facet_tokens, parse_query

PER_PAGE = 20
MAX_RESULTS = 500
MAX_QUERY_CHARS = 100
PUBLISHED = "published"


@dataclass(frozen=True)
class SearchHit:
    publication_id: int
    title: SafeString
    doc_number: SafeString
    snippet: SafeString
    category: str
    department_id: int | None
    published_on: dt.date
    in_title: bool  # every term is in the title or document number


@dataclass(frozen=True)
class SearchPage:
    query: str
    terms: Sequence[QueryTerm]
    hits: Sequence[SearchHit]
    total: int
    total_is_lower_bound: bool
    page: int
    per_page: int
    category: str | None = None
    department: int | None = None
    year: int | None = None
    needles: Sequence[str] = field(default_factory=tuple)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def previous_page(self) -> int:
        return self.page - 1

    @property
    def next_page(self) -> int:
        return self.page + 1

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    @property
    def searchable(self) -> bool:
        return bool(self.terms)


def _row(pub: Any) -> IndexRow:
    # Attachment titles are searched with the body: a visitor looking for "分布表" means the item
    # that carries it. They are fixed once the item is submitted, so indexing at publish suffices.
    titles = [a.title for a in pub.attachments.all()]
    body = pub.body or ""
    if titles:
        body = f"{body}\n附件：{'；'.join(titles)}" if body else f"附件：{'；'.join(titles)}"
    return IndexRow(
        publication_id=pub.pk,
        title=pub.title,
        doc_number=pub.doc_number or "",
        body=body,
        category=pub.category,
        department_id=pub.department_id,
        published_on=pub.published_on,
    )


def _is_public(pub: Any) -> bool:
    return pub.pk is not None and pub.status == PUBLISHED and pub.published_on is not None


def index_publication(pub: Any) -> None:
    """(Re-)index a published item; an item that is not (or no longer) published is removed."""
    with transaction.atomic():
        backend = backend_for(connection)
        backend.remove([pub.pk])
        if _is_public(pub):
            backend.add([_row(pub)])


sync_publication = index_publication


def remove_publication(pub_id: int) -> None:
    """Forget an item (withdrawn, deleted); unknown ids are ignored."""
    with transaction.atomic():
        backend_for(connection).remove([pub_id])


def index_rows(rows: Iterable[IndexRow], *, batch_size: int = 2000) -> int:
    """Add many rows not yet in the index (bulk loading); returns how many."""
    backend = backend_for(connection)
    n = 0
    for batch in chunks(rows, batch_size):
        with transaction.atomic():
            backend.add(batch)
        n += len(batch)
    return n


def clear_index() -> None:
    with transaction.atomic():
        backend_for(connection).clear()


def rebuild_index(*, batch_size: int = 2000) -> int:
    """Empty the index and index every published item again, oldest first; returns how many."""
    from django.db.models import Prefetch

    from gongkai.publications.models import Publication, PublicationAttachment

    clear_index()
    published = (
        Publication.objects.filter(status=PUBLISHED)
        .order_by("published_on", "pk")
        .only("pk", "title", "doc_number", "body", "category", "department_id", "published_on", "status")
        .prefetch_related(
            Prefetch("attachments", queryset=PublicationAttachment.objects.only("publication_id", "title"))
        )
    )
    return index_rows((_row(p) for p in published.iterator(chunk_size=batch_size)), batch_size=batch_size)


def search(
    query: str,
    *,
    category: str | None = None,
    department: int | None = None,
    year: int | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SearchPage:
    """One page of published items matching every term of ``query`` (see the module docstring)."""
    query = (query or "").strip()[:MAX_QUERY_CHARS]
    terms = parse_query(query)
    needles = tuple(t.needle for t in terms)
    page = max(1, int(page))
    base = {"query": query, "terms": terms, "per_page": per_page, "category": category or None}
    base |= {"department": department, "year": year, "needles": needles}
    if not terms:
        return SearchPage(hits=(), total=0, total_is_lower_bound=False, page=1, **base)

    facets = facet_tokens(category=category, department_id=department, year=year)
    q = Query(terms=terms, facets=facets)
    backend = backend_for(connection)

    cap = MAX_RESULTS + 1
    strong_n, rest_n = backend.count(q, tier="strong", cap=cap), backend.count(q, tier="rest", cap=cap)
    strong_few, rest_few = strong_n < cap, rest_n < cap
    lower_bound = not (strong_few and rest_few)
    strong_n, rest_n = min(strong_n, MAX_RESULTS), min(rest_n, MAX_RESULTS)
    total = strong_n + rest_n
    last_page = max(1, math.ceil(total / per_page))
    page = min(page, last_page)

    start, end = (page - 1) * per_page, page * per_page
    keys: list[tuple[int, bool]] = []
    if start < strong_n:
        limit = min(end, strong_n) - start
        strong_keys = backend.keys(q, tier="strong", offset=start, limit=limit, few=strong_few)
        keys += [(k, True) for k in strong_keys]
    if end > strong_n:
        offset = max(0, start - strong_n)
        limit = min(end - strong_n, rest_n) - offset
        rest_keys = backend.keys(q, tier="rest", offset=offset, limit=limit, few=rest_few)
        keys += [(k, False) for k in rest_keys]
    return SearchPage(
        hits=tuple(_hits(keys, needles)), total=total, total_is_lower_bound=lower_bound, page=page, **base
    )


def _hits(keys: list[tuple[int, bool]], needles: Sequence[str]) -> list[SearchHit]:
    if not keys:
        return []
    marks = ", ".join(["%s"] * len(keys))
    with connection.cursor() as cur:
        cur.execute(
            "SELECT key, publication_id, title, doc_number, body, category, department_id, published_on "
            f"FROM search_doc WHERE key IN ({marks})",
            [k for k, _ in keys],
        )
        docs = {row[0]: row for row in cur.fetchall()}
    hits = []
    for key, strong in keys:
        if key not in docs:
            continue
        _, pub_id, title, doc_number, body, category, department_id, published_on = docs[key]
        hits.append(
            SearchHit(
                publication_id=pub_id,
                title=highlight(title, needles),
                doc_number=highlight(doc_number, needles),
                snippet=snippet(body, needles),
                category=category,
                department_id=department_id,
                published_on=published_on
                if isinstance(published_on, dt.date)
                else dt.date.fromisoformat(published_on),
                in_title=strong,
            )
        )
    return hits


__all__ = [
    "MAX_RESULTS",
    "PER_PAGE",
    "IndexRow",
    "SearchHit",
    "SearchPage",
    "clear_index",
    "index_publication",
    "index_rows",
    "rebuild_index",
    "remove_publication",
    "search",
    "sort_key",
]
