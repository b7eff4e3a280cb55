"""`fazhi deadline`: compute a statutory due date and say why.

fazhi deadline --start 2026-02-10 --days 20 --working [--pause FROM:TO ...]
               [--json] [--explain]
fazhi deadline --start 2026-02-10 --rule disclosure.reply [--pause ...] [--json]
fazhi deadline --rules [--json]
"""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.kernel.deadlines.compute import compute
from fazhi.kernel.deadlines.rules import all_rules

from ._cli import command_error

OPTIONS = {
    "start": "--start",
    "days": "--days",
    "unit": "--working/--natural",
    "rule": "--rule",
    "pause": "--pause",
}


class Command(BaseCommand):
    help = "计算法定期限的到期日（起算日不计入；工作日按国务院节假日安排，含调休）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", help="起算日 YYYY-MM-DD（当日不计入）")
        parser.add_argument("--days", help="期限天数")
        unit = parser.add_mutually_exclusive_group()
        unit.add_argument("--working", action="store_true", help="按工作日计算")
        unit.add_argument("--natural", action="store_true", help="按自然日计算")
        parser.add_argument("--rule", help="期限规则编号，如 disclosure.reply")
        parser.add_argument(
            "--pause",
            action="append",
            default=[],
            metavar="FROM:TO",
            help="暂停计时的日期区间（含首尾），可重复",
        )
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--explain", action="store_true", help="列出计算理由")
        parser.add_argument("--rules", action="store_true", help="列出期限规则及依据")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["rules"]:
            self._rules(as_json=opts["json"])
            return
        if not opts["start"]:
            raise CommandError("--start：请给出起算日（YYYY-MM-DD）")
        unit = "working" if opts["working"] else "natural" if opts["natural"] else None
        if not opts["rule"] and opts["days"] is not None and unit is None:
            # Report a bad --start or --days before the missing unit: that is
            # the mistake the person made first.
            try:
                compute(
                    start=opts["start"],
                    days=opts["days"],
                    unit="working",
                    rule_id=None,
                    pauses=opts["pause"],
                )
            except ValidationError as exc:
                raise command_error(exc, OPTIONS) from None
            raise CommandError("--working/--natural：请指定按工作日还是自然日计算")
        try:
            result = compute(
                start=opts["start"],
                days=opts["days"],
                unit=unit,
                rule_id=opts["rule"],
                pauses=opts["pause"],
            )
        except ValidationError as exc:
            raise command_error(exc, OPTIONS) from None
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        flag = "（暂定）" if result["provisional"] else ""
        self.stdout.write(f"到期日：{result['due']}{flag}")
        if result["rule"]:
            self.stdout.write(f"规则：{result['rule']}，依据{result['citation']}")
        if opts["explain"] or result["provisional"]:
            for line in result["explain"]:
                self.stdout.write(f"  · {line}")

    def _rules(self, *, as_json: bool) -> None:
        rules = all_rules()
        if as_json:
            self.stdout.write(
                json.dumps([r.as_dict() for r in rules], ensure_ascii=False, indent=2)
            )
            return
        for r in rules:
            marks = "".join(
                [
                    " [待核实]" if r.verify else "",
                    " [可本地设置]" if r.configurable else "",
                ]
            )
            local = f"；本地规定：{r.local_citation}" if r.local_citation else ""
            self.stdout.write(f"{r.id:38} {r.name}：{r.label}{marks}")
            self.stdout.write(f"{'':38} 依据：{r.citation}{local}")
            if r.note:
                # e.g. “一般不少于30日”: a minimum period, not a deadline.
                self.stdout.write(f"{'':38} 说明：{r.note}")
