"""`fazhi plan parse`: the JSON tree, the outline, and refusals in Chinese."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fazhi.domains.plan.parsing import parse_plan_file

PLANS = Path(__file__).parent / "fixtures" / "plans"
REFERENCE = PLANS / "huangshi-2021-2025.txt"


def _run(*args: str) -> str:
    out = StringIO()
    call_command("plan", *args, stdout=out)
    return out.getvalue()


def test_parse_json_prints_the_parser_contract():
    data = json.loads(_run("parse", str(REFERENCE), "--json"))
    assert data == parse_plan_file(REFERENCE).as_json()
    assert len(data["nodes"]) == 3
    # ensure_ascii=False, indent 2: readable Chinese, one key per line.
    raw = _run("parse", str(REFERENCE), "--json")
    assert '\n  "title": "huangshi-2021-2025"' in raw
    assert "出庭應訴率100%" in raw


def test_parse_title_option_overrides_the_title():
    data = json.loads(_run("parse", str(REFERENCE), "--json", "--title", "黄石方案"))
    assert data["title"] == "黄石方案"
    fullwidth = str(PLANS / "simplified-fullwidth.txt")
    data = json.loads(_run("parse", fullwidth, "--json", "--title", "另一个名称"))
    assert data["title"] == "另一个名称"


def test_parse_outline_shows_tree_targets_units_and_totals():
    lines = _run("parse", str(REFERENCE)).splitlines()
    assert lines[0] == "huangshi-2021-2025"
    assert "    （一）健全政府機構職能體系  (第5行)" in lines
    assert "        · 加強事中事後監管  [指标 1]  (第8行)" in lines
    i = lines.index("      16. 提升行政應訴工作  [指标 1]  (第28行)")
    assert lines[i + 1] == "          比率：行政机关负责人出庭应诉率 达到 100%"
    assert (
        lines[-1] == "共 3 个部分、9 个节、25 个任务、2 个措施；指标 14 项；问题 0 条"
    )
    units = _run("parse", str(PLANS / "simplified-fullwidth.txt"))
    assert "单位：市司法局（牵头）、市中级人民法院（配合）" in units


def test_parse_outline_lists_the_problems():
    out = _run("parse", str(PLANS / "with-problems.txt"))
    assert "问题 4 条" in out
    assert "未能归入或识别的内容：" in out
    assert (
        "  第6行：任务“3”编号不连续（此处应为第2项）：3.提升行政复议办案质量。" in out
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "是空的"),
        (b"\x00\x01\x02binary\x00", "二进制"),
        ((PLANS / "news-article.txt").read_bytes(), "未识别出方案结构"),
    ],
)
def test_parse_refuses_bad_input_with_a_chinese_message(tmp_path, content, message):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        _run("parse", str(path), "--json")


def test_parse_missing_file():
    with pytest.raises(CommandError, match="不存在"):
        _run("parse", str(PLANS / "missing.txt"))


def test_console_exits_non_zero_with_the_message():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "fazhi.cli",
            "plan",
            "parse",
            str(PLANS / "news-article.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode != 0
    assert "未识别出方案结构" in proc.stderr
    assert proc.stdout == ""
