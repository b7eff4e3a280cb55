"""Load the demo city: agencies, people, a sample 权责清单 and demo cases.

Idempotent: each part checks what is there before adding. Dates of demo cases
are spread over the last weeks so that the due-soon and overdue lists show.
"""

import random
from collections import Counter
from datetime import date
from typing import Any

from rich.progress import track

from fazhi.domains.disclosure.demo import load_disclosure_demo
from fazhi.domains.hotline.demo import load_hotline_demo
from fazhi.domains.laws.demo import load_laws_demo
from fazhi.domains.laws.normative_demo import load_normative_demo
from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.org.models import ResponsibilityItem, User
from fazhi.kernel.org.responsibility import responsibility_item_create
from fazhi.kernel.workflow.engine import case_open, case_transition
from fazhi.kernel.workflow.models import Case

from .huangshi import build_org, build_people
from .plan_demo import load_plan
from .responsibility_data import ITEMS, TYPE_CODES

SUBJECTS = [
    "小区门口烧烤油烟扰民",
    "人行道井盖缺失存在安全隐患",
    "超市销售过期食品",
    "建筑工地夜间施工噪声",
    "公交站台破损",
    "企业拖欠工资",
    "河道漂浮垃圾",
    "违章搭建占用消防通道",
    "餐馆无证经营",
    "路灯不亮",
    "物业收费不透明",
    "化工厂排放异味",
    "出租车拒载",
    "菜市场占道经营",
    "学校周边交通拥堵",
]


def load_responsibility(agencies: dict[str, Any]) -> int:
    added = 0
    counters: Counter[tuple[str, str]] = Counter()
    for agency_code, item_type, name, basis in ITEMS:
        key = (agency_code, TYPE_CODES[item_type])
        counters[key] += 1
        code = f"{agency_code}-{key[1]}-{counters[key]:03d}"
        if ResponsibilityItem.objects.filter(code=code).exists():
            continue
        responsibility_item_create(
            actor=None,
            code=code,
            name=name,
            item_type=item_type,
            legal_basis=basis,
            agency=agencies[agency_code],
            effective_from=date(2024, 1, 1),
        )
        added += 1
    return added


def load_cases(agencies: dict[str, Any], n: int = 48, progress: bool = False) -> int:
    if Case.objects.filter(case_type="demo").exists():
        return 0
    rng = random.Random(2026)
    handlers = {
        "420200-SCJ": User.objects.get(username="scj_handler"),
        "420281": User.objects.get(username="dy_handler"),
        "420281002": User.objects.get(username="dy_handler"),
        "420281-SFJ": User.objects.get(username="dy_handler"),
    }
    leader = User.objects.get(username="fzb")
    day0 = today()
    steps = range(n)
    for i in track(steps, description="演示办件") if progress else steps:
        code = rng.choice(list(handlers))
        opened = date.fromordinal(day0.toordinal() - rng.randint(0, 30))
        case = case_open(
            actor=handlers[code],
            case_type="demo",
            agency=agencies[code],
            title=f"{rng.choice(SUBJECTS)}（{i + 1}）",
            opened_on=opened,
        )
        stage = rng.random()
        if stage < 0.15:
            continue
        handler = handlers[code]
        case_transition(actor=handler, case=case, transition="accept", on=opened)
        if stage < 0.3:
            case_transition(
                actor=handler,
                case=case,
                transition="request_info",
                note="请补充现场照片和具体地址",
                on=opened,
            )
        elif stage < 0.55:
            continue
        elif stage < 0.7:
            case_transition(actor=handler, case=case, transition="submit")
        else:
            case_transition(actor=handler, case=case, transition="submit")
            case_transition(actor=leader, case=case, transition="approve")
    return n


def load_demo(progress: bool = False) -> dict[str, int]:
    agencies = build_org()
    build_people(agencies)
    return {
        "agencies": len(agencies),
        "people": User.objects.count(),
        "responsibility_items": load_responsibility(agencies),
        "cases": load_cases(agencies, progress=progress),
        **load_plan(progress=progress),
        "disclosure_requests": load_disclosure_demo(),
        "normative_documents": load_normative_demo(),
        # The public law search needs a library to search.
        "laws_documents": load_laws_demo(progress),
        # Each ticket goes through the real services (~0.06 s each with its
        # dispatch, reply and rating): a thousand give every week of the
        # year's charts a shape, for about a minute of the first start.
        "hotline_tickets": load_hotline_demo(progress, n=1000),
    }
