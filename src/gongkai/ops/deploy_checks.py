"""``gongkai check-deploy``: Django's ``check --deploy`` plus gongkai's own, each problem in Chinese with
what to do about it.

"必须修正" (error) makes the command exit non-zero; "建议修正" (warning) does not. Django's deployment
warnings count as errors here: a served site must not have any.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connection

ERROR, WARNING = "error", "warning"
ENV_FILE = "/etc/gongkai/gongkai.env"
BACKUP_MAX_AGE_HOURS = 48
ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.xz", ".tar.zst", ".tar.bz2", ".zip")
MIN_FREE_BYTES = 1024**3
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


@dataclass(frozen=True)
class Problem:
    level: str
    what: str
    fix: str
    code: str = ""  # Django's check id, for those that come from ``check --deploy``


_PRODUCTION_FIX = f"在 {ENV_FILE} 中设置 GONGKAI_PRODUCTION=1（见 deploy/gongkai.env.example）"
# Django's deployment check ids -> (what, how to fix) in Chinese.
DJANGO_CHECKS: dict[str, tuple[str, str]] = {
    "security.W004": ("未开启 HSTS（浏览器可能被诱导改用 HTTP 访问）", _PRODUCTION_FIX),
    "security.W008": ("未把 HTTP 请求重定向到 HTTPS", _PRODUCTION_FIX + "；nginx 也应把 80 端口转到 443"),
    "security.W009": (
        "密钥（GONGKAI_SECRET_KEY）过短或不够随机",
        "用 python3 -c 'import secrets; print(secrets.token_urlsafe(50))' 生成新密钥，"
        f"写入 {ENV_FILE} 的 GONGKAI_SECRET_KEY",
    ),
    "security.W012": ("会话 Cookie 未限定只经 HTTPS 发送", _PRODUCTION_FIX),
    "security.W016": ("CSRF Cookie 未限定只经 HTTPS 发送", _PRODUCTION_FIX),
    "security.W018": (
        "调试模式（DEBUG）开启：出错时会向访问者显示程序内部信息",
        f"去掉 {ENV_FILE} 中的 GONGKAI_DEBUG=1，启动时不要加 --debug",
    ),
    "security.W020": (
        "未设置允许访问的域名（ALLOWED_HOSTS）",
        f"在 {ENV_FILE} 中设置 GONGKAI_ALLOWED_HOSTS=本站域名（多个用逗号分隔）",
    ),
}
# What GONGKAI_PRODUCTION=1 alone fixes: listed once, under the production problem, when it is off.
FIXED_BY_PRODUCTION = {"security.W004", "security.W008", "security.W012", "security.W016"}


def django_problems() -> list[Problem]:
    """``manage.py check --deploy``: every message at warning level or above, silenced ones excepted."""
    out = []
    for message in checks.run_checks(include_deployment_checks=True):
        if message.level < checks.WARNING or message.is_silenced():
            continue
        what, fix = DJANGO_CHECKS.get(message.id or "", (None, None))
        if what is None:
            what = f"Django 检查 {message.id}：{message.msg}"
            fix = message.hint or "见 Django 文档中该检查项的说明"
        out.append(Problem(ERROR, what, fix or "", code=message.id or ""))
    if not settings.PRODUCTION:
        out = [p for p in out if p.code not in FIXED_BY_PRODUCTION]
    return out


def settings_problems(environ: Mapping[str, str]) -> list[Problem]:
    """``environ`` is the environment as the administrator set it, before ``gongkai serve`` filled gaps."""
    out = []
    if not settings.PRODUCTION:
        out.append(
            Problem(
                ERROR,
                "未开启生产模式：Cookie 未限定 HTTPS、无 HSTS、不重定向到 HTTPS、不信任 nginx 转发的协议头"
                f"（Django 检查 {'、'.join(sorted(FIXED_BY_PRODUCTION))}）",
                _PRODUCTION_FIX,
            )
        )
    out += _secret_key_problems(environ)
    hosts = {h.strip().lower() for h in (environ.get("GONGKAI_ALLOWED_HOSTS") or "").split(",") if h.strip()}
    if not hosts or hosts <= LOOPBACK_HOSTS:
        out.append(
            Problem(
                ERROR,
                "GONGKAI_ALLOWED_HOSTS 未设置或只有本机地址：公众经 nginx 访问的域名会被拒绝",
                f"在 {ENV_FILE} 中设置 GONGKAI_ALLOWED_HOSTS=本站域名，例如 gk.example.gov.cn",
            )
        )
    elif "*" in hosts:
        out.append(
            Problem(ERROR, "GONGKAI_ALLOWED_HOSTS 含 *：任何域名都会被接受", "只列出本站实际使用的域名")
        )
    if not (environ.get("GONGKAI_EMAIL_URL") or "").strip():
        out.append(
            Problem(
                ERROR,
                "未配置发信邮箱（GONGKAI_EMAIL_URL）：通知邮件和错误告警都发不出去",
                f"在 {ENV_FILE} 中设置 GONGKAI_EMAIL_URL 为本机关的发信服务器（写法见 README“部署”一节）",
            )
        )
    if not settings.ADMINS:
        out.append(
            Problem(
                WARNING,
                "未设置 GONGKAI_ADMINS：系统出错时没有人收到邮件",
                f"在 {ENV_FILE} 中设置 GONGKAI_ADMINS=姓名 <邮箱>（多人用逗号分隔）",
            )
        )
    return out


def _secret_key_problems(environ: Mapping[str, str]) -> list[Problem]:
    if (environ.get("GONGKAI_SECRET_KEY") or "").strip():
        return []  # its strength is Django's security.W009
    kept = Path(settings.GONGKAI_HOME) / "secret_key"
    if kept.exists() and kept.stat().st_mode & 0o077:
        return [Problem(ERROR, f"密钥文件 {kept} 其他用户可读", f"运行 chmod 600 {kept}")]
    return [
        Problem(
            WARNING,
            f"未设置 GONGKAI_SECRET_KEY：使用 {kept} 中保存的密钥",
            f"可以继续使用，但须随数据一同备份；或把密钥写入 {ENV_FILE} 的 GONGKAI_SECRET_KEY",
        )
    ]


def database_problems(today: dt.date) -> list[Problem]:
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return [
            Problem(ERROR, f"无法连接数据库：{exc}", "检查 DATABASE_URL（或 GONGKAI_HOME 下的 SQLite 文件）")
        ]
    if pending:
        return [
            Problem(
                ERROR,
                f"数据库有 {len(pending)} 个结构变更（迁移）尚未执行",
                "运行 python -m gongkai.config.manage migrate，再 systemctl reload gongkai",
            )
        ]
    return _organisation_problems() + calendar_problems(today)


def _organisation_problems() -> list[Problem]:
    from gongkai.org.selectors import current_organisation

    if current_organisation() is None:
        return [Problem(ERROR, "尚未录入本机关信息", "以管理员登录 /admin/，在“机关”中录入本机关名称和类型")]
    return []


def calendar_problems(today: dt.date) -> list[Problem]:
    """This year's 放假安排 must be there; next year's from December on (a case received then already has
    its deadline in January), and is worth keying in as soon as the State Council publishes it."""
    from gongkai.core.models import CalendarYear

    known = set(CalendarYear.objects.values_list("year", flat=True))
    out = []
    for year, level in ((today.year, ERROR), (today.year + 1, ERROR if today.month == 12 else WARNING)):
        if year not in known:
            out.append(
                Problem(
                    level,
                    f"工作日历缺少 {year} 年放假安排：涉及该年的法定期限无法计算",
                    f"国务院办公厅发布 {year} 年节假日安排后，由公开办在工作台“工作日历”中录入",
                )
            )
    return out


def storage_problems() -> list[Problem]:
    from gongkai.ops.health import storage_status

    out = []
    media = Path(settings.MEDIA_ROOT)
    status = storage_status(media)
    if status != "ok":
        out.append(
            Problem(ERROR, f"文件存储目录 {media} 无法写入：{status}", "检查该目录的属主、权限和磁盘空间")
        )
    try:
        free = shutil.disk_usage(media if media.exists() else settings.GONGKAI_HOME).free
    except OSError:
        free = None
    if free is not None and free < MIN_FREE_BYTES:
        out.append(
            Problem(
                WARNING,
                f"数据所在磁盘仅剩 {free // 1024**2} MB",
                "清理旧备份或扩容；磁盘写满后只能查阅、不能保存",
            )
        )
    if "file" not in settings.LOGGING.get("handlers", {}):
        out.append(
            Problem(
                WARNING,
                "日志目录不可写：错误只记录在 systemd 日志中",
                "检查 GONGKAI_LOG_DIR（默认 $GONGKAI_HOME/logs）",
            )
        )
    return out


def backup_problems(environ: Mapping[str, str], now: float | None = None) -> list[Problem]:
    """The newest archive in ``GONGKAI_BACKUP_DIR`` (what ``gongkai backup`` writes) must be recent."""
    folder = (environ.get("GONGKAI_BACKUP_DIR") or "").strip()
    schedule = "由 systemd 定时器或 cron 每天运行 gongkai backup"
    if not folder:
        return [
            Problem(
                ERROR,
                "未设置备份目录 GONGKAI_BACKUP_DIR：无法确认有备份",
                f"设置 GONGKAI_BACKUP_DIR，并{schedule}",
            )
        ]
    if not Path(folder).is_dir():
        return [Problem(ERROR, f"备份目录 {folder} 不存在", f"创建该目录，并{schedule}")]
    archives = [p for p in Path(folder).iterdir() if p.is_file() and p.name.endswith(ARCHIVE_SUFFIXES)]
    if not archives:
        return [Problem(ERROR, f"备份目录 {folder} 中没有备份", f"现在运行 gongkai backup，并{schedule}")]
    newest = max(p.stat().st_mtime for p in archives)
    hours = ((now or time.time()) - newest) / 3600
    if hours > BACKUP_MAX_AGE_HOURS:
        return [
            Problem(ERROR, f"最近一次备份在 {hours / 24:.0f} 天前", f"检查备份任务是否在运行；{schedule}")
        ]
    return []


def run_all(environ: Mapping[str, str], today: dt.date | None = None) -> list[Problem]:
    from django.utils import timezone

    today = today or timezone.localdate()
    problems = django_problems() + settings_problems(environ)
    problems += database_problems(today) + storage_problems() + backup_problems(environ)
    return sorted(problems, key=lambda p: p.level != ERROR)


def report(problems: list[Problem], database: str) -> str:
    lines = [f"gongkai 部署检查（数据库：{database}）"]
    for p in problems:
        lines.append(f"[{'必须修正' if p.level == ERROR else '建议修正'}] {p.what}")
        lines.append(f"    修正方法：{p.fix}")
    errors = sum(p.level == ERROR for p in problems)
    if not problems:
        lines.append("结果：未发现问题。")
    else:
        lines.append(f"结果：{errors} 项必须修正，{len(problems) - errors} 项建议修正。")
    return "\n".join(lines)
