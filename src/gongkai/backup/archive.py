"""The backup archive: a tar file (gzip-compressed unless its name ends in ``.tar``) holding

* ``database/gongkai.sqlite3`` (SQLite) or ``database/gongkai.pgdump`` (``pg_dump --format=custom``),
* ``media/…``: every stored file, at its path under ``MEDIA_ROOT``,
* ``manifest.json`` last: format and version, creation time, gongkai version, database engine, the
  applied Django migrations, and the size and SHA-256 of every other member.

The manifest comes last because it can only be written once every member has been read and hashed;
it also means an archive cut short anywhere lacks it. Reading checks everything before anything is
believed: names that could land outside the restore directory (absolute, ``..``), links and device
files, duplicates, members missing from or absent in the manifest, sizes and sums. This module knows
nothing of Django.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, TextIO, cast

FORMAT = "gongkai-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DIR, MEDIA_DIR = "database", "media"
ENGINES = ("sqlite", "postgresql")
CHUNK = 1024 * 1024
# The manifest lists one line per file; even a million files stay far below this.
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
# Files below this are staged in memory while they are hashed, larger ones in a temporary file.
SPOOL_BYTES = 16 * 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BackupError(Exception):
    """A backup or restore that cannot go on; ``str(error)`` is the reason, in Chinese."""


class ArchiveRejected(BackupError):
    """The archive is damaged, tampered with or not a gongkai backup; nothing was restored from it."""


def human_size(size: float) -> str:
    for unit in ("字节", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "字节" else f"{size:,.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


class Progress:
    """Progress lines for the operator: ``say`` always prints, ``update`` at most every ``interval`` s."""

    def __init__(self, out: TextIO | None, *, interval: float = 2.0) -> None:
        self._out = out
        self._interval = interval
        self._last = time.monotonic()

    def say(self, line: str) -> None:
        if self._out is not None:
            print(line, file=self._out, flush=True)
            self._last = time.monotonic()

    def update(self, line: Callable[[], str]) -> None:
        if self._out is not None and time.monotonic() - self._last >= self._interval:
            self.say(line())


QUIET = Progress(None)


@dataclass(frozen=True)
class Member:
    name: str
    size: int
    sha256: str


@dataclass
class Manifest:
    created_at: str
    gongkai_version: str
    engine: str
    database_member: str
    migrations: dict[str, list[str]]
    members: list[Member] = field(default_factory=list)

    @property
    def files(self) -> list[Member]:
        return [m for m in self.members if m.name.startswith(MEDIA_DIR + "/")]

    @property
    def size(self) -> int:
        return sum(m.size for m in self.members)

    def applied(self) -> set[tuple[str, str]]:
        return {(app, name) for app, names in self.migrations.items() for name in names}

    def to_json(self) -> bytes:
        data = {"format": FORMAT, "format_version": FORMAT_VERSION, **asdict(self)}
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ArchiveRejected(f"{MANIFEST} 无法解析（{exc}）：不是 gongkai 备份，或清单已损坏") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ArchiveRejected(f"{MANIFEST} 不是 gongkai 备份清单：这不是 gongkai backup 写出的归档")
        version = data.get("format_version")
        if not isinstance(version, int) or version < 1:
            raise ArchiveRejected(f"{MANIFEST} 的格式版本无效：{version!r}")
        if version > FORMAT_VERSION:
            raise ArchiveRejected(
                f"备份格式版本 {version} 比本程序支持的版本 {FORMAT_VERSION} 新：请先升级 gongkai 再恢复"
            )
        try:
            manifest = cls(
                created_at=str(data["created_at"]),
                gongkai_version=str(data["gongkai_version"]),
                engine=str(data["engine"]),
                database_member=str(data["database_member"]),
                migrations={str(a): [str(n) for n in names] for a, names in data["migrations"].items()},
                members=[Member(str(m["name"]), int(m["size"]), str(m["sha256"])) for m in data["members"]],
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ArchiveRejected(f"{MANIFEST} 缺少字段或字段无效（{exc!r}）：清单已损坏") from None
        manifest._validate()
        return manifest

    def _validate(self) -> None:
        if self.engine not in ENGINES:
            raise ArchiveRejected(f"{MANIFEST} 中的数据库类型 {self.engine!r} 无法识别")
        names = set()
        for m in self.members:
            problem = member_problem(m.name)
            if problem or m.name == MANIFEST:
                raise ArchiveRejected(
                    f"{MANIFEST} 列出的成员 {m.name!r} 无效：{problem or '清单不能列出自身'}"
                )
            if m.size < 0 or not _SHA256.match(m.sha256):
                raise ArchiveRejected(f"{MANIFEST} 中成员 {m.name} 的大小或 SHA-256 无效")
            if m.name in names:
                raise ArchiveRejected(f"{MANIFEST} 重复列出成员 {m.name}")
            names.add(m.name)
        if self.database_member not in names or not self.database_member.startswith(DATABASE_DIR + "/"):
            raise ArchiveRejected(f"{MANIFEST} 没有列出数据库快照（{self.database_member}）")


def member_problem(name: str) -> str | None:
    """Why ``name`` may not be a member of a backup (a path that could leave the restore directory,
    or one outside the layout), or None."""
    if name == MANIFEST:
        return None
    if not name or any(ord(c) < 32 for c in name) or "\\" in name:
        return "名称为空或含控制字符、反斜杠"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "是绝对路径，会写到恢复目录之外"
    parts = name.split("/")
    if ".." in parts:
        return "路径含“..”，会写到恢复目录之外"
    if any(p in ("", ".") for p in parts):
        return "路径含空段或“.”"
    if parts[0] not in (DATABASE_DIR, MEDIA_DIR) or len(parts) < 2:
        return f"不在 {DATABASE_DIR}/ 或 {MEDIA_DIR}/ 之下"
    return None


# -- writing ----------------------------------------------------------------------------------------


class _CountingHasher:
    """The file object tarfile writes to: passes bytes on while hashing and counting them."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.written = 0

    def write(self, data: bytes) -> int:
        self.raw.write(data)
        self.sha256.update(data)
        self.written += len(data)
        return len(data)

    def tell(self) -> int:
        return self.written

    def flush(self) -> None:
        self.raw.flush()


class ArchiveWriter:
    """Writes the archive to a temporary file beside ``target``; ``commit`` renames it into place, so a
    failed or interrupted backup never leaves a half-written archive under the real name."""

    def __init__(self, target: Path, *, spool_dir: Path) -> None:
        self.target = target
        self.spool_dir = spool_dir
        self.members: list[Member] = []
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        self._tmp = Path(tmp)
        self._raw = os.fdopen(fd, "wb")
        self._counter = _CountingHasher(self._raw)
        out = cast(IO[bytes], self._counter)  # all tarfile uses of a file object: write and tell
        compressed = not target.name.lower().endswith(".tar")
        # Closed by commit() or abort(), not by a with block: the writer outlives this call.
        if compressed:
            self._tar = tarfile.open(  # noqa: SIM115
                fileobj=out, mode="w:gz", format=tarfile.PAX_FORMAT, compresslevel=6
            )
        else:
            self._tar = tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT)  # noqa: SIM115

    @property
    def written(self) -> int:
        return self._counter.written

    def add_file(self, name: str, source: IO[bytes], *, mtime: float) -> Member:
        """Add a member from an open file. The bytes are staged (memory or a temporary file) while they
        are hashed, so the member's size and sum describe exactly the bytes stored, even if the source
        is still being written by someone else."""
        digest = hashlib.sha256()
        with tempfile.SpooledTemporaryFile(
            max_size=SPOOL_BYTES, mode="w+b", dir=str(self.spool_dir)
        ) as staged:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                staged.write(chunk)
            size = staged.tell()
            staged.seek(0)
            self._tar.addfile(_tarinfo(name, size, mtime), staged)
        member = Member(name, size, digest.hexdigest())
        self.members.append(member)
        return member

    def add_manifest(self, manifest: Manifest) -> None:
        data = manifest.to_json()
        self._tar.addfile(_tarinfo(MANIFEST, len(data), time.time()), _BytesReader(data))

    def commit(self) -> tuple[int, str]:
        """Finish, flush to disk and rename into place; returns the archive's size and SHA-256."""
        self._tar.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.replace(self._tmp, self.target)
        _fsync_dir(self.target.parent)
        return self._counter.written, self._counter.sha256.hexdigest()

    def abort(self) -> None:
        for close in (self._tar.close, self._raw.close):
            with contextlib.suppress(OSError, ValueError, tarfile.TarError):
                close()
        self._tmp.unlink(missing_ok=True)


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self._data, self._pos = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._pos + size
        chunk = self._data[self._pos : end]
        self._pos += len(chunk)
        return chunk


def _tarinfo(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o600
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- reading ----------------------------------------------------------------------------------------


def read_archive(path: Path, *, extract_to: Path | None = None, progress: Progress = QUIET) -> Manifest:
    """Read the whole archive and check it against its manifest; returns the manifest.

    With ``extract_to`` (an empty directory) every member is also written there under its own name;
    the caller must discard that directory if this raises. Raises ``ArchiveRejected`` naming the first
    bad member: unreadable or truncated data, a hostile name or type, a duplicate, a member the manifest
    does not list or one it lists that is missing, a wrong size or SHA-256.
    """
    if not path.is_file():
        raise ArchiveRejected(f"{path}：文件不存在")
    total = path.stat().st_size
    seen: dict[str, Member] = {}
    raw_manifest: bytes | None = None
    current = "（归档开头）"
    with path.open("rb") as raw:
        try:
            tar = tarfile.open(fileobj=raw, mode="r:*")  # noqa: SIM115 (closed by the with below)
        except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
            raise ArchiveRejected(
                f"{path}：无法作为 tar 归档读取（{exc}）：不是 gongkai 备份，或文件已损坏"
            ) from None
        try:
            with tar:
                for info in tar:
                    current = info.name
                    _check_member(info, seen, after_manifest=raw_manifest is not None)
                    source = tar.extractfile(info)
                    assert source is not None  # a regular file, checked above
                    if info.name == MANIFEST:
                        raw_manifest = _read_manifest(source, info.size)
                    else:
                        seen[info.name] = _read_member(source, info.name, extract_to)
                    progress.update(
                        lambda: f"  已读取 {len(seen):,} 个成员（{raw.tell() * 100 // max(total, 1)}%）"
                    )
                last, current = current, "（归档末尾）"
                # Read to the end of the compressed stream: gzip checks its CRC only there, so a changed
                # byte in a member's padding or after the end of the tar is caught too.
                while tar.fileobj is not None and tar.fileobj.read(CHUNK):
                    pass
        except BackupError:
            raise
        except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
            raise ArchiveRejected(f"归档已损坏或不完整：读取成员 {current} 时出错（{exc}）") from None
    if raw_manifest is None:
        raise ArchiveRejected(
            f"归档中没有 {MANIFEST}：不是 gongkai 备份，或归档被截断（最后读到的成员：{last}）"
        )
    manifest = Manifest.from_json(raw_manifest)
    _compare(manifest, seen)
    return manifest


def _check_member(info: tarfile.TarInfo, seen: dict[str, Member], *, after_manifest: bool) -> None:
    name = info.name
    problem = member_problem(name)
    if problem:
        raise ArchiveRejected(f"拒绝恢复：成员 {name!r} {problem}")
    if info.issym() or info.islnk():
        raise ArchiveRejected(f"拒绝恢复：成员 {name} 是链接（指向 {info.linkname!r}），备份中不应有链接")
    if not info.isreg():
        raise ArchiveRejected(f"拒绝恢复：成员 {name} 不是普通文件（目录、设备或管道），备份中不应有")
    if after_manifest:
        raise ArchiveRejected(f"拒绝恢复：{MANIFEST} 之后还有成员 {name}，归档被改动过")
    if name in seen:
        raise ArchiveRejected(f"拒绝恢复：成员 {name} 重复出现，归档被改动过")


def _read_manifest(source: IO[bytes], size: int) -> bytes:
    if size > MAX_MANIFEST_BYTES:
        raise ArchiveRejected(f"{MANIFEST} 过大（{human_size(size)}），不是 gongkai 备份清单")
    data = source.read()
    if len(data) != size:
        raise ArchiveRejected(f"{MANIFEST} 不完整：归档被截断")
    return data


def _read_member(source: IO[bytes], name: str, extract_to: Path | None) -> Member:
    digest = hashlib.sha256()
    size = 0
    out = _open_new(extract_to, name) if extract_to is not None else None
    try:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if out is not None:
                _write(out, chunk, extract_to, name)
    finally:
        if out is not None:
            out.close()
    return Member(name, size, digest.hexdigest())


def _write(out: IO[bytes], chunk: bytes, root: Path | None, name: str) -> None:
    try:
        out.write(chunk)
    except OSError as exc:  # our disk, not the archive: say so rather than call the archive damaged
        raise BackupError(f"无法写入恢复目录 {root}（{name}）：{exc}；磁盘空间是否已满？") from None


def _open_new(root: Path, name: str) -> IO[bytes]:
    dest = root.joinpath(*name.split("/"))
    # member_problem already refused "..", absolute paths and links; this guards the guard.
    if os.path.commonpath([root.resolve(), dest.parent.resolve()]) != str(root.resolve()):
        raise ArchiveRejected(f"拒绝恢复：成员 {name} 会写到恢复目录之外")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError as exc:
        raise BackupError(f"无法在恢复目录 {root} 中建立 {name}：{exc}") from None
    return os.fdopen(fd, "wb")


def _compare(manifest: Manifest, seen: dict[str, Member]) -> None:
    listed = {m.name: m for m in manifest.members}
    for name in seen:
        if name not in listed:
            raise ArchiveRejected(f"拒绝恢复：成员 {name} 不在 {MANIFEST} 中，归档被改动过")
    for expected in manifest.members:
        got = seen.get(expected.name)
        if got is None:
            raise ArchiveRejected(f"拒绝恢复：缺少成员 {expected.name}（{MANIFEST} 中列有），归档不完整")
        if got.size != expected.size:
            raise ArchiveRejected(
                f"拒绝恢复：成员 {expected.name} 的大小为 {got.size:,} 字节，清单记载 {expected.size:,} 字节"
            )
        if got.sha256 != expected.sha256:
            raise ArchiveRejected(f"拒绝恢复：成员 {expected.name} 的 SHA-256 校验失败，文件已损坏或被篡改")
