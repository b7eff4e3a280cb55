"""Period rules: the DESIGN table as data, citations, local overrides."""

import pytest
from django.core.exceptions import ValidationError

from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.deadlines import services
from fazhi.kernel.deadlines.rules import (
    RULES,
    UnknownRule,
    all_rules,
    get_rule,
    national_rule,
)

DESIGN_TABLE = {
    "disclosure.reply": (20, "working", "第三十三条"),
    "disclosure.extension": (20, "working", "第三十三条"),
    "disclosure.correction_notice": (7, "working", "第三十条"),
    "disclosure.third_party": (15, "working", "第三十二条"),
    "disclosure.proactive": (20, "working", "第二十六条"),
    "reconsideration.acceptance": (5, "working", "第八十八条"),
    "reconsideration.copy_to_respondent": (7, "working", "第四十八条"),
    "reconsideration.respondent_reply": (10, "working", "第四十八条"),
    "reconsideration.decision": (60, "natural", "第六十二条"),
    "reconsideration.decision_extension": (30, "natural", "第六十二条"),
    "reconsideration.simplified_decision": (30, "natural", "第六十二条"),
    "penalty.decision": (90, "natural", "第六十条"),
    "penalty.delivery_absent": (7, "working", "第八十五条"),
    "penalty.hearing_request": (5, "working", "第六十四条"),
    "penalty.hearing_notice": (7, "working", "第六十四条"),
    "penalty.withdraw_changed": (3, "working", "第四十八条"),
    "publicity.penalty_licence": (7, "working", "118号"),
    "publicity.other_enforcement": (20, "working", "118号"),
    "inspection.results_publicity": (20, "working", "国发〔2019〕5号"),
    "normative.legality_review": (15, "working", "115号"),
    "rule.filing": (30, "natural", "法规规章备案审查条例"),
    "normative.filing": (30, "natural", "国办发〔2018〕37号"),
    "decision.public_comment": (30, "natural", "重大行政决策程序暂行条例"),
    "decision.legality_review": (7, "working", "重大行政决策程序暂行条例"),
    "litigation.answer": (15, "natural", "第六十七条"),
    "hotline.consult": (2, "working", "53号"),
    "hotline.help": (10, "working", "53号"),
    "hotline.suggest": (10, "working", "53号"),
    "hotline.complaint": (15, "working", "53号"),
    "hotline.report": (15, "working", "53号"),
}


def test_every_row_of_the_design_table_is_a_rule_with_its_citation():
    for rule_id, (days, unit, cite) in DESIGN_TABLE.items():
        rule = national_rule(rule_id)
        assert (rule.days, rule.unit) == (days, unit), rule_id
        assert cite in rule.citation, rule_id
    legality = national_rule("normative.legality_review")
    assert (legality.min_days, legality.max_days) == (5, 15)
    assert national_rule("normative.filing").verify
    assert all(r.citation and r.name for r in RULES)
    assert len({r.id for r in RULES}) == len(RULES)


def test_extension_links_point_at_real_rules():
    for r in RULES:
        if r.extension:
            assert national_rule(r.extension).unit == r.unit


def test_unknown_rule_raises_lookup_error():
    with pytest.raises(UnknownRule):
        national_rule("nope")
    assert issubclass(UnknownRule, LookupError)


@pytest.mark.django_db
def test_local_override_of_a_configurable_rule_is_audited(people):
    rule = services.period_rule_override_set(
        actor=people["fzb"],
        rule_id="hotline.complaint",
        days=10,
        citation="黄石市12345热线管理办法第十二条",
    )
    assert rule.days == 10 and rule.local_citation.startswith("黄石市")
    assert get_rule("hotline.complaint").days == 10
    assert {r.id: r.days for r in all_rules()}["hotline.complaint"] == 10
    services.period_rule_override_set(
        actor=None, rule_id="hotline.complaint", days=12, citation="修订"
    )
    back = services.period_rule_override_clear(
        actor=people["fzb"], rule_id="hotline.complaint"
    )
    assert back.days == 15 and get_rule("hotline.complaint").days == 15
    events = AuditEvent.objects.filter(
        record_type="period_rule", record_id="hotline.complaint"
    ).order_by("seq")
    assert [e.action for e in events] == [
        "period_rule.override",
        "period_rule.override",
        "period_rule.clear",
    ]
    assert events[1].payload["previous"] == 10


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"rule_id": "nope", "days": 3, "citation": "x"}, "rule_id"),
        ({"rule_id": "disclosure.reply", "days": 30, "citation": "x"}, "rule_id"),
        ({"rule_id": "hotline.consult", "days": 0, "citation": "x"}, "days"),
        ({"rule_id": "alert.due_soon", "days": 31, "citation": "x"}, "days"),
        ({"rule_id": "hotline.consult", "days": 3, "citation": " "}, "citation"),
    ],
)
def test_override_validation(kwargs, field):
    with pytest.raises(ValidationError) as exc:
        services.period_rule_override_set(actor=None, **kwargs)
    assert field in exc.value.message_dict


@pytest.mark.django_db
def test_clearing_without_override_is_an_error():
    with pytest.raises(ValidationError, match="没有本地设置"):
        services.period_rule_override_clear(actor=None, rule_id="hotline.consult")


@pytest.mark.django_db
def test_alert_threshold_may_be_zero():
    rule = services.period_rule_override_set(
        actor=None, rule_id="alert.due_soon", days=0, citation="本地督办办法"
    )
    assert rule.days == 0
