from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "gongkai.delivery"
    label = "delivery"
    verbose_name = _("消息送达")

    @property
    def outbox_handlers(self) -> dict[str, Any]:
        """Read by `gongkai tick`: the events this app expands and the channels it delivers through."""
        from gongkai.delivery.expand import EVENT_KINDS, expand_event
        from gongkai.delivery.send import HANDLERS, ChannelHandler

        expand = ChannelHandler("通知分发", expand_event)
        return {**dict.fromkeys(EVENT_KINDS, expand), **HANDLERS}

    @property
    def tick_jobs(self) -> list[Any]:
        from gongkai.delivery.reminders import deadline_reminders

        return [deadline_reminders]

    def ready(self) -> None:
        from gongkai.core.dashboard import register_panel
        from gongkai.delivery import panels

        for panel in panels.PANELS:
            register_panel(panel)
