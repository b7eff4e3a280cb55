"""`fazhi calendar`: the working-day calendar.

  fazhi calendar load FILE          load one year from its notice (JSON, see below)
  fazhi calendar show YEAR [--json] list a year's holidays and 调休 workdays
  fazhi calendar seed               (re)load built-in years the database lacks
  fazhi calendar rule RULE_ID --days N --citation TEXT | --clear
                                    set or clear a local period (configurable rules)

Year file format (fazhi/kernel/deadlines/yearfile.py):
  {"year": 2027, "source": "国办发明电〔2026〕…号",
   "holidays": [{"date": "2027-01-01", "name": "元旦"},
                {"from": "2027-02-05", "to": "2027-02-13", "name": "春节"}],
   "workdays": [{"date": "2027-02-20", "name": "春节"}]}
"""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.kernel.deadlines import services
from fazhi.kernel.deadlines.calendar import WorkCalendar
from fazhi.kernel.deadlines.models import CalendarDay, CalendarYear
from fazhi.kernel.deadlines.yearfile import parse_year_file

from ._cli import cli_actor, command_error


class Command(BaseCommand):
    help = "管理工作日日历：载入年度节假日安排、查看年度日历、本地期限设置。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="载入一个年度的节假日安排文件（JSON）")
        load.add_argument("file")
        show = sub.add_parser("show", help="查看某年的节假日与调休")
        show.add_argument("year", type=int)
        show.add_argument("--json", action="store_true")
        sub.add_parser("seed", help="补载 chinese-calendar 内置的年度")
        rule = sub.add_parser("rule", help="设置或清除可本地设置的期限")
        rule.add_argument("rule_id")
        rule.add_argument("--days")
        rule.add_argument("--citation", default="")
        rule.add_argument("--clear", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, f"_{opts['action']}")(**opts)
        except ValidationError as exc:
            raise command_error(
                exc, {"file": "FILE", "days": "--days", "citation": "--citation"}
            ) from None

    def _load(self, *, file: str, **_: Any) -> None:
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"FILE：无法读取 {file}：{exc.strerror}") from None
        data = parse_year_file(content, path.name)
        result = services.calendar_year_load(
            actor=cli_actor(),
            year=data.year,
            source=data.source,
            holidays=data.holidays,
            workdays=data.workdays,
        )
        verb = "替换" if result.replaced else "载入"
        self.stdout.write(
            f"已{verb} {result.year} 年日历：节假日 {result.holidays} 天，"
            f"调休上班 {result.workdays} 天；重算计时器 {result.recomputed} 个。"
        )

    def _show(self, *, year: int, **opts: Any) -> None:
        known = CalendarYear.objects.filter(year=year).first()
        if known is None:
            cal = WorkCalendar(years={}, holidays={}, workdays={})
            days = [
                (d, "holiday", n) for d, n in sorted(cal.statutory(year).days.items())
            ]
            source = (
                "未载入：以下为按《全国年节及纪念日放假办法》推算的法定节日"
                "（暂定，未计调休）"
            )
        else:
            days = list(
                CalendarDay.objects.filter(date__year=year).values_list(
                    "date", "kind", "name"
                )
            )
            source = known.source
        if opts["json"]:
            self.stdout.write(_json_dump(year, known is not None, source, days))
            return
        self.stdout.write(f"{year} 年　来源：{source}")
        for d, kind, name in days:
            label = "放假" if kind == "holiday" else "调休上班"
            self.stdout.write(
                f"  {d.isoformat()} 周{'一二三四五六日'[d.weekday()]} {label} {name}"
            )

    def _seed(self, **_: Any) -> None:
        added = services.calendar_seed(actor=cli_actor())
        self.stdout.write(f"补载年度：{', '.join(map(str, added)) or '无（均已存在）'}")

    def _rule(
        self, *, rule_id: str, days: str | None, citation: str, clear: bool, **_: Any
    ) -> None:
        if clear:
            rule = services.period_rule_override_clear(
                actor=cli_actor(), rule_id=rule_id
            )
            self.stdout.write(f"{rule.id} 恢复为 {rule.label}（{rule.citation}）")
            return
        if days is None or not days.strip().isdigit():
            raise CommandError("--days：请给出本地期限天数（整数），或用 --clear 清除")
        rule = services.period_rule_override_set(
            actor=cli_actor(), rule_id=rule_id, days=int(days), citation=citation
        )
        self.stdout.write(f"{rule.id} 本地设置为 {rule.label}（{rule.local_citation}）")


def _json_dump(year: int, known: bool, source: str, days: list[Any]) -> str:
    holidays = [
        {"date": d.isoformat(), "name": n} for d, k, n in days if k == "holiday"
    ]
    workdays = [
        {"date": d.isoformat(), "name": n} for d, k, n in days if k == "workday"
    ]
    return json.dumps(
        {
            "year": year,
            "known": known,
            "source": source,
            "holidays": holidays,
            "workdays": workdays,
        },
        ensure_ascii=False,
        indent=2,
    )
