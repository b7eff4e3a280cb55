"""Staff pages of the normative-document procedure: the whole path walked
through the pages, scope (404), bounded queries, the catalogue export and the
annual report download."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document as Docx
from openpyxl import load_workbook

from fazhi.domains.laws.models import CleanupItem, NormativeDocument, Validity
from fazhi.domains.laws.normative_testing import (
    TEXT,
    at,
    draft,
    filed,
    published,
    reviewed,
)
from fazhi.kernel.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_titles():
    from fazhi.domains.laws.search.suggest import forget_titles

    forget_titles()
    yield
    forget_titles()


def do(client, number, action, **fields):
    data = {f"{action}-{k}": v for k, v in fields.items()}
    return client.post(reverse("laws_staff:normative_act", args=[number, action]), data)


def test_drafter_and_justice_bureau_walk_the_whole_path(client, people):
    drafter, office = people["scj_handler"], people["fzb"]
    with at(date(2026, 9, 1)):
        client.force_login(drafter)
        r = client.post(
            reverse("laws_staff:normative_register"),
            {
                "agency": "420200-SCJ",
                "title": "黄石市食品摊贩登记管理办法",
                "text": TEXT,
            },
        )
        assert r.status_code == 302
        nd = NormativeDocument.objects.get()
        number = nd.case.number
        assert do(client, number, "submit_review", on="2026-09-01").status_code == 302
        client.force_login(office)
        page = client.get(reverse("laws_staff:normative_index")).content.decode()
        assert 'data-section="review"' in page and number in page
        r = do(client, number, "legality", on="2026-09-01", verdict="lawful", text="")
        assert r.status_code == 302
        client.force_login(drafter)
        r = do(
            client,
            number,
            "publish",
            doc_number="黄市监规〔2026〕3号",
            published_on="2026-09-01",
            expires_on="2031-09-01",
        )
        assert r.status_code == 302
        assert do(client, number, "file", on="2026-09-01").status_code == 302
        client.force_login(office)
        r = do(
            client,
            number,
            "find_fault",
            on="2026-09-01",
            result="unlawful",
            text="第三条设定许可条件无上位法依据。",
        )
        assert r.status_code == 302
        client.force_login(drafter)
        r = do(
            client,
            number,
            "correct",
            on="2026-09-01",
            method="amend",
            text="已删除该条件。",
            new_text=TEXT.replace("许可", "备案"),
        )
        assert r.status_code == 302
        page = client.get(reverse("laws_staff:normative_detail", args=[number]))
    html = page.content.decode()
    assert "已纠正" in html and "data-platform" in html
    nd.refresh_from_db()
    assert nd.case.state == "corrected" and "备案手续" in nd.law_document.text
    # The public reading view has the corrected text.
    public = client.get(reverse("laws:document", args=[nd.law_document_id]))
    assert "备案手续" in public.content.decode()


def test_service_errors_are_shown_on_the_form(client, people):
    drafter = people["scj_handler"]
    nd = draft(
        drafter=drafter,
        agency=people["scj_handler"].memberships.first().agency,
        on=date(2026, 3, 2),
    )
    reviewed(nd, drafter=drafter, reviewer=people["fzb"], on=date(2026, 3, 2))
    client.force_login(drafter)
    with at(date(2026, 3, 3)):
        r = do(
            client,
            nd.case.number,
            "publish",
            doc_number="黄市监规〔2026〕1号",
            published_on="2026-03-03",
            expires_on="2032-01-01",
        )
    assert r.status_code == 400
    assert "有效期一般不超过5年" in r.content.decode()


def test_outsider_and_other_agencies_get_404(client, people, org):
    nd = draft(
        drafter=people["scj_handler"], agency=org["420200-SCJ"], on=date(2026, 3, 2)
    )
    url = reverse("laws_staff:normative_detail", args=[nd.case.number])
    client.force_login(people["dy_handler"])
    assert client.get(url).status_code == 404
    r = do(client, nd.case.number, "submit_review", on="2026-03-02")
    assert r.status_code == 404
    client.force_login(people["outsider"])
    assert client.get(reverse("laws_staff:normative_index")).status_code == 403
    assert client.get(url).status_code == 404


def test_drafter_sees_no_review_action(client, people, org):
    drafter = people["scj_handler"]
    nd = draft(drafter=drafter, agency=org["420200-SCJ"], on=date(2026, 3, 2))
    with at(date(2026, 3, 2)):
        client.force_login(drafter)
        do(client, nd.case.number, "submit_review", on="2026-03-02")
        html = client.get(
            reverse("laws_staff:normative_detail", args=[nd.case.number])
        ).content.decode()
        assert 'data-action="legality"' not in html
        r = do(client, nd.case.number, "legality", on="2026-03-02", verdict="lawful")
    assert r.status_code == 400 and "无权" in r.content.decode()


def test_index_queries_do_not_grow_with_the_documents(client, people, org):
    drafter, office = people["scj_handler"], people["fzb"]
    client.force_login(office)
    counts = []
    for batch in range(2):
        for i in range(5):
            nd = draft(
                drafter=drafter,
                agency=org["420200-SCJ"],
                on=date(2026, 3, 2),
                title=f"规范性文件{batch}-{i}",
            )
            if i % 2:
                reviewed(nd, drafter=drafter, reviewer=office, on=date(2026, 3, 2))
        with at(date(2026, 3, 5)):
            client.get(reverse("laws_staff:normative_index"))
            with CaptureQueriesContext(connection) as ctx:
                r = client.get(reverse("laws_staff:normative_index"))
        assert r.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 22


def _published_and_filed(people, org, title, on, filed_on):
    drafter = people["scj_handler"]
    nd = draft(drafter=drafter, agency=org["420200-SCJ"], on=on, title=title)
    reviewed(nd, drafter=drafter, reviewer=people["fzb"], on=on)
    published(nd, drafter=drafter, on=on, number=f"黄市监规〔2026〕{nd.pk}号")
    return filed(nd, drafter=drafter, on=filed_on)


def test_quarterly_catalogue_exports_xlsx_and_is_audited(client, people, org):
    _published_and_filed(people, org, "三季度文件", date(2026, 7, 1), date(2026, 7, 20))
    _published_and_filed(people, org, "二季度文件", date(2026, 6, 1), date(2026, 6, 20))
    client.force_login(people["fzb"])
    url = reverse("laws_staff:normative_catalogue")
    with at(date(2026, 8, 1)):
        page = client.get(url).content.decode()
        assert "三季度文件" in page and "二季度文件" not in page
        r = client.get(url, {"period": "2026-Q3", "format": "xlsx"})
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.values)
    assert rows[0][0] == "备案登记号" and len(rows) == 2 and rows[1][1] == "三季度文件"
    assert AuditEvent.objects.filter(action="data.export").exists()


def test_annual_report_docx_counts_the_year(client, people, org):
    nd = _published_and_filed(
        people, org, "年度文件", date(2026, 3, 2), date(2026, 3, 4)
    )
    with at(date(2026, 3, 5)):
        from fazhi.domains.laws.services import normative as ns

        ns.normative_accept(actor=people["fzb"], document=nd)
    client.force_login(people["fzb"])
    with at(date(2026, 12, 1)):
        page = client.get(
            reverse("laws_staff:normative_report"), {"agency": "420200", "year": 2026}
        )
        assert page.status_code == 200
        r = client.get(
            reverse("laws_staff:normative_report"),
            {"agency": "420200", "year": 2026, "format": "docx"},
        )
    assert r.status_code == 200
    text = "\n".join(p.text for p in Docx(io.BytesIO(r.content)).paragraphs)
    assert "2026年度行政规范性文件备案审查工作报告" in text
    assert "报送备案1件，其中按时报送1件" in text and "准予备案1件" in text
    client.force_login(people["dy_handler"])
    r = client.get(reverse("laws_staff:normative_report"), {"agency": "420200"})
    assert r.status_code == 404


def test_cleanup_campaign_lists_documents_and_repeal_ends_validity(client, people, org):
    nd = _published_and_filed(
        people, org, "待清理文件", date(2026, 3, 2), date(2026, 3, 3)
    )
    client.force_login(people["fzb"])
    with at(date(2026, 4, 1)):
        r = client.post(
            reverse("laws_staff:normative_cleanups"),
            {
                "agency": "420200",
                "name": "2026年规范性文件集中清理",
                "due_on": "2026-06-30",
            },
        )
        assert r.status_code == 302
        item = CleanupItem.objects.get(document=nd)
        client.force_login(people["scj_handler"])
        url = reverse(
            "laws_staff:normative_cleanup_decide", args=[item.campaign_id, item.pk]
        )
        client.post(url, {"decision": "repeal", "note": "上位法已废止"})
        client.force_login(people["fzb"])
        client.post(
            reverse("laws_staff:normative_cleanup_close", args=[item.campaign_id])
        )
    nd.refresh_from_db()
    item.refresh_from_db()
    assert item.decision == "repeal" and nd.validity == Validity.REPEALED
    assert item.campaign.closed_on == date(2026, 4, 1)
    assert nd.law_document.status == "已废止"  # a 清理 repeal, not an expiry
