"""Audio and video uploads proved from their container structure, not their names.

* MP4 / M4A (ISO base media): the file is a chain of top-level boxes (32-bit size, 4-letter type, or the
  64-bit ``largesize``) that must cover the file exactly, start with ``ftyp`` and hold a ``moov`` box;
  the ``ftyp`` major brand tells audio (``M4A ``) from video. A chain that runs past the end or a box
  type that is not printable ASCII is refused: that is a renamed or truncated file.
* MP3: optionally an ID3v2 tag (its syncsafe size skipped), then MPEG audio frames whose headers are
  valid (sync bits, layer III, a real bitrate and sample rate); the first three frames must chain, which
  a text or HTML file named .mp3 never does.
"""

from __future__ import annotations

import struct

MP4, M4A, MP3 = "video/mp4", "audio/mp4", "audio/mpeg"

_AUDIO_BRANDS = {b"M4A ", b"M4B "}
_KNOWN_TOP = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"uuid", b"meta", b"moof", b"mfra",
              b"sidx", b"pdin", b"styp", b"udta"}  # fmt: skip


class MediaInvalid(ValueError):
    """The bytes are not a well-formed container of the kind claimed."""


def sniff_media(head: bytes) -> str | None:
    """The media type the leading bytes suggest (proved later by ``check_media``), or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return M4A if head[8:12] in _AUDIO_BRANDS else MP4
    if head.startswith(b"ID3") or _frame_length(head[:4]) is not None:
        return MP3
    return None


def _mp4_boxes(data: bytes) -> list[bytes]:
    types, pos = [], 0
    while pos < len(data):
        if pos + 8 > len(data):
            raise MediaInvalid("文件在一个数据块的中间结束")
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            if pos + 16 > len(data):
                raise MediaInvalid("文件在一个数据块的中间结束")
            size, header = struct.unpack(">Q", data[pos + 8 : pos + 16])[0], 16
        elif size == 0:  # the last box runs to the end of the file
            size = len(data) - pos
        if size < header or pos + size > len(data):
            raise MediaInvalid("数据块的长度与文件不符（文件不完整或不是 MP4）")
        if not all(32 <= b < 127 for b in kind):
            raise MediaInvalid("数据块类型无法识别")
        types.append(kind)
        pos += size
    return types


def check_mp4(data: bytes) -> str:
    types = _mp4_boxes(data)
    if not types or types[0] != b"ftyp":
        raise MediaInvalid("文件不以 ftyp 开头")
    if b"moov" not in types and b"moof" not in types:
        raise MediaInvalid("文件缺少 moov（媒体信息），无法播放")
    return M4A if data[8:12] in _AUDIO_BRANDS else MP4


_BITRATES = {  # kbit/s by (MPEG version bit, index) for layer III
    3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    0: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
}
_RATES = {3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000]}


def _frame_length(header: bytes) -> int | None:
    """The length of the layer III frame this header starts, or None if it is no valid header."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version, layer = (header[1] >> 3) & 3, (header[1] >> 1) & 3
    bitrate_i, rate_i, padding = header[2] >> 4, (header[2] >> 2) & 3, (header[2] >> 1) & 1
    if version == 1 or layer != 1 or bitrate_i in (0, 15) or rate_i == 3:
        return None
    bitrate, rate = _BITRATES[version][bitrate_i] * 1000, _RATES[version][rate_i]
    factor = 144 if version == 3 else 72
    return factor * bitrate // rate + padding


def check_mp3(data: bytes) -> str:
    pos = 0
    if data.startswith(b"ID3"):
        if len(data) < 10:
            raise MediaInvalid("ID3 标签不完整")
        size = 0
        for b in data[6:10]:
            if b & 0x80:
                raise MediaInvalid("ID3 标签长度无效")
            size = (size << 7) | b
        pos = 10 + size + (10 if data[5] & 0x10 else 0)
    for _ in range(3):
        if pos == len(data):
            break
        length = _frame_length(data[pos : pos + 4])
        if length is None:
            raise MediaInvalid("找不到有效的 MP3 音频帧")
        pos += length
    if pos == 0 or pos > len(data):
        raise MediaInvalid("MP3 音频帧不完整")
    return MP3


def check_media(data: bytes) -> str:
    """The proved media type of ``data``; raises ``MediaInvalid`` with a Chinese reason."""
    kind = sniff_media(data[:16])
    if kind in (MP4, M4A):
        return check_mp4(data)
    if kind == MP3:
        return check_mp3(data)
    raise MediaInvalid("不是 MP4、M4A 或 MP3 文件")
