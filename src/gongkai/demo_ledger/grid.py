"""The current year's 随手拍 in the demo: a few reports in every state, forwarded for real.

A ``DemoReceiver`` (a thread of this process on 127.0.0.1) plays the grid platform and the 96010 hotline
while the demo builds: the reports go out through the outbox exactly as `gongkai tick` sends them (signed
webhooks, idempotency keys), one of them is refused and lands in the dead-letter list, and the receivers'
later statuses are recorded through the same service the signed callback endpoint calls. The last report
is filed after the receiver has stopped, so it waits (等待发送) as it would with no receiver configured.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from gongkai.core.files import JPEG, validate_file
from gongkai.core.services import drain_outbox
from gongkai.demo_ledger.grid_receiver import DemoReceiver
from gongkai.grid.forward import HANDLERS
from gongkai.grid.models import Report
from gongkai.grid.services import forward_key, receiver_status, report_submit

__all__ = ["build_grid"]


@dataclass(frozen=True)
class Spec:
    category: str
    place: str
    description: str
    days_ago: int
    then: str = ""  # the receivers' later status: processing / resolved / rejected
    note: str = ""
    colour: tuple[int, int, int] = (120, 120, 120)


SPECS = (
    Spec(
        "road",
        "东花市北里东区南门外人行道",
        "人行道地砖松动翘起，老人容易绊倒",
        40,
        "resolved",
        "已更换地砖",
        (150, 140, 130),
    ),
    Spec(
        "sanitation",
        "东花市南里 3 号楼北侧",
        "垃圾桶满溢，周边有散落垃圾",
        21,
        "processing",
        "已派环卫班组",
        (90, 130, 80),
    ),
    Spec(
        "parking",
        "广渠门内大街 12 号门前",
        "机动车长期占用盲道",
        12,
        "rejected",
        "经核实为临时停靠，已劝离",
        (70, 90, 140),
    ),
    Spec("facility", "东花市公园西门", "健身器材螺丝脱落", 6, colour=(180, 120, 60)),
    Spec("greenery", "花市枣苑小区东侧绿地", "绿地内枯树有倒伏风险", 3, colour=(60, 150, 60)),
)
REFUSED = Spec("noise", "东花市斜街 8 号底商", "夜间施工噪声扰民", 2, colour=(110, 60, 110))
WAITING = Spec("other", "东花市北里西区 5 号楼前", "小区路灯连续多日不亮", 0, colour=(40, 40, 60))


def _photo(colour: tuple[int, int, int]) -> SimpleUploadedFile:
    img = Image.new("RGB", (480, 360), colour)
    ImageDraw.Draw(img).rectangle((120, 90, 360, 270), outline=(255, 255, 255), width=6)
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile("现场.jpg", out.getvalue(), "image/jpeg")


def _file(spec: Spec, now: dt.datetime, n: int) -> Report:
    report = report_submit(
        category=spec.category,
        place=spec.place,
        description=spec.description,
        latitude=Decimal("39.8890") + Decimal(n) / 1000,
        longitude=Decimal("116.4330") + Decimal(n) / 1000,
        location_confirmed=True,
        name="演示居民" if n % 2 else "",
        phone=f"1391234{5670 + n}" if n % 2 else "",
        photo=validate_file(_photo(spec.colour), accept=(JPEG,), cap=10 << 20),
    )
    when = max(now - dt.timedelta(days=spec.days_ago), now.replace(month=1, day=1, hour=9))
    Report.objects.filter(pk=report.pk).update(submitted_at=when)
    return report


def build_grid(*, today: dt.date, progress: Callable[[str], None] = lambda line: None) -> list[Report]:
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(10, 0)))
    receiver = DemoReceiver()
    with receiver.running():
        reports = [_file(spec, now, n) for n, spec in enumerate(SPECS)]
        refused = _file(REFUSED, now, len(SPECS))
        receiver.refuse.add(refused.tracking_number)
        result = drain_outbox(HANDLERS)
        for report, spec in zip(reports, SPECS, strict=True):
            if spec.then:
                key = forward_key(report.pk, "grid")
                receiver_status(actor=None, receiver="grid", key=key, status=spec.then, note=spec.note)
    waiting = _file(WAITING, now, len(SPECS) + 1)
    progress(
        f"已录入 {len(SPECS) + 2} 条随手拍：{len(result.sent)} 次转送经演示用本地接收端（127.0.0.1）送达，"
        f"{len(result.dead)} 次被拒收转入死信，1 条待转送"
    )
    return [*reports, refused, waiting]
