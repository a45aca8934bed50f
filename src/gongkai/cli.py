"""The `gongkai` command: one entry point for the engine (check, render, audit) and the workbench.

Exit codes follow the issue contract: 0 clean, 1 an error-level finding, 2 input that cannot be read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

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
    from gongkai.annual_report.audit import audit_paths, exit_code, print_audit, write_dataset

    if args.dataset and Path(args.dataset).suffix.lower() not in (".csv", ".xlsx"):
        raise CliError(f"数据集只支持 .csv 或 .xlsx：{args.dataset}")
    results = audit_paths(
        args.paths,
        jobs=args.jobs,
        max_bytes=args.max_size,
        published_on=args.published_on,
        progress=not args.json and sys.stderr.isatty() and not args.quiet,
    )
    if args.json:
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=1))
    else:
        print_audit(results, verbose=args.verbose)
    if args.dataset:
        write_dataset(results, Path(args.dataset))
        print(f"已写出数据集 {args.dataset}（{len(results)} 份报告）", file=sys.stderr)
    return exit_code(results)


# -- demo (engine) ----------------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from gongkai.annual_report.demo import run_engine_demo

    return run_engine_demo(Path(args.output))


# -- parser -----------------------------------------------------------------------------------------


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
    p.add_argument("-v", "--verbose", action="store_true", help="显示提取出的表格和全部解析说明")
    p.add_argument("-q", "--quiet", action="store_true", help="不显示进度条")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("demo", help="演示：用种子报告生成 DOCX/PDF/HTML 并列出检查结果")
    p.add_argument("-o", "--output", default="demo-output", help="输出目录（默认 ./demo-output）")
    p.set_defaults(func=cmd_demo)
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
