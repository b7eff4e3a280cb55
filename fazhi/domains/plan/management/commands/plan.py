"""The implementation plan from the command line.

    fazhi plan parse FILE [--json] [--title T]
        print the tree read from a plan text (Simplified or Traditional;
        UTF-8, UTF-16 or GBK): an outline with the targets and units of each
        node and what could not be placed, or with --json the parser's
        contract {"title", "preamble", "nodes": [...], "problems": [...]}
    fazhi plan import FILE [--title T] [--year-from Y --year-to Y]
        parse and store the plan as the office's working tree

A file that is not a readable plan ends the command with a Chinese message
and a non-zero exit status.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fazhi.domains.plan.parsing import (
    Node,
    ParsedPlan,
    PlanInputError,
    parse_plan,
    read_plan_bytes,
)

_KIND_LABEL = {"part": "部分", "section": "节", "task": "任务", "measure": "措施"}


def _read(path_arg: str, title: str) -> tuple[Path, str, ParsedPlan]:
    path = Path(path_arg)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"文件“{path}”不存在。") from None
    except IsADirectoryError:
        raise CommandError(f"“{path}”是目录，不是方案文件。") from None
    except OSError as exc:
        raise CommandError(f"无法读取文件“{path}”（{exc.strerror or exc}）。") from None
    try:
        text = read_plan_bytes(data, name=path.name)
        parsed = parse_plan(text, title=path.stem)
    except PlanInputError as exc:
        raise CommandError(exc.message) from None
    if title:
        parsed.title = title  # an explicit title wins over the text's own
    return path, text, parsed


def _label(node: Node) -> str:
    if node.kind == "part":
        return f"{node.number}、{node.title}"
    if node.kind == "section":
        return f"（{node.number}）{node.title}"
    if node.kind == "task":
        return f"{node.number}. {node.title}"
    if not node.number:
        return f"· {node.title}"
    if node.number[0] in "一二三四五六七八九十":
        return f"{node.number}是 {node.title}"
    return f"（{node.number}）{node.title}"


_TARGET_KIND = {
    "rate": "比率",
    "per_person": "人均",
    "count": "次数",
    "ratio": "占比",
    "date": "时限",
    "qualitative": "定性",
}
_PERIOD = {
    "year": "每年",
    "term": "任期内",
    "plan": "方案期内",
    "quarter": "每季度",
    "month": "每月",
    "halfyear": "每半年",
}
_COMPARATOR = {">=": "不低于", "<=": "不高于", "=": "达到"}


def _target_line(t: Any) -> str:
    kind = _TARGET_KIND.get(t.kind, t.kind)
    if t.kind == "date":
        return f"{kind}：{t.value}年前 {t.subject}"
    if t.value is None:
        amount = "（未量化，待确定）"
    else:
        amount = f"{_COMPARATOR.get(t.comparator, t.comparator)} {t.value}{t.unit}"
    period = _PERIOD.get(t.period, "")
    deadline = f"（{t.deadline_year}年前）" if t.deadline_year else ""
    return f"{kind}：{t.subject} {period}{amount}{deadline}"


def outline(parsed: ParsedPlan) -> list[str]:
    """The human-readable tree: one line per node, its targets and units below."""
    lines = [parsed.title or "（无标题）"]
    if parsed.preamble:
        head = parsed.preamble.split("\n")[0]
        lines.append(f"  前言：{head[:60]}{'…' if len(head) > 60 else ''}")

    def walk(nodes: list[Node], depth: int) -> None:
        for node in nodes:
            pad = "  " * (depth + 1)
            count = f"  [指标 {len(node.targets)}]" if node.targets else ""
            lines.append(f"{pad}{_label(node)}{count}  (第{node.line}行)")
            for t in node.targets:
                lines.append(f"{pad}    {_target_line(t)}")
            if node.units:
                roles = {"lead": "牵头", "co": "配合", "responsible": "责任"}
                named = "、".join(f"{u.name}（{roles[u.role]}）" for u in node.units)
                lines.append(f"{pad}    单位：{named}")
            walk(node.children, depth + 1)

    walk(parsed.nodes, 0)
    counts = {kind: len(parsed.of_kind(kind)) for kind in _KIND_LABEL}
    targets = sum(len(n.targets) for n in parsed.walk())
    lines.append(
        "共 "
        + "、".join(f"{counts[k]} 个{label}" for k, label in _KIND_LABEL.items())
        + f"；指标 {targets} 项；问题 {len(parsed.problems)} 条"
    )
    if parsed.problems:
        lines.append("未能归入或识别的内容：")
        for p in parsed.problems:
            lines.append(f"  第{p.line}行：{p.message}：{p.text}")
    return lines


class Command(BaseCommand):
    help = "Parse an implementation plan text, or import it as the working tree."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        parse = sub.add_parser("parse", help="print the tree read from a plan text")
        parse.add_argument("file")
        parse.add_argument("--json", action="store_true", help="print the JSON tree")
        parse.add_argument("--title", default="", help="the plan's title")
        imp = sub.add_parser("import", help="store a plan text as the working tree")
        imp.add_argument("file")
        imp.add_argument("--title", default="", help="the plan's title")
        imp.add_argument("--year-from", type=int, default=None)
        imp.add_argument("--year-to", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        path, text, parsed = _read(options["file"], options["title"])
        if options["action"] == "parse":
            if options["json"]:
                self.stdout.write(
                    json.dumps(parsed.as_json(), ensure_ascii=False, indent=2)
                )
            else:
                self.stdout.write("\n".join(outline(parsed)))
            return
        self._import(path, text, parsed, options)

    def _import(self, path: Path, text: str, parsed: ParsedPlan, options: Any) -> None:
        # Imported here: the parser must work (and `parse` run) without the
        # database-backed services loaded.
        from django.core.exceptions import PermissionDenied, ValidationError

        from fazhi.domains.plan.services import plan_import

        try:
            result = plan_import(
                actor=None,
                parsed=parsed,
                source_name=path.name,
                source_text=text,
                year_from=options["year_from"],
                year_to=options["year_to"],
            )
        except (ValidationError, PermissionDenied) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            raise CommandError("；".join(messages)) from None
        if not getattr(result, "created", True):
            self.stdout.write(f"该方案已导入过（编号 {result.plan.pk}），未重复导入。")
            return
        self.stdout.write(
            f"已导入方案 {result.plan.pk}：{parsed.title}；"
            f"节点 {result.nodes} 个，指标 {result.targets} 项，"
            f"分工 {getattr(result, 'assignments', 0)} 条"
        )
        for name in getattr(result, "unmatched_units", []):
            self.stderr.write(f"未匹配到单位：{name}")
        for problem in getattr(result, "problems", []):
            self.stderr.write(f"需人工处理：{problem}")
