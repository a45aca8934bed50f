from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.services import DEFAULT_SEED_YEARS, seed_calendar


def _years(spec: str) -> list[int]:
    years: list[int] = []
    for part in spec.split(","):
        m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part)
        if m is None:
            raise CommandError(f"无法识别的年份：{part!r}（示例：2019-2026 或 2025,2026）")
        first, last = int(m[1]), int(m[2] or m[1])
        years.extend(range(first, last + 1))
    return years


class Command(BaseCommand):
    help = "从 chinesecalendar 软件包导入放假安排到工作日日历表（可重复执行；人工录入的年份不会被覆盖）"

    def add_arguments(self, parser: CommandParser) -> None:
        default = f"{DEFAULT_SEED_YEARS.start}-{DEFAULT_SEED_YEARS.stop - 1}"
        parser.add_argument(
            "--years", default=default, help=f"年份，如 2019-2026 或 2025,2026（默认 {default}）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_calendar(years=_years(options["years"]))
        lines = [
            ("新增", result.created),
            ("更新", result.updated),
            ("无变化", result.unchanged),
            ("保留人工录入", result.kept_manual),
            ("软件包无数据", result.unsupported),
        ]
        for label, years in lines:
            if years:
                self.stdout.write(f"{label}：{_span(years)}")
        if result.unsupported:
            self.stderr.write(
                self.style.WARNING(
                    "软件包没有数据的年份需在管理后台「年度放假安排」中按国务院办公厅通知录入。"
                )
            )


def _span(years: list[int]) -> str:
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}（{len(years)} 年）"
    return "、".join(str(y) for y in years)
