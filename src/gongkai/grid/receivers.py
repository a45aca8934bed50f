"""The receivers of forwarded reports, each configured from the environment (through Django settings):
``GONGKAI_GRID_URL`` / ``GONGKAI_GRID_KEY`` (区网格化管理平台) and ``GONGKAI_96010_URL`` /
``GONGKAI_96010_KEY`` (96010 热线). The key is the shared HMAC secret: it signs what we send and checks
the status callbacks the receiver sends back."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from gongkai.grid.models import Receiver

__all__ = ["ReceiverConfig", "ReceiverConfigError", "receiver_config", "setting_names"]

_SETTING_PREFIX = {Receiver.GRID: "GONGKAI_GRID", Receiver.HOTLINE: "GONGKAI_96010"}


class ReceiverConfigError(ValueError):
    """A receiver is half configured or its URL is not a web address; the message says what to set."""


@dataclass(frozen=True)
class ReceiverConfig:
    receiver: Receiver
    url: str
    key: bytes
    timeout: int = 15


def setting_names(receiver: Receiver) -> tuple[str, str]:
    prefix = _SETTING_PREFIX[receiver]
    return f"{prefix}_URL", f"{prefix}_KEY"


def receiver_config(receiver: Receiver) -> ReceiverConfig | None:
    """The receiver's webhook and key, None when neither is set (reports then wait for it)."""
    url_name, key_name = setting_names(receiver)
    url = (getattr(settings, url_name, "") or "").strip()
    key = (getattr(settings, key_name, "") or "").strip()
    if not url and not key:
        return None
    label = Receiver(receiver).label
    if not url or not key:
        raise ReceiverConfigError(
            f"{label}的接口配置不完整：请同时设置 {url_name} 和 {key_name}（缺少 {url_name if not url else key_name}）"
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ReceiverConfigError(f"{url_name} 应为 http:// 或 https:// 开头的网址")
    return ReceiverConfig(receiver=Receiver(receiver), url=url, key=key.encode("utf-8"))
