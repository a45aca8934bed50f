"""Statistics of a year (issue 14): the figures, their agreement with the annual report's Table 三 and
section 一, the fixed number of queries, the pages and their XLSX downloads."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.annual_report.formats import APPLICANT_KEYS, OUTCOME_GROUPS
from gongkai.reporting.compose import resolve_format
from gongkai.reporting.queries import ledger_figures
from gongkai.reporting.selectors import build_annual_report
from gongkai.reporting.statistics import year_statistics
from ledger_fixtures import LedgerMaker
from staff_auth import sign_in

D = dt.date
YEAR = 2024
# Late in the year, so the portal's "this year" is YEAR and every record below is in the past.
NOW = dt.datetime(2024, 12, 30, 10, 0, tzinfo=dt.UTC)


def _request(ledger: LedgerMaker, received: dt.date, closed: dt.date | None = None, *, due: dt.date | None = None,
             **kw: Any) -> Any:  # fmt: skip
    from gongkai.inforequests.models import InfoRequest

    req = ledger.request(received_on=received, closed_on=closed, **kw)
    if due is not None:
        InfoRequest.objects.filter(pk=req.pk).update(due_on=due)
    return req


def _letter(received: dt.date, replied: dt.date | None = None, completed: dt.date | None = None) -> None:
    from gongkai.engagement.models import Letter, LetterStatus

    status = LetterStatus.COMPLETED if completed else LetterStatus.REPLIED if replied else LetterStatus.NEW
    Letter.objects.create(
        reference=f"XX{Letter.objects.count() + 1:04d}",
        subject="来信",
        body="来信内容",
        anonymous=True,
        received_on=received,
        status=status,
        replied_on=replied,
        completed_on=completed,
    )


def _ledger(ledger: LedgerMaker) -> None:
    # Carried over from last year, answered in January: counted as closed, not as received.
    _request(ledger, D(2023, 12, 11), D(2024, 1, 5), due=D(2024, 1, 10))
    # Answered on time (day 12 of 20) and late.
    _request(
        ledger,
        D(2024, 3, 4),
        D(2024, 3, 20),
        due=D(2024, 4, 1),
        outcome="partial",
        applicant_type="commercial",
    )
    _request(ledger, D(2024, 5, 6), D(2024, 6, 20), due=D(2024, 6, 3), outcome="refused.state_secret")
    # Closed without a reply (视为放弃): in Table 三's （六）, not in the on-time rate.
    _request(
        ledger, D(2024, 7, 1), D(2024, 7, 15), outcome="other.no_correction", applicant_type="legal_service"
    )
    # Still open, and received this year but answered next year.
    _request(ledger, D(2024, 11, 1))
    _request(
        ledger, D(2024, 12, 20), D(2025, 1, 10), outcome="unavailable.not_held", applicant_type="research"
    )
    # Last year's, and not yet received (awaiting confirmation): neither counts.
    _request(ledger, D(2023, 2, 1), D(2023, 2, 20))
    ledger.request(received_on=None)
    ledger.publication(published_on=D(2024, 2, 5), category="art20_1")
    ledger.publication(published_on=D(2024, 2, 9), category="art20_7")
    ledger.publication(published_on=D(2024, 9, 2), category="art20_7", withdrawn_on=D(2024, 10, 1))
    ledger.publication(published_on=D(2023, 9, 2), category="art20_7")
    ledger.publication(published_on=None)
    _letter(D(2024, 3, 1), D(2024, 3, 8), D(2024, 3, 8))  # 5 working days
    _letter(D(2024, 4, 1), D(2024, 4, 3))  # replied, not completed
    _letter(D(2024, 6, 3))
    _letter(D(2023, 12, 28), D(2024, 1, 4), D(2024, 1, 4))  # last year's letter answered this year


@pytest.fixture
def stats_ledger(ledger: LedgerMaker, calendar_db: Any) -> LedgerMaker:
    _ledger(ledger)
    return ledger


def test_figures_of_the_year(stats_ledger: LedgerMaker) -> None:
    s = year_statistics(YEAR)
    assert s.received_total == 5
    assert s.received[3]["commercial"] == 1 and s.received[12]["research"] == 1
    assert s.closed_total == 4
    assert s.closed_by_group() == {
        "granted": 1, "partial": 1, "refused": 1, "unavailable": 0, "not_processed": 0, "other": 1,
    }  # fmt: skip
    # Three answered cases with a deadline; two by it.
    assert (s.timed_total, s.on_time_total) == (3, 2)
    assert s.on_time_share == pytest.approx(2 / 3)
    # 2023-12-11 → 2024-01-05: 18 working days; 2024-03-04 → 03-20: 12; 2024-05-06 → 06-20: 33 (11 May a 调休 workday, 10 June 端午).
    assert s.answer_days[3].median == 12.0
    assert s.answer_days_year().histogram == {18: 1, 12: 1, 33: 1}
    assert s.answer_days_year().median == 18.0
    assert s.publications[2] == {"art20_1": 1, "art20_7": 1} and s.publications_total == 3
    assert s.letters_received[3] == 1 and s.letters_replied[1] == 1 and sum(s.letters_received.values()) == 3
    assert s.letter_days[3].median == 5.0
    assert (s.letters_received_total, s.letters_completed_total) == (3, 1)


@pytest.mark.parametrize("year_format", [None, "2019"])
def test_the_statistics_and_the_annual_reports_table_three_agree(
    stats_ledger: LedgerMaker, year_format: str | None
) -> None:
    """The yearly figures are the annual report's, in either report format (2019 folds （六）1–3)."""
    report = build_annual_report(YEAR, format=year_format)
    s = year_statistics(YEAR)
    table = report.requests
    assert s.received_total == table["new_received"]["total"]
    assert s.received_by_applicant() == {k: table["new_received"][k] for k in APPLICANT_KEYS}
    assert s.closed_total == table["total"]["total"]
    fmt = report.report_format
    for group in OUTCOME_GROUPS:
        rows = [r.key for r in fmt.request_rows if r.group_key == group.key]
        assert s.closed_by_group()[group.key] == sum(table[r]["total"] for r in rows), group.key
    figures = ledger_figures(YEAR, resolve_format(YEAR, year_format, "national"))
    assert s.publications_total == figures.items_published
    assert (s.letters_received_total, s.letters_completed_total) == (
        figures.letters_received,
        figures.letters_completed,
    )


def _more_records(ledger: LedgerMaker, n: int) -> None:
    for i in range(n):
        month = 1 + i % 12
        _request(ledger, D(2024, month, 2 + i % 20), D(2024, month, 25), due=D(2024, month, 28),
                 outcome=("granted", "partial", "unavailable.unclear", "not_processed.repeated")[i % 4],
                 applicant_type=APPLICANT_KEYS[i % len(APPLICANT_KEYS)])  # fmt: skip
        ledger.publication(published_on=D(2024, month, 3 + i % 20), category=f"art20_{1 + i % 15}")
        _letter(D(2024, month, 1 + i % 20), D(2024, month, 25))


def _queries(fn: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_statistics_run_in_a_fixed_number_of_queries(
    stats_ledger: LedgerMaker, staff: dict[str, Any], client: Any
) -> None:
    staff_client = sign_in(Client(), staff["officehead"])

    def pages() -> tuple[int, int, int]:
        with time_machine.travel(NOW, tick=False):
            return (
                _queries(lambda: client.get(reverse("portal:statistics"))),
                _queries(lambda: staff_client.get(reverse("reporting:statistics"))),
                _queries(lambda: staff_client.get(reverse("dashboard"))),
            )

    small = _queries(lambda: year_statistics(YEAR))
    pages()  # the first visit also fills per-process caches (the session's user, the navigation)
    pages_small = pages()
    _more_records(stats_ledger, 60)
    assert _queries(lambda: year_statistics(YEAR)) == small == 8
    assert pages() == pages_small


# -- the public page ----------------------------------------------------------------------------------


def test_public_page_shows_the_years_figures_and_no_case(stats_ledger: LedgerMaker, client: Any) -> None:
    from gongkai.inforequests.models import InfoRequest

    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("portal:statistics"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "工作数据 · 2024年" in html
    assert html.count("<svg") >= 4 and 'role="img"' in html
    assert "<strong>5</strong>" in html and "<strong>4</strong>" in html and "<strong>66.7%</strong>" in html
    for req in InfoRequest.objects.all():
        assert req.reference not in html and req.applicant_name not in html
    # Nothing is fetched from elsewhere: every src/href is on this site (the SVG namespace is no request).
    assert "https://" not in html and 'src="http' not in html and 'href="http' not in html
    assert 'aria-current="page">工作数据' in html


def test_public_xlsx_is_the_tables_rows(stats_ledger: LedgerMaker, client: Any) -> None:
    report = build_annual_report(YEAR)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("portal:statistics_xlsx", args=["outcome"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == "月份" and rows[1][1] == OUTCOME_GROUPS[0].label
    total = next(r for r in rows if r[0] == "合计")
    assert total[-1] == report.requests["total"]["total"] == 4
    assert client.get(reverse("portal:statistics_xlsx", args=["nosuch"])).status_code == 404


# -- the workbench page and the dashboard ------------------------------------------------------------------


@pytest.mark.parametrize("key", ["outcome", "applicant", "timeliness", "publications", "mailbox"])
def test_staff_tables_download(
    stats_ledger: LedgerMaker, staff: dict[str, Any], client: Any, key: str
) -> None:
    sign_in(client, staff["officehead"])
    response = client.get(reverse("reporting:statistics_xlsx", args=[key]) + f"?year={YEAR}")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert str(YEAR) in rows[0][0] and rows[-1][0] != "月份"


def test_staff_page_needs_a_login_and_says_what_is_wrong_with_a_year(
    stats_ledger: LedgerMaker, staff: dict[str, Any], client: Any
) -> None:
    url = reverse("reporting:statistics")
    assert client.get(url).status_code == 302
    sign_in(client, staff["staff"])
    ok = client.get(url + f"?year={YEAR}")
    assert ok.status_code == 200 and "工作统计 · 2024年" in ok.content.decode()
    assert ok.content.decode().count("<table") == 5
    bad = client.get(url + "?year=19x")
    assert bad.status_code == 400 and "年份“19x”无效" in bad.content.decode()
    assert client.get(url + "?year=2018").status_code == 400
    assert client.get(reverse("reporting:statistics_xlsx", args=["outcome"]) + "?year=abc").status_code == 404


def test_dashboard_shows_the_charts_to_the_office_head_only(
    stats_ledger: LedgerMaker, staff: dict[str, Any], client: Any
) -> None:
    with time_machine.travel(NOW, tick=False):
        sign_in(client, staff["officehead"])
        html = client.get(reverse("dashboard")).content.decode()
        assert "2024年工作统计" in html and html.count('class="chart"') == 3
        assert "本年收到申请 5 件，办结 4 件；按期答复率 66.7%" in html
        client.logout()
        sign_in(client, staff["staff"])
        assert "工作统计" not in client.get(reverse("dashboard")).content.decode()
