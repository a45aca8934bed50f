"""Re-create the full-text index from the ledger (after a bulk import or an upgrade of the tokeniser)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.search.index import rebuild_index


class Command(BaseCommand):
    help = "按台账重建主动公开信息全文检索索引"

    def handle(self, *args: Any, **options: Any) -> None:
        n = rebuild_index()
        self.stdout.write(f"已索引 {n} 条主动公开信息")
