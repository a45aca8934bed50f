"""The `gongkai` command: one entry point for the engine (check, render, audit) and the workbench.

Exit codes follow the issue contract: 0 clean, 1 an error-level finding, 2 input that cannot be read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


class CliError(Exception):
    """Input the command cannot use; printed as one line, exit code 2."""


def _read_report(path: str):  # -> AnnualReport (import kept lazy so `gongkai --help` stays instant)
    from gongkai.annual_report.model import AnnualReport, ReportDataError

    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"{path}：文件不存在") from None
    except IsADirectoryError:
        raise CliError(f"{path}：是目录，不是报告 JSON 文件") from None
    except UnicodeDecodeError:
        raise CliError(
            f"{path}：不是 UTF-8 文本，不是报告 JSON（要审核已发布的 PDF/Word/网页，请用 gongkai audit）"
        ) from None
    try:
        return AnnualReport.from_json(text)
    except ReportDataError as exc:
        raise CliError(f"{path}：{exc}") from None


def _parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是有效日期（应为 YYYY-MM-DD）：{value}") from None


def _parse_size(value: str) -> int:
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    text = value.strip().lower().removesuffix("b")
    factor = units.get(text[-1:], 1)
    number = text[:-1] if text[-1:] in units else text
    try:
        size = int(float(number) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是有效大小（例如 50M）：{value}") from None
    if size <= 0:
        raise argparse.ArgumentTypeError(f"大小必须为正数：{value}")
    return size


def _parse_count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是有效数目：{value}") from None
    if not 1 <= count <= 64:
        raise argparse.ArgumentTypeError(f"应在 1–64 之间：{value}")
    return count


def _parse_port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是有效端口：{value}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"端口应在 1–65535 之间：{value}")
    return port


# -- check ----------------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from gongkai.annual_report.checks import check_report
    from gongkai.annual_report.findings_output import print_findings

    report = _read_report(args.report)
    previous = _read_report(args.previous) if args.previous else None
    findings = check_report(
        report,
        previous=previous,
        published_on=args.published_on,
        org_kind=args.org_kind,
    )
    if args.json:
        print(json.dumps({"findings": [f.to_dict() for f in findings]}, ensure_ascii=False, indent=1))
    else:
        print_findings(findings, title=f"{report.organisation} {report.year} 年度报告")
    return EXIT_FINDINGS if any(f.severity == "error" for f in findings) else EXIT_OK


# -- render ---------------------------------------------------------------------------------------


def cmd_render(args: argparse.Namespace) -> int:
    from gongkai.annual_report.rendering import RenderError, render

    report = _read_report(args.report)
    fmt = args.format or _format_from_suffix(args.output)
    try:
        data = render(report, fmt)
    except RenderError as exc:
        raise CliError(str(exc)) from None
    if args.output in (None, "-"):
        sys.stdout.buffer.write(data)
    else:
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".part")
        # Write then rename, so an interrupted render never leaves a half-written file under the real name.
        tmp.write_bytes(data)
        os.replace(tmp, out)
        print(f"已生成 {out}（{len(data):,} 字节）", file=sys.stderr)
    return EXIT_OK


def _format_from_suffix(output: str | None) -> str:
    from gongkai.annual_report.rendering import FORMATS

    if not output or output == "-":
        raise CliError("请用 --format 指定输出格式：" + " / ".join(FORMATS))
    suffix = Path(output).suffix.lower().lstrip(".")
    suffix = {"markdown": "md", "htm": "html"}.get(suffix, suffix)
    if suffix not in FORMATS:
        raise CliError(f"无法从文件名 {output} 判断格式，请用 --format 指定：" + " / ".join(FORMATS))
    return suffix


# -- audit ----------------------------------------------------------------------------------------


def cmd_audit(args: argparse.Namespace) -> int:
    from gongkai.annual_report.audit import audit_file, audit_paths, exit_code, print_audit, write_dataset

    if args.dataset and Path(args.dataset).suffix.lower() not in (".csv", ".xlsx"):
        raise CliError(f"数据集只支持 .csv 或 .xlsx：{args.dataset}")
    previous = None
    if args.previous:
        # Read with the same reader as the audited files: last year's report may be a PDF, a page or JSON.
        if not Path(args.previous).is_file():
            raise CliError(f"{args.previous}：上年度报告文件不存在")
        read = audit_file(args.previous, max_bytes=args.max_size)
        if read.report is None:
            raise CliError(f"{args.previous}：无法读取上年度报告：{read.reason}")
        previous = read.report
    results = audit_paths(
        args.paths,
        jobs=args.jobs,
        max_bytes=args.max_size,
        published_on=args.published_on,
        progress=not args.json and sys.stderr.isatty() and not args.quiet,
        previous=previous,
    )
    if args.json:
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=1))
    else:
        print_audit(results, verbose=args.verbose)
    if args.dataset:
        write_dataset(results, Path(args.dataset))
        print(f"已写出数据集 {args.dataset}（{len(results)} 份报告）", file=sys.stderr)
    return exit_code(results)


# -- demo, serve, report, tick (the workbench) ----------------------------------------------------


def _setup_django() -> None:
    import logging

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    import django

    django.setup()
    # The settings log INFO to the console, where WeasyPrint would narrate every PDF step by step.
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _database_label() -> str:
    from django.db import connection

    name = connection.settings_dict.get("NAME")
    return f"{connection.vendor} {name}"


def _require_database(*, organisation: bool = True) -> None:
    """A database that has been built (migrated, with an organisation); otherwise say how to build one.

    ``organisation=False``: a missing organisation is only pointed out (a new installation enters it in
    the admin, which needs the server running)."""
    from django.db.utils import DatabaseError

    from gongkai.org.selectors import OrganisationMissing, get_organisation

    try:
        get_organisation()
    except DatabaseError:
        raise CliError(f"数据库（{_database_label()}）尚未初始化：请先运行 gongkai demo") from None
    except OrganisationMissing as exc:
        if organisation:
            raise CliError(str(exc)) from None
        print(f"gongkai: 提示：{exc}", file=sys.stderr)


def serve_environment(*, debug: bool, environ: Mapping[str, str]) -> dict[str, str]:
    """The environment variables `gongkai serve` sets before Django reads its settings.

    DEBUG is on only with ``--debug``, whatever ``GONGKAI_DEBUG`` says: a served site must never show a
    traceback. Without it the server still answers on 127.0.0.1/localhost, and a secret key is kept in
    ``$GONGKAI_HOME/secret_key`` (made once) unless ``GONGKAI_SECRET_KEY`` gives one, so that sessions
    survive a restart.
    """
    if debug:
        return {"GONGKAI_DEBUG": "1"}
    env = {"GONGKAI_DEBUG": "0"}
    if not (environ.get("GONGKAI_ALLOWED_HOSTS") or "").strip():
        env["GONGKAI_ALLOWED_HOSTS"] = "localhost,127.0.0.1,[::1]"
    if not (environ.get("GONGKAI_SECRET_KEY") or "").strip():
        env["GONGKAI_SECRET_KEY"] = _local_secret_key(Path(environ.get("GONGKAI_HOME") or "var").resolve())
    return env


def _local_secret_key(home: Path) -> str:
    import secrets

    path = home / "secret_key"
    if path.exists():
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
    home.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key + "\n")
    return key


def _apply_serve_environment(debug: bool) -> None:
    os.environ.update(serve_environment(debug=debug, environ=os.environ))


def cmd_demo(args: argparse.Namespace) -> int:
    from gongkai.annual_report.demo import run_engine_demo

    code = run_engine_demo(Path(args.output))
    if not args.no_serve:
        _apply_serve_environment(args.debug)
    _setup_django()
    from gongkai.demo_ledger import DemoRefused, build_demo, print_logins

    try:
        logins = build_demo(progress=lambda line: print(line, flush=True))
    except DemoRefused as exc:
        raise CliError(str(exc)) from None
    print_logins(logins, port=args.port)
    if args.no_serve:
        return code
    return _serve(args)


def cmd_serve(args: argparse.Namespace) -> int:
    _apply_serve_environment(args.debug)
    _setup_django()
    _require_database(organisation=False)
    return _serve(args)


def _serve(args: argparse.Namespace) -> int:
    """gunicorn (``gongkai.ops.serving``), or Django's development server with ``--debug``."""
    from gongkai.ops.serving import serve

    try:
        serve(
            host=getattr(args, "host", "127.0.0.1"),
            port=args.port,
            debug=args.debug,
            workers=getattr(args, "workers", None),
            threads=getattr(args, "threads", None),
            access_log=getattr(args, "access_log", None) or "-",
        )
    except OSError as exc:
        raise CliError(f"无法启动 gunicorn：{exc}") from None
    return EXIT_OK


def cmd_check_deploy(args: argparse.Namespace) -> int:
    from django.core.exceptions import ImproperlyConfigured

    given = dict(os.environ)
    try:
        # The configuration `gongkai serve` would run with.
        _apply_serve_environment(False)
        _setup_django()
    except ImproperlyConfigured as exc:
        print(f"gongkai 部署检查\n[必须修正] 配置无法加载：{exc}")
        return EXIT_FINDINGS
    from gongkai.ops.deploy_checks import ERROR, report, run_all

    problems = run_all(given)
    print(report(problems, _database_label()))
    return EXIT_FINDINGS if any(p.level == ERROR for p in problems) else EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from gongkai.annual_report.rendering import RenderError, render

    fmt = args.format or _format_from_suffix(args.output)
    _setup_django()
    _require_database()
    from gongkai.reporting.selectors import report_for_export

    if args.year < 2019:
        raise CliError(f"{args.year} 年度早于 2019 年新格式，无法生成")
    report = report_for_export(args.year)
    try:
        data = render(report, fmt)
    except RenderError as exc:
        raise CliError(str(exc)) from None
    _write_output(args.output, data)
    return EXIT_OK


def cmd_tick(args: argparse.Namespace) -> int:
    _setup_django()
    from gongkai.core.tick import run_tick

    return EXIT_OK if run_tick(limit=args.limit) else EXIT_FINDINGS


# -- backup, restore --------------------------------------------------------------------------------


def _progress(quiet: bool):  # -> gongkai.backup.Progress
    from gongkai.backup import Progress

    return Progress(None if quiet else sys.stderr)


def cmd_backup(args: argparse.Namespace) -> int:
    _setup_django()
    from gongkai.backup import BackupError, create_backup, human_size

    target = Path(args.archive)
    if target.exists() and not args.force:
        raise CliError(f"{target} 已存在：换一个文件名，或加 --force 覆盖")
    try:
        result = create_backup(target, progress=_progress(args.quiet))
    except BackupError as exc:
        raise CliError(str(exc)) from None
    for warning in result.warnings:
        print(f"注意：{warning}", file=sys.stderr)
    print(
        f"已写出备份 {result.archive}（{human_size(result.size)}）：数据库快照（{result.manifest.engine}）、"
        f"{len(result.manifest.files):,} 个存储文件（其中 {result.referenced:,} 个由记录引用）"
    )
    print(f"归档 SHA-256：{result.sha256}")
    return EXIT_FINDINGS if result.warnings else EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    _setup_django()
    from gongkai.backup import BackupError, check_archive, human_size, restore_backup

    progress = _progress(args.quiet)
    try:
        if args.check:
            manifest, compat = check_archive(Path(args.archive), progress=progress)
        else:
            result = restore_backup(Path(args.archive), progress=progress)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    if args.check:
        print(f"归档校验通过：{args.archive}（清单与 {len(manifest.members):,} 个成员的 SHA-256 均一致）")
        print(
            f"  备份时间：{manifest.created_at}；gongkai 版本：{manifest.gongkai_version}；数据库：{manifest.engine}"
        )
        print(f"  存储文件：{len(manifest.files):,} 个；共 {human_size(manifest.size)}")
        print(f"  数据库结构：{compat.describe()}")
        return EXIT_FINDINGS if compat.unknown else EXIT_OK
    manifest = result.manifest
    print(
        f"已恢复 {manifest.created_at} 的备份到 {result.target}："
        f"{len(manifest.files):,} 个存储文件，数据库（{manifest.engine}）"
    )
    if result.migrated:
        print(f"已执行 {len(result.migrated)} 个新迁移，数据库结构已与本程序一致")
    return EXIT_OK


def _write_output(output: str | None, data: bytes) -> None:
    if output in (None, "-"):
        sys.stdout.buffer.write(data)
        return
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, out)
    print(f"已生成 {out}（{len(data):,} 字节）", file=sys.stderr)


# -- parser -----------------------------------------------------------------------------------------


def _add_serve_commands(sub: Any) -> None:
    """`serve` and `check-deploy` (gongkai.ops)."""
    p = sub.add_parser("serve", help="用 gunicorn 启动工作台和门户（使用已有数据库；nginx 在前）")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，由 nginx 转发）")
    p.add_argument("--port", type=_parse_port, default=8000, help="端口（默认 8000）")
    p.add_argument("--workers", type=_parse_count, help="进程数（默认按 CPU 和内存计算）")
    p.add_argument("--threads", type=_parse_count, help="每个进程的线程数（默认 4）")
    p.add_argument("--access-log", metavar="FILE", help="访问日志文件（默认标准输出，即 systemd 日志）")
    p.add_argument(
        "--debug", action="store_true", help="改用 Django 开发服务器并开启调试模式（DEBUG），仅供开发"
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("check-deploy", help="检查生产部署配置，逐项说明如何修正（有必须修正项时退出码为 1）")
    p.set_defaults(func=cmd_check_deploy)


def _add_backup_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backup",
        help="备份：把数据库快照和全部存储文件（身份证明扫描件、附件）写入一个归档；服务运行时也可执行",
    )
    p.add_argument("archive", help="归档文件（.tar.gz；文件名以 .tar 结尾则不压缩）")
    p.add_argument("--force", action="store_true", help="覆盖已有的同名归档")
    p.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser(
        "restore", help="恢复：校验备份归档后，恢复到空的 GONGKAI_HOME（或 DATABASE_URL 指向的空数据库）"
    )
    p.add_argument("archive", help="gongkai backup 写出的归档")
    p.add_argument(
        "--check", action="store_true", help="只校验归档（清单和每个成员的 SHA-256），不写入任何内容"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    p.set_defaults(func=cmd_restore)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gongkai",
        description="gongkai（公开）：政府信息公开工作台与年度报告引擎",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    p = sub.add_parser("check", help="按规则目录检查一份年度报告 JSON")
    p.add_argument("report", help="年度报告 JSON（规范格式）")
    p.add_argument("--previous", help="上一年度报告 JSON，用于跨年核对（A5、A6）")
    p.add_argument("--published-on", type=_parse_date, help="发布日期 YYYY-MM-DD（A12）")
    p.add_argument(
        "--org-kind",
        choices=["department", "government"],
        help="机关类型：department=部门/街道（1月31日前），government=本级政府（3月31日前）；默认按名称推断",
    )
    p.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("render", help="把年度报告 JSON 生成为 DOCX/PDF/HTML/Markdown/XLSX/JSON")
    p.add_argument("report", help="年度报告 JSON")
    p.add_argument("--format", "-f", choices=["docx", "pdf", "html", "md", "xlsx", "json"])
    p.add_argument("-o", "--output", help="输出文件（- 为标准输出）；未给 --format 时按扩展名判断")
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("audit", help="读取已发布的年度报告（PDF/DOCX/HTML/文本）并审核")
    p.add_argument("paths", nargs="+", help="文件或目录（目录下的报告文件都会审核）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出每份报告的结果")
    p.add_argument("--dataset", help="另写出一行一份报告的数据集（.csv 或 .xlsx）")
    p.add_argument("-j", "--jobs", type=int, default=0, help="并行进程数（默认：全部核心）")
    p.add_argument(
        "--max-size", type=_parse_size, default=50 * 1024 * 1024, help="单个文件大小上限（默认 50M）"
    )
    p.add_argument(
        "--published-on", type=_parse_date, help="发布日期 YYYY-MM-DD（只审核一份报告时使用，A12）"
    )
    p.add_argument(
        "--previous",
        metavar="LAST",
        help="上一年度报告（PDF/DOCX/HTML/文本/JSON 均可），用于跨年核对（A5、A6、A13、A15）；"
        "审核多份报告时，每一份都与它比较",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="显示提取出的表格和全部解析说明")
    p.add_argument("-q", "--quiet", action="store_true", help="不显示进度条")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser(
        "demo",
        help="演示：用种子报告生成 DOCX/PDF/HTML 并列出检查结果，再建立演示台账并启动工作台",
    )
    p.add_argument("-o", "--output", default="demo-output", help="种子报告输出目录（默认 ./demo-output）")
    p.add_argument("--no-serve", action="store_true", help="只建立演示数据库，不启动工作台")
    p.add_argument("--port", type=_parse_port, default=8000, help="工作台端口（默认 8000）")
    p.add_argument(
        "--debug", action="store_true", help="改用 Django 开发服务器并开启调试模式（DEBUG），仅供开发"
    )
    p.set_defaults(func=cmd_demo)

    _add_serve_commands(sub)

    p = sub.add_parser("report", help="从数据库导出某年度的年度报告（已报送/发布的为锁定版本，否则为草稿）")
    p.add_argument("year", type=int, help="报告年度，例如 2019")
    p.add_argument("--format", "-f", choices=["docx", "pdf", "html", "md", "xlsx", "json"])
    p.add_argument("-o", "--output", help="输出文件（- 为标准输出）；未给 --format 时按扩展名判断")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("tick", help="发送待发消息（由 cron 或 systemd 定时运行）")
    p.add_argument("--limit", type=int, default=500, help="本次最多处理的消息数（默认 500）")
    p.set_defaults(func=cmd_tick)

    _add_backup_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except CliError as exc:
        print(f"gongkai: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        print("gongkai: 已中断", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
