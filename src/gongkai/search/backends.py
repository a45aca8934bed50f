"""The two index back ends behind ``gongkai.search``: SQLite FTS5 and PostgreSQL tsvector + GIN.

Both index the same tokens (``tokens``) and answer the same three questions — which documents match
every term, which match every term in the title or document number ("strong" matches), newest first —
so ranking and results are the same on either database.

- SQLite: a contentless FTS5 table ``search_fts`` of two columns — the token stream (``s``) and the
  bag of single characters and filter tokens (``b``) — whose rowid is the document's sort key.
  Contentless keeps the index small; forgetting a document needs its old tokens, which are
  recomputed from the copy kept in ``search_doc``.
- PostgreSQL: two tsvector columns on ``search_doc`` holding the same tokens as lexemes (streams with
  positions, for phrases; single characters and filters without), each under a GIN index:
  ``tsv_s`` for title, document number and filters, small enough to answer the strong tier cheaply,
  and ``tsv_b`` for the body. The tsvectors are written as literals, so no text-search parser or
  locale touches the tokens.

A query term is, per phrase and per single character, "in the title, the document number or the body"
(t_x OR n_x OR x); the strong tier asks for the first two only, the rest tier for a match that is not
strong. Filters are AND-ed filter tokens, so the index lookup itself is narrowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from gongkai.search.tokens import MAX_BODY_CHARS, STRONG_PREFIXES, DocumentTokens, QueryTerm, document_tokens

FTS_TABLE = "search_fts"
DOC_TABLE = "search_doc"
_PG_MAX_POSITION = 16383
_PG_MAX_POSITIONS_PER_LEXEME = 256
RECENT_ROWS = 20_000
COUNT_PROBE_ROWS = 3_000
ALL_PREFIXES = (*STRONG_PREFIXES, "")


@dataclass(frozen=True)
class IndexRow:
    """What the index holds of one published item."""

    publication_id: int
    title: str
    doc_number: str
    body: str
    category: str
    department_id: int | None
    published_on: dt.date

    @property
    def key(self) -> int:
        return sort_key(self.published_on, self.publication_id)

    @cached_property
    def tokens(self) -> DocumentTokens:
        return document_tokens(
            title=self.title,
            doc_number=self.doc_number,
            body=self.body,
            category=self.category,
            department_id=self.department_id,
            year=self.published_on.year,
        )

    def doc_values(self) -> tuple[object, ...]:
        return (
            self.key,
            self.publication_id,
            self.title,
            self.doc_number,
            self.body[:MAX_BODY_CHARS],
            self.category,
            self.department_id,
            self.published_on,
        )


def sort_key(published_on: dt.date, publication_id: int) -> int:
    """Newest published first when sorted descending; ties by publication id."""
    return (published_on.toordinal() << 32) | publication_id


_DOC_COLUMNS = "key, publication_id, title, doc_number, body, category, department_id, published_on"


@dataclass(frozen=True)
class Query:
    """A parsed query plus filter tokens, rendered by a back end into its own match syntax."""

    terms: Sequence[QueryTerm]
    facets: Sequence[str]


class Backend:
    vendor = ""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    # -- schema (migrations) ----------------------------------------------------------------------
    def create(self) -> None:
        raise NotImplementedError

    def drop(self) -> None:
        raise NotImplementedError

    # -- writes -----------------------------------------------------------------------------------
    def add(self, rows: Sequence[IndexRow]) -> None:
        """Index rows whose publications are not in the index yet."""
        raise NotImplementedError

    def remove(self, publication_ids: Sequence[int]) -> None:
        """Forget these publications (ids not in the index are ignored)."""
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def _fetch_rows(self, publication_ids: Sequence[int]) -> list[IndexRow]:
        marks = ", ".join(["%s"] * len(publication_ids))
        with self.connection.cursor() as cur:
            cur.execute(
                f"SELECT publication_id, title, doc_number, body, category, department_id, published_on "
                f"FROM {DOC_TABLE} WHERE publication_id IN ({marks})",
                list(publication_ids),
            )
            rows = cur.fetchall()
        return [
            IndexRow(
                publication_id=r[0],
                title=r[1],
                doc_number=r[2],
                body=r[3],
                category=r[4],
                department_id=r[5],
                published_on=r[6] if isinstance(r[6], dt.date) else dt.date.fromisoformat(r[6]),
            )
            for r in rows
        ]

    # -- reads ------------------------------------------------------------------------------------
    def count(self, query: Query, *, tier: str, cap: int) -> int:
        """How many documents of ``tier`` ("strong" or "rest") match, counting at most ``cap``."""
        raise NotImplementedError

    def keys(self, query: Query, *, tier: str, offset: int, limit: int, few: bool = False) -> list[int]:
        """Sort keys of matching documents of ``tier``, newest first. ``few``: the caller counted the
        matches and there are not many (a back end may then pick another plan)."""
        raise NotImplementedError


# --- SQLite FTS5 -----------------------------------------------------------------------------------


def _fts_quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


class SQLiteBackend(Backend):
    vendor = "sqlite"

    def create(self) -> None:
        with self.connection.cursor() as cur:
            # unicode61 splits on whitespace and keeps letters, digits and Han characters, so the space-joined
            # tokens come back one for one; '_' is made a token character for the prefixes (t_养老, cat_art20_1).
            cur.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                "s, b, content='', columnsize=0, "
                "tokenize=\"unicode61 remove_diacritics 0 tokenchars '_'\")"
            )

    def drop(self) -> None:
        with self.connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")

    @staticmethod
    def _fts_values(row: IndexRow) -> tuple[object, ...]:
        t = row.tokens
        return (row.key, " ".join(t.stream), " ".join(t.bag))

    def add(self, rows: Sequence[IndexRow]) -> None:
        with self.connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {DOC_TABLE} ({_DOC_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [r.doc_values() for r in rows],
            )
            cur.executemany(
                f"INSERT INTO {FTS_TABLE}(rowid, s, b) VALUES (%s, %s, %s)",
                [self._fts_values(r) for r in rows],
            )

    def remove(self, publication_ids: Sequence[int]) -> None:
        rows = self._fetch_rows(publication_ids)
        if not rows:
            return
        with self.connection.cursor() as cur:
            # A contentless table forgets a row only when told exactly which tokens it held.
            cur.executemany(
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, s, b) VALUES ('delete', %s, %s, %s)",
                [self._fts_values(r) for r in rows],
            )
            marks = ", ".join(["%s"] * len(rows))
            cur.execute(
                f"DELETE FROM {DOC_TABLE} WHERE publication_id IN ({marks})", [r.publication_id for r in rows]
            )

    def clear(self) -> None:
        with self.connection.cursor() as cur:
            cur.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
            cur.execute(f"DELETE FROM {DOC_TABLE}")

    @staticmethod
    def _term(term: QueryTerm, strong: bool) -> list[str]:
        prefixes = STRONG_PREFIXES if strong else ALL_PREFIXES
        parts = [
            " OR ".join(_fts_quote(" ".join(pre + tok for tok in p)) for pre in prefixes)
            for p in term.phrases
        ]
        parts += [" OR ".join(_fts_quote(pre + c) for pre in prefixes) for c in term.chars]
        return [f"({p})" for p in parts]

    def _match(self, query: Query, tier: str) -> str:
        facets = [_fts_quote(f) for f in query.facets]
        full = " AND ".join([*(p for t in query.terms for p in self._term(t, False)), *facets])
        strong = " AND ".join(p for t in query.terms for p in self._term(t, True))
        if tier == "strong":
            return f"({full}) AND ({strong})"
        return f"({full}) NOT ({strong})"

    def count(self, query: Query, *, tier: str, cap: int) -> int:
        # Joined with search_doc so that a row the index still lists but the table lost (a test database
        # flushed under it) is not counted.
        with self.connection.cursor() as cur:
            cur.execute(
                f"SELECT count(*) FROM {DOC_TABLE} WHERE key IN "
                f"(SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s)",
                [self._match(query, tier), cap],
            )
            return int(cur.fetchone()[0])

    def keys(self, query: Query, *, tier: str, offset: int, limit: int, few: bool = False) -> list[int]:
        with self.connection.cursor() as cur:
            cur.execute(
                f"SELECT c.k FROM (SELECT rowid AS k FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
                f"ORDER BY rowid DESC LIMIT %s OFFSET %s) c JOIN {DOC_TABLE} d ON d.key = c.k ORDER BY c.k DESC",
                [self._match(query, tier), limit, offset],
            )
            return [int(r[0]) for r in cur.fetchall()]


# --- PostgreSQL tsvector ---------------------------------------------------------------------------


def _pg_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsvector(streams: Sequence[Sequence[str]], bag: Iterable[str]) -> str:
    """A tsvector in PostgreSQL's input syntax: stream tokens with positions (each stream after a gap,
    so no phrase runs from one into the next), bag tokens without."""
    positions: dict[str, list[int]] = {}
    base = 0
    for stream in streams:
        for i, tok in enumerate(stream, start=base + 1):
            pos = positions.setdefault(tok, [])
            # PostgreSQL keeps at most 256 positions per lexeme, each at most 16383.
            if len(pos) < _PG_MAX_POSITIONS_PER_LEXEME and i <= _PG_MAX_POSITION:
                pos.append(i)
        base += len(stream) + 2
    parts = [
        f"{_pg_lexeme(lex)}:{','.join(map(str, pos))}" if pos else _pg_lexeme(lex)
        for lex, pos in positions.items()
    ]
    parts += [_pg_lexeme(lex) for lex in dict.fromkeys(bag) if lex not in positions]
    return " ".join(parts)


def tsvector_literals(tokens: DocumentTokens) -> tuple[str, str]:
    """(strong, body): title and document number with the filter tokens; the body."""
    strong = _tsvector(
        [tokens.title.stream, tokens.doc_number.stream],
        [*tokens.title.chars, *tokens.doc_number.chars, *tokens.facets],
    )
    return strong, _tsvector([tokens.body.stream], tokens.body.chars)


class PostgresBackend(Backend):
    """Two tsvector columns, each under a GIN index: ``tsv_s`` (title, document number, filters) is
    small and answers the strong tier alone; ``tsv_b`` (body) is read only for the rest."""

    vendor = "postgresql"

    def create(self) -> None:
        with self.connection.cursor() as cur:
            # Matching reads a row's tsvectors; out of line (TOAST) every read is an index lookup and a
            # decompression, which made scanning for a common term about ten times slower. Rows up to a
            # page are therefore kept whole and uncompressed.
            cur.execute(f"ALTER TABLE {DOC_TABLE} SET (toast_tuple_target = 8160)")
            for col in ("tsv_s", "tsv_b"):
                cur.execute(
                    f"ALTER TABLE {DOC_TABLE} ADD COLUMN IF NOT EXISTS {col} tsvector NOT NULL DEFAULT ''"
                )
                cur.execute(f"ALTER TABLE {DOC_TABLE} ALTER COLUMN {col} SET STORAGE MAIN")
                cur.execute(
                    f"CREATE INDEX IF NOT EXISTS search_doc_{col}_gin ON {DOC_TABLE} USING gin ({col})"
                )

    def drop(self) -> None:
        with self.connection.cursor() as cur:
            for col in ("tsv_s", "tsv_b"):
                cur.execute(f"DROP INDEX IF EXISTS search_doc_{col}_gin")
                cur.execute(f"ALTER TABLE {DOC_TABLE} DROP COLUMN IF EXISTS {col}")

    def add(self, rows: Sequence[IndexRow]) -> None:
        with self.connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {DOC_TABLE} ({_DOC_COLUMNS}, tsv_s, tsv_b) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s::tsvector, %s::tsvector)",
                [(*r.doc_values(), *tsvector_literals(r.tokens)) for r in rows],
            )

    def remove(self, publication_ids: Sequence[int]) -> None:
        with self.connection.cursor() as cur:
            cur.execute(f"DELETE FROM {DOC_TABLE} WHERE publication_id = ANY(%s)", [list(publication_ids)])

    def clear(self) -> None:
        with self.connection.cursor() as cur:
            cur.execute(f"DELETE FROM {DOC_TABLE}")

    @staticmethod
    def _parts(query: Query) -> list[str]:
        parts = [
            "(" + " <-> ".join(_pg_lexeme(tok) for tok in p) + ")" for t in query.terms for p in t.phrases
        ]
        return parts + [_pg_lexeme(c) for t in query.terms for c in t.chars]

    def _where(self, query: Query, tier: str) -> tuple[str, list[str]]:
        parts = self._parts(query)
        facets = " & ".join(_pg_lexeme(f) for f in query.facets)
        every = " & ".join(parts)
        if tier == "strong":
            return "tsv_s @@ %s::tsquery", [f"{every} & {facets}" if facets else every]
        # Each part in the title, document number or body (as on SQLite), but not all of them in the first two.
        sql = ["(tsv_s @@ %s::tsquery OR tsv_b @@ %s::tsquery)"] * len(parts) + ["NOT tsv_s @@ %s::tsquery"]
        params = [q for p in parts for q in (p, p)] + [every]
        if facets:
            sql.insert(0, "tsv_s @@ %s::tsquery")
            params.insert(0, facets)
        return " AND ".join(sql), params

    def _short_statement(self, cur: Any) -> None:
        # A search runs a few statements of milliseconds each. JIT compilation and parallel workers, which
        # the planner reaches for when it expects a long scan, each cost more than that before the first row.
        cur.execute("SET LOCAL jit = off")
        cur.execute("SET LOCAL max_parallel_workers_per_gather = 0")

    def count(self, query: Query, *, tier: str, cap: int) -> int:
        where, params = self._where(query, tier)
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cur:
            self._short_statement(cur)
            # A common word reaches the cap among the newest few thousand rows; counting there first spares
            # building a GIN bitmap of hundreds of thousands of rows just to stop at the cap.
            cur.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM (SELECT * FROM {DOC_TABLE} ORDER BY key DESC "
                f"LIMIT {COUNT_PROBE_ROWS}) recent WHERE {where} LIMIT %s) c",
                [*params, cap],
            )
            if int(cur.fetchone()[0]) >= cap:
                return cap
            cur.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {DOC_TABLE} WHERE {where} LIMIT %s) c", [*params, cap]
            )
            return int(cur.fetchone()[0])

    def keys(self, query: Query, *, tier: str, offset: int, limit: int, few: bool = False) -> list[int]:
        where, params = self._where(query, tier)
        page = [*params, limit, offset]
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cur:
            self._short_statement(cur)
            if not few:
                # Many matches (the count reached its cap): usually a page of them is among the newest rows,
                # found by walking the key index backwards. The walk is bounded, so a term that is common
                # overall but absent from recent items costs at most RECENT_ROWS rows before the fallback.
                cur.execute(
                    f"SELECT key FROM (SELECT * FROM {DOC_TABLE} ORDER BY key DESC LIMIT {RECENT_ROWS}) recent "
                    f"WHERE {where} ORDER BY key DESC LIMIT %s OFFSET %s",
                    page,
                )
                found = [int(r[0]) for r in cur.fetchall()]
                if len(found) == limit:
                    return found
            # Few matches, or not enough among the newest rows: the GIN index finds them all and a sort orders
            # them ("key + 0" takes the key index's order away, which the planner, misjudging how rare a word
            # or phrase is, would otherwise walk through the whole table).
            cur.execute(
                f"SELECT key FROM {DOC_TABLE} WHERE {where} ORDER BY key + 0 DESC LIMIT %s OFFSET %s", page
            )
            return [int(r[0]) for r in cur.fetchall()]


_BACKENDS: dict[str, type[Backend]] = {"sqlite": SQLiteBackend, "postgresql": PostgresBackend}


def backend_for(connection: BaseDatabaseWrapper) -> Backend:
    try:
        return _BACKENDS[connection.vendor](connection)
    except KeyError:
        raise NotImplementedError(f"全文检索不支持 {connection.vendor} 数据库") from None


def chunks(items: Iterable[IndexRow], size: int) -> Iterable[list[IndexRow]]:
    batch: list[IndexRow] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
