"""PDF rendering: WeasyPrint over the HTML rendering, with the Noto CJK fonts embedded.

Without a Chinese font WeasyPrint still produces a PDF, but one whose every character is an empty
box; so before rendering we ask fontconfig (the library WeasyPrint itself resolves fonts through)
whether any font covering Chinese is installed, and refuse with a message naming the package.
"""

from __future__ import annotations

import shutil
import subprocess

from gongkai.annual_report.model import AnnualReport
from gongkai.annual_report.rendering.errors import RenderError
from gongkai.annual_report.rendering.html import render_html

MISSING_FONT_MESSAGE = "未找到中文字体：请安装 Debian 软件包 fonts-noto-cjk（apt-get install fonts-noto-cjk）"
MISSING_FONTCONFIG_MESSAGE = "无法检查中文字体：未找到 fc-list 命令，请安装 Debian 软件包 fontconfig"


def cjk_font_families() -> list[str]:
    """Font families fontconfig knows that cover Chinese (honours FONTCONFIG_FILE like WeasyPrint)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise RenderError(MISSING_FONTCONFIG_MESSAGE)
    try:
        result = subprocess.run(
            [fc_list, ":lang=zh", "family"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RenderError(f"无法检查中文字体：运行 fc-list 失败（{exc}）") from None
    families: set[str] = set()
    for line in result.stdout.splitlines():
        families.update(name.strip() for name in line.split(",") if name.strip())
    return sorted(families)


def require_cjk_font() -> None:
    if not cjk_font_families():
        raise RenderError(MISSING_FONT_MESSAGE)


def render_pdf(report: AnnualReport) -> bytes:
    require_cjk_font()
    page = render_html(report)  # validates the report before the slow WeasyPrint import
    from weasyprint import HTML  # type: ignore[import-untyped]

    pdf: bytes = HTML(string=page).write_pdf()
    return pdf


def render_bytes(report: AnnualReport) -> bytes:
    return render_pdf(report)
