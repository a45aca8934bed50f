"""Keep the index in step with the ledger.

Signals rather than calls from the publication services, on purpose: the index is a derived projection
that must follow every save of a Publication — publish, edit, withdraw, repeal, delete — whichever
service made it, and it must never be the reason a ledger write is refused or forgotten. The receivers
run inside the saving transaction, so the index commits or rolls back with the ledger row.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save


def _saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata: the fixture's rows are indexed by `rebuild_search_index` afterwards
        return
    from gongkai.search.index import sync_publication

    sync_publication(instance)


def _deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    from gongkai.search.index import remove_publication

    remove_publication(instance.pk)


def connect() -> None:
    from gongkai.publications.models import Publication

    post_save.connect(_saved, sender=Publication, dispatch_uid="search.publication_saved")
    post_delete.connect(_deleted, sender=Publication, dispatch_uid="search.publication_deleted")
