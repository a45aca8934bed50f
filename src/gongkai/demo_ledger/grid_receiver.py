"""The demo's stand-in for the district grid platform and the 96010 hotline: a tiny HTTP server on a
thread of the `gongkai demo` process, on 127.0.0.1 and a free port, for as long as the demo builds.

It checks each webhook's HMAC signature, answers ``{"id": "WG-0001"}`` (one id per Idempotency-Key, as a
real receiver that deduplicates would), and refuses with HTTP 403 the tracking numbers it was told to
refuse, so that the demo shows a dead-lettered forwarding too. It keeps nothing on disk.
"""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings

__all__ = ["DemoReceiver"]

_SETTINGS = ("GONGKAI_GRID_URL", "GONGKAI_GRID_KEY", "GONGKAI_96010_URL", "GONGKAI_96010_KEY")


class DemoReceiver:
    def __init__(self) -> None:
        self.key = secrets.token_hex(16)
        self.refuse: set[str] = set()  # tracking numbers answered with 403
        self.accepted: dict[str, str] = {}
        self._lock = threading.Lock()
        self._server: http.server.ThreadingHTTPServer | None = None

    def _answer(self, path: str, body: bytes, key: str, timestamp: str, signature: str) -> tuple[int, dict]:
        expected = (
            "sha256="
            + hmac.new(self.key.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        )
        if not hmac.compare_digest(expected, signature):
            return 401, {"error": "bad signature"}
        if json.loads(body).get("tracking_number") in self.refuse:
            return 403, {"error": "refused"}
        prefix = "RX" if path.startswith("/96010") else "WG"
        with self._lock:
            ref = self.accepted.setdefault(key, f"{prefix}-{len(self.accepted) + 1:04d}")
        return 200, {"id": ref}

    @contextmanager
    def running(self) -> Iterator[DemoReceiver]:
        """Serve, with both receivers' settings pointing here; the settings are put back afterwards."""
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status, answer = receiver._answer(
                    self.path,
                    body,
                    self.headers.get("Idempotency-Key", ""),
                    self.headers.get("X-Gongkai-Timestamp", ""),
                    self.headers.get("X-Gongkai-Signature", ""),
                )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        port = self._server.server_address[1]
        thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="demo-grid-receiver")
        thread.start()
        saved = {name: getattr(settings, name, "") for name in _SETTINGS}
        settings.GONGKAI_GRID_URL = f"http://127.0.0.1:{port}/grid"
        settings.GONGKAI_96010_URL = f"http://127.0.0.1:{port}/96010"
        settings.GONGKAI_GRID_KEY = settings.GONGKAI_96010_KEY = self.key
        try:
            yield self
        finally:
            for name, value in saved.items():
                setattr(settings, name, value)
            self._server.shutdown()
            self._server.server_close()
            thread.join(timeout=5)
