"""The database half of a backup: a consistent snapshot, the files its rows name, its migration state.

Both engines: a second connection briefly locks out writers (SQLite: the database's write lock;
PostgreSQL: SHARE locks on the tables that name files) while the snapshot is opened, its file references
read and the few files not copied yet copied; then the writers go on, and the snapshot is dumped.
SQLite: a read transaction (WAL mode) that the online backup API copies; PostgreSQL: a REPEATABLE READ
transaction that exports its snapshot to ``pg_dump --snapshot``.

A stored file is named by a row: a model field called ``storage_name`` (a file in private storage, the
project's convention, with its ``sha256`` beside it when the model has one) or a ``FileField``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, models, transaction

from gongkai.backup.archive import DATABASE_DIR, BackupError
from gongkai.core.files import private_storage

SQLITE_MEMBER = f"{DATABASE_DIR}/gongkai.sqlite3"
POSTGRES_MEMBER = f"{DATABASE_DIR}/gongkai.pgdump"


@dataclass(frozen=True)
class FileColumn:
    table: str
    column: str
    sha_column: str | None
    root: Path  # the storage's directory; names in the column are relative to it

    @property
    def label(self) -> str:
        return f"{self.table}.{self.column}"


@dataclass(frozen=True)
class Reference:
    where: str  # table.column of the row that names the file
    sha256: str | None


@dataclass
class Snapshot:
    """An open snapshot of the database. While it is open, writers of the tables that name files wait
    until ``release_writers()``, so no file a snapshot row names can be deleted before it is copied;
    ``dump(dest)`` then writes the snapshot to a file, the writers already going on."""

    engine: str
    member: str
    references: dict[str, Reference]  # path under MEDIA_ROOT -> the row naming it
    migrations: dict[str, list[str]]
    release_writers: Callable[[], None]
    dump: Callable[[Path], None]


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持备份 {vendor} 数据库：只支持 SQLite 和 PostgreSQL")
    return vendor


def sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def file_columns() -> list[FileColumn]:
    """Every column of every installed model that names a stored file."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = {f.name: f for f in model._meta.concrete_fields}
        for f in fields.values():
            column = str(f.column)
            if f.name == "storage_name":
                sha = fields.get("sha256")
                root = Path(private_storage().location)
                found.append(FileColumn(model._meta.db_table, column, sha.column if sha else None, root))
            elif isinstance(f, models.FileField):
                root = Path(getattr(f.storage, "location", settings.MEDIA_ROOT))
                found.append(FileColumn(model._meta.db_table, column, None, root))
    return found


def read_references(cursor: Any, columns: Iterable[FileColumn]) -> dict[str, Reference]:
    """The stored files the rows name, by path under MEDIA_ROOT (``cursor`` of any DB-API connection)."""
    media = media_root().resolve()
    refs: dict[str, Reference] = {}
    for col in columns:
        sha = f'"{col.sha_column}"' if col.sha_column else "NULL"
        cursor.execute(f'SELECT "{col.column}", {sha} FROM "{col.table}"')  # names from the models only
        for name, sha256 in cursor.fetchall():
            if not name:
                continue
            path = (col.root / name).resolve()
            if path != media and media not in path.parents:
                raise BackupError(
                    f"{col.label} 中的文件 {name} 不在 MEDIA_ROOT（{media}）之下，备份无法包含它"
                )
            refs[PurePosixPath(path.relative_to(media)).as_posix()] = Reference(col.label, sha256 or None)
    return refs


def read_migrations(cursor: Any) -> dict[str, list[str]]:
    cursor.execute('SELECT "app", "name" FROM "django_migrations" ORDER BY "app", "name"')
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


# -- taking the snapshot ---------------------------------------------------------------------------

# How long a backup waits for the server's current write transaction before it gives up.
LOCK_WAIT_SECONDS = 60


@contextmanager
def open_snapshot() -> Iterator[Snapshot]:
    """A consistent snapshot of the configured database; see ``Snapshot``."""
    with _sqlite_session() if engine() == "sqlite" else _postgres_session() as snapshot:
        yield snapshot


@contextmanager
def _sqlite_session() -> Iterator[Snapshot]:
    live = _existing_sqlite()
    try:
        with (
            closing(sqlite3.connect(live, timeout=LOCK_WAIT_SECONDS, isolation_level=None)) as lock,
            closing(_sqlite_readonly(live)) as reader,
        ):
            # The write lock first, then the read transaction: it sees every commit up to the lock and,
            # WAL being on, keeps seeing exactly that state after the lock is released.
            lock.execute("BEGIN IMMEDIATE")
            reader.execute("BEGIN")
            cursor = reader.cursor()
            migrations = _migrations_or_refuse(cursor)
            references = read_references(cursor, file_columns())

            def release() -> None:
                if lock.in_transaction:
                    lock.execute("ROLLBACK")

            def dump(dest: Path) -> None:
                with closing(sqlite3.connect(dest)) as dst:
                    # The backup reads within the reader's open transaction; pages=-1 copies in one step.
                    reader.backup(dst, pages=-1)
                    dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
                    status = dst.execute("PRAGMA quick_check").fetchone()[0]
                if status != "ok":
                    raise BackupError(
                        f"数据库快照的完整性检查未通过（{status}）：数据库文件 {live} 可能已损坏"
                    )

            yield Snapshot("sqlite", SQLITE_MEMBER, references, migrations, release, dump)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise BackupError(f"等待数据库写入锁超过 {LOCK_WAIT_SECONDS} 秒（{exc}），请稍后再备份") from None
        raise BackupError(f"无法读取数据库 {live}：{exc}") from None
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"无法读取数据库 {live}：{exc}") from None


def _existing_sqlite() -> Path:
    live = sqlite_path()
    if not live.is_file() or live.stat().st_size == 0:
        raise BackupError(
            f"数据库文件 {live} 不存在或为空：请检查 GONGKAI_HOME（当前为 {settings.GONGKAI_HOME}）"
        )
    return live


def _sqlite_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(
        f"{path.as_uri()}?mode=ro", uri=True, timeout=LOCK_WAIT_SECONDS, isolation_level=None
    )


def _migrations_or_refuse(cursor: Any) -> dict[str, list[str]]:
    try:
        applied = read_migrations(cursor)
    except Exception as exc:  # sqlite3 and psycopg raise different classes for a missing table
        raise BackupError(f"数据库尚未初始化（没有迁移记录：{exc}），没有可备份的数据") from None
    if not applied:
        raise BackupError("数据库尚未初始化（没有已执行的迁移），没有可备份的数据")
    return applied


@contextmanager
def _postgres_session() -> Iterator[Snapshot]:
    import psycopg

    columns = file_columns()
    connection.ensure_connection()
    # A second session holds the lock, so that it can end while the snapshot (this session) lives on.
    lock = connection.get_new_connection(connection.get_connection_params())
    try:
        with lock.cursor() as c:
            c.execute(f"SET lock_timeout = '{LOCK_WAIT_SECONDS}s'")
            if columns:
                tables = ", ".join(f'"{t}"' for t in sorted({col.table for col in columns}))
                # SHARE: others may read these tables but not insert, update or delete rows.
                c.execute(f"LOCK TABLE {tables} IN SHARE MODE")
        with transaction.atomic(), connection.cursor() as cursor:
            # The first statement that needs a snapshot comes after the lock: it sees every commit to
            # the locked tables; pg_dump --snapshot dumps exactly what these reads see.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            exported = cursor.fetchone()[0]
            migrations = _migrations_or_refuse(cursor)
            references = read_references(cursor, columns)

            def release() -> None:
                if not lock.closed:
                    lock.rollback()
                    lock.close()

            def dump(dest: Path) -> None:
                # The exported snapshot lives only as long as this transaction: dump while it is open.
                run_pg_tool("pg_dump", ["--format=custom", f"--snapshot={exported}", f"--file={dest}"])

            yield Snapshot("postgresql", POSTGRES_MEMBER, references, migrations, release, dump)
    except psycopg.errors.LockNotAvailable as exc:
        raise BackupError(f"等待数据库写入锁超过 {LOCK_WAIT_SECONDS} 秒（{exc}），请稍后再备份") from None
    finally:
        if not lock.closed:
            lock.close()


def live_references() -> dict[str, Reference]:
    """The references in the database as it is now (not in a snapshot)."""
    try:
        if engine() == "sqlite":
            with closing(_sqlite_readonly(_existing_sqlite())) as conn:
                return read_references(conn.cursor(), file_columns())
        with connection.cursor() as cursor:
            return read_references(cursor, file_columns())
    except (DatabaseError, sqlite3.DatabaseError) as exc:  # a missing table: a database never migrated
        raise BackupError(f"无法读取数据库（{exc}）：数据库是否已初始化？") from None


# -- PostgreSQL client tools ------------------------------------------------------------------------


def pg_environment() -> dict[str, str]:
    """The connection settings for pg_dump/pg_restore as libpq variables: a password in the
    environment, not on a command line that every user of the machine can read."""
    db = connection.settings_dict
    env = dict(os.environ)
    for var, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGDATABASE", db.get("NAME")),
    ):
        if value:
            env[var] = str(value)
    options = db.get("OPTIONS") or {}
    for option, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("sslcert", "PGSSLCERT"),
                        ("sslkey", "PGSSLKEY")):  # fmt: skip
        if options.get(option):
            env[var] = str(options[option])
    return env


def run_pg_tool(tool: str, args: list[str]) -> None:
    exe = shutil.which(tool)
    if exe is None:
        raise BackupError(
            f"找不到 {tool}：请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client）"
        )
    result = subprocess.run(
        [exe, "--no-password", *args], env=pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = " ".join(result.stderr.strip().splitlines()[-3:]) or f"退出码 {result.returncode}"
        raise BackupError(f"{tool} 失败：{detail}")


def postgres_relations() -> int:
    """How many tables, views and sequences the configured PostgreSQL database holds outside the system."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND left(n.nspname, 8) <> 'pg_toast' "
            "AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
        )
        return int(cursor.fetchone()[0])


def pg_restore(dump: Path) -> None:
    name = str(connection.settings_dict.get("NAME") or "")
    # One transaction: a dump that fails halfway leaves the database as empty as it was.
    run_pg_tool(
        "pg_restore",
        [
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={name}",
            str(dump),
        ],
    )
