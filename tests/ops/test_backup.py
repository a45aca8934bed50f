"""`gongkai backup` / `gongkai restore` on SQLite: round trip, a backup taken during writes, damaged and
hostile archives, a non-empty target, older and newer archives. Every command runs as the real CLI in
its own process against its own GONGKAI_HOME; the data is written through the services by
``backup_ledger.py``, a process of its own too."""

from __future__ import annotations

import json
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gongkai.backup.archive import ArchiveRejected, member_problem, read_archive
from ops.backup_support import (
    Entry,
    Site,
    assert_restored_everything_committed,
    backup_during_writes,
    entries,
    manifest_of,
    member,
    rebuild,
    with_manifest,
    write_archive,
)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Path, dict[str, Any]]:
    """A site with an office, applications with ID scans and a draft with attachments; its backup."""
    site = Site(tmp_path_factory.mktemp("source") / "home")
    site.ledger("setup")
    archive = site.home.parent / "backup.tar.gz"
    done = site.gongkai("backup", str(archive))
    assert done.returncode == 0, done.stderr
    return site, archive, site.dump()


def fresh(tmp_path: Path, name: str = "restored") -> Site:
    return Site(tmp_path / name / "home")


def test_round_trip_restores_every_case_file_and_audit_row(source: Any, tmp_path: Path) -> None:
    site, archive, before = source
    assert before["cases"] and before["scans"] and before["attachments"] and before["audit"]
    target = fresh(tmp_path)
    done = target.gongkai("restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert "已恢复" in done.stdout and f"{len(site.media_files())} 个存储文件" in done.stdout
    assert "正在校验" in done.stderr  # progress goes to stderr
    after = target.dump()
    assert after == before  # cases, scan and attachment rows, audit rows, migrations, file sums on disk
    assert target.media_files() == site.media_files()  # every stored file, byte for byte


def test_backup_output_and_manifest(source: Any) -> None:
    site, archive, _ = source
    items = entries(archive)
    names = [info.name for info, _ in items]
    assert names[-1] == "manifest.json" and "database/gongkai.sqlite3" in names
    manifest = manifest_of(items)
    assert manifest["format"] == "gongkai-backup" and manifest["format_version"] == 1
    assert manifest["engine"] == "sqlite" and manifest["gongkai_version"]
    assert "0001_initial" in manifest["migrations"]["core"]
    listed = {m["name"]: m for m in manifest["members"]}
    assert set(listed) == set(names) - {"manifest.json"}
    for rel, data in site.media_files().items():
        assert listed[f"media/{rel}"]["size"] == len(data)
    for info, _ in items:
        assert info.isreg() and info.mode == 0o600


def test_check_verifies_without_writing(source: Any, tmp_path: Path) -> None:
    _, archive, _ = source
    target = fresh(tmp_path)
    done = target.gongkai("restore", "--check", str(archive))
    assert done.returncode == 0, done.stderr
    assert "归档校验通过" in done.stdout and "与本程序的数据库结构一致" in done.stdout
    assert not target.has_data()


def test_restore_refuses_a_home_that_has_data(source: Any, tmp_path: Path) -> None:
    site, archive, _ = source
    done = site.gongkai("restore", str(archive))  # the source itself
    assert done.returncode == 2
    assert "不是空的" in done.stderr and "已有数据库文件" in done.stderr and "个存储文件" in done.stderr

    only_files = fresh(tmp_path)
    (only_files.media / "private").mkdir(parents=True)
    (only_files.media / "private" / "left.pdf").write_bytes(b"%PDF-1.4 left over")
    done = only_files.gongkai("restore", str(archive))
    assert done.returncode == 2 and "MEDIA_ROOT" in done.stderr and "1 个存储文件" in done.stderr
    assert not (only_files.home / "gongkai.sqlite3").exists()


def test_backup_refuses_to_overwrite_or_to_write_into_media(source: Any) -> None:
    site, archive, _ = source
    done = site.gongkai("backup", str(archive))
    assert done.returncode == 2 and "已存在" in done.stderr and "--force" in done.stderr
    done = site.gongkai("backup", "-q", str(site.media / "b.tar.gz"))
    assert done.returncode == 2 and "MEDIA_ROOT" in done.stderr
    assert not (site.media / "b.tar.gz").exists()


def test_backup_stops_when_a_file_named_by_a_row_is_lost(tmp_path: Path) -> None:
    site = fresh(tmp_path, "lossy")
    site.ledger("setup")
    scan = site.dump()["scans"][0]["storage_name"]
    (site.media / "private" / scan).unlink()
    archive = tmp_path / "out" / "b.tar.gz"
    done = site.gongkai("backup", str(archive))
    assert done.returncode == 2
    assert (
        "数据库记录引用的存储文件不存在" in done.stderr
        and "portal_applicationscan.storage_name" in done.stderr
    )
    assert scan in done.stderr
    assert list(archive.parent.iterdir()) == []  # no archive, no half-written temporary file


def test_backup_taken_during_writes_restores_everything_committed_before_it(tmp_path: Path) -> None:
    site = fresh(tmp_path, "busy")
    site.ledger("setup")
    backup_during_writes(site, tmp_path / "busy.tar.gz")
    target = fresh(tmp_path)
    done = target.gongkai("restore", str(tmp_path / "busy.tar.gz"))
    assert done.returncode == 0, done.stderr
    assert_restored_everything_committed(site.committed_before_backup, target.dump())


def test_snapshot_holds_writers_back_until_its_files_are_copied(source: Any, tmp_path: Path) -> None:
    site, _, _ = source
    probe = json.loads(site.ledger("lockprobe", str(tmp_path)))
    assert probe == {"during": "blocked", "after": "written", "dumped": True}


def test_an_older_archive_is_migrated_after_the_restore(tmp_path: Path) -> None:
    site = fresh(tmp_path, "old")
    site.ledger("setup", "old")
    archive = tmp_path / "old.tar.gz"
    assert site.gongkai("backup", "-q", str(archive)).returncode == 0
    target = fresh(tmp_path)
    check = target.gongkai("restore", "--check", str(archive))
    assert check.returncode == 0 and "恢复后将执行 1 个新迁移（portal.0002_default_pages）" in check.stdout
    done = target.gongkai("restore", "-q", str(archive))
    assert done.returncode == 0, done.stderr
    assert "已执行 1 个新迁移" in done.stdout and done.stderr == ""
    assert "portal.0002_default_pages" in target.dump()["migrations"]


def test_a_newer_archive_is_refused(source: Any, tmp_path: Path) -> None:
    _, archive, _ = source

    def from_the_future(items: list[Entry]) -> list[Entry]:
        manifest = manifest_of(items)
        manifest["migrations"]["core"].append("0099_from_the_future")
        manifest["gongkai_version"] = "9.0"
        return with_manifest(items, manifest)

    newer = rebuild(archive, tmp_path / "newer.tar.gz", from_the_future)
    target = fresh(tmp_path)
    check = target.gongkai("restore", "--check", str(newer))
    assert (
        check.returncode == 1
        and "备份比本程序新" in check.stdout
        and "core.0099_from_the_future" in check.stdout
    )
    done = target.gongkai("restore", str(newer))
    assert done.returncode == 2
    assert "较新版本的 gongkai（9.0）" in done.stderr and "core.0099_from_the_future" in done.stderr
    assert not target.has_data()


# -- damaged and hostile archives ------------------------------------------------------------------


def _first_file(items: list[Entry]) -> str:
    return next(info.name for info, _ in items if info.name.startswith("media/"))


def _flip_in(name: str) -> Callable[[list[Entry]], list[Entry]]:
    def edit(items: list[Entry]) -> list[Entry]:
        return [(i, bytes([d[0] ^ 0xFF]) + d[1:] if i.name == name else d) for i, d in items]

    return edit


def _drop(name: str) -> Callable[[list[Entry]], list[Entry]]:
    return lambda items: [(i, d) for i, d in items if i.name != name]


def _insert(extra: Entry) -> Callable[[list[Entry]], list[Entry]]:
    return lambda items: [extra, *items]


HOSTILE: dict[str, tuple[Callable[[str], Callable[[list[Entry]], list[Entry]]], str]] = {
    # name: (edit made from the name of the archive's first stored file, expected reason)
    "tampered file": (_flip_in, "的 SHA-256 校验失败，文件已损坏或被篡改"),
    "missing file": (_drop, "缺少成员 {first}"),
    "no manifest": (lambda first: _drop("manifest.json"), "没有 manifest.json"),
    "extra file": (lambda first: _insert(member("media/private/extra.pdf", b"x")), "不在 manifest.json 中"),
    "traversal": (lambda first: _insert(member("media/../../evil.txt", b"x")), "路径含“..”"),
    "absolute path": (lambda first: _insert(member("/tmp/gongkai-evil.txt", b"x")), "是绝对路径"),
    "symlink": (
        lambda first: _insert(member("media/private/passwd", kind=tarfile.SYMTYPE, link="/etc/passwd")),
        "是链接",
    ),
    "hard link": (
        lambda first: _insert(member("media/private/hard", kind=tarfile.LNKTYPE, link="/etc/passwd")),
        "是链接",
    ),
    "device": (lambda first: _insert(member("media/private/dev", kind=tarfile.CHRTYPE)), "不是普通文件"),
    "outside the layout": (
        lambda first: _insert(member("secret_key", b"k")),
        "不在 database/ 或 media/ 之下",
    ),
    "duplicate": (lambda first: lambda items: [items[1], *items], "重复出现"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_damaged_or_hostile_archive_is_refused_naming_the_member(
    source: Any, tmp_path: Path, case: str
) -> None:
    _, archive, _ = source
    first = _first_file(entries(archive))
    make_edit, reason = HOSTILE[case]
    bad = rebuild(archive, tmp_path / "bad.tar.gz", make_edit(first))
    with pytest.raises(ArchiveRejected) as refused:
        read_archive(bad, extract_to=tmp_path / "out")
    assert reason.format(first=first) in str(refused.value)
    if case in ("tampered file", "missing file"):
        assert first in str(refused.value)
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/gongkai-evil.txt").exists()


def test_restore_of_a_hostile_archive_writes_nothing(source: Any, tmp_path: Path) -> None:
    _, archive, _ = source
    bad = rebuild(
        archive, tmp_path / "bad.tar.gz", lambda items: [*items[:-1], member("media/../../evil"), items[-1]]
    )
    target = fresh(tmp_path)
    done = target.gongkai("restore", str(bad))
    assert done.returncode == 2 and "拒绝恢复" in done.stderr and "media/../../evil" in done.stderr
    assert not target.has_data() and not (tmp_path / "evil").exists()
    assert not list(target.home.glob(".restore-*"))


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "not a tar", "foreign tar"])
def test_damaged_archive_is_refused_by_the_command(source: Any, tmp_path: Path, damage: str) -> None:
    _, archive, _ = source
    data = archive.read_bytes()
    bad = tmp_path / "bad.tar.gz"
    if damage == "flipped byte":
        middle = len(data) // 2
        bad.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :])
        reason = ("已损坏", "校验失败")
    elif damage == "truncated":
        bad.write_bytes(data[: len(data) * 2 // 3])
        reason = ("归档已损坏或不完整",)
    elif damage == "not a tar":
        bad.write_bytes(b"PK\x03\x04 this is a zip file, not a backup" * 100)
        reason = ("无法作为 tar 归档读取",)
    else:
        write_archive(bad, [member("media/photo.jpg", b"\xff\xd8\xff"), member("database/x.sql", b"select")])
        reason = ("没有 manifest.json", "不是 gongkai 备份")
    target = fresh(tmp_path)
    done = target.gongkai("restore", str(bad))
    assert done.returncode == 2, done.stdout
    assert any(r in done.stderr for r in reason), done.stderr
    assert not target.has_data() and not list(target.home.glob(".restore-*"))


def test_manifest_from_a_newer_format_is_refused(source: Any, tmp_path: Path) -> None:
    _, archive, _ = source

    def newer_format(items: list[Entry]) -> list[Entry]:
        manifest = manifest_of(items)
        manifest["format_version"] = 2
        return with_manifest(items, manifest)

    with pytest.raises(ArchiveRejected, match="备份格式版本 2 比本程序支持的版本 1 新"):
        read_archive(rebuild(archive, tmp_path / "v2.tar.gz", newer_format))


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("media/private/a.jpg", None),
        ("database/gongkai.sqlite3", None),
        ("manifest.json", None),
        ("media/../x", "“..”"),
        ("../x", "“..”"),
        ("/etc/passwd", "绝对路径"),
        ("C:/x", "绝对路径"),
        ("media\\..\\x", "反斜杠"),
        ("media//x", "空段"),
        ("media/./x", "空段"),
        ("media", "不在"),
        ("home/secret_key", "不在"),
        ("media/a\nb", "控制字符"),
    ],
)
def test_member_names(name: str, problem: str | None) -> None:
    found = member_problem(name)
    assert (found is None) if problem is None else (found is not None and problem in found)
