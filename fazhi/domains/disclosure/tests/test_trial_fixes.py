"""What a fresh-eyes trial found: the letters after a 补正 quote the request
and the 补正 (not the 补正 alone), consultation letters get a 文号, a long
title is cut with an ellipsis, and the disclosure's own date messages read
like the pages (2026年3月2日, not ISO)."""

import html
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from fazhi.domains.disclosure import letters, rules, services

from .conftest import at

pytestmark = pytest.mark.django_db

ORIGINAL = "2025年度食品安全抽检结果"
ANSWER = "所需信息时间范围为2026年1月至11月"


def _corrected(file_app, people):
    """A request whose 补正 arrived online on 9 March and was received."""
    h = people["scj_handler"]
    app = file_app(date(2026, 3, 2), content=ORIGINAL)
    with at(date(2026, 3, 3)):
        services.correction_request(actor=h, application=app, text="请写明时间范围")
    services.correction_respond(application=app, text=ANSWER + "。")
    with at(date(2026, 3, 9)):
        services.correction_receive(
            actor=h, application=app, received_on=date(2026, 3, 9)
        )
    return app


def test_letters_after_a_correction_quote_the_request_and_the_correction(
    file_app, people
):
    h = people["scj_handler"]
    app = _corrected(file_app, people)
    both = f"申请获取“{ORIGINAL}”，并于2026年3月9日收到您的补正：“{ANSWER}”。"
    with at(date(2026, 3, 10)):
        services.application_extend(
            actor=people["scj_gk_head"], application=app, reason="需调取档案"
        )
        third = services.consultation_start(
            actor=h,
            application=app,
            third_party="甲科技有限公司",
            sent_on=date(2026, 3, 10),
        )
        services.consultation_finish(
            actor=h, application=app, answered_on=date(2026, 3, 10)
        )
        agency = services.consultation_start(
            actor=h,
            application=app,
            kind="agency",
            third_party="黄石市财政局",
            sent_on=date(2026, 3, 10),
        )
        services.consultation_finish(
            actor=h, application=app, answered_on=date(2026, 3, 10)
        )
        services.fee_notice_issue(
            actor=h,
            application=app,
            method="per_page",
            quantity=120,
            reason="申请提供近十年全部执法案卷",
            pay_by="通过银行缴纳",
        )
    for kind in ("extension", "fee"):
        text = letters.letter_text(app, kind)
        assert both in text, kind
        assert f"申请获取“{ANSWER}" not in text
    # The applicant's own copy says the same.
    assert both in letters.letter_text(app, "fee", public=True)
    for item in (third.pk, agency.pk):
        text = letters.letter_text(app, "consultation", item=item)
        assert (
            f"申请公开的政府信息为：“{ORIGINAL}”（申请人于2026年3月9日补正：“{ANSWER}”）"
            in text
        )
    # The 补正 notice itself quotes only the request it asks to correct.
    notice = letters.letter_text(app, "correction")
    assert f"申请获取“{ORIGINAL}”。" in notice and ANSWER not in notice


def test_staff_form_asks_for_the_correction_and_shows_the_online_answer(
    client, file_app, people
):
    h = people["scj_handler"]
    app = file_app(date(2026, 3, 2), content=ORIGINAL)
    with at(date(2026, 3, 3)):
        services.correction_request(actor=h, application=app, text="请写明时间范围")
    services.correction_respond(application=app, text=ANSWER)
    client.force_login(h)
    with at(date(2026, 3, 9)):
        page = client.get(reverse("disclosure:detail", args=[app.case.number]))
    body = page.content.decode()
    form = page.context["actions"][0]["form"]
    assert page.context["actions"][0]["name"] == "correction_received"
    assert str(form.fields["text"].label) == "补正内容"
    assert "补正后的申请内容" not in body
    # The handler sees the applicant's answer in the field, to check or edit.
    assert form.initial["text"] == ANSWER
    assert f"{ANSWER}</textarea>" in body


def test_portal_shows_the_request_and_the_correction_side_by_side(file_app, people):
    app = _corrected(file_app, people)
    visitor = Client()
    r = visitor.post(
        reverse("disclosure:portal_track"),
        {"number": app.case.number, "phone_tail": "5678"},
    )
    page = visitor.get(r["Location"]).content.decode()
    assert "补正后的申请" not in page
    assert "原申请内容" in page and "您的补正" in page
    assert ANSWER in page and ORIGINAL in page


def test_consultation_letters_carry_their_own_number(client, file_app, people, scj):
    h = people["scj_handler"]
    abbr = scj.short_name or scj.name
    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 3)):
        first = services.consultation_start(
            actor=h,
            application=app,
            third_party="甲科技有限公司",
            sent_on=date(2026, 3, 3),
        )
        services.consultation_finish(
            actor=h, application=app, answered_on=date(2026, 3, 3)
        )
        second = services.consultation_start(
            actor=h,
            application=app,
            kind="agency",
            third_party="黄石市财政局",
            sent_on=date(2026, 3, 3),
        )
    assert first.doc_number == f"{abbr}公开征询〔2026〕1号"
    assert second.doc_number == f"{abbr}公开征询〔2026〕2号"
    lines = letters.letter_text(app, "consultation", item=first.pk).splitlines()
    assert f"= {first.doc_number}" in lines  # centred under the title
    assert f"= {second.doc_number}" in letters.letter_text(
        app, "consultation", item=second.pk
    )
    client.force_login(h)
    with at(date(2026, 3, 3)):
        page = client.get(reverse("disclosure:detail", args=[app.case.number]))
    body = page.content.decode()
    for c in (first, second):
        assert body.count(c.doc_number) == 2  # its card and the letters list


def test_a_long_request_title_is_cut_with_an_ellipsis(client, file_app, people):
    content = "关于" + "黄石市市场监督管理局" * 10 + "的抽检结果"
    app = file_app(date(2026, 3, 2), content=content)
    title = app.case.title
    assert title.endswith("…") and len(title) == len("申请公开：") + 60
    assert title[:-1] == f"申请公开：{content}"[: len(title) - 1]
    client.force_login(people["scj_handler"])
    with at(date(2026, 3, 2)):
        body = client.get(
            reverse("disclosure:detail", args=[app.case.number])
        ).content.decode()
    # The page heading carries the whole request in its title attribute.
    assert f'<h1 title="申请公开：{content}">' in html.unescape(body)


def test_disclosure_date_messages_read_like_the_pages(file_app, people):
    with pytest.raises(ValidationError) as err:
        rules.receipt_date(
            "registered_mail",
            submitted_on=date(2026, 3, 2),
            signed_on=date(2026, 3, 1),
            confirmed_on=None,
        )
    message = " ".join(err.value.messages)
    assert "2026年3月2日" in message and "2026-03-02" not in message

    h = people["scj_handler"]
    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 3)):
        services.correction_request(
            actor=h, application=app, text="请写明批次", days=10
        )
        with pytest.raises(ValidationError) as err:
            services.application_abandon(actor=h, application=app)
    message = " ".join(err.value.messages)
    assert "年" in message and "-" not in message
