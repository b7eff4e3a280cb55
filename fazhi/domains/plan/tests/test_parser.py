"""The plan parser on the reference plan (Huangshi 2021-2025, Traditional)."""

import json
from pathlib import Path

import pytest

from fazhi.domains.plan.parsing import Node, ParsedPlan, parse_plan, parse_plan_file
from fazhi.domains.plan.parsing.model import COMPARATORS, PERIODS, TARGET_KINDS
from fazhi.kernel.textzh import to_simplified

PLANS = Path(__file__).parent / "fixtures" / "plans"
REFERENCE = PLANS / "huangshi-2021-2025.txt"

SECTION_TASKS = {
    "一": ["1", "2", "3"],
    "二": ["4", "5", "6"],
    "三": ["7", "8"],
    "四": ["9", "10"],
    "五": ["11", "12"],
    "六": ["13", "14", "15", "16"],
    "七": ["17", "18", "19", "20"],
    "八": ["21", "22", "23"],
    "九": ["24", "25"],
}

# (kind, comparator, value, unit, period, subject) of every target per task.
TASK_TARGETS = {
    "10": [
        ("per_person", ">=", "60", "学时", "year", "执法人员业务知识和法律法规培训"),
    ],
    "16": [("rate", "=", "100", "%", "", "行政机关负责人出庭应诉率")],
    "18": [
        (
            "date",
            "by",
            "2024",
            "年",
            "",
            "基本建成比较完善的市、县、乡行政执法监督工作体系",
        ),
    ],
    "19": [("rate", ">=", "100", "%", "", "依申请公开政府信息的答复率")],
    "24": [
        ("count", ">=", "2", "期", "year", "法治专题讲座"),
        ("count", ">=", "1", "次", "year", "旁听人民法院庭审活动"),
        ("count", ">=", "1", "次", "term", "法治专题脱产培训"),
    ],
    "25": [
        (
            "qualitative",
            ">=",
            None,
            "%",
            "",
            "市、县(市)政府负责法治政府建设的工作部门领导班子成员中"
            "具有法律职业资格的人员比例",
        ),
        (
            "ratio",
            ">=",
            "5",
            "%",
            "",
            "各级行政执法机关的法制审核人员占本单位执法人员总数的比例",
        ),
    ],
}


@pytest.fixture(scope="module")
def plan() -> ParsedPlan:
    return parse_plan_file(REFERENCE)


def _tasks(plan: ParsedPlan) -> dict[str, Node]:
    return {t.number: t for t in plan.of_kind("task")}


def _typed(node: Node) -> list[tuple]:
    return [
        (t.kind, t.comparator, t.value, t.unit, t.period, t.subject)
        for t in node.targets
    ]


def test_reference_plan_has_25_tasks_numbered_1_to_25(plan):
    numbers = [t.number for t in plan.of_kind("task")]
    assert numbers == [str(n) for n in range(1, 26)]


def test_reference_plan_has_three_parts_and_nine_sections_under_part_two(plan):
    assert [(p.kind, p.number, p.title) for p in plan.nodes] == [
        ("part", "一", "總體要求"),
        ("part", "二", "主要任務"),
        ("part", "三", "加強組織保障"),
    ]
    sections = plan.nodes[1].children
    assert [s.kind for s in sections] == ["section"] * 9
    assert [s.number for s in sections] == list(SECTION_TASKS)
    assert sections[0].title == "健全政府機構職能體系"
    assert sections[8].title == "全面提高政府工作人員法治思維和依法行政能力"


def test_every_task_sits_under_its_section(plan):
    for section in plan.nodes[1].children:
        assert [c.number for c in section.children] == SECTION_TASKS[section.number]
        assert {c.kind for c in section.children} == {"task"}


def test_task_title_is_its_lead_sentence_and_text_the_paragraph(plan):
    task = _tasks(plan)["1"]
    assert task.title == "依法全面最佳化政府職能"
    assert task.text.startswith(
        "依法全面最佳化政府職能。完善市、縣、鄉三級政府事權管理制度"
    )
    assert task.text.endswith("促進園區開發和建設。")
    assert task.line == 6
    assert task.children == []


def test_unnumbered_paragraphs_after_task_2_are_its_measures(plan):
    task = _tasks(plan)["2"]
    measures = task.children
    assert [(m.kind, m.number, m.title, m.line) for m in measures] == [
        ("measure", "", "加強事中事後監管", 8),
        ("measure", "", "加快建設服務型政府", 9),
    ]
    assert measures[0].text.startswith("加強事中事後監管。完善以“雙隨機、一公開”監管")
    assert measures[1].text.endswith("提供暖心便捷的服務。")
    # The measures' text is not repeated in the task's own text.
    assert "加強事中事後監管" not in task.text
    assert _tasks(plan)["3"].line == 10


def test_paragraphs_of_parts_without_tasks_stay_the_parts_text(plan):
    one, _, three = plan.nodes
    assert one.children == [] and three.children == []
    assert one.text.startswith("堅持以習近平新時代中國特色社會主義思想為指導")
    assert three.text.split("\n")[0].startswith("市、縣(市)政府應主動向本級黨委匯報")
    assert three.text.split("\n")[1].startswith("各地各部門要結合工作實際")


def test_preamble_is_the_first_line_and_title_falls_back(plan):
    first_line = REFERENCE.read_text(encoding="utf-8").split("\n")[0]
    assert plan.preamble == first_line
    # No title line in the reference: the file name, or the caller's title.
    assert plan.title == "huangshi-2021-2025"
    text = REFERENCE.read_text(encoding="utf-8")
    assert parse_plan(text, title="黄石市法治政府建设实施方案").title == (
        "黄石市法治政府建设实施方案"
    )


@pytest.mark.parametrize("number", ["10", "16", "18", "19", "24", "25"])
def test_every_target_of_the_quantified_tasks_is_typed(plan, number):
    assert _typed(_tasks(plan)[number]) == TASK_TARGETS[number]


def test_target_spans_keep_the_original_script(plan):
    tasks = _tasks(plan)
    assert tasks["16"].targets[0].text == "實現行政機關負責人出庭應訴率100%"
    assert tasks["10"].targets[0].text == (
        "每名執法人員每年接受不少於60學時的業務知識和法律法規培訓"
    )
    assert tasks["18"].targets[0].deadline_year == 2024
    assert tasks["25"].targets[1].text == (
        "原則上各級行政執法機關的法制審核人員不少於本單位執法人員總數的5%"
    )


def test_the_2025_goal_is_a_date_target_of_the_general_requirements(plan):
    (target,) = plan.nodes[0].targets
    assert (target.kind, target.comparator, target.value, target.unit) == (
        "date",
        "by",
        "2025",
        "年",
    )
    assert target.period == "" and target.deadline_year == 2025
    assert target.subject.startswith("政府行为全面纳入法治轨道")
    assert target.subject.endswith("法治政府建设走在全省前列")
    # "为2035年基本建成…" is the vision beyond the plan, not a second deadline.
    assert "2035" not in target.subject and "2035" not in target.text
    assert target.text.startswith("到2025年,政府行為全面納入法治軌道")


def test_only_tasks_that_state_a_measure_have_targets(plan):
    with_targets = {
        n
        for n, task in _tasks(plan).items()
        if task.targets or any(m.targets for m in task.children)
    }
    # 2 and 23: "全覆盖" is coverage stated as a target (督察全覆盖 and the like).
    assert with_targets == {"2", "10", "16", "18", "19", "23", "24", "25"}
    coverage = [t.subject for t in _tasks(plan)["23"].targets]
    assert coverage == ["监管事项覆盖率"]
    assert [t.subject for t in plan.nodes[2].targets] == [
        "市政府各部门及县(市、区)政府法治建设督察覆盖率"
    ]


def test_every_target_is_typed_with_known_values(plan):
    targets = [t for node in plan.walk() for t in node.targets]
    assert len(targets) == 14
    for t in targets:
        assert t.kind in TARGET_KINDS
        assert t.comparator in COMPARATORS
        assert t.period in PERIODS
        assert t.subject and t.text
        assert (t.value is None) == (t.kind == "qualitative")
        assert (t.comparator == "by") == (t.kind == "date")


def test_reference_plan_parses_without_problems_or_units(plan):
    assert plan.problems == []
    assert all(node.units == [] for node in plan.walk())


def test_json_contract(plan):
    data = plan.as_json()
    assert set(data) == {"title", "preamble", "nodes", "problems"}
    node_keys = {"kind", "number", "title", "text", "targets", "units", "children"}
    stack = list(data["nodes"])
    count = 0
    while stack:
        node = stack.pop()
        count += 1
        assert set(node) == node_keys
        for t in node["targets"]:
            assert set(t) == {
                "kind",
                "comparator",
                "value",
                "unit",
                "period",
                "subject",
                "text",
                "deadline_year",
            }
        stack.extend(node["children"])
    assert count == len(plan.walk()) == 3 + 9 + 25 + 2
    # Serialisable as the command prints it, Chinese kept as is.
    dumped = json.dumps(data, ensure_ascii=False)
    assert "出庭應訴率100%" in dumped


def test_plan_concatenated_with_itself_gives_50_tasks():
    text = REFERENCE.read_text(encoding="utf-8")
    plan = parse_plan(text + "\n" + text)
    tasks = plan.of_kind("task")
    assert len(tasks) == 50
    assert [t.number for t in tasks] == [str(n) for n in range(1, 26)] * 2
    assert len(plan.nodes) == 6
    # The second copy's preamble joins part 三's prose; its "一、" restarts the
    # parts, which is reported rather than silently accepted.
    assert len(plan.nodes[2].text.split("\n")) == 3
    ((line, message),) = [(p.line, p.message) for p in plan.problems]
    assert line == 45 and message.startswith("部分“一”编号重复或倒退")


def test_simplified_copy_of_the_reference_parses_the_same():
    traditional = REFERENCE.read_text(encoding="utf-8")
    simplified = to_simplified(traditional)
    assert simplified != traditional
    a, b = parse_plan(traditional), parse_plan(simplified)
    assert [(n.kind, n.number) for n in a.walk()] == [
        (n.kind, n.number) for n in b.walk()
    ]
    assert [_typed(n) for n in a.walk()] == [_typed(n) for n in b.walk()]
    assert b.of_kind("task")[0].title == "依法全面优化政府职能"
