"""A ledger process for the backup tests, run as its own program against the environment it is given
(``GONGKAI_HOME``, ``DATABASE_URL``), like the server a backup runs beside.

    python backup_ledger.py setup [old]      migrate; an office, staff, online applications with ID scans,
                                             a draft with attachments (everything through the services);
                                             with "old", then unapply portal's last migration, as a
                                             database of an older gongkai would lack it
    python backup_ledger.py write LOG STOP   keep filing applications with scans (and adding and removing
                                             draft attachments) until the file STOP exists; after each
                                             commit append the case's reference to LOG
    python backup_ledger.py lockprobe        print JSON: whether another connection could write while a backup
                                             snapshot holds writers back, and after it let them go
    python backup_ledger.py dump             print JSON: cases, scans, attachments, audit rows, applied
                                             migrations, and the SHA-256 of every referenced file on disk
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

PASSWORD = "x-Long-enough-1"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()


def _jpeg(seed: int) -> bytes:
    from PIL import Image

    # Noise, so that every scan's bytes differ and a mixed-up file cannot pass for another.
    rnd = random.Random(seed)
    img = Image.frombytes("RGB", (48, 32), bytes(rnd.getrandbits(8) for _ in range(48 * 32 * 3)))
    out = io.BytesIO()
    img.save(out, format="JPEG")
    return out.getvalue()


def _pdf(seed: int) -> bytes:
    body = f"BT /F1 12 Tf 20 20 Td (attachment {seed}) Tj ET".encode()
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]/Contents 4 0 R>>endobj\n"
        b"4 0 obj<</Length " + str(len(body)).encode() + b">>stream\n" + body + b"\nendstream endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _scan(seed: int) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.portal.uploads import validate_upload

    return validate_upload(SimpleUploadedFile(f"身份证{seed}.jpg", _jpeg(seed), content_type="image/jpeg"))


def _attachment(seed: int) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.publications.attachments import validate_attachment

    return validate_attachment(
        SimpleUploadedFile(f"附件{seed}.pdf", _pdf(seed), content_type="application/pdf")
    )


def _apply(seed: int) -> str:
    from gongkai.portal.services import application_submit

    submission = application_submit(
        applicant_type="natural_person",
        name=f"申请人{seed}",
        id_number="11010519491231002X",
        phone="13912345678",
        description=f"申请公开第 {seed} 号文件",
        form_of_provision="paper",
        scans=[_scan(seed * 2), _scan(seed * 2 + 1)],
    )
    return submission.tracking_number


def _drafter() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="drafter")


def _draft() -> Any:
    from gongkai.publications.models import Publication

    return Publication.objects.get(title="备份测试草稿")


def setup(old: bool) -> None:
    from django.core.management import call_command

    from gongkai.core.choices import Art20Category, OrganisationKind
    from gongkai.org.roles import Role
    from gongkai.org.services import department_create, organisation_set, staff_create
    from gongkai.publications.services import attachment_add, publication_create

    call_command("migrate", interactive=False, verbosity=0)
    org = organisation_set(actor=None, name="备份测试街道办事处", kind=OrganisationKind.SUBDISTRICT)
    dept = department_create(actor=None, organisation=org, name="党政办公室")
    drafter = staff_create(
        actor=None,
        username="drafter",
        password=PASSWORD,
        full_name="孙科员",
        roles=[Role.DEPT_STAFF],
        department=dept,
    )
    pub = publication_create(
        actor=drafter,
        title="备份测试草稿",
        category=Art20Category.ART20_1,
        department=dept,
        formed_on=dt.date(2024, 5, 6),
    )
    for seed in (1, 2):
        attachment_add(actor=drafter, publication=pub, upload=_attachment(seed), title=f"附件{seed}")
    for seed in range(1, 4):
        _apply(seed)
    if old:
        call_command("migrate", "portal", "0001_initial", interactive=False, verbosity=0)


def write(log: Path, stop: Path) -> None:
    from gongkai.publications.services import attachment_add, attachment_remove

    drafter, pub = _drafter(), _draft()
    seed = 1000
    with log.open("a", encoding="utf-8") as out:
        while not stop.exists():
            seed += 1
            reference = _apply(seed)
            # Written after the commit: a reference in the log is a case that was committed before.
            out.write(reference + "\n")
            out.flush()
            if seed % 3 == 0:
                # Removing deletes the file once the removal commits: a backup must cope with a row in
                # its snapshot whose file is gone by the time the files are copied.
                oldest = pub.attachments.order_by("pk").first()
                attachment_add(actor=drafter, publication=pub, upload=_attachment(seed), title=f"附件{seed}")
                if oldest is not None:
                    attachment_remove(actor=drafter, attachment=oldest)


def _sha_on_disk(storage_name: str) -> str | None:
    from gongkai.core.files import private_storage

    path = Path(private_storage().path(storage_name))
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def dump() -> dict[str, Any]:
    from django.db.migrations.recorder import MigrationRecorder

    from gongkai.core.models import AuditEvent
    from gongkai.inforequests.models import InfoRequest
    from gongkai.portal.models import ApplicationScan
    from gongkai.publications.models import PublicationAttachment

    scans = list(ApplicationScan.objects.order_by("storage_name").values("storage_name", "sha256", "size"))
    attachments = list(
        PublicationAttachment.objects.order_by("storage_name").values("storage_name", "sha256", "title")
    )
    return {
        "cases": {
            r["reference"]: r
            for r in InfoRequest.objects.values(
                "pk", "reference", "applicant_name", "applicant_id_number", "description", "status"
            )
        },
        "scans": scans,
        "attachments": attachments,
        "audit": [
            [e.pk, e.verb, e.object_type, e.object_id, e.occurred_at.isoformat(), e.after]
            for e in AuditEvent.objects.order_by("pk")
        ],
        "migrations": sorted(f"{m.app}.{m.name}" for m in MigrationRecorder.Migration.objects.all()),
        "files_on_disk": {f["storage_name"]: _sha_on_disk(f["storage_name"]) for f in scans + attachments},
    }


def _try_write() -> str:
    """Whether a new connection (as the server's would be) can start writing the scans table now."""
    import sqlite3

    from django.db import connection

    if connection.vendor == "sqlite":
        conn = sqlite3.connect(connection.settings_dict["NAME"], timeout=0.5, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return "written"
        except sqlite3.OperationalError:
            return "blocked"
        finally:
            conn.close()
    import psycopg

    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.execute("SET lock_timeout = '500ms'")
        raw.execute('DELETE FROM "portal_applicationscan" WHERE false')
        return "written"
    except psycopg.errors.LockNotAvailable:
        return "blocked"
    finally:
        raw.rollback()
        raw.close()


def lockprobe(workdir: Path) -> dict[str, Any]:
    from gongkai.backup.database import open_snapshot

    with open_snapshot() as snap:
        during = _try_write()
        snap.release_writers()
        after = _try_write()
        snap.dump(workdir / "probe.dump")
    return {"during": during, "after": after, "dumped": (workdir / "probe.dump").stat().st_size > 0}


def main(argv: list[str]) -> int:
    _django()
    if argv[0] == "setup":
        setup(old=argv[1:] == ["old"])
    elif argv[0] == "write":
        write(Path(argv[1]), Path(argv[2]))
    elif argv[0] == "lockprobe":
        json.dump(lockprobe(Path(argv[1])), sys.stdout)
    elif argv[0] == "dump":
        json.dump(dump(), sys.stdout, ensure_ascii=False, default=str)
    else:
        raise SystemExit(f"unknown command {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
