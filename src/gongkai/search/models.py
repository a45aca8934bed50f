"""The search index's own copy of each published item (a derived projection of the ledger).

``key`` orders the index newest first: the publication date's ordinal in the high bits, the
publication id in the low 32, so "ORDER BY key DESC" is "newest published first" on both databases.
The text is kept as it was indexed: SQLite's contentless FTS5 table needs it to forget a document.
"""

from __future__ import annotations

from django.db import models


class SearchDoc(models.Model):
    key = models.BigIntegerField(primary_key=True)
    publication_id = models.BigIntegerField(unique=True)
    title = models.TextField()
    doc_number = models.TextField(blank=True)
    body = models.TextField(blank=True)
    category = models.CharField(max_length=16)
    department_id = models.BigIntegerField(null=True)
    published_on = models.DateField()

    class Meta:
        db_table = "search_doc"
        verbose_name = "检索索引条目"
        verbose_name_plural = "检索索引条目"

    def __str__(self) -> str:
        return self.title
