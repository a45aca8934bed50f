"""The two index back ends behind ``gongkai.search``: SQLite FTS5 and PostgreSQL tsvector + GIN.

Both index the same tokens (``tokens``) and answer the same three questions — which documents match
every term, which match every term in the title or document number ("strong" matches), newest first —
so ranking and results are the same on either database.

- SQLite: a contentless FTS5 table ``search_fts`` whose rowid is the document's sort key; columns
  t/n/b hold the bigram-and-word streams of title, document number and body, tu/nu/bu their single
  Han characters, f the filter tokens. Contentless keeps the index small; removing a document needs
  its old tokens, which are recomputed from the copy kept in ``search_doc``.
- PostgreSQL: a ``tsv`` column on ``search_doc`` holding the same tokens as lexemes with positions
  (weights A title, B document number, D body; single characters prefixed ``u:``, filters ``f:``),
  under a GIN index. The tsvector is written as a literal so that no text-search parser or locale
  touches the tokens.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from django.db.backends.base.base import BaseDatabaseWrapper

from gongkai.search.tokens import MAX_BODY_CHARS, DocumentTokens, QueryTerm, document_tokens

FTS_TABLE = "search_fts"
DOC_TABLE = "search_doc"
_PG_MAX_POSITION = 16383
_PG_MAX_POSITIONS_PER_LEXEME = 256


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

    def keys(self, query: Query, *, tier: str, offset: int, limit: int) -> list[int]:
        """Sort keys of matching documents of ``tier``, newest first."""
        raise NotImplementedError


# --- SQLite FTS5 -----------------------------------------------------------------------------------


def _fts_quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


class SQLiteBackend(Backend):
    vendor = "sqlite"

    def create(self) -> None:
        with self.connection.cursor() as cur:
            # unicode61 splits on whitespace and punctuation and keeps Han characters, so the space-joined
            # streams come back token for token; '_' joins the filter tokens (cat_art20_1).
            cur.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                "t, n, b, tu, nu, bu, f, content='', columnsize=0, "
                "tokenize=\"unicode61 remove_diacritics 0 tokenchars '_'\")"
            )

    def drop(self) -> None:
        with self.connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")

    @staticmethod
    def _fts_values(row: IndexRow) -> tuple[object, ...]:
        t = row.tokens
        return (
            row.key,
            " ".join(t.title.stream),
            " ".join(t.doc_number.stream),
            " ".join(t.body.stream),
            " ".join(t.title.chars),
            " ".join(t.doc_number.chars),
            " ".join(t.body.chars),
            " ".join(t.facets),
        )

    def add(self, rows: Sequence[IndexRow]) -> None:
        with self.connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {DOC_TABLE} ({_DOC_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [r.doc_values() for r in rows],
            )
            cur.executemany(
                f"INSERT INTO {FTS_TABLE}(rowid, t, n, b, tu, nu, bu, f) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [self._fts_values(r) for r in rows],
            )

    def remove(self, publication_ids: Sequence[int]) -> None:
        rows = self._fetch_rows(publication_ids)
        if not rows:
            return
        with self.connection.cursor() as cur:
            # A contentless table forgets a row only when told exactly which tokens it held.
            cur.executemany(
                f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, t, n, b, tu, nu, bu, f) "
                "VALUES ('delete', %s, %s, %s, %s, %s, %s, %s, %s)",
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
        stream_cols, char_cols = ("{t n}", "{tu nu}") if strong else ("{t n b}", "{tu nu bu}")
        parts = [f"{stream_cols} : {_fts_quote(' '.join(p))}" for p in term.phrases]
        parts += [f"{char_cols} : {_fts_quote(c)}" for c in term.chars]
        return parts

    def _match(self, query: Query, tier: str) -> str:
        facets = [f"f : {_fts_quote(f)}" for f in query.facets]
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

    def keys(self, query: Query, *, tier: str, offset: int, limit: int) -> list[int]:
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


def tsvector_literal(tokens: DocumentTokens) -> str:
    """The tsvector, in PostgreSQL's input syntax, of one document's tokens."""
    positions: dict[str, list[str]] = defaultdict(list)
    seen: dict[str, set[int]] = defaultdict(set)

    def add(lexeme: str, pos: int, weight: str) -> None:
        pos = min(max(pos, 1), _PG_MAX_POSITION)
        if pos in seen[lexeme] or len(seen[lexeme]) >= _PG_MAX_POSITIONS_PER_LEXEME:
            return
        seen[lexeme].add(pos)
        positions[lexeme].append(f"{pos}{weight}")

    base = 1
    for field, weight in ((tokens.title, "A"), (tokens.doc_number, "B"), (tokens.body, "D")):
        for i, tok in enumerate(field.stream):
            add(tok, base + i, weight)
        for ch, p in zip(field.chars, field.char_positions, strict=True):
            add("u:" + ch, base + p, weight)
        # A gap of two positions: no phrase runs from the title into the document number or body.
        base += len(field.stream) + 2
    parts = [f"{_pg_lexeme(lex)}:{','.join(pos)}" for lex, pos in positions.items()]
    parts += [_pg_lexeme("f:" + f) for f in tokens.facets]
    return " ".join(parts)


class PostgresBackend(Backend):
    vendor = "postgresql"

    def create(self) -> None:
        with self.connection.cursor() as cur:
            cur.execute(f"ALTER TABLE {DOC_TABLE} ADD COLUMN IF NOT EXISTS tsv tsvector NOT NULL DEFAULT ''")
            cur.execute(f"CREATE INDEX IF NOT EXISTS search_doc_tsv_gin ON {DOC_TABLE} USING gin (tsv)")

    def drop(self) -> None:
        with self.connection.cursor() as cur:
            cur.execute("DROP INDEX IF EXISTS search_doc_tsv_gin")
            cur.execute(f"ALTER TABLE {DOC_TABLE} DROP COLUMN IF EXISTS tsv")

    def add(self, rows: Sequence[IndexRow]) -> None:
        with self.connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {DOC_TABLE} ({_DOC_COLUMNS}, tsv) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s::tsvector)",
                [(*r.doc_values(), tsvector_literal(r.tokens)) for r in rows],
            )

    def remove(self, publication_ids: Sequence[int]) -> None:
        with self.connection.cursor() as cur:
            cur.execute(f"DELETE FROM {DOC_TABLE} WHERE publication_id = ANY(%s)", [list(publication_ids)])

    def clear(self) -> None:
        with self.connection.cursor() as cur:
            cur.execute(f"DELETE FROM {DOC_TABLE}")

    @staticmethod
    def _term(term: QueryTerm, strong: bool) -> list[str]:
        w = ":AB" if strong else ""
        parts = ["(" + " <-> ".join(_pg_lexeme(tok) + w for tok in p) + ")" for p in term.phrases]
        parts += [_pg_lexeme("u:" + c) + w for c in term.chars]
        return parts

    def _tsquery(self, query: Query, tier: str) -> str:
        facets = [_pg_lexeme("f:" + f) for f in query.facets]
        full = " & ".join([*(p for t in query.terms for p in self._term(t, False)), *facets])
        strong = " & ".join(p for t in query.terms for p in self._term(t, True))
        if tier == "strong":
            return f"({full}) & ({strong})"
        return f"({full}) & !({strong})"

    def count(self, query: Query, *, tier: str, cap: int) -> int:
        with self.connection.cursor() as cur:
            cur.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {DOC_TABLE} WHERE tsv @@ %s::tsquery LIMIT %s) c",
                [self._tsquery(query, tier), cap],
            )
            return int(cur.fetchone()[0])

    def keys(self, query: Query, *, tier: str, offset: int, limit: int) -> list[int]:
        with self.connection.cursor() as cur:
            cur.execute(
                f"SELECT key FROM {DOC_TABLE} WHERE tsv @@ %s::tsquery ORDER BY key DESC LIMIT %s OFFSET %s",
                [self._tsquery(query, tier), limit, offset],
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
