"""The reply clock on the real 2025/2026 calendars, with 补正, third-party
consultation, extension and provisional dates into 2027."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from fazhi.domains.disclosure import services
from fazhi.domains.disclosure.models import Application
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.notices.models import Notice

from .conftest import at, company, person

pytestmark = pytest.mark.django_db


def reply_clock(app: Application) -> Clock:
    return Clock.objects.get(case=app.case, name="reply")


def test_counter_application_received_before_spring_festival_2026(file_app):
    # Thursday 12 Feb 2026: Spring Festival 15-23 Feb is skipped, the 调休
    # Saturdays 14 and 28 Feb count (国办发明电〔2025〕7号).
    app = file_app(date(2026, 2, 12))
    assert app.case.state == "handling"
    assert app.received_on == date(2026, 2, 12)
    clock = reply_clock(app)
    assert clock.due_date == date(2026, 3, 18)
    assert not clock.provisional
    why = "\n".join(clock.explain())
    assert "春节假期" in why
    assert "2026年2月14日（星期六）为调休上班日" in why
    assert "第三十三条" in why


def test_request_received_before_national_day_2025(file_app):
    app = file_app(date(2025, 9, 30))
    # Oct 1-8 rest; Sat 11 Oct is a 调休 working day.
    assert reply_clock(app).due_date == date(2025, 11, 4)
    assert "2025年10月11日（星期六）为调休上班日" in "".join(reply_clock(app).explain())


def test_registered_letter_counts_from_signing_not_posting(people, scj):
    with at(date(2026, 2, 14)):
        app = services.application_submit(
            actor=people["scj_handler"],
            agency=scj,
            channel="registered_mail",
            content="企业登记信息",
            submitted_on=date(2026, 2, 10),
            signed_on=date(2026, 2, 14),
            **person(),
        )
    # Signed for on the 调休 Saturday: the count starts the next day.
    assert app.received_on == date(2026, 2, 14)
    assert reply_clock(app).start_date == date(2026, 2, 14)
    assert reply_clock(app).due_date == date(2026, 3, 20)


def test_ordinary_letter_waits_for_confirmation(people, scj):
    with at(date(2026, 3, 2)):
        app = services.application_submit(
            actor=people["scj_handler"],
            agency=scj,
            channel="ordinary_mail",
            content="企业登记信息",
            submitted_on=date(2026, 3, 2),
            **company(),
        )
        assert app.case.state == "submitted"
        assert not Clock.objects.filter(case=app.case).exists()
    with at(date(2026, 3, 4)):
        services.application_receive(
            actor=people["scj_handler"], application=app, confirmed_on=date(2026, 3, 3)
        )
    assert app.received_on == date(2026, 3, 3)
    assert reply_clock(app).due_date == date(2026, 3, 31)
    # A fixed-line applicant gets no SMS; the letter is the notice.
    assert not Notice.objects.filter(case=app.case).exists()


def test_online_applicant_is_told_the_receipt_day_and_due_date(people, scj):
    with at(date(2026, 3, 2)):
        app = services.application_submit(
            actor=services.APPLICANT,
            agency=scj,
            channel="online",
            content="x",
            **person(),
        )
    with at(date(2026, 3, 3)):
        services.application_receive(
            actor=people["scj_handler"], application=app, confirmed_on=date(2026, 3, 3)
        )
    notice = Notice.objects.get(case=app.case)
    assert notice.channel == "sms" and notice.address == "13812345678"
    assert "2026年3月3日确认收到" in notice.body and "2026年3月31日" in notice.body


def test_confirmation_before_submission_names_the_field(people, scj):
    with at(date(2026, 3, 4)), pytest.raises(ValidationError) as exc:
        services.application_submit(
            actor=people["scj_handler"],
            agency=scj,
            channel="fax",
            content="x",
            submitted_on=date(2026, 3, 3),
            confirmed_on=date(2026, 3, 2),
            **person(),
        )
    assert "confirmed_on" in exc.value.message_dict


def test_correction_restarts_reply_clock_from_corrected_request(file_app, people):
    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 5)):
        c = services.correction_request(
            actor=people["scj_handler"], application=app, text="请写明信息名称", days=10
        )
    assert not c.notice_late
    assert app.case.state == "correcting"
    # Art. 30 restarts the period, so the days already run are not owed back:
    # the reply clock stops and its explanation shows no pending pause.
    assert reply_clock(app).state == Clock.State.STOPPED
    assert "暂停" not in "".join(reply_clock(app).explain())
    corr = Clock.objects.get(case=app.case, name="correction")
    assert corr.due_date == date(2026, 3, 19)
    services.correction_respond(application=app, text="2025年食品抽检结果公告")
    with at(date(2026, 3, 20)):
        services.correction_receive(
            actor=people["scj_handler"], application=app, received_on=date(2026, 3, 20)
        )
    clock = reply_clock(app)
    assert clock.state == Clock.State.RUNNING
    assert clock.start_date == date(2026, 3, 20)
    # 20 working days from Fri 20 March; Qingming (4-6 April 2026) skipped.
    assert clock.due_date == date(2026, 4, 20)
    restart = clock.events.filter(kind="start").last()
    assert restart and "重新起算" in restart.reason
    with at(date(2026, 3, 21)), pytest.raises(ValidationError):
        services.correction_request(
            actor=people["scj_handler"], application=app, text="再补一次"
        )


def test_late_correction_notice_is_flagged(file_app, people):
    app = file_app(date(2026, 2, 12))
    # 7 working days from 12 Feb end on the 调休 Saturday 28 Feb.
    with at(date(2026, 3, 2)):
        c = services.correction_request(
            actor=people["scj_handler"], application=app, text="请写明"
        )
    assert c.notice_late


def test_abandonment_only_after_correction_period(file_app, people):
    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 3)):
        services.correction_request(
            actor=people["scj_handler"], application=app, text="请写明", days=5
        )
    with at(date(2026, 3, 10)), pytest.raises(ValidationError) as exc:
        services.application_abandon(actor=people["scj_handler"], application=app)
    assert "on" in exc.value.message_dict
    with at(date(2026, 3, 11)):
        services.application_abandon(actor=people["scj_handler"], application=app)
    assert app.case.state == "abandoned"
    assert app.result_code == "other.abandoned"
    assert reply_clock(app).state == Clock.State.STOPPED


def test_third_party_time_is_not_counted(file_app, people):
    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 9)):
        services.consultation_start(
            actor=people["scj_handler"],
            application=app,
            third_party="黄石某企业",
            sent_on=date(2026, 3, 9),
        )
    tp = Clock.objects.get(case=app.case, name="third_party")
    assert tp.due_date == date(2026, 3, 30)  # 15 working days
    with at(date(2026, 3, 23)):
        services.consultation_finish(
            actor=people["scj_handler"],
            application=app,
            answered_on=date(2026, 3, 23),
            opinion="不同意公开",
        )
    # Paused 9-20 March: ten working days added to 30 March (no pause).
    assert reply_clock(app).due_date == date(2026, 4, 14)
    assert "暂停计时" in "".join(reply_clock(app).explain())


def test_one_extension_of_twenty_working_days(file_app, people):
    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 25)):
        services.application_extend(
            actor=people["scj_gk_head"], application=app, reason="信息量大"
        )
        clock = reply_clock(app)
        assert clock.due_date == date(2026, 4, 28)
        assert "经批准延长20个工作日" in "".join(clock.explain())
        with pytest.raises(ValidationError):
            services.application_extend(
                actor=people["scj_gk_head"], application=app, reason="再延"
            )


def test_only_the_agencys_own_office_head_or_leader_may_extend(file_app, people):
    """Art. 33(2): consent of the head of the agency's disclosure office. A
    handler cannot extend, nor can the city's rule-of-law office, which
    supervises every agency but speaks for none of them."""
    from fazhi.kernel.workflow.engine import TransitionDenied

    app = file_app(date(2026, 3, 2))
    for who in ("scj_handler", "fzb"):
        app.refresh_from_db()
        with at(date(2026, 3, 25)), pytest.raises(TransitionDenied):
            services.application_extend(
                actor=people[who], application=app, reason="信息量大"
            )
    app.refresh_from_db()
    assert not app.extended


def test_shorter_extension_and_limit(file_app, people):
    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 25)):
        with pytest.raises(ValidationError) as exc:
            services.application_extend(
                actor=people["scj_gk_head"], application=app, reason="x", days=21
            )
        assert "days" in exc.value.message_dict
        services.application_extend(
            actor=people["scj_gk_head"], application=app, reason="需要检索档案", days=5
        )
    assert reply_clock(app).due_date == date(2026, 4, 7)


def test_request_in_december_is_provisional_into_2027(file_app):
    app = file_app(date(2026, 12, 10))
    clock = reply_clock(app)
    assert clock.provisional
    assert clock.due_date == date(2027, 1, 8)
    assert "2027" in clock.explain()[-1]


def test_generic_case_page_cannot_fire_disclosure_steps(file_app, people):
    from fazhi.kernel.workflow.engine import GuardFailed, case_transition

    app = file_app(date(2026, 3, 2))
    with pytest.raises(GuardFailed):
        case_transition(actor=people["scj_handler"], case=app.case, transition="reply")


def test_correction_clock_has_a_chinese_name(file_app, people):
    from fazhi.web.countdown import clock_display_name

    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 3)):
        services.correction_request(
            actor=people["scj_handler"], application=app, text="请写明"
        )
    clock = Clock.objects.get(case=app.case, name="correction")
    assert clock_display_name(clock) == "申请人补正期限"


def test_sweep_warns_on_running_reply_not_while_correcting(file_app, people):
    from fazhi.kernel.deadlines.sweep import sweep_alerts

    late = file_app(date(2026, 3, 2), content="甲")  # due 30 March
    waiting = file_app(date(2026, 3, 2), content="乙")
    with at(date(2026, 3, 3)):
        services.correction_request(
            actor=people["scj_handler"], application=waiting, text="请写明"
        )
    sweep_alerts(today=date(2026, 3, 27))
    assert reply_clock(late).alert == Clock.Alert.YELLOW
    sweep_alerts(today=date(2026, 3, 31))
    assert reply_clock(late).alert == Clock.Alert.RED
    # Waiting for the applicant's correction is not the office's delay.
    assert reply_clock(waiting).alert == Clock.Alert.NONE
