"""The demo database of `gongkai demo`: an office modelled on 东花市街道, its 2019 ledger (whose annual
report reproduces the seed's published figures) and a current-year ledger with work in every state.

``build_demo`` migrates the configured database, seeds the working-day calendar and builds everything
through the services. It rebuilds a database that an earlier demo built, and refuses to touch one that
holds anything else.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from gongkai.core.audit_verbs import AuditVerb
from gongkai.core.models import AuditEvent
from gongkai.core.selectors import calendar_from_db, invalidate_calendar_cache
from gongkai.core.services import record_event, seed_calendar
from gongkai.demo_ledger.current import build_current_year
from gongkai.demo_ledger.grid import build_grid
from gongkai.demo_ledger.ledger_2019 import build_2019
from gongkai.demo_ledger.office import DEMO_PASSWORD, build_office, logins, usernames
from gongkai.demo_ledger.participation import build_participation
from gongkai.demo_ledger.reports import draft_current, publish_2019
from gongkai.demo_ledger.responsiveness import build_current_responsiveness
from gongkai.org.accounts import demo_accounts_mark
from gongkai.org.models import Organisation

__all__ = ["DEMO_PASSWORD", "DemoRefused", "build_demo", "build_ledgers", "logins", "print_logins"]

DEMO_VERB = AuditVerb.DEMO_BUILD


class DemoRefused(Exception):
    """The configured database holds data that the demo did not create; nothing was changed."""


def _database_name() -> str:
    return str(connection.settings_dict.get("NAME") or "")


def _prepare_database(progress: Callable[[str], None]) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    if not Organisation.objects.exists():
        return
    if not AuditEvent.objects.filter(verb=DEMO_VERB).exists():
        raise DemoRefused(
            f"数据库 {_database_name()} 中已有本机关的数据，演示不会覆盖它。"
            "请把 GONGKAI_HOME 指向一个新目录（或设置另一个 DATABASE_URL）后再运行 gongkai demo"
        )
    progress("清空上次演示建立的数据……")
    call_command("flush", interactive=False, verbosity=0)
    # The files of the flushed rows (attachments, ID scans) belonged to the demo too.
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "private", ignore_errors=True)
    invalidate_calendar_cache()


def build_ledgers(
    *, today: dt.date | None = None, progress: Callable[[str], None] = lambda line: None
) -> None:
    """The office, both ledgers and the report records, in one transaction (on an empty, migrated database)."""
    today = today or timezone.localdate()
    started = time.monotonic()
    seed_calendar()
    cal = calendar_from_db()
    # The current year's cases are placed with the working-day calendar, a month or two back from today.
    missing = [y for y in sorted({2019, today.year - 1, today.year}) if y not in cal.known_years]
    if missing:
        years = "、".join(str(y) for y in missing)
        raise DemoRefused(
            f"工作日历中没有 {years} 年的放假安排，无法按工作日安排演示案件："
            f"请在管理后台“工作日历”中录入 {years} 年放假安排后再运行 gongkai demo"
        )
    with transaction.atomic():
        office = build_office()
        progress(f"已建立演示机关：{office.organisation.name}（{len(office.departments)} 个科室）")
        build_2019(office, cal)
        progress(
            "已按业务流程录入 2019 年台账（主动公开、渠道发布、政策解读、档案移送、采购、申请、复议、"
            "热点回应、督查督办、区长信箱、五方联席会）"
        )
        record = publish_2019(office)
        progress(f"2019 年度报告已起草、报送，并于 {record.published_on:%Y年%-m月%-d日} 发布")
        build_current_year(office, cal, today)
        build_current_responsiveness(office, cal, today)
        build_participation(office.clerk, today)
        progress(
            f"已录入 {today.year} 年台账：各办理状态的申请、各审核状态的主动公开信息；热点回应、督查督办、五方联席会；微网格投票、民意征集、网上课堂、便民服务网点、微循环交通"
        )
        draft_current(office, today.year)
        record_event(
            actor=None, verb=DEMO_VERB, obj=office.organisation, after={"built_on": today, "as_of": today}
        )
    progress(f"演示数据已建立（用时 {time.monotonic() - started:.0f} 秒），数据库：{_database_name()}")


def build_demo(
    *, today: dt.date | None = None, progress: Callable[[str], None] = print
) -> list[tuple[str, str, str, str]]:
    _prepare_database(progress)
    build_ledgers(today=today, progress=progress)
    # Outside the ledgers' transaction: the 随手拍 go out to a local receiver as `gongkai tick` sends them.
    build_grid(today=today or timezone.localdate(), progress=progress)
    # A visitor tries every role with the printed password and no authenticator app; outside the demo the
    # same accounts would have to change it and enrol (org.accounts.demo_exempt).
    demo_accounts_mark(actor=None, users=list(get_user_model().objects.filter(username__in=usernames())))
    return logins()


def print_logins(rows: list[tuple[str, str, str, str]], *, port: int = 8000) -> None:
    from rich.table import Table

    from gongkai.annual_report.findings_output import console

    table = Table(title=f"演示账号（密码均为 {DEMO_PASSWORD}）")
    for header in ("用户名", "姓名", "角色", "科室"):
        table.add_column(header, no_wrap=True)
    for row in rows:
        table.add_row(*row)
    out = console()
    out.print(table)
    out.print(
        "演示账号免首次修改密码和二次验证（GONGKAI_PRODUCTION=1 时不生效）；"
        "如想体验二次验证，可登录后点“二次验证”绑定手机上的验证器。"
    )
    out.print(f"登录：http://127.0.0.1:{port}/accounts/login/")
