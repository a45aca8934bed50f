from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "gongkai.grid"
    label = "grid"
    verbose_name = _("随手拍")
    # The re-encoded photos; `gongkai tick`'s orphan sweep removes one no report names.
    private_folders = {"grid": ("grid.Report", "storage_name")}

    @property
    def outbox_handlers(self) -> dict[str, Any]:
        """Read by `gongkai tick`: one signed webhook per report and receiver."""
        from gongkai.grid.forward import HANDLERS

        return dict(HANDLERS)
