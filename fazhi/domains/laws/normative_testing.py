"""Test support: a normative document pushed through the real services to a
given stage, on real calendar days (used by the laws tests, the browser test
and the demo)."""

from __future__ import annotations

from datetime import date
from typing import Any

import time_machine

from .models import NormativeDocument
from .services import normative as ns

TEXT = (
    "第一条 为了规范本市城市道路占用挖掘管理，根据有关法律法规，结合本市实际，"
    "制定本办法。\n"
    "第二条 本办法适用于本市中心城区城市道路的占用、挖掘及其监督管理。\n"
    "第三条 占用、挖掘城市道路的，应当依法办理许可手续，并按照批准的时间、"
    "范围和要求施工。\n"
    "第四条 本办法自公布之日起施行，有效期5年。"
)


def at(on: date) -> Any:
    """Travel to 10:00 Beijing time on `on`."""
    return time_machine.travel(f"{on.isoformat()} 10:00 +0800", tick=False)


def draft(
    *,
    drafter: Any,
    agency: Any,
    on: date,
    title: str = "黄石市城市道路占用挖掘管理办法",
    text: str = TEXT,
) -> NormativeDocument:
    with at(on):
        return ns.normative_register(
            actor=drafter,
            agency=agency,
            title=title,
            text=text,
            summary="依据《城市道路管理条例》起草。",
            registered_on=on,
        )


def reviewed(
    nd: NormativeDocument,
    *,
    drafter: Any,
    reviewer: Any,
    on: date,
    review_on: date | None = None,
) -> NormativeDocument:
    with at(on):
        ns.normative_submit_review(actor=drafter, document=nd, on=on)
    day = review_on or on
    with at(day):
        ns.normative_legality_opinion(
            actor=reviewer, document=nd, verdict="lawful", text="经审核，合法。", on=day
        )
    return nd


def published(
    nd: NormativeDocument,
    *,
    drafter: Any,
    on: date,
    number: str = "黄政规〔2026〕1号",
    years: int = 5,
) -> NormativeDocument:
    with at(on):
        ns.normative_publish(
            actor=drafter,
            document=nd,
            doc_number=number,
            published_on=on,
            expires_on=ns.validity_end(on, years) if years else None,
        )
    return nd


def filed(nd: NormativeDocument, *, drafter: Any, on: date) -> NormativeDocument:
    with at(on):
        ns.normative_file(actor=drafter, document=nd, filed_on=on)
    return nd
