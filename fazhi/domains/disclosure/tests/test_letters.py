"""The notices' own 文号 (补正, extension, fee) and one consultation letter per
party consulted, on the staff page, the API and the portal."""

import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from docx import Document

from fazhi.domains.disclosure import letters, services
from fazhi.domains.disclosure.models import NoticeSequence
from fazhi.domains.disclosure.services.common import notice_number
from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.org.models import Agency

from .conftest import at

pytestmark = pytest.mark.django_db


def abbr(agency):
    return agency.short_name or agency.name


def paragraphs(app, kind, **kw):
    doc = Document(io.BytesIO(letters.letter_docx(app, kind, **kw)))
    return [p.text for p in doc.paragraphs]


def test_notice_numbers_count_per_agency_kind_and_year(scj):
    other = Agency.objects.exclude(pk=scj.pk).first()
    on = date(2026, 3, 2)
    first = notice_number(agency=scj, kind="correction", on=on)
    assert first == f"{abbr(scj)}公开补正〔2026〕1号"
    assert notice_number(agency=scj, kind="correction", on=on).endswith("〔2026〕2号")
    # Each kind and each agency keeps its own count; a new year starts at 1.
    assert notice_number(agency=scj, kind="fee", on=on).endswith("收费〔2026〕1号")
    assert notice_number(agency=other, kind="correction", on=on) == (
        f"{abbr(other)}公开补正〔2026〕1号"
    )
    assert notice_number(agency=scj, kind="correction", on=date(2027, 1, 4)).endswith(
        "〔2027〕1号"
    )
    assert notice_number(agency=scj, kind="correction", on=on).endswith("〔2026〕3号")
    assert (
        NoticeSequence.objects.get(agency=scj, year=2026, kind="correction").last == 3
    )
    with pytest.raises(ValueError):
        notice_number(agency=scj, kind="reply", on=on)


def test_correction_extension_and_fee_notices_carry_their_numbers(
    file_app, people, scj
):
    h = people["scj_handler"]
    a = file_app(date(2026, 3, 2))
    b = file_app(date(2026, 3, 2), content="2025年度药品抽检结果")
    with at(date(2026, 3, 3)):
        services.correction_request(actor=h, application=a, text="请写明批次")
        c2 = services.correction_request(actor=h, application=b, text="请写明年份")
    c1 = a.corrections.get()
    assert c1.doc_number == f"{abbr(scj)}公开补正〔2026〕1号"
    assert c2.doc_number == f"{abbr(scj)}公开补正〔2026〕2号"
    assert c1.doc_number in paragraphs(a, "correction")  # centred under the title
    assert c2.doc_number in letters.letter_text(b, "correction")

    app = file_app(date(2026, 3, 9), content="2025年度执法案卷")
    with at(date(2026, 3, 10)):
        services.application_extend(
            actor=people["scj_gk_head"], application=app, reason="需调取档案"
        )
        fee = services.fee_notice_issue(
            actor=h,
            application=app,
            method="per_page",
            quantity=120,
            reason="申请提供近十年全部执法案卷",
            pay_by="通过银行缴纳",
        )
    app.refresh_from_db()
    assert app.extension_doc_number == f"{abbr(scj)}公开延期〔2026〕1号"
    assert fee.doc_number == f"{abbr(scj)}公开收费〔2026〕1号"
    assert app.extension_doc_number in paragraphs(app, "extension")
    assert fee.doc_number in paragraphs(app, "fee")
    # The public copy and the record carry the number too.
    assert fee.doc_number in letters.letter_text(app, "fee", public=True)
    # The audit record names the number with the transition that issued it.
    issued = [
        (e.payload.get("data") or {}).get("doc_number")
        for e in AuditEvent.objects.filter(record_id=app.pk)
        if e.payload
    ]
    assert fee.doc_number in issued and app.extension_doc_number in issued


def test_a_refused_notice_does_not_use_up_a_number(file_app, people, scj):
    h = people["scj_handler"]
    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 3)):
        services.correction_request(actor=h, application=app, text="请写明批次")
        with pytest.raises(ValidationError):  # one notice only (art. 30)
            services.correction_request(actor=h, application=app, text="再次补正")
    other = file_app(date(2026, 3, 2), content="2025年度药品抽检结果")
    with at(date(2026, 3, 3)):
        c = services.correction_request(actor=h, application=other, text="写明年份")
    assert c.doc_number.endswith("〔2026〕2号")


def test_staff_and_portal_pages_show_the_notice_numbers(client, file_app, people):
    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 3)):
        services.correction_request(
            actor=people["scj_handler"], application=app, text="请写明批次"
        )
        number = app.case.number
        client.force_login(people["scj_handler"])
        page = client.get(reverse("disclosure:detail", args=[number])).content.decode()
        doc_number = app.corrections.get().doc_number
        assert page.count(doc_number) == 2  # the 补正 card and the letters list
        visitor = Client()
        r = visitor.post(
            reverse("disclosure:portal_track"),
            {"number": number, "phone_tail": "5678"},
        )
        page = visitor.get(r["Location"]).content.decode()
        assert doc_number in page


def _consult_twice(file_app, people):
    h = people["scj_handler"]
    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 3)):
        first = services.consultation_start(
            actor=h,
            application=app,
            third_party="甲科技有限公司",
            sent_on=date(2026, 3, 3),
        )
    with at(date(2026, 3, 5)):
        services.consultation_finish(
            actor=h, application=app, answered_on=date(2026, 3, 5), opinion="不同意"
        )
    with at(date(2026, 3, 6)):
        second = services.consultation_start(
            actor=h,
            application=app,
            kind="agency",
            third_party="黄石市财政局",
            sent_on=date(2026, 3, 6),
        )
    return app, first, second


def test_each_party_consulted_has_its_own_letter(file_app, people):
    app, first, second = _consult_twice(file_app, people)
    one = "".join(paragraphs(app, "consultation", item=first.pk))
    two = "".join(paragraphs(app, "consultation", item=second.pk))
    assert "甲科技有限公司：" in one and "第三十二条" in one and "财政局" not in one
    assert "黄石市财政局：" in two and "第三十四条" in two
    # Without an item: the latest, as before.
    assert "".join(paragraphs(app, "consultation")) == two
    # Another request's consultation, or an item on a single letter, is not found.
    other = file_app(date(2026, 3, 2), content="2025年度药品抽检结果")
    with pytest.raises(LookupError):
        letters.letter_text(other, "consultation", item=first.pk)
    with pytest.raises(LookupError):
        letters.letter_text(app, "correction", item=first.pk)


def test_staff_page_and_api_download_every_consultation_letter(
    client, file_app, people
):
    app, first, second = _consult_twice(file_app, people)
    number = app.case.number
    client.force_login(people["scj_handler"])
    page = client.get(reverse("disclosure:detail", args=[number])).content.decode()
    links = [
        reverse("disclosure:letter_item", args=[number, "consultation", c.pk])
        for c in (first, second)
    ]
    for link, party in zip(links, ("甲科技有限公司", "黄石市财政局"), strict=True):
        assert link in page
        r = client.get(link)
        assert r.status_code == 200
        assert f"{number}-consultation-" in r["Content-Disposition"]
        body = "".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
        assert f"{party}：" in body
    api = f"/api/disclosure/applications/{number}/letters/consultation"
    r = client.get(api, {"item": first.pk})
    assert r.status_code == 200
    assert "甲科技有限公司" in "".join(
        p.text for p in Document(io.BytesIO(r.content)).paragraphs
    )
    assert client.get(api, {"item": 999999}).status_code == 404
    # Out of scope: 404 like a missing case.
    outsider = Client()
    outsider.force_login(people["dy_handler"])
    assert outsider.get(links[0]).status_code == 404
    # The applicant never gets the third party's letter.
    visitor = Client()
    visitor.post(
        reverse("disclosure:portal_track"), {"number": number, "phone_tail": "5678"}
    )
    r = visitor.get(reverse("disclosure:portal_letter", args=[number, "consultation"]))
    assert r.status_code == 404


@pytest.mark.skipif(
    "sqlite" in connection.settings_dict["ENGINE"],
    reason="threads on SQLite's test database answer 'locked' instead of waiting",
)
@pytest.mark.django_db(transaction=True)
def test_handlers_numbering_at_once_never_share_a_number(org):
    """Four handlers issue notices at the same moment, the first of the year
    included (the sequence row does not exist yet)."""
    agency = Agency.objects.get(code="420200-SCJ")
    barrier = threading.Barrier(4)

    def issue() -> list[str]:
        try:
            barrier.wait()
            out = []
            for i in range(5):
                with transaction.atomic():
                    out.append(
                        notice_number(agency=agency, kind="fee", on=date(2026, 3, 2))
                    )
                    if i == 0:
                        # Hold the first number's transaction open, so the
                        # others look for the year's row before it commits.
                        time.sleep(0.3)
            return out
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(issue) for _ in range(4)]
        numbers = [n for f in futures for n in f.result(timeout=60)]
    assert sorted(numbers) == sorted(
        f"{abbr(agency)}公开收费〔2026〕{n}号" for n in range(1, 21)
    )
