"""Uploaded files that no record refers to, removed by ``gongkai tick`` once they are old enough.

The write order is: the checked file is written (and flushed to disk) under a new random name first,
then the record that names it is committed; a failure in between deletes the file again. So a record
never names a missing file, and the only leftover is a file without a record — when the process is
killed between the two steps, or an enclosing transaction rolls back after the file was written. Those
files are what this sweeps: in each private folder an app declares, a file older than the grace period
(the longest a request could take between writing the file and committing its record, many times over)
whose name no row holds is deleted. Deleted, not kept aside: an orphan is usually an ID scan of an
application that was never filed, personal data with no case to justify keeping it.

An app declares its folders on its AppConfig, as ``private_folders = {"idscans":
("portal.ApplicationScan", "storage_name")}``: the folder under private storage, and the model and field
that hold the storage names of the files in it. Other folders are left alone.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.apps import apps

from gongkai.core.files import private_storage

GRACE = timedelta(hours=1)

log = logging.getLogger(__name__)


@dataclass
class Sweep:
    removed: list[str] = field(default_factory=list)
    kept_recent: int = 0


def _declared_folders() -> dict[str, list[tuple[str, str]]]:
    folders: dict[str, list[tuple[str, str]]] = {}
    for config in apps.get_app_configs():
        for folder, owner in (getattr(config, "private_folders", None) or {}).items():
            folders.setdefault(folder, []).append(owner)
    return folders


def _referenced(folder: str, owners: list[tuple[str, str]]) -> set[str]:
    names: set[str] = set()
    for model_label, field_name in owners:
        model = apps.get_model(model_label)
        rows = model._default_manager.filter(**{f"{field_name}__startswith": f"{folder}/"})
        names.update(rows.values_list(field_name, flat=True))
    return names


def sweep_orphan_uploads(*, grace: timedelta = GRACE) -> Sweep:
    """Delete the files of the declared private folders that no row names and that are older than ``grace``."""
    root = Path(private_storage().location)
    cutoff = time.time() - grace.total_seconds()
    result = Sweep()
    for folder, owners in _declared_folders().items():
        base = root / folder
        if not base.is_dir():
            continue
        # The names are read before the files are listed: a file whose row commits in between is new,
        # and the grace period keeps it.
        referenced = _referenced(folder, owners)
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            name = path.relative_to(root).as_posix()
            if name in referenced:
                continue
            if path.stat().st_mtime > cutoff:
                result.kept_recent += 1
                continue
            path.unlink(missing_ok=True)
            result.removed.append(name)
            log.info("removed orphan upload %s", name)
    return result
