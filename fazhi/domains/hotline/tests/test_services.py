"""The ticket's life through the services, on the real calendar."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.domains.hotline.models import Rating, Routing, Ticket
from fazhi.domains.hotline.queries import public_lookup
from fazhi.domains.hotline.services import dispatch, feedback, handling
from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.responsibility import responsibility_item_create
from fazhi.kernel.workflow.engine import TransitionDenied

from .conftest import FOOD, at, submit

pytestmark = pytest.mark.django_db

# Mon 2026-09-28; 10-01..10-08 is the National Day holiday, 09-27 and 10-10
# are adjusted working Sundays/Saturdays (State Council notice for 2026).
MON = date(2026, 9, 28)


def _clock(ticket: Ticket, name: str) -> Clock:
    return Clock.objects.get(case_id=ticket.pk, name=name)


def test_portal_submit_gives_number_and_waits_at_centre(centre, food_item):
    with at(MON):
        t = submit()
    assert t.case.number.startswith("RX-2026-")
    assert t.case.state == "received"
    assert t.case.agency == centre
    assert t.phone_tail == "5678"
    assert t.received_on == MON
    top = t.suggestion["agencies"][0]
    assert top["agency"] == "黄石市市场监督管理局"
    assert any("过期食品" in r or "食品" in r for r in top["reasons"])
    assert AuditEvent.objects.filter(
        record_type="case", record_id=str(t.pk), action="hotline.submit"
    ).exists()


def test_track_needs_number_and_phone_tail(org):
    t = submit()
    assert public_lookup(t.case.number, "5678") == t
    # Full-width digits and lower case still find it.
    assert public_lookup(t.case.number.lower(), "５６７８") == t
    assert public_lookup(t.case.number, "0000") is None
    assert public_lookup("RX-2026-999999", "5678") is None
    # Ten wrong tails for a number and even the right one is refused.
    for _ in range(10):
        public_lookup(t.case.number, "0000")
    assert public_lookup(t.case.number, "5678") is None


@pytest.mark.parametrize(
    ("field", "over"),
    [
        ("content", {"content": ""}),
        ("content", {"content": "长" * 2001}),
        ("phone", {"phone": "12345"}),
        ("ticket_type", {"ticket_type": "bogus", "service_code": ""}),
        ("service_code", {"service_code": "nope"}),
        ("lat", {"lat": "north"}),
        ("attachments", {"files": [("a.jpg", b"<script>alert(1)</script>")]}),
    ],
)
def test_bad_input_names_the_field_and_makes_no_ticket(org, field, over):
    with pytest.raises(ValidationError) as exc:
        submit(**over)
    assert field in exc.value.message_dict
    assert not Ticket.objects.exists()


def test_text_keeps_emoji_traditional_and_drops_zero_width(org):
    t = submit(content="過期食品😡\u200b投訴，<script>x</script>商家不退款")
    assert "\u200b" not in t.content
    assert "😡" in t.content and "<script>" in t.content  # shown escaped, kept
    assert "食品" in t.terms.split() or "过期" in t.terms


def test_control_characters_are_dropped_and_crlf_kept(org):
    t = submit(content="超市\x00过期\x0b食品\r\n商家\t拒绝退款")
    assert t.content == "超市过期食品\n商家\t拒绝退款"


def test_traditional_text_gets_the_same_suggestion(centre, food_item):
    t = submit(content="我在超市買到過期食品，商家拒絕退款，請市場監管部門查處。")
    assert t.suggestion["agencies"][0]["agency"] == "黄石市市场监督管理局"


def test_text_matching_nothing_falls_back_to_the_chosen_category(centre, food_item):
    """ "过期" is one of the market category's keywords; the text itself names
    no matter the catalogue knows."""
    t = submit(content="我要反映一个情况，麻烦尽快联系我回电话", service_code="market")
    top = t.suggestion["agencies"][0]
    assert top["agency"] == "黄石市市场监督管理局"
    assert "按所选类别“消费与食品安全”" in top["reasons"][0]
    # A category with no matching item adds nothing.
    other = submit(
        content="我要反映一个情况，麻烦尽快联系我回电话", service_code="policy-consult"
    )
    assert other.suggestion["agencies"] == []


def test_replayed_idempotency_key_returns_the_same_ticket(org):
    a = submit(idempotency_key="form-1")
    b = submit(idempotency_key="form-1")
    assert a.pk == b.pk
    assert Ticket.objects.count() == 1


def test_same_caller_similar_text_is_flagged_duplicate(org):
    first = submit()
    second = submit(content=FOOD + "请尽快处理")
    other = submit(phone="13900001111")
    assert second.possible_duplicate_of == first
    assert other.possible_duplicate_of is None


def test_dispatch_starts_clocks_and_moves_owner(dispatcher, scj, food_item):
    with at(MON):
        t = submit()
        dispatch.ticket_dispatch(actor=dispatcher, ticket=t, agency=scj, item=food_item)
    t.refresh_from_db()
    assert t.case.state == "dispatched" and t.case.agency == scj
    route = Routing.objects.get(ticket=t)
    assert route.followed_suggestion and route.role == "lead"
    # Sign-for: 1 working day from Mon 09-28 -> Tue 09-29.
    assert _clock(t, "sign").due_date == date(2026, 9, 29)
    # Complaint: 15 working days from 09-28, skipping the National Day week
    # (10-01..10-07 off; 10-10 is a working Saturday) -> 10-23.
    assert _clock(t, "handle").due_date == date(2026, 10, 23)


def test_outsider_and_other_agency_cannot_act(people, dispatcher, scj):
    t = submit()
    with pytest.raises(TransitionDenied):
        dispatch.ticket_dispatch(actor=people["outsider"], ticket=t, agency=scj)
    dispatch.ticket_dispatch(actor=dispatcher, ticket=t, agency=scj)
    with pytest.raises(TransitionDenied):
        dispatch.ticket_sign(actor=people["dy_handler"], ticket=t)


def test_full_cycle_sign_reply_visit_rate(people, dispatcher, scj):
    handler = people["scj_handler"]
    with at(MON):
        t = submit()
        dispatch.ticket_dispatch(actor=dispatcher, ticket=t, agency=scj)
        dispatch.ticket_sign(actor=handler, ticket=t)
        handling.ticket_reply(
            actor=handler, ticket=t, text="已责令商家退款并立案调查。"
        )
        feedback.ticket_visit(actor=dispatcher, ticket=t, note="市民认可", grade=5)
    t.refresh_from_db()
    assert t.case.state == "closed"
    assert t.signed_on_time is True and t.handled_on_time is True
    assert t.rating.grade == 5
    with pytest.raises(ValidationError) as exc:
        feedback.rating_submit(actor=None, ticket=t, grade=1)
    assert "grade" in exc.value.message_dict
    assert Rating.objects.count() == 1


def test_consultation_direct_answer(dispatcher):
    t = submit(
        ticket_type="consult",
        service_code="policy-consult",
        content="请问新生儿医保在哪里办理，需要哪些材料？",
    )
    dispatch.ticket_answer_direct(
        actor=dispatcher, ticket=t, answer="携带户口本到社区…"
    )
    t.refresh_from_db()
    assert t.case.state == "closed" and t.direct_answer
    complaint = submit(phone="13900002222")
    with pytest.raises(ValidationError):
        dispatch.ticket_answer_direct(actor=dispatcher, ticket=complaint, answer="x")


def test_third_return_escalates_to_centre(people, dispatcher, scj, centre):
    handler = people["scj_handler"]
    t = submit()
    for n in range(1, 4):
        dispatch.ticket_dispatch(actor=dispatcher, ticket=t, agency=scj)
        with pytest.raises(ValidationError):
            dispatch.ticket_return(actor=handler, ticket=t, reason="  ")
        dispatch.ticket_return(actor=handler, ticket=t, reason=f"不属本单位职责{n}")
        t.refresh_from_db()
        assert t.return_count == n
        assert t.case.agency == centre
        assert _clock(t, "handle").state == Clock.State.STOPPED
    assert t.case.state == "escalated"
    assert Routing.objects.filter(ticket=t, returned_on__isnull=False).count() == 3
    # The coordinator can still dispatch an escalated ticket.
    dispatch.ticket_dispatch(actor=dispatcher, ticket=t, agency=scj)
    t.refresh_from_db()
    assert t.case.state == "dispatched"


def test_co_handling_assist_opinion(people, dispatcher, scj):
    cgw = Agency.objects.get(code="420200-CGW")
    t = submit()
    dispatch.ticket_dispatch(actor=dispatcher, ticket=t, agency=cgw, assist=[scj])
    route = dispatch.assist_opinion(
        actor=people["scj_handler"], ticket=t, opinion="食品部分由我局查处"
    )
    assert route.role == "assist" and route.agency == scj
    with pytest.raises(PermissionDenied):
        dispatch.assist_opinion(actor=people["dy_handler"], ticket=t, opinion="x")


def test_pause_and_approved_extension_move_the_due_date(people, dispatcher, scj):
    handler = people["scj_handler"]
    with at(MON):
        t = submit()
        dispatch.ticket_dispatch(actor=dispatcher, ticket=t, agency=scj)
        dispatch.ticket_sign(actor=handler, ticket=t)
    base = _clock(t, "handle").due_date
    with at(date(2026, 10, 12)):
        handling.ticket_pause(actor=handler, ticket=t, reason="等待市民补充证据")
    with at(date(2026, 10, 14)):
        handling.ticket_resume(actor=handler, ticket=t)
    paused = _clock(t, "handle").due_date
    assert paused == date(2026, 10, 27)  # 10-12, 10-13 not counted
    with at(date(2026, 10, 15)):
        with pytest.raises(ValidationError):
            handling.extension_request(actor=handler, ticket=t, days=99, reason="x")
        req = handling.extension_request(
            actor=handler, ticket=t, days=5, reason="需现场检测"
        )
        with pytest.raises(TransitionDenied):
            handling.extension_decide(
                actor=handler, request=req, approve=True, note="自批"
            )
        handling.extension_decide(
            actor=dispatcher, request=req, approve=True, note="同意"
        )
    assert _clock(t, "handle").due_date == date(2026, 11, 3)
    assert base < paused


def test_bad_rating_opens_rectification_and_appeal(people, dispatcher, scj):
    handler = people["scj_handler"]
    with at(MON):
        t = submit()
        dispatch.ticket_dispatch(actor=dispatcher, ticket=t, agency=scj)
        dispatch.ticket_sign(actor=handler, ticket=t)
        handling.ticket_reply(actor=handler, ticket=t, text="已处理")
        feedback.ticket_visit(actor=dispatcher, ticket=t, note="未接通", reached=True)
    # The citizen rates on the portal afterwards: the centre confirms.
    with at(date(2026, 9, 29)):
        feedback.rating_submit(actor=None, ticket=t, grade=1, comment="没有解决")
    t.refresh_from_db()
    assert t.rectification_pending and t.case.state == "closed"
    with at(date(2026, 9, 30)):
        feedback.ticket_rectify(actor=dispatcher, ticket=t)
    t.refresh_from_db()
    assert t.case.state == "rectifying"
    # The record names the grade in words, not by its number.
    from fazhi.kernel.audit.models import AuditEvent

    notes = [
        e.payload.get("note", "")
        for e in AuditEvent.objects.filter(record_type="case", record_id=t.pk)
    ]
    assert any("差评（非常不满意）" in n for n in notes)
    # 15 working days from the rating day 09-29 -> 10-26 across National Day.
    assert _clock(t, "rectification").due_date == date(2026, 10, 26)
    with at(date(2026, 10, 9)):
        feedback.rating_appeal(actor=handler, ticket=t, reason="市民评价的是另一件事")
        with pytest.raises(TransitionDenied):
            feedback.appeal_decide(actor=handler, ticket=t, uphold=True, note="x")
        feedback.appeal_decide(actor=dispatcher, ticket=t, uphold=True, note="核实属实")
    t.refresh_from_db()
    assert t.case.state == "closed" and t.rating.voided


def test_redo_restarts_the_handling_period(people, dispatcher, scj):
    handler = people["scj_handler"]
    with at(MON):
        t = submit()
        dispatch.ticket_dispatch(actor=dispatcher, ticket=t, agency=scj)
        dispatch.ticket_sign(actor=handler, ticket=t)
        handling.ticket_reply(actor=handler, ticket=t, text="已处理")
    with at(date(2026, 9, 30)):
        feedback.ticket_redo(actor=dispatcher, ticket=t, reason="答复未回应退款诉求")
    t.refresh_from_db()
    assert t.case.state == "handling" and t.redo_count == 1
    clock = _clock(t, "handle")
    assert clock.state == Clock.State.RUNNING and clock.start_date == date(2026, 9, 30)


def test_merge_keeps_both_histories(dispatcher):
    first = submit()
    dup = submit(content=FOOD + "再次反映")
    dispatch.ticket_merge(actor=dispatcher, ticket=dup, into=first)
    dup.refresh_from_db()
    assert dup.case.state == "merged" and dup.merged_into == first
    assert AuditEvent.objects.filter(
        record_id=str(first.pk), action="hotline.merge_in"
    ).exists()
    assert AuditEvent.objects.filter(record_id=str(dup.pk), action="case.open").exists()
    with pytest.raises(ValidationError):
        dispatch.ticket_merge(actor=dispatcher, ticket=first, into=dup)


def test_phone_intake_only_by_centre_operator(people, dispatcher):
    with pytest.raises(PermissionDenied):
        submit(actor=people["scj_handler"], channel="phone")
    t = submit(actor=dispatcher, channel="phone")
    assert t.channel == "phone"


def test_place_names_and_callers_words_do_not_pick_the_agency(centre, scj):
    """ "黄石港区" says where, "需要" nothing: neither may rank an agency whose
    item happens to contain them."""
    from fazhi.domains.hotline.suggest import catalogue, ticket_terms

    responsibility_item_create(
        actor=None,
        code="SCJ-XK-0100",
        name="黄石港区需要办理的个体工商户登记",
        item_type="行政许可",
        legal_basis="《促进个体工商户发展条例》",
        agency=scj,
        effective_from=date(2020, 1, 1),
    )
    assert {"黄石港区", "黄石港"} <= catalogue().places
    assert "需要" not in ticket_terms("黄石港区有老人走失，需要帮助寻找")
    t = submit(content="黄石港区有老人走失，需要帮助寻找", service_code="")
    assert t.suggestion["agencies"] == []
