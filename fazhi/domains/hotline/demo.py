"""A year of 12345 tickets for the Huangshi demo.

Topics follow the seasons a hotline sees (wage arrears before the Spring
Festival, noise and water cuts in summer, school places in July and August),
each routed to the agency that handles it. Everything goes through the
services, so the history, clocks and audit record are real: most tickets are
closed and rated, some were returned, answered late, rated badly and
rectified; the last weeks' tickets are still open so the queues and
countdowns show. Loading twice changes nothing.

The lead calls `load_hotline_demo(progress)` from fazhi/demo/loader.py.
"""

import random
from datetime import date, timedelta

from rich.progress import track

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.org.models import Agency, Membership, User
from fazhi.kernel.org.services import membership_grant, user_create

from .models import Ticket
from .roles import DISPATCHER
from .rules import CENTRE_AGENCY_CODE
from .services import dispatch, feedback, handling
from .services.intake import ticket_submit

OPERATOR = ("rx_operator", "钱话务", "热线中心话务员（全市派单）")
DEMO_PASSWORD = "Fazhi@2026demo"  # noqa: S105 - the demo's published password

# (service, type, agency, months (empty: all year), texts)
TOPICS: list[tuple[str, str, str, tuple[int, ...], tuple[str, ...]]] = [
    (
        "social-security",
        "help",
        "420200-RSJ",
        (12, 1, 2),
        (
            "在{place}工地务工，老板拖欠{n}个月工资，快过年了请帮忙讨薪",
            "公司拖欠工资{n}个月不发，请劳动监察介入",
        ),
    ),
    (
        "social-security",
        "consult",
        "420200-RSJ",
        (),
        (
            "请问灵活就业人员怎么缴纳养老保险",
            "异地就医备案怎么办理，需要什么材料",
        ),
    ),
    (
        "market",
        "complaint",
        "420200-SCJ",
        (),
        (
            "{place}一超市销售过期食品，商家拒绝退款",
            "在{place}健身房办卡后商家跑路，要求退费",
            "{place}一药店价格欺诈，标价与结算价不一致",
        ),
    ),
    (
        "city-management",
        "complaint",
        "420200-CGW",
        (5, 6, 7, 8, 9),
        (
            "{place}夜市烧烤油烟很大，占道经营到凌晨，噪音扰民",
            "{place}小区旁工地夜间施工噪音扰民",
        ),
    ),
    (
        "city-management",
        "complaint",
        "420200-CGW",
        (),
        (
            "{place}路边垃圾堆放多日无人清运",
            "{place}路灯不亮已经一周",
        ),
    ),
    (
        "environment",
        "report",
        "420200-HBJ",
        (),
        (
            "{place}一工厂夜间偷排污水，河水发黑有异味",
            "{place}搅拌站扬尘严重",
        ),
    ),
    (
        "housing",
        "help",
        "420200-ZJJ",
        (6, 7, 8),
        (
            "{place}小区停水两天，物业不管",
            "{place}小区电梯经常故障困人，请督促物业维修",
        ),
    ),
    (
        "housing",
        "complaint",
        "420200-ZJJ",
        (),
        ("{place}新房交付后墙面开裂漏水，开发商不维修",),
    ),
    (
        "traffic",
        "help",
        "420200-JTJ",
        (),
        (
            "{place}公交站点撤销后出行不便，建议恢复",
            "{place}道路路面破损坑洼，雨天积水",
        ),
    ),
    (
        "education",
        "consult",
        "420200-JYJ",
        (6, 7, 8),
        (
            "孩子今年上小学，请问{place}学区怎么划分",
            "随迁子女入学需要什么材料",
        ),
    ),
    (
        "suggestion",
        "suggest",
        "420200-ZWJ",
        (),
        ("建议在{place}增设便民服务点，延长周末办事时间",),
    ),
    ("praise", "praise", "420200-SCJ", (), ("感谢市场监管局工作人员帮我追回了预付款",)),
]
PLACES = (
    "黄石港区",
    "西塞山区",
    "下陆区",
    "铁山区",
    "大冶市",
    "阳新县",
    "团城山",
    "湖滨大道",
)
AREAS = ("420202", "420203", "420204", "420205", "420281", "420222")
REPLIES = (
    "经核查，情况属实，已责令整改，并将持续跟进。",
    "已联系当事人协调处理，问题已解决。",
    "经现场核查，已依法立案调查，处理结果将另行告知。",
)


def _operator(centre: Agency) -> User:
    username, name, _what = OPERATOR
    user = User.objects.filter(username=username).first() or user_create(
        actor=None,
        username=username,
        full_name=name,
        password=DEMO_PASSWORD,
        default_agency=centre,
        phone="13800138012",
    )
    if not Membership.objects.filter(
        user=user, agency=centre, role=DISPATCHER
    ).exists():
        membership_grant(
            actor=None, user=user, agency=centre, role=DISPATCHER, scope="city"
        )
    return user


def _handler(agency: Agency, cache: dict[int, User]) -> User:
    """A handler of the agency (created for the demo when it has none)."""
    if agency.pk in cache:
        return cache[agency.pk]
    m = (
        Membership.objects.filter(agency=agency, role="handler")
        .select_related("user")
        .first()
    )
    if m is not None:
        user = m.user
    else:
        username = f"rx_{agency.code.replace('-', '_').lower()}"
        user = User.objects.filter(username=username).first() or user_create(
            actor=None,
            username=username,
            full_name=f"{agency.short_name or agency.name}承办人",
            password=DEMO_PASSWORD,
            default_agency=agency,
            phone="13800138013",
        )
        membership_grant(actor=None, user=user, agency=agency, role="handler")
    cache[agency.pk] = user
    return user


def _topic(rng: random.Random, on: date) -> tuple[str, str, str, str]:
    weights = [
        3.0 if on.month in months else (1.0 if not months else 0.15)
        for _s, _t, _a, months, _x in TOPICS
    ]
    service, kind, agency, _m, texts = rng.choices(TOPICS, weights=weights)[0]
    text = rng.choice(texts).format(place=rng.choice(PLACES), n=rng.randint(2, 6))
    return service, kind, agency, text


def load_hotline_demo(
    progress: bool = False, *, n: int = 365, seed: int = 12345
) -> int:
    """Create the demo tickets; returns how many (0 when they already exist)."""
    if Ticket.objects.exists():
        return 0
    centre = Agency.objects.filter(code=CENTRE_AGENCY_CODE).first()
    if centre is None:
        return 0
    op = _operator(centre)
    rng = random.Random(seed)
    end = today()
    start = end - timedelta(days=364)
    days = sorted(start + timedelta(days=rng.randint(0, 364)) for _ in range(n))
    handlers: dict[int, User] = {}
    agencies = {a.code: a for a in Agency.objects.filter(is_active=True)}
    steps = list(enumerate(days))
    for i, on in track(steps, description="12345工单") if progress else steps:
        _one(rng, op, handlers, agencies, on, end, i)
    return n


def _one(
    rng: random.Random,
    op: User,
    handlers: dict[int, User],
    agencies: dict[str, Agency],
    on: date,
    end: date,
    i: int,
) -> None:
    service, kind, code, text = _topic(rng, on)
    t = ticket_submit(
        actor=op,
        channel=rng.choice(("phone", "phone", "phone", "portal")),
        received_on=on,
        ticket_type=kind,
        service_code=service,
        content=text,
        phone=f"139{rng.randint(10000000, 99999999)}",
        caller_name=rng.choice("张王李赵刘陈杨黄周吴") + rng.choice(("先生", "女士")),
        location=rng.choice(PLACES),
        area=rng.choice(AREAS),
        urgency="urgent" if rng.random() < 0.05 else "normal",
    )
    age = (end - on).days
    if kind == "consult" and rng.random() < 0.6:
        dispatch.ticket_answer_direct(
            actor=op, ticket=t, answer="已根据政策库答复市民。", on=on
        )
        return
    agency = agencies.get(code) or agencies[CENTRE_AGENCY_CODE]
    if agency.code == CENTRE_AGENCY_CODE:
        agency = agencies["420200-SFJ"]
    if age < 1:
        return  # still waiting for dispatch
    h = _handler(agency, handlers)
    if rng.random() < 0.06 and age > 3:
        # A wrong first routing, returned the next working day.
        wrong = (
            agencies["420200-CGW"]
            if agency.code != "420200-CGW"
            else agencies["420200-SCJ"]
        )
        dispatch.ticket_dispatch(actor=op, ticket=t, agency=wrong, on=on)
        dispatch.ticket_return(
            actor=_handler(wrong, handlers),
            ticket=t,
            reason="不属本单位职责",
            on=min(on + timedelta(days=1), end),
        )
        on = min(on + timedelta(days=1), end)
    dispatch.ticket_dispatch(actor=op, ticket=t, agency=agency, on=on)
    signed = min(on + timedelta(days=rng.choice((0, 0, 0, 1, 2))), end)
    if age < 2 and rng.random() < 0.5:
        return  # waiting to be signed for
    dispatch.ticket_sign(actor=h, ticket=t, on=signed)
    if kind == "praise":
        return
    took = rng.choice((2, 3, 5, 7, 9, 12, 14, 16, 22))
    replied = signed + timedelta(days=took)
    if replied > end:
        return  # still being handled: the countdowns show
    handling.ticket_reply(actor=h, ticket=t, text=rng.choice(REPLIES), on=replied)
    visit_on = min(replied + timedelta(days=1), end)
    if rng.random() < 0.04:
        feedback.ticket_redo(
            actor=op, ticket=t, reason="答复未回应核心诉求", on=visit_on
        )
        return
    grade = rng.choices((5, 4, 3, 2, 1), weights=(55, 25, 10, 6, 4))[0]
    feedback.ticket_visit(actor=op, ticket=t, note="已回访", grade=grade, on=visit_on)
    t.refresh_from_db()
    if t.case.state == "rectifying":
        done = visit_on + timedelta(days=rng.randint(5, 20))
        if done <= end:
            feedback.rectification_done(
                actor=h, ticket=t, report="已约谈承办人员并重新上门处理。", on=done
            )
