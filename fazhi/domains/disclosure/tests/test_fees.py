"""Processing fees (条例 art. 42, 国办函〔2020〕109号) and the co-producing
agency's consultation (art. 34): tiers, the paused reply clock, lapse, the
annual-report row and the letters."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from fazhi.domains.disclosure import letters, rules, services
from fazhi.domains.disclosure.report import build_tables
from fazhi.kernel.deadlines.models import Clock

from .conftest import at

pytestmark = pytest.mark.django_db


def clock(app, name):
    return Clock.objects.get(case=app.case, name=name)


@pytest.mark.parametrize(
    ("method", "quantity", "first", "amount"),
    [
        ("per_request", 1, 10, 0),
        ("per_request", 1, 11, 100),
        ("per_request", 1, 30, 100),
        ("per_request", 1, 31, 200),
        ("per_request", 1, 41, 300),
        ("per_request", 21, 10, 2000),  # 10th free, 11th-30th at 100
        ("per_page", 30, 1, 0),
        ("per_page", 31, 1, 10),
        ("per_page", 100, 1, 700),
        ("per_page", 101, 1, 720),
        ("per_page", 250, 1, 700 + 2000 + 50 * 40),
    ],
)
def test_fee_tiers(method, quantity, first, amount):
    total, how = rules.fee_quote(method, quantity, first=first)
    assert total == Decimal(amount) and how


def test_fee_quote_rejects_bad_input():
    with pytest.raises(ValidationError) as exc:
        rules.fee_quote("per_page", 0)
    assert "quantity" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        rules.fee_quote("gold", 5)
    assert "method" in exc.value.message_dict


def test_fee_pauses_the_reply_clock_until_paid(file_app, people):
    h = people["scj_handler"]
    app = file_app(date(2026, 3, 2))  # reply due 30 March
    assert clock(app, "reply").due_date == date(2026, 3, 30)
    with at(date(2026, 3, 5)):
        with pytest.raises(ValidationError) as exc:  # within the free allowance
            services.fee_notice_issue(
                actor=h,
                application=app,
                method="per_page",
                quantity=20,
                reason="多",
                pay_by="银行",
            )
        assert "quantity" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.fee_notice_issue(
                actor=h,
                application=app,
                method="per_page",
                quantity=120,
                reason="",
                pay_by="银行",
            )
        assert "reason" in exc.value.message_dict
        fee = services.fee_notice_issue(
            actor=h,
            application=app,
            method="per_page",
            quantity=120,
            reason="申请提供近十年全部执法案卷",
            pay_by="到本机关开具非税收入缴款书后通过银行缴纳",
        )
    assert fee.amount == Decimal(700 + 20 * 20)
    assert app.case.state == "fee_pending"
    assert clock(app, "reply").state == Clock.State.PAUSED
    # 20 working days counted from Fri 6 March end on Thu 2 April.
    assert clock(app, "fee").due_date == date(2026, 4, 2)
    with at(date(2026, 3, 12)):
        services.fee_paid_confirm(actor=h, application=app, paid_on=date(2026, 3, 12))
    reply = clock(app, "reply")
    assert app.case.state == "handling" and reply.state == Clock.State.RUNNING
    # Paused 5-11 March: five working days not counted, due 6 April -> 7 April
    # after Qingming (4-6 April 2026).
    assert reply.due_date == date(2026, 4, 7)
    assert "暂停计时" in "".join(reply.explain())
    text = letters.letter_text(app, "fee")
    assert "1100.00元" in text and "第四十二条" in text
    assert (
        "缴纳方式：到本机关开具非税收入缴款书后通过银行缴纳。" in text
        and "20个工作日" in text
    )


def test_unpaid_fee_ends_the_request_and_counts_in_its_row(file_app, people, scj):
    h = people["scj_handler"]
    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 5)):
        services.fee_notice_issue(
            actor=h,
            application=app,
            method="per_request",
            quantity=12,
            reason="本月第12件申请",
            pay_by="银行转账",
        )
    assert app.fees.get().amount == Decimal(100)
    with at(date(2026, 4, 2)):  # the last day to pay
        with pytest.raises(ValidationError) as exc:
            services.fee_lapse(actor=h, application=app)
        assert "on" in exc.value.message_dict
    with at(date(2026, 4, 3)):
        services.fee_lapse(actor=h, application=app)
    app.refresh_from_db()
    assert app.case.state == "abandoned" and app.result_code == "other.unpaid_fee"
    t = build_tables(scj, 2026)
    assert t.cell("other.unpaid_fee", "natural") == 1
    # Section 六 reports the fees: one notice, nothing collected.
    assert t.fee_notices == 1 and t.fees_paid == 0
    assert "发出收费通知1件" in t.fee_sentence()


def test_co_producer_consultation_pauses_and_resumes(file_app, people):
    h = people["scj_handler"]
    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 3)):
        services.consultation_start(
            actor=h,
            application=app,
            kind="agency",
            third_party="黄石市财政局",
            sent_on=date(2026, 3, 3),
        )
    assert app.case.state == "consulting_agency"
    assert clock(app, "co_producer").due_date == date(2026, 3, 24)  # 15 wd
    doc = Document(io.BytesIO(letters.letter_docx(app, "consultation")))
    body = "".join(p.text for p in doc.paragraphs)
    assert "政府信息公开征求意见函" in body and "第三十四条" in body
    assert "视为同意公开" in body
    with at(date(2026, 3, 10)):
        services.consultation_finish(
            actor=h, application=app, answered_on=date(2026, 3, 10), opinion="同意"
        )
    assert app.case.state == "handling"
    assert clock(app, "reply").state == Clock.State.RUNNING
    with pytest.raises(ValidationError) as exc:
        services.consultation_start(
            actor=h,
            application=app,
            kind="x",
            third_party="甲",
            sent_on=date(2026, 3, 10),
        )
    assert "kind" in exc.value.message_dict
