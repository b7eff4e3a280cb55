"""Properties of the plan parser on generated plans: it never fails with
anything but PlanInputError, every target is a span of the source, and no
line of the input disappears."""

import json
import re
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.domains.plan.parsing import PlanInputError, parse_plan
from fazhi.domains.plan.parsing.model import (
    COMPARATORS,
    NODE_KINDS,
    PERIODS,
    TARGET_KINDS,
)
from fazhi.domains.plan.parsing.text import clean_line

REFERENCE = Path(__file__).parent / "fixtures" / "plans" / "huangshi-2021-2025.txt"
REFERENCE_LINES = REFERENCE.read_text(encoding="utf-8").split("\n")

MARKERS = [
    "一、",
    "二、",
    "十一、",
    "（一）",
    "(二)",
    "㈢",
    "1.",
    "２．",
    "3、",
    "(1)",
    "（2）",
    "①",
    "⑵",
    "1.2 ",
    "一是",
    "第一部分 ",
    "",
    "",
    "",
]
FRAGMENTS = [
    "每年至少开展2次法治督察。",
    "依申請公開答覆率達100%。",
    "到2025年，建成执法监督平台。",
    "2024年前基本建成監督體系。",
    "每名执法人员每年接受不少于六十学时的培训。",
    "法制审核人员不少于执法人员总数的百分之五。",
    "应占一定比例。",
    "实现督察全覆盖、常态化。",
    "一是加强领导；二是强化保障。",
    "出庭应诉率１００％，",
    "不少于90分",
    "𠀀𪚥字",
]
ODD = "，。；：（）()%％０１２3一二是每年不少于以上到年前\u200b\u3000①⑴㈠ 　abc“”、"


@st.composite
def plans(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 25))):
        marker = draw(st.sampled_from(MARKERS))
        choice = draw(st.integers(0, 3))
        if choice == 0:
            body = draw(st.sampled_from(REFERENCE_LINES))
            cut = draw(st.integers(1, max(1, len(body))))
            body = body[:cut]
        elif choice == 1:
            body = "".join(draw(st.lists(st.sampled_from(FRAGMENTS), max_size=3)))
        elif choice == 2:
            body = draw(st.text(alphabet=ODD, max_size=40))
        else:
            body = ""
        lines.append(marker + body)
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return end.join(lines)


def _haystack(plan) -> str:
    parts = [plan.title, plan.preamble]
    for node in plan.walk():
        parts += [node.title, node.text]
    parts += [p.text for p in plan.problems]
    return "\n".join(parts)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(plans())
def test_generated_plans_parse_or_are_refused(text):
    try:
        plan = parse_plan(text)
    except PlanInputError as exc:
        assert exc.message
        return
    lines = re.split(r"\r\n|\r|\n", text)
    joined = "".join(clean_line(line) for line in lines)
    for node in plan.walk():
        assert node.kind in NODE_KINDS
        assert 1 <= node.line <= len(lines)
        for t in node.targets:
            assert t.kind in TARGET_KINDS and t.comparator in COMPARATORS
            assert t.period in PERIODS
            if t.value is not None:
                assert Decimal(t.value) >= 0
            assert t.text in joined, t.text  # an original span, not a rewrite
    for problem in plan.problems:
        assert 1 <= problem.line <= len(lines) and problem.message
    json.dumps(plan.as_json(), ensure_ascii=False)

    # Nothing is dropped: the end of every line is somewhere in the result.
    haystack = _haystack(plan)
    for raw in lines:
        line = clean_line(raw)
        if not line:
            continue
        content = line[len(_marker(line)) :].strip(" 　、.:：")
        if not content.strip(_PUNCT):
            continue  # a bare number: its node is there, with an empty title
        tail = content.rstrip(_PUNCT)[-4:]  # titles drop trailing punctuation
        assert tail in haystack or _is_units_line(line), line


# Any numbering a line may start with (generated or the reference's own).
_MARKER_RE = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[(（][一二三四五六七八九十\d]+[)）]"
    r"|[一二三四五六七八九十]+[、.．]|[\d０-９]+(?:[.．][\d０-９]+)*\s*[.．、]?"
    r"|[①-⑳⑴-⒇㈠-㈩]|[一二三四五六七八九十]+是)"
)


_PUNCT = " 　，。；：、,.;:()（）!?！？“”%％"


def _marker(line: str) -> str:
    m = _MARKER_RE.match(line)
    return m.group() if m else ""


def _is_units_line(line: str) -> bool:
    # Generated text holds no 责任单位 lines; a stray parenthetical of agency
    # names is the only way a line becomes units instead of text.
    return line.startswith(("(", "（")) and line.endswith((")", "）"))


def test_reference_lines_in_any_order_do_not_crash():
    # Headings and paragraphs shuffled deterministically: a plan out of order.
    shuffled = REFERENCE_LINES[1::2] + REFERENCE_LINES[::2]
    plan = parse_plan("\n".join(shuffled))
    assert len(plan.of_kind("task")) == 25
    assert plan.problems  # the out-of-order numbering is reported
