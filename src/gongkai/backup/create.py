"""`gongkai backup`: one archive with a consistent database snapshot and every stored file.

Safe while the server runs, because of the order of writes the services keep: a file is stored before
the row that names it commits, and deleted only after the row's removal commits, so a file a row names
is complete and never changes. The backup goes:

1. the files the live database names are copied (this is the long part; the server writes on);
2. the snapshot is opened while writers are held back for a moment (``database.open_snapshot``), and the
   files its rows name that step 1 did not copy (uploads since) are copied before the writers go on:
   so no removal can delete a file the snapshot names before it is in the archive;
3. the snapshot is written to the archive, then every other file on disk (files no row names yet,
   harmless in a restore).

A row of the snapshot whose file is not on disk while writers are held back is a lost file: the backup
stops and says so rather than write an archive that restores a case without its scans.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

from django.utils import timezone

from gongkai.backup.archive import (
    MEDIA_DIR,
    QUIET,
    ArchiveWriter,
    BackupError,
    Manifest,
    Member,
    Progress,
    human_size,
)
from gongkai.backup.database import Reference, live_references, media_root, open_snapshot


@dataclass
class BackupResult:
    archive: Path
    size: int
    sha256: str
    manifest: Manifest
    referenced: int  # files named by rows of the snapshot
    warnings: list[str] = field(default_factory=list)


def gongkai_version() -> str:
    try:
        return version("gongkai")
    except PackageNotFoundError:
        return "unknown"


def create_backup(target: Path, *, progress: Progress = QUIET) -> BackupResult:
    """Write the backup archive ``target`` (gzip tar; plain tar if the name ends in ``.tar``).

    The archive appears under its name only when complete. Raises ``BackupError`` with the reason.
    """
    target = target.absolute()
    media = media_root().resolve()
    if target.resolve() == media or media in target.resolve().parents:
        raise BackupError(f"归档不能写在 MEDIA_ROOT（{media}）之内：它会把自己也备份进去")
    if target.is_dir():
        raise BackupError(f"{target} 是目录：请给出归档文件名，例如 {target / 'gongkai-backup.tar.gz'}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".gongkai-backup-") as work:
        writer = ArchiveWriter(target, spool_dir=Path(work))
        try:
            manifest, referenced, warnings = _write(writer, Path(work), progress)
            size, sha256 = writer.commit()
        except BaseException:
            writer.abort()
            raise
    return BackupResult(target, size, sha256, manifest, referenced, warnings)


def _write(writer: ArchiveWriter, work: Path, progress: Progress) -> tuple[Manifest, int, list[str]]:
    created_at = timezone.localtime().isoformat(timespec="seconds")
    added: dict[str, Member] = {}
    named_now = live_references()
    progress.say(f"正在备份记录引用的 {len(named_now):,} 个存储文件……")
    _add_files(writer, sorted(named_now), added, progress)
    progress.say("正在建立数据库快照……")
    with open_snapshot() as snap:
        _add_files(writer, sorted(set(snap.references) - set(added)), added, progress)
        lost = sorted(set(snap.references) - set(added))
        if lost:
            _refuse_lost(snap.references, lost)
        snap.release_writers()
        dumped = work / snap.member.rsplit("/", 1)[-1]
        snap.dump(dumped)
    progress.say(f"数据库快照（{snap.engine}）：{human_size(dumped.stat().st_size)}")
    with dumped.open("rb") as db:
        writer.add_file(snap.member, db, mtime=os.fstat(db.fileno()).st_mtime)
    dumped.unlink()
    on_disk, warnings = _stored_files(media_root())
    _add_files(writer, [rel for rel in on_disk if rel not in added], added, progress)
    warnings += _sha_mismatches(snap.references, added)
    progress.say(f"已备份 {len(added):,} 个存储文件（{human_size(sum(m.size for m in added.values()))}）")
    manifest = Manifest(
        created_at=created_at,
        gongkai_version=gongkai_version(),
        engine=snap.engine,
        database_member=snap.member,
        migrations=snap.migrations,
        members=list(writer.members),
    )
    writer.add_manifest(manifest)
    return manifest, len(snap.references), warnings


def _stored_files(media: Path) -> tuple[list[str], list[str]]:
    """Every regular file under MEDIA_ROOT (paths relative to it), and warnings for what is skipped."""
    files: list[str] = []
    warnings: list[str] = []
    for dirpath, dirnames, filenames in os.walk(media):
        here = Path(dirpath)
        for name in sorted(dirnames + filenames):
            path = here / name
            if path.is_symlink():
                warnings.append(f"跳过符号链接 {path}：备份只收存储文件本身")
            elif name in filenames and path.is_file():
                files.append(PurePosixPath(path.relative_to(media)).as_posix())
    return sorted(files), warnings


def _add_files(writer: ArchiveWriter, files: list[str], added: dict[str, Member], progress: Progress) -> None:
    for rel in files:
        try:
            source = (media_root() / rel).open("rb")
        except FileNotFoundError:
            continue  # removed meanwhile; if the snapshot still names it, it is lost
        with source:
            added[rel] = writer.add_file(
                f"{MEDIA_DIR}/{rel}", source, mtime=os.fstat(source.fileno()).st_mtime
            )
        progress.update(lambda: f"  已备份 {len(added):,} 个文件（归档已写 {human_size(writer.written)}）")


def _sha_mismatches(refs: dict[str, Reference], added: dict[str, Member]) -> list[str]:
    return [
        f"存储文件 {MEDIA_DIR}/{rel} 的 SHA-256 与记录（{ref.where}）不符，文件可能已损坏；已按现状备份"
        for rel, ref in sorted(refs.items())
        if ref.sha256 and rel in added and added[rel].sha256 != ref.sha256
    ]


def _refuse_lost(refs: dict[str, Reference], lost: list[str]) -> None:
    listed = "；".join(f"{refs[rel].where} → {MEDIA_DIR}/{rel}" for rel in lost[:5])
    more = f" 等 {len(lost)} 个" if len(lost) > 5 else ""
    raise BackupError(
        f"数据库记录引用的存储文件不存在：{listed}{more}。备份已中止（恢复出的数据会缺少这些文件），"
        "请先查明文件为何丢失"
    )
