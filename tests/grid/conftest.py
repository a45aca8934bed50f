"""A real local HTTP receiver playing the grid platform / 96010 hotline, photos with GPS EXIF made here."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import io
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational

GRID_KEY = "grid-test-key"
HOTLINE_KEY = "hotline-test-key"


def gps_jpeg(size: tuple[int, int] = (160, 120)) -> bytes:
    """A JPEG whose EXIF holds a camera name and a GPS position (39°54'15.2"N 116°24'26"E)."""
    img = Image.new("RGB", size, (30, 140, 90))
    exif = Image.Exif()
    exif[0x010F] = "GongkaiTestCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[1], gps[3] = "N", "E"
    gps[2] = (IFDRational(39), IFDRational(54), IFDRational(1520, 100))
    gps[4] = (IFDRational(116), IFDRational(24), IFDRational(26))
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def gps_of(data: bytes) -> dict[int, Any]:
    with Image.open(io.BytesIO(data)) as img:
        return dict(img.getexif().get_ifd(ExifTags.IFD.GPSInfo))


@dataclass
class Hit:
    key: str
    body: dict[str, Any]
    signature_ok: bool
    status: int


class Receiver:
    """Records every POST, checks the HMAC signature, keeps one id per Idempotency-Key (as a receiver that
    deduplicates would), and can be told to fail: ``fail_with`` answers that HTTP status instead."""

    def __init__(self, key: str, prefix: str) -> None:
        self.key, self.prefix = key.encode(), prefix
        self.hits: list[Hit] = []
        self.accepted: dict[str, str] = {}  # idempotency key -> the id given
        self.fail_with: int | None = None
        self.delay = 0.0  # seconds per request, so that two senders overlap
        self.lock = threading.Lock()
        self.server: http.server.ThreadingHTTPServer | None = None
        self.port = 0

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                time.sleep(receiver.delay)
                ts = self.headers.get("X-Gongkai-Timestamp", "")
                expected = (
                    "sha256=" + hmac.new(receiver.key, ts.encode() + b"." + raw, hashlib.sha256).hexdigest()
                )
                ok = hmac.compare_digest(expected, self.headers.get("X-Gongkai-Signature", ""))
                key = self.headers.get("Idempotency-Key", "")
                with receiver.lock:
                    status = receiver.fail_with or (200 if ok else 401)
                    if status == 200:
                        ref = receiver.accepted.setdefault(
                            key, f"{receiver.prefix}-{len(receiver.accepted) + 1}"
                        )
                    receiver.hits.append(Hit(key, json.loads(raw), ok, status))
                answer = json.dumps({"id": ref} if status == 200 else {"error": "down"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def up(self) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self) -> None:
        """Really down: the port refuses connections until ``up()`` binds it again."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/reports"


@pytest.fixture
def receivers(settings: Any) -> Iterator[tuple[Receiver, Receiver]]:
    grid, hotline = Receiver(GRID_KEY, "WG"), Receiver(HOTLINE_KEY, "RX")
    grid.up()
    hotline.up()
    settings.GONGKAI_GRID_URL, settings.GONGKAI_GRID_KEY = grid.url, GRID_KEY
    settings.GONGKAI_96010_URL, settings.GONGKAI_96010_KEY = hotline.url, HOTLINE_KEY
    yield grid, hotline
    grid.down()
    hotline.down()


@pytest.fixture(autouse=True)
def _no_receivers_unless_asked(settings: Any) -> None:
    settings.GONGKAI_GRID_URL = settings.GONGKAI_GRID_KEY = ""
    settings.GONGKAI_96010_URL = settings.GONGKAI_96010_KEY = ""
