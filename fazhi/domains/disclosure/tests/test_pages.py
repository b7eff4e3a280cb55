"""Staff and portal pages: the whole path an applicant and an office walk,
scope (404), masking in every public view and export, and the query count
of the queue."""

import io
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.domains.disclosure.models import Application

from .conftest import ID_NUMBER, PHONE, at, person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def portal_apply(client, **over):
    data = {"agency": "420200-SCJ", "content": "2025年度食品安全抽检结果", **person()}
    data.update(over)
    return client.post(reverse("disclosure:portal_apply"), data)


def staff_do(client, case_number, action, **fields):
    data = {f"{action}-{k}": v for k, v in fields.items()}
    return client.post(reverse("disclosure:act", args=[case_number, action]), data)


def test_portal_card_links_to_apply(client, org):
    r = client.get("/")
    assert reverse("disclosure:portal_apply") in r.content.decode()


def test_applicant_and_office_walk_the_whole_path(client, people):
    applicant, staff, leader = client, type(client)(), type(client)()
    with at(date(2026, 3, 2)):
        r = portal_apply(applicant)
        assert r.status_code == 302, r.content.decode()[:2000]
        number = Application.objects.get().case.number
        page = applicant.get(reverse("disclosure:portal_done")).content.decode()
        assert number in page
        staff.force_login(people["scj_handler"])
        r = staff_do(staff, number, "receive", confirmed_on="2026-03-02")
        assert r.status_code == 302
    with at(date(2026, 3, 4)):
        staff.force_login(people["scj_handler"])
        r = staff_do(staff, number, "correction", text="请写明抽检批次", days=10)
        assert r.status_code == 302
        # A fresh visitor tracks with number + phone tail and answers the 补正.
        visitor = type(client)()
        r = visitor.post(
            reverse("disclosure:portal_track"),
            {"number": number, "phone_tail": "5678"},
        )
        assert r.status_code == 302
        page = visitor.get(r["Location"]).content.decode()
        assert "请写明抽检批次" in page and "提交补正" in page
        # No stale reply date while the 补正 is awaited: art. 30 restarts it.
        assert "data-restarts" in page and "第三十条" in page
        r = visitor.post(
            reverse("disclosure:portal_correction", args=[number]),
            {"text": "2025年第三季度抽检批次"},
        )
        assert r.status_code == 302
    with at(date(2026, 3, 6)):
        staff.force_login(people["scj_handler"])
        r = staff_do(staff, number, "correction_received", received_on="2026-03-06")
        assert r.status_code == 302
    with at(date(2026, 3, 30)):
        leader.force_login(people["scj_gk_head"])
        r = staff_do(leader, number, "extend", reason="需调取档案", days=20)
        assert r.status_code == 302
        staff.force_login(people["scj_handler"])
        detail = staff.get(reverse("disclosure:detail", args=[number])).content.decode()
        assert "经批准延长20个工作日" in detail
        assert "138****5678" in detail and "13812345678" not in detail
        r = staff_do(
            staff,
            number,
            "reply",
            result_code="partial",
            body="涉及第三方商业秘密的部分不予公开",
            doc_number="黄市监公开〔2026〕7号",
            replied_on="2026-03-30",
        )
        assert r.status_code == 302
        r = staff.get(reverse("disclosure:letter", args=[number, "reply"]))
        assert r.status_code == 200
        # Weeks later the lookup is made afresh (it is remembered for an hour).
        r = visitor.post(
            reverse("disclosure:portal_track"),
            {"number": number, "phone_tail": "5678"},
        )
        text = visitor.get(r["Location"]).content.decode()
        assert "部分公开" in text and "黄市监公开〔2026〕7号" in text
        assert "张*三" in text and "138****5678" in text
        for secret in ("张晓三", PHONE, ID_NUMBER):
            assert secret not in text
    app = Application.objects.get()
    assert app.case.state == "replied" and app.result_code == "partial"


def test_applicant_downloads_the_reply_letter_and_files(
    client, people, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from docx import Document

    settings.MEDIA_ROOT = tmp_path
    staff, visitor = type(client)(), client
    with at(date(2026, 3, 2)):
        portal_apply(visitor, content="抽检结果，联系13912345678")
        number = Application.objects.get().case.number
        staff.force_login(people["scj_handler"])
        staff_do(staff, number, "receive", confirmed_on="2026-03-02")
    with at(date(2026, 3, 10)):
        staff.force_login(people["scj_handler"])  # the session idled out
        r = staff.post(
            reverse("disclosure:act", args=[number, "reply"]),
            {
                "reply-result_code": "disclose",
                "reply-replied_on": "2026-03-10",
                "reply-files": [SimpleUploadedFile("抽检结果.pdf", PDF)],
            },
        )
        assert r.status_code == 302, r.content.decode()[-3000:]
        staff.post(
            reverse("disclosure:attach", args=[number]),
            {"attachments": [SimpleUploadedFile("身份证.pdf", PDF)]},
        )
    app = Application.objects.get()
    provided = app.attachments.get(source="reply")
    id_scan = app.attachments.get(source="staff")
    status = reverse("disclosure:portal_status", args=[number])
    letter = reverse("disclosure:portal_letter", args=[number, "reply"])
    # Not before the lookup: the number alone opens nothing.
    assert visitor.get(letter).status_code == 302
    visitor.post(
        reverse("disclosure:portal_track"), {"number": number, "phone_tail": "5678"}
    )
    page = visitor.get(status).content.decode()
    assert letter in page and "抽检结果.pdf" in page and "身份证.pdf" not in page
    r = visitor.get(letter)
    assert r.status_code == 200
    text = "".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "张*三：" in text and "张晓三" not in text and "13912345678" not in text
    r = visitor.get(reverse("disclosure:portal_file", args=[number, provided.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    # The ID scan uploaded by staff is never served to the portal.
    r = visitor.get(reverse("disclosure:portal_file", args=[number, id_scan.pk]))
    assert r.status_code == 404
    # The consultation letter is the third party's, not the applicant's.
    r = visitor.get(reverse("disclosure:portal_letter", args=[number, "consultation"]))
    assert r.status_code == 404


def test_wrong_tail_shows_error_and_status_needs_lookup(client, people):
    with at(date(2026, 3, 2)):
        portal_apply(client)
    number = Application.objects.get().case.number
    other = type(client)()
    r = other.post(
        reverse("disclosure:portal_track"), {"number": number, "phone_tail": "1111"}
    )
    assert r.status_code == 404 and "不正确" in r.content.decode()
    r = other.get(reverse("disclosure:portal_status", args=[number]))
    assert r.status_code == 302 and r["Location"] == reverse("disclosure:portal_track")


def test_portal_apply_errors_name_fields(client, org):
    r = portal_apply(client, id_number="123")
    assert r.status_code == 200
    assert "身份证号码应为18位" in r.content.decode()
    assert not Application.objects.exists()


def test_out_of_scope_staff_get_404(client, people, file_app):
    app = file_app(date(2026, 3, 2))
    number = app.case.number
    client.force_login(people["dy_handler"])
    for url in (
        reverse("disclosure:detail", args=[number]),
        reverse("disclosure:letter", args=[number, "correction"]),
    ):
        assert client.get(url).status_code == 404
    r = staff_do(
        client, number, "reply", result_code="disclose", replied_on="2026-03-03"
    )
    assert r.status_code == 404
    r = client.get(reverse("disclosure:queue"))
    assert number not in r.content.decode()
    client.force_login(people["outsider"])
    assert client.get(reverse("disclosure:queue")).status_code == 403


def test_queue_export_is_masked_and_queries_are_bounded(client, people, file_app):
    for i in range(3):
        file_app(date(2026, 3, 2 + i), content=f"信息{i}")
    client.force_login(people["scj_handler"])
    client.get(reverse("disclosure:queue"))  # warm caches (sessions, grants)
    with CaptureQueriesContext(connection) as few:
        r = client.get(reverse("disclosure:queue"))
    assert r.status_code == 200
    for i in range(3, 9):
        file_app(date(2026, 3, 2 + i), content=f"信息{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("disclosure:queue"))
    assert len(many) == len(few)
    r = client.get(reverse("disclosure:queue") + "?format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    cells = " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row)
    assert "张*三" in cells and "张晓三" not in cells


def test_reveal_personal_data_is_audited(client, people, file_app):
    from fazhi.kernel.audit.models import AuditEvent

    app = file_app(date(2026, 3, 2))
    client.force_login(people["scj_handler"])
    page = client.get(
        reverse("disclosure:detail", args=[app.case.number]) + "?reveal=1"
    )
    assert PHONE in page.content.decode()
    assert AuditEvent.objects.filter(
        action="personal_data.view", record_id=str(app.pk)
    ).exists()


def test_report_page_balances(client, people, file_app):
    file_app(date(2026, 3, 2))
    client.force_login(people["fzb"])
    r = client.get(reverse("disclosure:report") + "?agency=420200-SCJ&year=2026")
    assert r.status_code == 200
    assert 'data-balance="ok"' in r.content.decode()
    r = client.get(
        reverse("disclosure:report") + "?agency=420200-SCJ&year=2026&format=docx"
    )
    assert r.status_code == 200 and r.content[:2] == b"PK"
    # Table 二 is filled in inside the grid itself and shows what was saved.
    r = client.post(
        reverse("disclosure:figures"),
        {"agency": "420200-SCJ", "year": "2026", "penalty.decisions": "132"},
    )
    assert r.status_code == 302
    page = client.get(reverse("disclosure:report") + "?agency=420200-SCJ&year=2026")
    text = page.content.decode()
    assert (
        'data-cell="penalty.decisions"><input name="penalty.decisions" value="132"'
        in text
    )
    assert 'aria-label="行政处罚·本年处理决定数量"' in text


def test_followup_recorded_and_settled_from_the_detail_page(client, people, file_app):
    app = file_app(date(2026, 3, 2))
    number = app.case.number
    client.force_login(people["scj_handler"])
    with at(date(2026, 3, 10)):
        client.force_login(people["scj_handler"])
        r = staff_do(
            client,
            number,
            "reply",
            result_code="unable.not_held",
            replied_on="2026-03-10",
        )
        assert r.status_code == 302
        r = staff_do(
            client,
            number,
            "followup",
            kind="reconsideration",
            number="黄政复〔2026〕3号",
            filed_on="2026-03-10",
        )
        assert r.status_code == 302
        fu = app.reply.followups.get()
        page = client.get(reverse("disclosure:detail", args=[number])).content.decode()
        assert f'data-settle="{fu.pk}"' in page
        r = client.post(
            reverse("disclosure:settle", args=[number, fu.pk]),
            {
                f"settle{fu.pk}-outcome": "corrected",
                f"settle{fu.pk}-outcome_on": "2026-03-10",
            },
        )
        assert r.status_code == 302
    fu.refresh_from_db()
    assert fu.outcome == "corrected"
    client.force_login(people["dy_handler"])
    r = client.post(reverse("disclosure:settle", args=[number, fu.pk]), {})
    assert r.status_code == 404


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_attachments_upload_and_download_need_personal_data_right(
    client, people, file_app, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fazhi.kernel.org.models import Agency

    settings.MEDIA_ROOT = tmp_path
    jinhu = Agency.objects.get(code="420281002")
    app = file_app(date(2026, 3, 2), actor=people["jinhu_clerk"], agency=jinhu)
    number = app.case.number
    client.force_login(people["jinhu_clerk"])
    r = client.post(
        reverse("disclosure:attach", args=[number]),
        {"attachments": [SimpleUploadedFile("身份证.pdf", PDF)]},
    )
    assert r.status_code == 302
    att = app.attachments.get()
    assert att.kind == "pdf" and att.source == "staff"
    url = reverse("disclosure:attachment", args=[number, att.pk])
    # The clerk registers but does not see personal data (an ID scan).
    assert client.get(url).status_code == 404
    client.force_login(people["dy_handler"])
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    r = client.post(
        reverse("disclosure:attach", args=[number]),
        {"attachments": [SimpleUploadedFile("x.pdf", b"MZ\x90\x00")]},
    )
    assert app.attachments.count() == 1


def test_applicant_adds_material_to_the_correction(
    client, people, file_app, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    app = file_app(date(2026, 3, 2))
    number = app.case.number
    with at(date(2026, 3, 3)):
        from fazhi.domains.disclosure import services

        services.correction_request(
            actor=people["scj_handler"], application=app, text="请附营业执照"
        )
        client.post(
            reverse("disclosure:portal_track"), {"number": number, "phone_tail": "5678"}
        )
        r = client.post(
            reverse("disclosure:portal_correction", args=[number]),
            {
                "text": "已附",
                "attachments": [
                    SimpleUploadedFile("执照.png", b"\x89PNG\r\n\x1a\n0000")
                ],
            },
        )
    assert r.status_code == 302
    assert [(a.name, a.source) for a in app.attachments.all()] == [
        ("执照.png", "applicant")
    ]


def test_handler_is_told_who_approves_an_extension(client, people, file_app):
    app = file_app(date(2026, 3, 2))
    client.force_login(people["scj_handler"])
    with at(date(2026, 3, 3)):
        page = client.get(reverse("disclosure:detail", args=[app.case.number]))
    text = page.content.decode()
    assert "data-extension-hint" in text and "第三十三条第二款" in text
    # The head of the agency's own disclosure office (art. 33(2)); the city's
    # rule-of-law office is not offered.
    assert people["scj_gk_head"].full_name in text
    assert people["fzb"].full_name not in text.split("data-extension-hint")[1][:400]
    client.force_login(people["scj_gk_head"])
    with at(date(2026, 3, 3)):
        text = client.get(reverse("disclosure:detail", args=[app.case.number]))
    assert "data-extension-hint" not in text.content.decode()


def test_free_text_is_masked_until_personal_data_is_revealed(client, people, file_app):
    app = file_app(
        date(2026, 3, 2),
        content=f"本人张晓三，身份证{ID_NUMBER}，电话{PHONE}，申请抽检结果",
    )
    url = reverse("disclosure:detail", args=[app.case.number])
    with at(date(2026, 3, 3)):
        client.force_login(people["scj_handler"])
        page = client.get(url).content.decode()
        assert ID_NUMBER not in page and PHONE not in page and "张晓三" not in page
        assert "张*三" in page
        revealed = client.get(url + "?reveal=1").content.decode()
    assert ID_NUMBER in revealed and PHONE in revealed
