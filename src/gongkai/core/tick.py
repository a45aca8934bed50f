"""``gongkai tick``: the periodic work of every app, in one pass.

Each app declares on its AppConfig what it contributes: ``outbox_handlers`` (message kind -> handler),
``tick_jobs`` (functions run before the outbox is drained, e.g. deadline reminders) and ``private_folders``
(swept of files no row names, ``core.orphans``). Nothing here knows the apps by name.
"""

from __future__ import annotations

from typing import Any

from gongkai.core.services import DrainResult, drain_outbox

__all__ = ["run_tick"]


def _sweep_orphan_uploads() -> None:
    from gongkai.core.orphans import sweep_orphan_uploads

    swept = sweep_orphan_uploads()
    if swept.removed:
        print(f"已清理 {len(swept.removed)} 个没有对应记录的上传文件")


def _tick_parts() -> tuple[dict[str, Any], dict[str, str], list[Any]]:
    """The handlers that can deliver now, the kinds waiting for a channel (with why), and the tick jobs.

    Each app declares on its AppConfig ``outbox_handlers`` (kind -> handler; a handler with an
    ``unavailable()`` method says why it cannot deliver yet, e.g. an SMS gateway not configured) and
    ``tick_jobs`` (functions run before the outbox is drained, e.g. deadline reminders; each returns the
    lines to print).
    """
    from django.apps import apps

    handlers: dict[str, Any] = {}
    jobs: list[Any] = []
    for config in apps.get_app_configs():
        handlers.update(getattr(config, "outbox_handlers", None) or {})
        jobs.extend(getattr(config, "tick_jobs", None) or ())
    waiting: dict[str, str] = {}
    for kind, handler in list(handlers.items()):
        reason = handler.unavailable() if hasattr(handler, "unavailable") else None
        if reason:
            waiting[kind] = reason
            del handlers[kind]
    return handlers, waiting, jobs


def _pending_counts(exclude: list[str] | None = None, only: list[str] | None = None) -> dict[str, int]:
    from gongkai.core.models import OutboxMessage

    pending = OutboxMessage.objects.filter(sent_at__isnull=True, dead_at__isnull=True)
    if exclude is not None:
        pending = pending.exclude(kind__in=exclude)
    if only is not None:
        pending = pending.filter(kind__in=only)
    counts: dict[str, int] = {}
    for kind in pending.values_list("kind", flat=True):
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def _print_drain(result: DrainResult, handlers: dict[str, Any]) -> None:
    from django.utils import timezone

    def label(kind: str) -> str:
        return str(getattr(handlers.get(kind), "label", kind))

    sent: dict[str, int] = {}
    for o in result.outcomes:
        if o.status == "sent":
            sent[label(o.kind)] = sent.get(label(o.kind), 0) + 1
    by_label = "、".join(f"{k} {n} 条" for k, n in sent.items())
    print(f"已发送 {len(result.sent)} 条消息" + (f"：{by_label}" if by_label else ""))
    retry = [o for o in result.outcomes if o.status == "retry"]
    if retry:
        print(f"发送失败、稍后重试 {len(retry)} 条：")
        for o in retry:
            when = (
                timezone.localtime(o.next_attempt_at).strftime("%Y-%m-%d %H:%M") if o.next_attempt_at else ""
            )
            print(f"  #{o.pk} {label(o.kind)}：{o.note}（{when} 后重试）")
    dead = [o for o in result.outcomes if o.status == "dead"]
    if dead:
        print(f"多次失败、转入死信 {len(dead)} 条（公开办可在工作台“消息送达”页面查看并重新发送）：")
        for o in dead:
            print(f"  #{o.pk} {label(o.kind)}：{o.note}")


def run_tick(*, limit: int) -> bool:
    """Sweep orphan uploads, run the apps' tick jobs, drain the outbox; print what happened in Chinese.

    False when a job or a delivery failed (``gongkai tick`` then exits non-zero).
    """
    _sweep_orphan_uploads()

    handlers, waiting, jobs = _tick_parts()
    job_failed = False
    for job in jobs:
        try:
            for line in job():
                print(line)
        except Exception as exc:  # one broken job must not keep the outbox from being drained
            job_failed = True
            print(f"定时任务 {getattr(job, '__name__', job)} 失败：{type(exc).__name__}: {exc}")
    result = drain_outbox(handlers, limit=limit)
    _print_drain(result, handlers)
    for kind, count in sorted(_pending_counts(only=list(waiting)).items()):
        print(f"等待渠道配置、保留待发 {count} 条（{kind}）：{waiting[kind]}")
    kinds = _pending_counts(exclude=[*handlers, *waiting])
    if kinds:
        listed = "、".join(f"{k}（{n} 条）" for k, n in sorted(kinds.items()))
        print(f"尚无发送程序、保留待发：{listed}")
    return not (result.failed or job_failed)
