"""Caps that keep the audit of any one file within its memory budget (600 MB, issue 9).

The file size limit (``--max-size``) alone does not bound memory: a 1 MB Word file can unpack to
gigabytes, a 50 MB text becomes millions of ``Token`` objects, a PDF page can hold a million
characters. Real annual reports are small — a long provincial report is 100–200 thousand characters,
tables included, in a few thousand lines, and PDFs of a few dozen pages — so everything past the
caps below is refused with a one-line reason instead of being read. Each cap is several times what
a real report needs.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import re
import resource
import signal
import sys
import traceback
import zipfile
import zlib
from collections.abc import Callable
from typing import IO, Any, TypeVar

from gongkai.annual_report.parsing.base import Line, UnreadableReport

T = TypeVar("T")
R = TypeVar("R")

# The memory one audit may use, the auditing process and its children together (issue 9).
MEMORY_BUDGET = 600 * 1024 * 1024

# Characters of text (whitespace not counted) and lines handed to the assembler.
MAX_TEXT_CHARS = 2_000_000
MAX_LINES = 100_000
# Parsed elements held at once: those kept from a web page once scripts, styles and hidden parts
# are dropped, or those of one paragraph or table of a Word document (read one at a time).
MAX_ELEMENTS = 500_000
# Grid slots of one table (a merged cell takes rowspan × colspan); the statutory tables have a few
# hundred, and a handful of cells with huge spans must not become millions of slots.
MAX_TABLE_CELLS = 100_000
# A part of a Word file, unpacked; a real report's word/document.xml is a few MB at most.
MAX_PART_BYTES = 64 * 1024 * 1024
# Word's XML compresses 5–20×; a part that compresses 100× better than that is a zip bomb.
MAX_PART_RATIO = 100
# PDFs: pages, and characters, spaces and line ends included (a PDF character carries its box and
# costs ~300 bytes until the document is assembled, ten times a text character).
MAX_PDF_PAGES = 300
MAX_PDF_CHARS = 600_000
# PDF streams, unpacked. PDFium holds a page's parsed contents at up to ~20× their size (a text
# object costs ~600 bytes), an embedded font at its size; a real report's page has 20–50 KB of
# contents, a subset CJK font a few hundred KB. Images do not count: the audit never draws them.
MAX_PDF_CONTENT_BYTES = 16 * 1024 * 1024
MAX_PDF_FONT_BYTES = 64 * 1024 * 1024
# What a child reading under a memory limit (``in_limited_child``) may allocate beyond what it
# inherits. The auditing process holds ~30 MB (interpreter and engine) plus the file (≤ 50 MB) when
# it forks, so the two stay within the budget even counting the pages they share twice (measured:
# ≤ 490 MB for a 50 MB file that PDFium would blow up). Reading a PDF just under the character cap
# takes ~190 MB (62 pages of 9,600 characters: refused at 150 MB, read at 200 MB); a real report a
# few MB.
MAX_CHILD_BYTES = 400 * 1024 * 1024

_NOT_A_REPORT = "不像一份年度报告（最长的年度报告也不过二三十万字）；请确认导入的是报告本身"


def too_much_text(limit: int = MAX_TEXT_CHARS) -> UnreadableReport:
    return UnreadableReport(f"报告文字超过 {_wan(limit)}字，{_NOT_A_REPORT}")


def too_many_lines(limit: int = MAX_LINES) -> UnreadableReport:
    return UnreadableReport(f"报告超过 {_wan(limit)}行，{_NOT_A_REPORT}")


def table_too_large(number: int) -> UnreadableReport:
    return UnreadableReport(
        f"表 {number} 过大（超过 {_wan(MAX_TABLE_CELLS)}个单元格，合并单元格按所占格数计），不像年度报告中的表格"
    )


def check_text(text: str) -> None:
    """Refuse a plain text that is too long to be a report, before it is split into lines."""
    if len(text) > MAX_TEXT_CHARS and _non_space(text) > MAX_TEXT_CHARS:
        raise too_much_text()
    if text.count("\n") > MAX_LINES:
        raise too_many_lines()


def _non_space(text: str) -> int:
    # str.count runs in C and allocates nothing (text.split() would make millions of strings).
    return len(text) - sum(text.count(space) for space in " \t\r\n\f\v\u3000\xa0")


def check_lines(lines: list[Line]) -> None:
    """Refuse a front end's output that is too long to be a report, before it is assembled."""
    if len(lines) > MAX_LINES:
        raise too_many_lines()
    chars = sum(len(token.text) for line in lines for token in line.tokens)
    if chars > MAX_TEXT_CHARS:
        raise too_much_text()


def open_part(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    """A part of a ZIP package, opened for streaming after its declared sizes are checked.

    ``ZipExtFile`` never returns more than the declared ``file_size`` (it stops there and the CRC
    check fails on a lie), so checking the declared size bounds what reading can unpack."""
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise UnreadableReport(
            f"Word 文档中的 {name} 解压后达 {info.file_size / 1024 / 1024:.0f} MB，"
            f"超过上限 {MAX_PART_BYTES // 1024 // 1024} MB，不像一份年度报告（可能是“压缩炸弹”）"
        )
    if info.file_size > 1024 * 1024 and info.file_size > MAX_PART_RATIO * max(info.compress_size, 1):
        raise UnreadableReport(
            f"Word 文档中的 {name} 压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍），"
            "是“压缩炸弹”式的文件，已拒绝读取"
        )
    return archive.open(info)


def _wan(n: int) -> str:
    return f"{n // 10_000} 万" if n % 10_000 == 0 else f"{n:,} "


_PDF_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_PDF_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_PDF_FONT = re.compile(rb"/Length[123]\b|/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType)\b")
_PDF_FLATE = re.compile(rb"/FlateDecode\b|/Fl\b")
_PDF_LENGTH = re.compile(rb"/Length\s+(\d+)(?:\s+(\d+)\s+R)?")


# Page contents an ordinary report never reaches (the 400 KB sample unpacks to well under 1 MB), and
# eight times as much in fonts (embedded CJK subsets): a PDF beyond either is read in the
# memory-limited child.
ISOLATE_PDF_CONTENT_BYTES = 2 * 1024 * 1024
_PDF_FORM = re.compile(rb"/Subtype\s*/Form\b")
_PDF_HIDDEN = re.compile(rb"/Type\s*/ObjStm\b|/Encrypt\b")


def check_pdf_streams(data: bytes) -> bool:
    """Refuse a PDF whose streams unpack to more than PDFium could parse within the budget, and say
    whether what is left could still make PDFium allocate more than an audit may: page contents
    past an ordinary report's, a form (which a page may draw any number of times), streams the scan
    cannot measure (other filters, encryption) or objects it cannot see (object streams). Such a
    PDF is read in the memory-limited child; an ordinary one in this process (the scan has measured
    everything PDFium will unpack from it).

    PDFium unpacks and parses a page's whole contents when the page is loaded, so a few hundred KB
    of compressed operators can become gigabytes before any cap on pages or characters applies.
    The streams are found in the file's bytes (every stream sits in the file, object streams hold no
    streams) and unpacked in chunks, counting and discarding, up to the cap. Streams under other
    filters (LZW, rare since PDF 1.2) or encrypted ones count at their stored size; what they, or
    contents under the cap, make PDFium allocate is bounded by the reading child's memory limit
    (``in_limited_child``)."""
    content = fonts = 0
    risky = bool(_PDF_HIDDEN.search(data))
    view = memoryview(data)
    for match in _PDF_STREAM.finditer(data):
        head = data[max(0, match.start() - 4096) : match.start()]
        obj = head.rfind(b"obj")
        head = head[obj + 3 :] if obj >= 0 else head  # the stream's dictionary
        if _PDF_IMAGE.search(head):
            continue
        if _PDF_FONT.search(head):
            fonts += _stream_size(data, view, match.end(), head, MAX_PDF_FONT_BYTES - fonts)
            if fonts > MAX_PDF_FONT_BYTES:
                raise UnreadableReport(
                    f"PDF 中嵌入的字体解压后超过 {MAX_PDF_FONT_BYTES // 1024 // 1024} MB，不像一份年度报告"
                )
        else:
            other_filter = b"/Filter" in head and not _PDF_FLATE.search(head)
            risky = risky or other_filter or bool(_PDF_FORM.search(head))
            content += _stream_size(data, view, match.end(), head, MAX_PDF_CONTENT_BYTES - content)
            if content > MAX_PDF_CONTENT_BYTES:
                raise UnreadableReport(
                    f"PDF 的页面内容解压后超过 {MAX_PDF_CONTENT_BYTES // 1024 // 1024} MB"
                    "（可能是“压缩炸弹”），不像一份年度报告"
                )
    return risky or content > ISOLATE_PDF_CONTENT_BYTES or fonts > ISOLATE_PDF_CONTENT_BYTES * 8


def _stream_size(data: bytes, view: memoryview, start: int, head: bytes, limit: int) -> int:
    """The unpacked size of the stream starting at ``start``, or more than ``limit``."""
    if _PDF_FLATE.search(head):
        inflater = zlib.decompressobj()
        size = 0
        try:
            for at in range(start, len(data), 1 << 16):
                pending: bytes | memoryview = view[at : at + (1 << 16)]
                while pending and size <= limit and not inflater.eof:
                    size += len(inflater.decompress(pending, 1 << 20))
                    pending = inflater.unconsumed_tail
                if size > limit or inflater.eof:
                    return size
            return size
        except zlib.error:
            pass  # another filter comes first: counted as stored
    length = _PDF_LENGTH.search(head)
    if length and length.group(2) is not None:  # "/Length 12 0 R": the number is in object 12
        target = re.search(rb"\b%s\s+%s\s+obj\s*(\d+)" % (length.group(1), length.group(2)), data)
        return int(target.group(1)) if target else len(data) - start
    if length:
        return min(int(length.group(1)), len(data) - start)
    end = data.find(b"endstream", start)
    return (end if end >= 0 else len(data)) - start


def pdf_over_memory() -> UnreadableReport:
    return UnreadableReport(
        f"PDF 页面内容过大或结构异常：读取时超出内存上限 {MEMORY_BUDGET // 1024 // 1024} MB，"
        "未能读取（可能是构造的恶意文件）"
    )


def in_limited_child(task: Callable[[T], R], arg: T, *, refused: Callable[[], UnreadableReport]) -> R:
    """``task(arg)`` run in a forked child whose memory is limited, so that parent and child
    together stay within ``MEMORY_BUDGET``; its result (or exception) comes back pickled over a pipe.

    For work whose memory no cap on the input can bound: PDFium parses a page's whole contents when
    the page loads, and a small stream can make it allocate gigabytes (long strings, one form drawn
    thousands of times, streams under filters the pre-scan cannot unpack). The child's data size
    (``RLIMIT_DATA``, which on Linux ≥ 4.7 counts private anonymous mappings too, so both PDFium's
    allocations and Python's are held to it) may grow ``MAX_CHILD_BYTES`` past what it had at the
    fork: an allocation beyond fails, PDFium aborts or Python raises ``MemoryError``, and either
    way ``refused()`` is raised here. The parent never holds that memory, and a crash of the
    library on a malformed file ends the child only, with the same refusal. An exception the task
    raises (``UnreadableReport`` with its reason) is raised here as it is.

    Elsewhere than Linux the task runs in this process."""
    if not sys.platform.startswith("linux"):
        return task(arg)
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError as exc:  # too many processes, or no memory to copy the page tables
        os.close(read_end)
        os.close(write_end)
        raise UnreadableReport(f"无法启动读取文件的子进程（{exc.strerror or exc}），请稍后重试") from exc
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(task, arg, write_end)
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as pipe:
            try:
                outcome = pickle.load(pipe)
            except (EOFError, pickle.UnpicklingError):  # the child died before it had written it all
                outcome = ("died",)
    except BaseException:  # interrupted while waiting: the child must not outlive the call
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        with contextlib.suppress(ChildProcessError):  # reaped already by a SIGCHLD handler of the host
            os.waitpid(pid, 0)
    if outcome[0] == "ok":
        result: R = outcome[1]
        return result
    if outcome[0] == "raised":
        raised: BaseException = outcome[1]
        if not isinstance(raised, UnreadableReport):  # a bug: where it happened is in the child
            raised.add_note(f"raised in the reading child process:\n{outcome[2]}")
        raise raised
    raise refused()


def _child(task: Callable[[Any], Any], arg: Any, write_end: int) -> None:
    code = 1
    try:
        # The collector would otherwise write to every inherited object, copying pages that the
        # limit does not count (they were mapped before it).
        gc.freeze()
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file of a crash
        limit = _data_bytes() + MAX_CHILD_BYTES
        _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
        with os.fdopen(write_end, "wb") as pipe:
            try:
                outcome: tuple[Any, ...] = ("ok", task(arg))
            except MemoryError:
                outcome = ("memory",)
            except BaseException as exc:  # UnreadableReport with its reason, or a bug to report
                outcome = ("raised", exc, traceback.format_exc())
                try:
                    pickle.loads(pickle.dumps(exc))
                except Exception:
                    outcome = ("raised", RuntimeError(repr(exc)), outcome[2])
            # Streamed in frames: a large result is never held twice.
            pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    finally:
        os._exit(code)


def _data_bytes() -> int:
    # Private writable memory, as RLIMIT_DATA counts it, plus the stack (/proc/self/statm "data").
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[5]) * resource.getpagesize()
