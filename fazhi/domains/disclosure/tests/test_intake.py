"""Intake checks: identity and phone validation, duplicates, attachments,
permissions, replies and their letters."""

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from fazhi.domains.disclosure import letters, services
from fazhi.domains.disclosure.models import Application
from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.org.models import Agency

from .conftest import at, company, person

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_bad_id_number_names_the_field(file_app):
    with pytest.raises(ValidationError) as exc:
        file_app(date(2026, 3, 2), **person(id_number="420202199001011232"))
    assert "id_number" in exc.value.message_dict


def test_bad_phone_and_credit_code_name_their_fields(file_app):
    with pytest.raises(ValidationError) as exc:
        file_app(date(2026, 3, 2), **person(phone="12345"))
    assert "phone" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        file_app(date(2026, 3, 2), **company(credit_code="91420200712345678X"))
    assert "credit_code" in exc.value.message_dict


def test_traditional_and_fullwidth_repeat_is_flagged(file_app):
    first = file_app(date(2026, 3, 2), content="2025年度食品安全抽检结果")
    # The same request in Traditional script with full-width digits and spaces.
    again = file_app(date(2026, 4, 1), content="２０２５年度 食品安全抽檢結果！")
    assert again.possible_duplicate_of == first
    other = file_app(date(2026, 4, 1), content="2025年度药品抽检结果")
    assert other.possible_duplicate_of is None
    someone_else = file_app(
        date(2026, 4, 1),
        content="2025年度食品安全抽检结果",
        **person(id_number="420202198505050010"),
    )
    assert someone_else.possible_duplicate_of is None


def test_staff_confirm_duplicate_and_reply_repeat(file_app, people):
    file_app(date(2026, 3, 2))
    again = file_app(date(2026, 4, 1))
    services.application_mark_duplicate(
        actor=people["scj_handler"], application=again, duplicate=True
    )
    with at(date(2026, 4, 2)):
        services.reply_issue(
            actor=people["scj_handler"], application=again, result_code="reject.repeat"
        )
    again.refresh_from_db()
    assert again.duplicate_confirmed and again.result_code == "reject.repeat"
    assert again.case.state == "replied"


def test_oversize_attachment_is_refused(scj, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    big = PDF + b"0" * (10 * 1024 * 1024)
    with pytest.raises(ValidationError) as exc, at(date(2026, 3, 2)):
        services.application_submit(
            actor=services.APPLICANT,
            agency=scj,
            channel="online",
            content="x",
            files=[("big.pdf", big)],
            **person(),
        )
    assert "attachments" in exc.value.message_dict
    assert "10MB" in exc.value.message_dict["attachments"][0]


def test_renamed_file_is_refused_by_content(people, scj, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with at(date(2026, 3, 2)), pytest.raises(ValidationError) as exc:
        services.application_submit(
            actor=services.APPLICANT,
            agency=scj,
            channel="online",
            content="x",
            files=[("scan.pdf", b"<html><script>alert(1)</script>")],
            **person(),
        )
    assert "不是" in exc.value.message_dict["attachments"][0]
    assert not Application.objects.exists()


def test_portal_application_keeps_checked_files(scj, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    with at(date(2026, 3, 2)):
        app = services.application_submit(
            actor=services.APPLICANT,
            agency=scj,
            channel="in_person",  # ignored: the portal is always online
            submitted_on=date(2020, 1, 1),  # ignored: the portal submits today
            content="企业年报",
            files=[("身份证.pdf", PDF), ("说明.docx", docx.getvalue())],
            **person(),
        )
    assert app.channel == "online" and app.submitted_on == date(2026, 3, 2)
    assert app.case.state == "submitted"
    assert [(a.name, a.kind) for a in app.attachments.all()] == [
        ("身份证.pdf", "pdf"),
        ("说明.docx", "docx"),
    ]
    event = AuditEvent.objects.get(action="disclosure.apply", record_id=str(app.pk))
    assert event.actor_label == "applicant"
    # No personal data in the permanent record.
    assert "4202021990" not in str(event.payload)
    assert "13812345678" not in str(event.payload)


def test_out_of_scope_staff_cannot_register(people):
    dy = Agency.objects.get(code="420281")
    with at(date(2026, 3, 2)), pytest.raises(PermissionDenied):
        services.application_submit(
            actor=people["scj_handler"],
            agency=dy,
            channel="in_person",
            content="x",
            submitted_on=date(2026, 3, 2),
            **person(),
        )


def test_reply_result_code_must_be_national_type(file_app, people):
    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 3)), pytest.raises(ValidationError) as exc:
        services.reply_issue(
            actor=people["scj_handler"], application=app, result_code="maybe"
        )
    assert "result_code" in exc.value.message_dict
    with at(date(2026, 3, 3)), pytest.raises(ValidationError) as exc:
        services.reply_issue(
            actor=people["scj_handler"], application=app, result_code="partial"
        )
    assert "body" in exc.value.message_dict
    with at(date(2026, 3, 3)), pytest.raises(ValidationError) as exc:
        services.reply_issue(  # 不予公开 must give its reasons in words
            actor=people["scj_handler"],
            application=app,
            result_code="withhold.third_party",
        )
    assert "body" in exc.value.message_dict


def test_reply_letter_delivery_and_followup(file_app, people):
    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 20)):
        reply = services.reply_issue(
            actor=people["scj_handler"],
            application=app,
            result_code="withhold.process",
            doc_number="黄市监公开[2026]3号",
            body="该信息属于内部讨论记录。",
        )
        services.reply_deliver(
            actor=people["scj_handler"],
            reply=reply,
            method="mail",
            delivered_on=date(2026, 3, 20),
            reference="EMS1234",
        )
        f = services.followup_record(
            actor=people["scj_handler"],
            reply=reply,
            kind="reconsideration",
            number="黄政复〔2026〕12号",
            filed_on=date(2026, 3, 20),
        )
    with at(date(2026, 5, 6)):
        services.followup_settle(
            actor=people["scj_handler"],
            followup=f,
            outcome="maintained",
            outcome_on=date(2026, 5, 6),
        )
    assert reply.doc_number == "黄市监公开〔2026〕3号"
    text = letters.letter_text(app, "reply")
    assert "属于四类过程性信息" not in text  # the letter speaks, not the category
    assert "过程性信息" in text and "第十六条第二款" in text
    assert "张晓三" in text and "2026年3月2日" in text
    doc = Document(io.BytesIO(letters.letter_docx(app, "reply")))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "政府信息公开申请答复书" in paragraphs
    assert "黄市监公开〔2026〕3号" in paragraphs
    section = doc.sections[0]
    assert section.top_margin and section.left_margin
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28


def test_correction_letter(file_app, people):
    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 3)):
        services.correction_request(
            actor=people["scj_handler"], application=app, text="请写明文号", days=10
        )
    text = letters.letter_text(app, "correction")
    assert "10个工作日" in text and "请写明文号" in text and "第三十条" in text


def test_letters_without_document_number_have_no_stray_marker(file_app, people):
    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 4)):
        services.consultation_start(
            actor=people["scj_handler"],
            application=app,
            third_party="黄石某某科技有限公司",
            sent_on=date(2026, 3, 4),
        )
    doc = Document(io.BytesIO(letters.letter_docx(app, "consultation")))
    texts = [p.text for p in doc.paragraphs]
    assert "政府信息公开征求第三方意见书" in texts
    assert "黄石某某科技有限公司：" in texts
    assert "=" not in texts
    body = "".join(texts)
    assert "15个工作日" in body and "第三十二条" in body
    assert "张晓三" not in body  # the third party is not told who asked


def test_withdrawal_while_waiting_for_correction_stops_every_clock(file_app, people):
    from fazhi.kernel.deadlines.models import Clock

    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 3)):
        services.correction_request(
            actor=people["scj_handler"], application=app, text="请写明"
        )
        services.application_withdraw(
            actor=people["scj_handler"], application=app, note="申请人书面撤回"
        )
    assert app.case.state == "withdrawn" and app.result_code == "other.other"
    states = set(Clock.objects.filter(case=app.case).values_list("state", flat=True))
    assert states == {"stopped"}


def test_non_bmp_name_and_traditional_content_are_kept_and_masked(file_app):
    app = file_app(
        date(2026, 3, 2),
        content="請公開２０２５年度預算執行情況",
        **person(applicant_name="𠮷田秀英"),
    )
    app.refresh_from_db()
    assert app.applicant_name == "𠮷田秀英"
    assert app.content == "請公開２０２５年度預算執行情況"  # the original is kept
    assert app.masked_name == "𠮷**英"


def test_reply_letter_answers_the_corrected_request(file_app, people):
    app = file_app(date(2026, 3, 2), content="你们的文件。")
    with at(date(2026, 3, 3)):
        services.correction_request(
            actor=people["scj_handler"], application=app, text="请写明文件名称"
        )
    services.correction_respond(application=app, text="2025年食品安全抽检计划。")
    with at(date(2026, 3, 9)):
        services.correction_receive(
            actor=people["scj_handler"], application=app, received_on=date(2026, 3, 9)
        )
        services.reply_issue(
            actor=people["scj_handler"],
            application=app,
            result_code="disclose",
            body="相关文件见附件",
        )
    text = letters.letter_text(app, "reply")
    # Art. 30: the reply answers the request as corrected: the request as
    # made and the 补正, saying when it came.
    assert "申请获取“你们的文件”，并于2026年3月9日收到您的补正" in text
    assert "“2025年食品安全抽检计划”" in text  # no full stop inside the quote
    assert "相关文件见附件。" in text  # a typed text gets its full stop
    # A portal request has no staff creator: no empty "联系人：" is printed.
    assert "联系人：　" not in text and "联系人：）" not in text
    # The 补正 notice still quotes the request as first made.
    assert "“你们的文件”" in letters.letter_text(app, "correction")


def test_letters_name_the_reconsideration_body_and_decide(file_app, people):
    from fazhi.domains.disclosure.letters import reconsideration_body
    from fazhi.kernel.org.models import Agency

    # A department answers to its people's government; a government (大冶市)
    # to the one above it (行政复议法 art. 24).
    for code in ("420200-SCJ", "420281"):
        assert reconsideration_body(Agency.objects.get(code=code)) == "黄石市人民政府"
    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 3)):
        with pytest.raises(ValidationError) as exc:  # the route must be given
            services.reply_issue(
                actor=people["scj_handler"],
                application=app,
                result_code="reject.publication",
            )
        assert "body" in exc.value.message_dict
        services.reply_issue(
            actor=people["scj_handler"],
            application=app,
            result_code="withhold.process",
            body="会议纪要为讨论过程中的内部意见",
        )
    text = letters.letter_text(app, "reply")
    assert "向黄石市人民政府申请行政复议" in text
    assert "可以不予公开" not in text and "本机关决定不予公开" in text
    assert text.count("不予公开") == 1  # decided once, not repeated


def test_every_bad_field_is_named_at_once(file_app):
    with pytest.raises(ValidationError) as exc:
        file_app(
            date(2026, 3, 2),
            **person(id_number="420202199001011232", phone="1381234567", email="x@"),
        )
    assert {"id_number", "phone", "email"} <= set(exc.value.message_dict)


def test_residents_of_hong_kong_and_foreigners_apply_with_their_documents(file_app):
    app = file_app(
        date(2026, 3, 2),
        **person(
            applicant_name="陳大文", id_type="hk_macao_permit", id_number="h12345678"
        ),
    )
    assert app.id_type == "hk_macao_permit" and app.id_number == "H12345678"
    with pytest.raises(ValidationError) as exc:
        file_app(
            date(2026, 3, 2),
            content="另一件",
            **person(id_type="passport", id_number="#"),
        )
    assert "id_number" in exc.value.message_dict
