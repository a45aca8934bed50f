"""Audio and video uploads: the container is proved from its structure (MP4 boxes, MP3 frames), the name
must agree, and what is not media, or is cut short, is refused with a Chinese reason."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.core.files import JPEG, M4A, MP3, MP4, PDF, UploadRejected, validate_file
from participation.media_samples import FRAME, box, mp3, mp4

MEDIA = {MP4, M4A, MP3}
CAP = 5 * 1024 * 1024


def check(name: str, data: bytes, accept: set[str] = MEDIA) -> str:
    return validate_file(SimpleUploadedFile(name, data), accept=accept, cap=CAP).content_type


def test_real_containers_pass() -> None:
    assert check("第一课.mp4", mp4()) == MP4
    assert check("讲座.m4a", mp4(b"M4A ")) == M4A
    assert check("广播.mp3", mp3()) == MP3
    assert check("无标签.mp3", mp3(id3=False)) == MP3


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("page.mp4", b"<html><script>alert(1)</script></html>", "内容不是"),
        ("cut.mp4", mp4()[:-100], "长度与文件不符"),
        ("nomoov.mp4", mp4(moov=False), "缺少 moov"),
        ("text.mp3", "这是一段文字，不是音频。".encode() * 10, "内容不是"),
        ("broken.mp3", mp3(frames=1) + b"\x00" * 50 + FRAME, "有效的 MP3 音频帧"),
        ("song.mp4", mp3(), "扩展名与内容不符"),
        (
            "junk.mp4",
            box(b"ftyp", b"isom\x00\x00\x00\x00") + b"\x01\x02\x03\x04\xff\xfe\x00\x00",
            "无法识别|长度",
        ),
    ],
)
def test_what_is_not_a_whole_media_file_is_refused(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(UploadRejected, match=reason):
        check(name, data)


def test_media_is_refused_where_only_documents_or_images_are_taken() -> None:
    with pytest.raises(UploadRejected, match="不支持的文件类型"):
        check("课.mp4", mp4(), accept={PDF, JPEG})
    # Renamed to a picture: sniffed as video, which is not taken there.
    with pytest.raises(UploadRejected, match="内容不是"):
        check("photo.jpg", mp4(), accept={JPEG})


def test_the_size_cap_holds() -> None:
    with pytest.raises(UploadRejected, match="文件过大"):
        validate_file(SimpleUploadedFile("big.mp4", mp4(mdat=b"\x00" * 2000)), accept=MEDIA, cap=1000)
