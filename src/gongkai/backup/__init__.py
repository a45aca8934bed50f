"""Backup and restore of a gongkai installation (`gongkai backup` / `gongkai restore`).

One archive holds a consistent snapshot of the database (SQLite's online backup API, or ``pg_dump``
on PostgreSQL) and every stored file (ID scans, attachments), with a manifest of SHA-256 sums. A backup
is safe while the server runs; a restore goes only into an empty GONGKAI_HOME or database and checks the
whole archive before it writes anything. ``archive`` is the file format, ``database`` the snapshot and
the files its rows name, ``create`` and ``restore`` the two commands.
"""

from gongkai.backup.archive import ArchiveRejected, BackupError, Manifest, Progress, human_size
from gongkai.backup.create import BackupResult, create_backup
from gongkai.backup.restore import (
    Compatibility,
    RestoreRefused,
    RestoreResult,
    check_archive,
    restore_backup,
)

__all__ = [
    "ArchiveRejected",
    "BackupError",
    "BackupResult",
    "Compatibility",
    "Manifest",
    "Progress",
    "RestoreRefused",
    "RestoreResult",
    "check_archive",
    "create_backup",
    "human_size",
    "restore_backup",
]
