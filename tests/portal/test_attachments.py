"""Attachments on the portal: listed on the item page, PDFs inline, others downloaded, withdrawn gone."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sample_files import pdf_bytes

pytestmark = pytest.mark.django_db


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_item_page_lists_its_attachments(client: Client, ledger: Any) -> None:
    waste = ledger.items["waste"]
    pdf, xlsx = waste.attachments.all()
    page = client.get(reverse("portal:item", args=[waste.pk])).content.decode()
    assert "附件" in page
    assert "垃圾分类工作实施方案（正式文本）" in page and "垃圾分类驿站分布表" in page
    assert reverse("portal:item_attachment", args=[waste.pk, pdf.pk]) in page
    assert (
        "在线阅读" in page
        and f"{reverse('portal:item_attachment', args=[waste.pk, xlsx.pk])}?download=1" in page
    )
    # The uploader's own file names are not shown: only the titles the office gave.
    assert "方案.pdf" not in page and "驿站.xlsx" not in page


def test_a_pdf_opens_in_the_browser_and_downloads_on_request(client: Client, ledger: Any) -> None:
    waste = ledger.items["waste"]
    pdf = waste.attachments.get(content_type="application/pdf")
    url = reverse("portal:item_attachment", args=[waste.pk, pdf.pk])
    inline = client.get(url)
    assert inline.status_code == 200
    assert inline["Content-Type"] == "application/pdf"
    assert inline["Content-Disposition"].startswith("inline;")
    assert inline["X-Content-Type-Options"] == "nosniff"
    assert body(inline) == pdf_bytes("Waste sorting plan")
    download = client.get(url + "?download=1")
    assert download["Content-Disposition"].startswith("attachment;")
    assert ".pdf" in download["Content-Disposition"]


def test_a_spreadsheet_always_downloads_in_a_sandbox(client: Client, ledger: Any) -> None:
    waste = ledger.items["waste"]
    xlsx = waste.attachments.get(title="垃圾分类驿站分布表")
    response = client.get(reverse("portal:item_attachment", args=[waste.pk, xlsx.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]
    # (Compared by digest: a workbook written again would carry another timestamp.)
    served = body(response)
    assert hashlib.sha256(served).hexdigest() == xlsx.sha256 and served.startswith(b"PK\x03\x04")


def test_a_withdrawn_items_files_go_with_it(client: Client, ledger: Any) -> None:
    gone = ledger.items["withdrawn"]
    (att,) = gone.attachments.all()
    response = client.get(reverse("portal:item_attachment", args=[gone.pk, att.pk]))
    assert response.status_code == 410
    assert "该信息已撤回" in response.content.decode()


def test_a_drafts_file_or_a_file_through_another_item_is_not_found(client: Client, ledger: Any) -> None:
    draft_att = ledger.items["draft_attachment"]
    assert (
        client.get(
            reverse("portal:item_attachment", args=[ledger.items["draft"].pk, draft_att.pk])
        ).status_code
        == 404
    )
    elderly = ledger.items["elderly"]
    assert client.get(reverse("portal:item_attachment", args=[elderly.pk, draft_att.pk])).status_code == 404
    waste_att = ledger.items["waste"].attachments.first()
    assert client.get(reverse("portal:item_attachment", args=[elderly.pk, waste_att.pk])).status_code == 404


def test_a_file_missing_from_storage_is_a_clear_404(client: Client, ledger: Any) -> None:
    from gongkai.core.files import private_storage

    waste = ledger.items["waste"]
    att = waste.attachments.first()
    private_storage().delete(att.storage_name)
    response = client.get(reverse("portal:item_attachment", args=[waste.pk, att.pk]))
    assert response.status_code == 404


def test_attachment_titles_are_searched_with_the_item(ledger: Any) -> None:
    from gongkai.search.index import rebuild_index, search

    waste = ledger.items["waste"]
    for _ in range(2):  # as indexed at publication, then after a full rebuild
        assert [h.publication_id for h in search("分布表").hits] == [waste.pk]
        assert not search("示意图").hits  # the withdrawn item's attachment went with it
        assert not search("身份证").hits  # a draft's attachment is not public
        rebuild_index()


def test_files_are_not_kept_in_shared_caches(client: Client, ledger: Any) -> None:
    waste = ledger.items["waste"]
    att = waste.attachments.first()
    response = client.get(reverse("portal:item_attachment", args=[waste.pk, att.pk]))
    assert response["Cache-Control"] == "private, no-cache"
