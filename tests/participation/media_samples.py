"""Small audio and video files built box by box and frame by frame, as real encoders lay them out."""

from __future__ import annotations

import struct


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4(brand: bytes = b"isom", *, moov: bool = True, mdat: bytes = b"\x00" * 4000) -> bytes:
    ftyp = box(b"ftyp", brand + b"\x00\x00\x02\x00" + b"isomiso2avc1mp41")
    mvhd = box(b"mvhd", b"\x00" * 100)
    return ftyp + (box(b"moov", mvhd) if moov else b"") + box(b"mdat", mdat)


# MPEG-1 layer III, 128 kbit/s, 44.1 kHz, no padding: 417-byte frames.
FRAME_HEADER = b"\xff\xfb\x90\x64"
FRAME = FRAME_HEADER + b"\x00" * (417 - 4)


def mp3(frames: int = 20, *, id3: bool = True) -> bytes:
    tag = b""
    if id3:
        body = b"TIT2\x00\x00\x00\x07\x00\x00\x03test\x00"
        size = len(body)
        syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
        tag = b"ID3\x04\x00\x00" + syncsafe + body
    return tag + FRAME * frames
