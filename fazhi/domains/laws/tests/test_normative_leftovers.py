"""Leftovers of the normative lifecycle: 未按时报备 in the annual report
counts documents repealed unfiled after their filing deadline; expiry ends an
open filing procedure like repeal; publication renames the case."""

import io
from datetime import date

import pytest
from docx import Document as Docx

from fazhi.domains.laws.normative_queries import annual_figures_of
from fazhi.domains.laws.normative_report import annual_report_docx
from fazhi.domains.laws.normative_testing import at, draft, filed, published, reviewed
from fazhi.domains.laws.services import normative as ns

pytestmark = pytest.mark.django_db


def _published(people, org, title, on, *, years=5):
    drafter = people["scj_handler"]
    nd = draft(drafter=drafter, agency=org["420200-SCJ"], on=on, title=title)
    reviewed(nd, drafter=drafter, reviewer=people["fzb"], on=on)
    return published(nd, drafter=drafter, on=on, years=years)


def _repeal(people, nd, on):
    with at(on):
        ns.normative_repeal(
            actor=people["scj_handler"], document=nd, reason="上位法已修改", on=on
        )


# -- 1. 未按时报备 ---------------------------------------------------------------


def test_unfiled_overdue_counts_a_document_repealed_unfiled_after_its_deadline(
    people, org
):
    # Published 2 Feb 2026: the filing period (30 days) ends 4 March.
    late_repeal = _published(people, org, "逾期未报备后废止", date(2026, 2, 2))
    _repeal(people, late_repeal, date(2026, 4, 1))
    timely_repeal = _published(people, org, "期限内废止", date(2026, 2, 2))
    _repeal(people, timely_repeal, date(2026, 2, 10))
    still_unfiled = _published(people, org, "逾期仍未报备", date(2026, 2, 2))
    late_filed = _published(people, org, "逾期报备", date(2026, 2, 2))
    filed(late_filed, drafter=people["scj_handler"], on=date(2026, 3, 20))
    on_time = _published(people, org, "按时报备", date(2026, 2, 2))
    filed(on_time, drafter=people["scj_handler"], on=date(2026, 2, 20))
    with at(date(2027, 1, 15)):
        f = annual_figures_of(org["420200"], 2026)
    assert still_unfiled.case.state == "published"
    assert f.published == 5
    # Filed late: in 报送备案 but not 按时; not 未按时报备 (it was filed).
    assert (f.filed, f.filed_on_time) == (2, 1)
    # The one still waiting and the one repealed unfiled after 4 March; the
    # one repealed within the period owed no filing.
    assert f.unfiled_overdue == 2
    assert f.repealed == 2
    docx = Docx(io.BytesIO(annual_report_docx(f, issued=date(2027, 1, 15))))
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "报送备案2件，其中按时报送1件" in text
    assert "截至报告日逾期未报备2件" in text


def test_unfiled_overdue_counts_only_deadlines_passed_by_the_cutoff(people, org):
    nd = _published(people, org, "年末公布", date(2026, 12, 15))  # due 14 Jan 2027
    _repeal(people, nd, date(2027, 2, 1))
    with at(date(2027, 3, 1)):
        assert annual_figures_of(org["420200"], 2026).unfiled_overdue == 0
    # Mid-year, a deadline not yet passed today is not counted either.
    early = _published(people, org, "年中公布", date(2026, 6, 1))  # due 1 July
    with at(date(2026, 6, 20)):
        assert annual_figures_of(org["420200"], 2026).unfiled_overdue == 0
    with at(date(2026, 7, 10)):
        assert annual_figures_of(org["420200"], 2026).unfiled_overdue == 1
    _repeal(people, early, date(2026, 7, 15))
    with at(date(2026, 7, 20)):
        assert annual_figures_of(org["420200"], 2026).unfiled_overdue == 1


# -- 3. the case takes the published title ------------------------------------


def test_publish_renames_the_case_without_the_draft_mark(people, org):
    from fazhi.kernel.audit.models import AuditEvent

    nd = _published(people, org, "黄石市停车管理办法（草案）", date(2026, 3, 2))
    nd.case.refresh_from_db()
    assert nd.title == nd.case.title == "黄石市停车管理办法"
    event = AuditEvent.objects.get(
        record_type="case", record_id=str(nd.case_id), action="case.retitle"
    )
    assert event.payload["previous"] == "黄石市停车管理办法（草案）"
    assert event.payload["reason"] == "公布"
    assert event.actor_id == people["scj_handler"].pk
    # A title without the mark: nothing to rename, no event.
    plain = _published(people, org, "黄石市养犬管理办法", date(2026, 3, 2))
    assert not AuditEvent.objects.filter(
        record_type="case", record_id=str(plain.case_id), action="case.retitle"
    ).exists()
