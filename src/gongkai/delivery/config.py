"""The channels' configuration from the environment (read through Django settings at send time).

``GONGKAI_EMAIL_URL``: ``smtp://[user:password@]host[:port][?starttls=1][&from=addr][&timeout=s]`` or
``smtps://…`` (TLS from the first byte, port 465 by default). User and password are URL-encoded
(``@`` → ``%40``). Without it, mail is written as .eml files under ``$GONGKAI_HOME/mail/``.
``GONGKAI_SMS_URL`` + ``GONGKAI_SMS_KEY``: the SMS gateway's webhook and the HMAC key of its signature.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings

__all__ = ["ConfigError", "EmailConfig", "SmsConfig", "email_config", "mail_dir", "sms_config"]

DEFAULT_TIMEOUT = 30
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(ValueError):
    """A channel's setting cannot be understood; the message names the variable and the fix."""


@dataclass(frozen=True)
class EmailConfig:
    host: str
    port: int
    username: str
    password: str
    use_ssl: bool  # smtps://
    use_starttls: bool
    from_address: str
    timeout: int

    @property
    def description(self) -> str:
        mode = "SMTPS" if self.use_ssl else ("SMTP+STARTTLS" if self.use_starttls else "SMTP")
        return f"{mode} {self.host}:{self.port}"


def _flag(query: dict[str, list[str]], name: str) -> bool:
    value = (query.get(name) or [""])[-1].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"GONGKAI_EMAIL_URL 中 {name}={value} 无法识别，请使用 1 或 0")


def _default_from(host: str) -> str:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return f"noreply@{host}" if "." in host else "noreply@localhost"
    return "noreply@localhost"


def parse_email_url(url: str) -> EmailConfig:
    """``GONGKAI_EMAIL_URL`` as an ``EmailConfig``; ``ConfigError`` in Chinese for anything malformed."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps"):
        raise ConfigError(
            f"GONGKAI_EMAIL_URL 的协议“{parts.scheme or '（无）'}”无法识别：请使用 smtp:// 或 smtps://，"
            "如 smtp://mail.example.gov.cn:587?starttls=1"
        )
    if not parts.hostname:
        raise ConfigError("GONGKAI_EMAIL_URL 缺少邮件服务器地址，如 smtp://mail.example.gov.cn:25")
    try:
        port = parts.port
    except ValueError:
        raise ConfigError("GONGKAI_EMAIL_URL 中的端口号无效（应为 1–65535 的数字）") from None
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - {"starttls", "tls", "from", "timeout"})
    if unknown:
        raise ConfigError(
            f"GONGKAI_EMAIL_URL 中的参数 {'、'.join(unknown)} 无法识别（可用：starttls、from、timeout）"
        )
    starttls = _flag(query, "starttls") or _flag(query, "tls")
    if scheme == "smtps" and starttls:
        raise ConfigError("smtps:// 已全程加密，不能再加 starttls=1；STARTTLS 请使用 smtp://…?starttls=1")
    timeout_text = (query.get("timeout") or [str(DEFAULT_TIMEOUT)])[-1]
    if not timeout_text.isdigit() or not 1 <= int(timeout_text) <= 600:
        raise ConfigError("GONGKAI_EMAIL_URL 中 timeout 应为 1–600 之间的秒数")
    sender = unquote((query.get("from") or [""])[-1]).strip() or _default_from(parts.hostname)
    if "@" not in sender:
        raise ConfigError(f"GONGKAI_EMAIL_URL 中的发件地址“{sender}”不是电子邮箱地址")
    return EmailConfig(
        host=parts.hostname,
        port=port or (465 if scheme == "smtps" else 25),
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_ssl=scheme == "smtps",
        use_starttls=starttls,
        from_address=sender,
        timeout=int(timeout_text),
    )


def email_config() -> EmailConfig | None:
    """The configured SMTP server, or None when mail goes to files (``GONGKAI_EMAIL_URL`` unset)."""
    url = (getattr(settings, "GONGKAI_EMAIL_URL", "") or "").strip()
    return parse_email_url(url) if url else None


def mail_dir() -> Path:
    return Path(getattr(settings, "GONGKAI_MAIL_DIR", None) or Path(settings.GONGKAI_HOME) / "mail")


@dataclass(frozen=True)
class SmsConfig:
    url: str
    key: bytes
    timeout: int = 15


def sms_config() -> SmsConfig | None:
    """The SMS gateway, or None when it is not configured (SMS then wait); ``ConfigError`` if half set."""
    url = (getattr(settings, "GONGKAI_SMS_URL", "") or "").strip()
    key = (getattr(settings, "GONGKAI_SMS_KEY", "") or "").strip()
    if not url and not key:
        return None
    if not url or not key:
        missing = "GONGKAI_SMS_URL" if not url else "GONGKAI_SMS_KEY"
        raise ConfigError(
            f"短信网关配置不完整：请同时设置 GONGKAI_SMS_URL 和 GONGKAI_SMS_KEY（缺少 {missing}）"
        )
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise ConfigError("GONGKAI_SMS_URL 应为 http:// 或 https:// 开头的网址")
    return SmsConfig(url=url, key=key.encode("utf-8"))
