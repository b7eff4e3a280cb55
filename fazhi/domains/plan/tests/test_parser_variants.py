"""The plan parser on plans it was not written against: other numbering,
punctuation, scripts, unit lines and enumerations."""

from pathlib import Path

import pytest

from fazhi.domains.plan.parsing import Node, ParsedPlan, parse_plan, parse_plan_file
from fazhi.domains.plan.parsing.text import cn_to_int, number_value

PLANS = Path(__file__).parent / "fixtures" / "plans"


def _parse(name: str) -> ParsedPlan:
    return parse_plan_file(PLANS / name)


def _typed(node: Node) -> list[tuple]:
    return [
        (t.kind, t.comparator, t.value, t.unit, t.period, t.subject)
        for t in node.targets
    ]


def _units(node: Node) -> list[tuple[str, str]]:
    return [(u.role, u.name) for u in node.units]


def _outline(plan: ParsedPlan) -> list[tuple[int, str, str]]:
    out = []

    def walk(nodes: list[Node], depth: int) -> None:
        for n in nodes:
            out.append((depth, n.kind, n.number))
            walk(n.children, depth + 1)

    walk(plan.nodes, 0)
    return out


# -- Simplified, full-width numbering and punctuation, 责任单位 lines ----------


@pytest.fixture(scope="module")
def fullwidth() -> ParsedPlan:
    return _parse("simplified-fullwidth.txt")


def test_title_line_and_its_year_line_make_the_title(fullwidth):
    assert fullwidth.title == "黄石市法治政府建设实施方案（2021—2025年）"
    assert (
        fullwidth.preamble
        == "为深入推进依法行政，加快建设法治政府，结合我市实际，制定本方案。"
    )


def test_full_width_numbers_are_read_as_numbers(fullwidth):
    assert [t.number for t in fullwidth.of_kind("task")] == ["1", "2", "3", "4", "5"]
    assert [s.number for s in fullwidth.of_kind("section")] == ["一", "二"]
    tasks = fullwidth.of_kind("task")
    assert tasks[0].title == "依法全面优化政府职能"
    assert (
        tasks[0].text
        == "依法全面优化政府职能。全面落实权责清单制度，推进权责清单标准化建设。"
    )


def test_unit_lines_belong_to_the_task_above(fullwidth):
    t = {n.number: n for n in fullwidth.of_kind("task")}
    assert _units(t["1"]) == [("responsible", "市委编办"), ("responsible", "市司法局")]
    assert _units(t["2"]) == [
        ("lead", "市政务服务和大数据管理局"),
        ("co", "市发改委"),
        ("co", "市市场监管局"),
    ]
    # "市司法局（牵头）、各县（市、区）人民政府": the nested parentheses stay.
    assert _units(t["3"]) == [
        ("lead", "市司法局"),
        ("responsible", "各县(市、区)人民政府"),
    ]
    # A trailing "（市司法局牵头，市中级人民法院配合）".
    assert _units(t["4"]) == [("lead", "市司法局"), ("co", "市中级人民法院")]
    # "（列第一位的为牵头单位）".
    assert _units(t["5"]) == [
        ("lead", "市政府办公室"),
        ("co", "市政务服务和大数据管理局"),
    ]


def test_unit_line_is_not_a_measure_and_the_paragraph_after_it_is(fullwidth):
    task = fullwidth.of_kind("task")[1]
    assert [(m.kind, m.title) for m in task.children] == [
        ("measure", "加强事中事后监管")
    ]


def test_full_width_digits_percent_and_chinese_percentages(fullwidth):
    t = {n.number: n for n in fullwidth.of_kind("task")}
    assert _typed(t["3"]) == [
        ("per_person", ">=", "60", "学时", "year", "执法人员业务知识和法律法规培训")
    ]
    assert _typed(t["4"]) == [("rate", "=", "100", "%", "", "行政机关负责人出庭应诉率")]
    assert _typed(t["5"]) == [
        ("rate", ">=", "100", "%", "", "依申请公开政府信息的答复率"),
        ("rate", ">=", "95", "%", "", "主动公开目录覆盖率"),
    ]
    (goal,) = fullwidth.nodes[0].targets
    assert (goal.kind, goal.value, goal.deadline_year) == ("date", "2025", 2025)
    assert (
        goal.text == "到２０２５年，政府行为全面纳入法治轨道，法治政府建设走在全省前列"
    )
    assert fullwidth.problems == []


# -- Half-width parentheses, "1、" tasks, (1) and ① measures -------------------


@pytest.fixture(scope="module")
def fourlevel() -> ParsedPlan:
    return _parse("halfwidth-fourlevel.txt")


def test_four_levels_nest_and_task_numbers_restart_per_section(fourlevel):
    assert _outline(fourlevel) == [
        (0, "part", "一"),
        (1, "section", "一"),
        (2, "task", "1"),
        (3, "measure", "1"),
        (3, "measure", "2"),
        (2, "task", "2"),
        (1, "section", "二"),
        (2, "task", "1"),
        (3, "measure", "1"),
        (4, "measure", "1"),
        (4, "measure", "2"),
        (3, "measure", "2"),
        # A part with tasks and no sections.
        (0, "part", "二"),
        (1, "task", "1"),
    ]
    assert fourlevel.title == "大冶市2023年法治政府建设工作要点"
    assert fourlevel.problems == []


def test_measure_targets_periods_and_chinese_numeral_counts(fourlevel):
    task = fourlevel.of_kind("task")[0]
    first, second = task.children
    assert _typed(first) == [
        ("count", ">=", "1", "次", "quarter", "法治政府建设工作推进会")
    ]
    assert _units(first) == [("lead", "市司法局")]
    assert _typed(second) == [
        ("count", ">=", "2", "次", "year", "听取法治政府建设工作汇报")
    ]
    # An unlabelled parenthetical of agency names.
    assert _units(second) == [
        ("responsible", "市政府办公室"),
        ("responsible", "市司法局"),
    ]


def test_month_deadline_and_half_width_role_parenthetical(fourlevel):
    task = fourlevel.of_kind("task")[1]
    (target,) = task.targets
    assert (target.kind, target.comparator, target.value, target.deadline_year) == (
        "date",
        "by",
        "2023",
        2023,
    )
    assert target.subject == "向社会公开上一年度法治政府建设情况报告"
    assert _units(task) == [("lead", "市司法局"), ("co", "各乡镇人民政府")]


def test_circled_sub_measures_carry_their_targets(fourlevel):
    training = fourlevel.of_kind("task")[2].children[0]
    a, b = training.children
    assert _typed(a) == [("per_person", ">=", "40", "学时", "year", "执法人员培训")]
    assert _typed(b) == [("rate", ">=", "98", "%", "", "全市执法人员持证率")]
    assert training.targets == []


# -- Traditional, 一是/二是 and 一要/二要 enumerations, Chinese numerals -------------


@pytest.fixture(scope="module")
def yishi() -> ParsedPlan:
    return _parse("traditional-yishi.txt")


def test_yishi_enumeration_becomes_measures_of_the_task(yishi):
    task = yishi.of_kind("task")[0]
    assert task.title == "加強行政執法隊伍建設"
    assert [(m.kind, m.number, m.title) for m in task.children] == [
        ("measure", "一", "嚴格執法人員資格管理"),
        ("measure", "二", "每年舉辦二期以上執法能力專題培訓班"),
        ("measure", "三", "法制審核人員不少於本單位執法人員總數的百分之五"),
    ]
    # Like "1." for tasks, the "一是" marker is the number, not the text.
    assert task.children[0].text == (
        "嚴格執法人員資格管理，每名執法人員每年接受不少於六十學時的培訓"
    )
    # Targets sit on the measure that states them, not twice.
    assert task.targets == []
    assert [_typed(m) for m in task.children] == [
        [("per_person", ">=", "60", "学时", "year", "执法人员培训")],
        [("count", ">=", "2", "期", "year", "执法能力专题培训班")],
        [("ratio", ">=", "5", "%", "", "法制审核人员占本单位执法人员总数的比例")],
    ]
    # The parenthetical closing the paragraph is the whole task's.
    assert _units(task) == [("lead", "县司法局")]


def test_yiyao_enumeration_with_units_per_measure(yishi):
    task = yishi.of_kind("task")[1]
    first, second = task.children
    assert _typed(first) == [("date", "by", "2024", "年", "", "建成政府信息公开平台")]
    assert _units(first) == [("lead", "县政府办公室")]
    assert _typed(second) == [("rate", ">=", "95", "%", "", "依申请公开答复率")]
    # The last measure's own parenthetical is not the task's.
    assert _units(second) == [("lead", "县政务服务中心")]
    assert task.units == []


def test_count_with_words_between_comparator_and_number(yishi):
    assert _typed(yishi.nodes[1]) == [
        ("count", ">=", "2", "次", "halfyear", "法治政府建设工作情况")
    ]


# -- Wrapped lines (a PDF copy) and heading-only measures -----------------------


def test_wrapped_lines_join_their_paragraph():
    plan = _parse("wrapped-lines.txt")
    first, second = plan.of_kind("task")
    assert first.text == (
        "严格规范行政执法行为。制定执法队伍年度培训计划，每名执法人员每年接受不少于"
        "60学时的业务知识和法律法规培训。全面推行行政执法公示制度、执法全过程记录制度、"
        "重大执法决定法制审核制度。"
    )
    assert _typed(first)[0][:4] == ("per_person", ">=", "60", "学时")
    (measure,) = second.children
    assert measure.title == "加强事中事后监管"
    assert measure.text == "完善以“双随机、一公开”监管为基本手段的监管机制。"
    assert measure.line == 8


# -- An official notice around the plan -------------------------------------------


def test_official_notice_title_preamble_and_closing_block():
    plan = _parse("official-notice.txt")
    assert plan.title == "某市法治政府建设实施方案"
    assert plan.preamble.split("\n") == [
        "某政发〔2021〕12号",
        "各县（市、区）人民政府，市政府各部门：",
        "现将《某市法治政府建设实施方案》印发给你们，请认真贯彻执行。",
    ]
    # The issuer, date, 抄送 and 印发 lines are reported, not made plan text.
    assert plan.nodes[1].text == "各地各部门要抓好本方案贯彻落实。"
    ((line, message),) = [(p.line, p.message) for p in plan.problems]
    assert line == 15 and "落款和版记" in message


def test_yishi_lines_and_a_units_line_after_them():
    plan = _parse("official-notice.txt")
    first, second = plan.of_kind("task")
    assert [(m.number, m.title, m.line) for m in first.children] == [
        ("一", "严格执法人员资格管理", 7),
        ("二", "加强执法培训，每名执法人员每年培训不少于60学时", 8),
    ]
    assert _typed(first.children[1]) == [
        ("per_person", ">=", "60", "学时", "year", "执法人员培训")
    ]
    # A units line belongs to the node just above it.
    assert _units(first.children[1]) == [("lead", "市司法局")]
    assert first.units == []
    # A heading-only task takes the next paragraph as its text.
    assert (second.title, second.text) == (
        "完善法治政府建设推进机制",
        "每年召开法治政府建设推进会。",
    )
    assert second.children == []


# -- What the parser could not place --------------------------------------------


def test_problems_name_their_lines():
    plan = _parse("with-problems.txt")
    assert [(p.line, p.message.split("（")[0]) for p in plan.problems] == [
        (2, "责任单位出现在任何任务之前，无法归属，请人工指定"),
        (6, "任务“3”编号不连续"),
        (6, "疑似量化指标未能识别"),
        (7, "第7行起为附件"),
    ]
    assert plan.problems[2].text == "行政复议办案满意度评分不低于90分"
    # The misnumbered task is still placed.
    assert [t.number for t in plan.of_kind("task")] == ["1", "3"]


def test_other_numbering_styles():
    text = "\n".join(
        [
            "第一部分 总体要求",
            "㈠指导思想",
            "坚持依法行政。",
            "第二部分 重点任务",
            "1.深化改革。",
            "1.1 推进权责清单动态调整。",
            "⑴每年开展不少于1次执法案卷评查。",
        ]
    )
    plan = parse_plan(text)
    assert _outline(plan) == [
        (0, "part", "一"),
        (1, "section", "一"),
        (0, "part", "二"),
        (1, "task", "1"),
        (2, "measure", "1.1"),
        (2, "measure", "1"),
    ]
    assert plan.nodes[0].title == "总体要求"
    assert plan.nodes[0].children[0].text == "坚持依法行政。"
    assert _typed(plan.of_kind("measure")[1]) == [
        ("count", ">=", "1", "次", "year", "执法案卷评查")
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "行政复议纠错率控制在15%以内。",
            ("rate", "<=", "15", "%", "", "行政复议纠错率"),
        ),
        (
            "政务服务好评率百分之九十五点五。",
            ("rate", "=", "95.5", "%", "", "政务服务好评率"),
        ),
        ("每年至少开展一次法治督察。", ("count", ">=", "1", "次", "year", "法治督察")),
        ("人均学法不少于四十学时。", ("per_person", ">=", "40", "学时", "", "学法")),
        ("法律顧問應佔一定數量。", ("qualitative", ">=", None, "", "", "法律顾问数量")),
        (
            "到2022年年底前建成執法監督平台。",
            ("date", "by", "2022", "年", "", "建成执法监督平台"),
        ),
        (
            "法律顾问占公职人员的比例不低于10%。",
            ("ratio", ">=", "10", "%", "", "法律顾问占公职人员的比例"),
        ),
        ("专职人员占比不低于20%。", ("ratio", ">=", "20", "%", "", "专职人员占比")),
        (
            "行政复议案件办结时间不超过30天。",
            ("count", "<=", "30", "天", "", "行政复议案件办结时间"),
        ),
        ("持证率保持在95%以上。", ("rate", ">=", "95", "%", "", "持证率")),
        ("每季度召开1次联席会议。", ("count", "=", "1", "次", "quarter", "联席会议")),
    ],
)
def test_target_types(sentence, expected):
    plan = parse_plan(f"一、任务\n1.一项任务。{sentence}")
    assert _typed(plan.of_kind("task")[0]) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "贯彻《法治政府建设实施纲要（2021—2025年）》。",
        "2021年至2025年持续推进。",
        "实现“一网、一门、一次”，推行“三项制度”。",
        "为2035年基本建成法治政府奠定基础。",
    ],
)
def test_no_target_is_invented(sentence):
    plan = parse_plan(f"一、任务\n1.一项任务。{sentence}")
    assert plan.of_kind("task")[0].targets == []
    assert plan.problems == []


def test_two_rates_in_one_sentence():
    plan = parse_plan("一、任务\n1.一项任务。群众满意率不低于90%，投诉率低于百分之五。")
    assert _typed(plan.of_kind("task")[0]) == [
        ("rate", ">=", "90", "%", "", "群众满意率"),
        ("rate", "<=", "5", "%", "", "投诉率"),
    ]


def test_deadline_of_a_sentence_goes_to_its_quantified_target():
    plan = parse_plan(
        "一、任务\n1.一项任务。到2025年，行政机关负责人出庭应诉率达到100%。"
    )
    (target,) = plan.of_kind("task")[0].targets
    assert (target.kind, target.value, target.deadline_year) == ("rate", "100", 2025)


def test_units_on_a_line_of_their_own_traditional_half_width():
    plan = parse_plan(
        "一、任務\n1.推進執法監督。\n(市司法局牽頭，市委編辦、市財政局配合)"
    )
    task = plan.of_kind("task")[0]
    assert _units(task) == [
        ("lead", "市司法局"),
        ("co", "市委编办"),
        ("co", "市财政局"),
    ]
    assert task.children == []


def test_numerals():
    assert [
        cn_to_int(s) for s in ("二十五", "十一", "两", "一百", "百", "二〇二五")
    ] == [
        25,
        11,
        2,
        100,
        100,
        2025,
    ]
    assert number_value("九十五点五") == "95.5"
    assert number_value("60") == "60"
    assert number_value("100.0") == "100"
