"""Plan services: import, edits with history, assignment, progress and review."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace as NS

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from fazhi.domains.plan import services
from fazhi.domains.plan.models import (
    Assignment,
    Milestone,
    Plan,
    PlanNode,
    PlanNodeRevision,
    ProgressReport,
    Target,
)
from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.indicators.models import Indicator
from fazhi.kernel.indicators.services import indicator_value_report, sync_indicators
from fazhi.kernel.notices.models import Notice

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def target(**kw):
    base = dict(
        kind="rate",
        comparator=">=",
        value="100",
        unit="%",
        period="year",
        subject="行政机关负责人出庭应诉率",
        text="出庭應訴率100%",
        deadline_year=None,
    )
    return NS(**{**base, **kw})


def node(kind, number, title, text="", targets=(), units=(), children=(), line=1):
    return NS(
        kind=kind,
        number=number,
        title=title,
        text=text or title,
        targets=list(targets),
        units=list(units),
        children=list(children),
        line=line,
    )


def parsed_plan(title="黄石市法治政府建设实施方案（2021-2025年）"):
    return NS(
        title=title,
        preamble="为全面贯彻落实……制定本实施方案。",
        problems=[NS(line=9, text="??", message="无法归入任何任务的段落")],
        nodes=[
            node(
                "part",
                "二、",
                "主要任务",
                children=[
                    node(
                        "section",
                        "（六）",
                        "加强社会矛盾纠纷行政预防调处化解",
                        children=[
                            node(
                                "task",
                                "16",
                                "提升行政应诉工作",
                                "實現行政機關負責人出庭應訴率100%。",
                                targets=[target()],
                                units=[
                                    NS(name="市司法局", role="lead"),
                                    NS(name="市公安局", role="co"),
                                    NS(name="市不存在局", role="co"),
                                ],
                            ),
                            node(
                                "task",
                                "18",
                                "强化行政执法制约监督",
                                targets=[
                                    target(
                                        kind="date",
                                        comparator="by",
                                        value="2024",
                                        unit="年",
                                        period="",
                                        subject="建成行政执法监督工作体系",
                                        text="2024年前基本建成",
                                        deadline_year=2024,
                                    )
                                ],
                            ),
                        ],
                    )
                ],
            )
        ],
    )


@pytest.fixture
def imported(people):
    result = services.plan_import(
        actor=people["fzb"],
        parsed=parsed_plan(),
        source_name="plan.txt",
        source_text="原文",
    )
    return result


def task(plan, number):
    return plan.nodes.get(kind="task", number=number)


def test_import_stores_tree_targets_units_and_history(imported, org):
    plan = imported.plan
    assert imported.created and imported.nodes == 4 and imported.targets == 2
    assert plan.year_from == 2021 and plan.year_to == 2025
    assert plan.owner.code == "420200"
    titles = list(plan.nodes.order_by("position").values_list("title", flat=True))
    assert titles[0] == "主要任务" and titles[-1] == "强化行政执法制约监督"
    t16 = task(plan, "16")
    assert t16.parent.kind == "section" and t16.parent.parent.kind == "part"
    assert "出庭应诉率" in t16.text_norm  # normalised to Simplified for matching
    assert "出庭應訴率" in t16.text  # the original kept for display
    roles = dict(t16.assignments.values_list("agency__code", "role"))
    assert roles == {"420200-SFJ": "lead", "420200-GAJ": "co"}
    assert imported.unmatched_units == ["市不存在局"]
    assert imported.problems == ["第9行：无法归入任何任务的段落"]
    assert PlanNodeRevision.objects.filter(node__plan=plan, op="import").count() == 4
    assert AuditEvent.objects.filter(action="plan.import", record_id=str(plan.pk))


def test_targets_become_manual_indicators_that_survive_sync(imported):
    rate = Target.objects.get(kind="rate")
    date_target = Target.objects.get(kind="date")
    ind = Indicator.objects.get(code=rate.own_indicator_code)
    assert (ind.name, ind.unit, ind.comparator, ind.target) == (
        "行政机关负责人出庭应诉率",
        "%",
        ">=",
        100,
    )
    assert ind.origin == "data" and ind.source == "manual"
    done = Indicator.objects.get(code=date_target.own_indicator_code)
    assert done.target == 1 and "2024" in done.description
    sync_indicators(actor=None)  # a registration sync leaves data indicators alone
    ind.refresh_from_db()
    assert ind.is_active


def test_same_text_imported_twice_is_stored_once(imported, people):
    again = services.plan_import(
        actor=people["fzb"],
        parsed=parsed_plan(),
        source_name="plan.txt",
        source_text="原文",
    )
    assert not again.created and again.plan == imported.plan
    assert Plan.objects.count() == 1


def test_only_the_office_imports(people):
    with pytest.raises(PermissionDenied):
        services.plan_import(
            actor=people["scj_handler"],
            parsed=parsed_plan(),
            source_name="x",
            source_text="x",
        )
    with pytest.raises(Http404):  # no role at all: as if nothing were there
        services.plan_import(
            actor=people["outsider"],
            parsed=parsed_plan(),
            source_name="x",
            source_text="x",
        )
    with pytest.raises(ValidationError) as err:
        services.plan_import(
            actor=people["fzb"],
            parsed=parsed_plan(title=" "),
            source_name="x",
            source_text="y",
        )
    assert "title" in err.value.message_dict


def test_reword_split_merge_keep_history(imported, people):
    fzb = people["fzb"]
    plan = imported.plan
    t16, t18 = task(plan, "16"), task(plan, "18")
    services.node_reword(
        actor=fzb,
        node=t16,
        title="提升行政应诉质量",
        text="新表述",
        note="领导小组意见",
    )
    t16.refresh_from_db()
    assert (t16.title, t16.version) == ("提升行政应诉质量", 2)
    assert list(t16.revs.values_list("title", flat=True)) == [
        "提升行政应诉质量",
        "提升行政应诉工作",
    ]
    first, second = services.node_split(
        actor=fzb, node=t16, parts=[("出庭应诉", "甲"), ("应诉能力建设", "乙")]
    )
    order = list(plan.nodes.filter(is_active=True).order_by("position"))
    assert order.index(second) == order.index(first) + 1 < order.index(t18)
    assert set(second.assignments.values_list("agency__code", flat=True)) == {
        "420200-SFJ",
        "420200-GAJ",
    }
    services.node_merge(actor=fzb, node=second, into=first, note="合并")
    second.refresh_from_db()
    first.refresh_from_db()
    assert not second.is_active and second.merged_into == first
    assert "应诉能力建设" in first.text
    with pytest.raises(ValidationError):
        services.node_merge(actor=fzb, node=first, into=first.parent)
    assert AuditEvent.objects.filter(action__startswith="plan.node_").count() == 3


def test_milestone_progress_review_cycle(imported, people, org):
    fzb, scj = people["fzb"], people["scj_handler"]
    t16 = task(imported.plan, "16")
    with pytest.raises(ValidationError) as err:  # not yet assigned to that unit
        services.milestone_create(
            actor=fzb,
            node=t16,
            agency=org["420200-SCJ"],
            title="x",
            due_date=date(2026, 12, 31),
        )
    assert "agency" in err.value.message_dict
    services.task_assign(actor=fzb, node=t16, agency=org["420200-SCJ"], role="co")
    m = services.milestone_create(
        actor=fzb,
        node=t16,
        agency=org["420200-SCJ"],
        title="完成年度出庭应诉统计",
        due_date=date(2026, 12, 31),
        opened_on=date(2026, 3, 2),
    )
    assert m.case.state == "open" and m.case.clocks.get(name="due").due_date == date(
        2026, 12, 31
    )
    assert Notice.objects.filter(
        recipient=scj, case=m.case
    ).exists()  # the unit is told
    r1 = services.progress_report_submit(
        actor=scj,
        milestone=m,
        text="已完成上半年统计",
        progress=50,
        files=[services.Upload("统计表.png", PNG)],
    )
    assert r1.evidence.get().content_type == "image/png"
    with pytest.raises(PermissionDenied):  # units cannot review their own reports
        services.progress_report_review(actor=scj, report=r1, decision="accept")
    with pytest.raises(ValidationError) as err:
        services.progress_report_review(actor=fzb, report=r1, decision="send_back")
    assert "note" in err.value.message_dict
    services.progress_report_review(
        actor=fzb, report=r1, decision="send_back", note="缺佐证"
    )
    r1.refresh_from_db()
    m.refresh_from_db()
    assert r1.status == "returned" and m.case.state == "returned" and m.progress == 0
    r2 = services.progress_report_submit(
        actor=scj, milestone=m, text="补充材料", progress=100
    )
    services.progress_report_review(
        actor=fzb, report=r2, decision="complete", score=95, on=date(2026, 12, 1)
    )
    m.refresh_from_db()
    assert (m.case.state, m.progress, m.completed_on) == (
        "done",
        100,
        date(2026, 12, 1),
    )
    assert m.case.clocks.get(name="due").state == "stopped"
    with pytest.raises(ValidationError):  # reviewed once only
        services.progress_report_review(actor=fzb, report=r2, decision="accept")


def test_bad_progress_input_names_the_field(imported, people, org):
    fzb, scj = people["fzb"], people["scj_handler"]
    t16 = task(imported.plan, "16")
    services.task_assign(actor=fzb, node=t16, agency=org["420200-SCJ"], role="lead")
    m = services.milestone_create(
        actor=fzb,
        node=t16,
        agency=org["420200-SCJ"],
        title="统计",
        due_date=date(2030, 1, 1),
    )
    cases = [
        ({"text": "", "progress": 10}, "text"),
        ({"text": "x", "progress": "很多"}, "progress"),
        ({"text": "x", "progress": 101}, "progress"),
        (
            {
                "text": "x",
                "progress": 1,
                "files": [services.Upload("a.exe", b"MZ\x90")],
            },
            "files",
        ),
        (
            {"text": "x", "progress": 1, "files": [services.Upload("e.pdf", b"")]},
            "files",
        ),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as err:
            services.progress_report_submit(actor=scj, milestone=m, **kwargs)
        assert field in err.value.message_dict, kwargs
    assert ProgressReport.objects.count() == 0  # nothing half-stored
    with pytest.raises(ValidationError) as err:
        services.task_assign(
            actor=fzb, node=t16.parent, agency=org["420200-SCJ"], role="lead"
        )
    assert "node" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.task_assign(actor=fzb, node=t16, agency=org["420200-SCJ"], role="boss")
    assert "role" in err.value.message_dict


def test_unassign_refused_once_work_exists(imported, people, org):
    fzb = people["fzb"]
    t18 = task(imported.plan, "18")
    a = services.task_assign(actor=fzb, node=t18, agency=org["420281"], role="lead")
    assert (
        services.task_assign(actor=fzb, node=t18, agency=org["420281"], role="lead")
        == a
    )
    services.milestone_create(
        actor=fzb,
        node=t18,
        agency=org["420281"],
        title="体系建设",
        due_date=date(2030, 1, 1),
    )
    with pytest.raises(ValidationError):
        services.task_unassign(actor=fzb, assignment=a)
    other = services.task_assign(actor=fzb, node=t18, agency=org["420222"], role="co")
    services.task_unassign(actor=fzb, assignment=other)
    assert not Assignment.objects.filter(pk=other.pk).exists()
    assert Milestone.objects.count() == 1


def test_manual_value_reported_against_target_indicator(imported, people, org):
    rate = Target.objects.get(kind="rate")
    ind = Indicator.objects.get(code=rate.own_indicator_code)
    value = indicator_value_report(
        actor=people["fzb"],
        indicator=ind,
        agency=org["420200"],
        period="2026",
        value="96.5",
        evidence="出庭应诉统计表",
    )
    assert value.version == 1
    node = PlanNode.objects.get(pk=rate.node_id)
    assert node.targets.count() == 1


def test_withdraw_a_mistaken_plan_only_before_work(imported, people, org):
    fzb = people["fzb"]
    plan = imported.plan
    with pytest.raises(ValidationError) as err:
        services.plan_withdraw(actor=fzb, plan=plan, reason=" ")
    assert "reason" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        services.plan_withdraw(actor=people["scj_handler"], plan=plan, reason="错")
    services.plan_withdraw(actor=fzb, plan=plan, reason="上传错了文件")
    plan.refresh_from_db()
    assert plan.withdrawn_at is not None
    rate = Target.objects.get(kind="rate")
    assert not Indicator.objects.get(code=rate.own_indicator_code).is_active
    # The same text can be imported again as a new plan.
    again = services.plan_import(
        actor=fzb, parsed=parsed_plan(), source_name="plan.txt", source_text="原文"
    )
    assert again.created and again.plan != plan
    t16 = again.plan.nodes.get(kind="task", number="16")
    services.milestone_create(
        actor=fzb,
        node=t16,
        agency=org["420200-SFJ"],
        title="统计",
        due_date=date(2030, 1, 1),
    )
    with pytest.raises(ValidationError):  # work has started on it
        services.plan_withdraw(actor=fzb, plan=again.plan, reason="错")


def test_negative_indicator_values_are_refused(imported, people, org):
    rate = Target.objects.get(kind="rate")
    with pytest.raises(ValidationError) as err:
        indicator_value_report(
            actor=people["fzb"],
            indicator=Indicator.objects.get(code=rate.own_indicator_code),
            agency=org["420200"],
            period="2026",
            value="-5",
            evidence="表",
        )
    assert "value" in err.value.message_dict


def test_value_display_is_plain(imported):
    t = Target.objects.get(kind="rate")
    t.value = Decimal("60.0000")
    assert t.value_display == "60"
