"""Issue 12, point 1: `gongkai check-deploy` — Django's check --deploy plus ours, each problem in Chinese with
its fix; exit 1 while something must be fixed."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import pytest

from gongkai.ops import deploy_checks
from gongkai.ops.deploy_checks import ERROR, WARNING, Problem

from .conftest import clean_env, gongkai

STRONG_KEY = "q8Vw3Zr1-kLm0Xp7Tn2Yb5Hc9Jd4Fg6Se8Ua1Oi3Ey7Rt5Wq2Zx0Cv9Bn4Mk6Lj8Hg3"


def test_a_bare_installation_is_told_everything_it_lacks(tmp_path: Path) -> None:
    done = gongkai(clean_env(tmp_path / "home"), "check-deploy")
    assert done.returncode == 1, done.stderr
    out = done.stdout
    for expected in (
        "[必须修正] 未开启生产模式",
        "修正方法：在 /etc/gongkai/gongkai.env 中设置 GONGKAI_PRODUCTION=1",
        "GONGKAI_ALLOWED_HOSTS 未设置或只有本机地址",
        "未配置发信邮箱（GONGKAI_EMAIL_URL）",
        "个结构变更（迁移）尚未执行",
        "运行 python -m gongkai.config.manage migrate",
        "未设置备份目录 GONGKAI_BACKUP_DIR",
        "[建议修正] 未设置 GONGKAI_ADMINS",
        "项必须修正",
    ):
        assert expected in out, expected
    # What production mode fixes is said once, not once per Django check.
    assert "未开启 HSTS" not in out and "security.W004" in out
    assert "Traceback" not in out + done.stderr


def test_a_configuration_that_cannot_load_is_reported_in_chinese(tmp_path: Path) -> None:
    done = gongkai(clean_env(tmp_path, GONGKAI_PRODUCTION="maybe"), "check-deploy")
    assert done.returncode == 1
    assert "配置无法加载：环境变量 GONGKAI_PRODUCTION 的值 'maybe' 无法识别" in done.stdout


@pytest.fixture
def ready(settings: Any, tmp_path: Path, db: None) -> dict[str, str]:
    """A deployment with nothing to fix; returns its environment."""
    from gongkai.core.models import CalendarYear
    from gongkai.org.models import Organisation

    settings.PRODUCTION = True
    settings.DEBUG = False
    settings.SECRET_KEY = STRONG_KEY
    settings.ALLOWED_HOSTS = ["gk.example.gov.cn"]
    settings.ADMINS = [("信息中心", "it@example.gov.cn")]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.MEDIA_ROOT = tmp_path / "media"
    Organisation.objects.create(name="东花市街道办事处", kind="department")
    for year in (2026, 2027):
        CalendarYear.objects.get_or_create(year=year)
    backups = tmp_path / "backups"
    backups.mkdir()
    (backups / "gongkai-20261205.tar.gz").write_bytes(b"archive")
    return {
        "GONGKAI_PRODUCTION": "1",
        "GONGKAI_SECRET_KEY": STRONG_KEY,
        "GONGKAI_ALLOWED_HOSTS": "gk.example.gov.cn",
        "GONGKAI_EMAIL_URL": "smtp://mail.example.gov.cn:587",
        "GONGKAI_ADMINS": "信息中心 <it@example.gov.cn>",
        "GONGKAI_BACKUP_DIR": str(backups),
    }


DECEMBER = dt.date(2026, 12, 5)


def test_a_ready_deployment_passes(ready: dict[str, str]) -> None:
    problems = deploy_checks.run_all(ready, today=DECEMBER)
    assert problems == []
    assert deploy_checks.report(problems, "sqlite x").endswith("结果：未发现问题。")


def test_each_missing_piece_is_named(ready: dict[str, str], settings: Any, tmp_path: Path) -> None:
    settings.PRODUCTION = False
    settings.DEBUG = True
    settings.SESSION_COOKIE_SECURE = False
    env = {**ready, "GONGKAI_ALLOWED_HOSTS": "gk.example.gov.cn,*", "GONGKAI_EMAIL_URL": " "}
    problems = deploy_checks.run_all(env, today=DECEMBER)
    text = deploy_checks.report(problems, "sqlite x")
    assert "调试模式（DEBUG）开启" in text and "未开启生产模式" in text
    assert "GONGKAI_ALLOWED_HOSTS 含 *" in text and "未配置发信邮箱" in text
    assert "会话 Cookie" not in text  # said once, under production mode
    assert all(p.level == ERROR for p in problems)
    assert text.endswith(f"结果：{len(problems)} 项必须修正，0 项建议修正。")


def test_the_calendar_must_hold_this_year_and_from_december_the_next(db: None) -> None:
    from gongkai.core.models import CalendarYear

    CalendarYear.objects.get_or_create(year=2026)
    (december,) = deploy_checks.calendar_problems(DECEMBER)
    assert december.level == ERROR and "缺少 2027 年放假安排" in december.what and "工作日历" in december.fix
    (june,) = deploy_checks.calendar_problems(dt.date(2026, 6, 1))
    assert june.level == WARNING and "2027" in june.what
    assert {p.what[:13] for p in deploy_checks.calendar_problems(dt.date(2028, 3, 1))} == {
        "工作日历缺少 2028 年",
        "工作日历缺少 2029 年",
    }


def test_backups_must_exist_and_be_recent(tmp_path: Path) -> None:
    def one(environ: dict[str, str]) -> Problem:
        (problem,) = deploy_checks.backup_problems(environ)
        assert problem.level == ERROR
        return problem

    assert "未设置备份目录" in one({}).what
    assert "不存在" in one({"GONGKAI_BACKUP_DIR": str(tmp_path / "nowhere")}).what
    assert "中没有备份" in one({"GONGKAI_BACKUP_DIR": str(tmp_path)}).what
    (tmp_path / "notes.txt").write_text("not an archive")
    assert "中没有备份" in one({"GONGKAI_BACKUP_DIR": str(tmp_path)}).what
    archive = tmp_path / "gongkai-20261201.tar.zst"
    archive.write_bytes(b"x")
    three_days_ago = time.time() - 3 * 86400
    os.utime(archive, (three_days_ago, three_days_ago))
    assert one({"GONGKAI_BACKUP_DIR": str(tmp_path)}).what == "最近一次备份在 3 天前"
    (tmp_path / "gongkai-20261205.tar").write_bytes(b"x")
    assert deploy_checks.backup_problems({"GONGKAI_BACKUP_DIR": str(tmp_path)}) == []


def test_a_kept_secret_key_must_be_private(settings: Any, tmp_path: Path) -> None:
    settings.GONGKAI_HOME = tmp_path
    key = tmp_path / "secret_key"
    key.write_text(STRONG_KEY)
    key.chmod(0o600)
    (kept,) = deploy_checks._secret_key_problems({})
    assert kept.level == WARNING and "须随数据一同备份" in kept.fix
    key.chmod(0o644)
    (loose,) = deploy_checks._secret_key_problems({})
    assert loose.level == ERROR and loose.fix == f"运行 chmod 600 {key}"
    assert deploy_checks._secret_key_problems({"GONGKAI_SECRET_KEY": STRONG_KEY}) == []


def test_an_unwritable_storage_folder_must_be_fixed(settings: Any) -> None:
    settings.MEDIA_ROOT = Path("/sys/gongkai-media")
    problems = deploy_checks.storage_problems()
    assert any(p.level == ERROR and "无法写入：服务器的文件存储目录不可写" in p.what for p in problems)
