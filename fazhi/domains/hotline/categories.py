"""The service catalogue citizens and Open311 clients choose from.

A service is what the citizen is calling about; its ticket type fixes the
handling period, its keywords seed the dispatch suggestion before any past
ticket exists. Codes are stable: Open311 clients store them.
"""

from dataclasses import dataclass

from .rules import TicketType


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    type: str
    group: str
    description: str
    keywords: tuple[str, ...] = ()


SERVICES: tuple[Service, ...] = (
    Service(
        "policy-consult",
        "政策咨询",
        TicketType.CONSULT,
        "咨询",
        "政策、办事流程、办事地点与时间的咨询",
        ("政策", "办理", "流程", "材料"),
    ),
    Service(
        "social-security",
        "社保与就业",
        TicketType.HELP,
        "民生",
        "社保、医保、就业、欠薪",
        ("社保", "医保", "工资", "欠薪", "就业", "养老"),
    ),
    Service(
        "market",
        "消费与食品安全",
        TicketType.COMPLAINT,
        "市场",
        "消费纠纷、食品安全、价格、虚假宣传",
        ("消费", "食品", "商家", "价格", "过期", "退款"),
    ),
    Service(
        "city-management",
        "市容与城市管理",
        TicketType.COMPLAINT,
        "城市管理",
        "占道经营、违章搭建、垃圾、噪音、路灯",
        ("占道", "垃圾", "噪音", "违建", "路灯", "油烟"),
    ),
    Service(
        "environment",
        "生态环境",
        TicketType.REPORT,
        "环境",
        "排污、废气、扬尘、水体污染",
        ("污染", "排污", "废气", "扬尘", "污水", "异味"),
    ),
    Service(
        "housing",
        "住房与物业",
        TicketType.HELP,
        "民生",
        "物业、房屋质量、供水供气、电梯",
        ("物业", "房屋", "小区", "电梯", "停水", "燃气"),
    ),
    Service(
        "traffic",
        "交通出行",
        TicketType.HELP,
        "交通",
        "公交、出租车、道路破损、停车",
        ("公交", "出租车", "道路", "停车", "路面"),
    ),
    Service(
        "education",
        "教育",
        TicketType.CONSULT,
        "民生",
        "入学、学校收费、培训机构",
        ("入学", "学校", "学位", "培训"),
    ),
    Service(
        "suggestion",
        "意见建议",
        TicketType.SUGGEST,
        "建议",
        "对政府工作的意见和建议",
        ("建议",),
    ),
    Service(
        "praise",
        "表扬",
        TicketType.PRAISE,
        "表扬",
        "对工作人员和单位的表扬",
        ("表扬", "感谢"),
    ),
)

# What a ticket filed by type alone (an operator's call, an imported row)
# falls under: a named category of its own would claim a matter nobody said
# (a broken street light listed as 消费与食品安全).
OTHER: tuple[Service, ...] = tuple(
    Service(f"other-{t.value}", f"其他{t.label}", t.value, "其他", f"未归类的{t.label}")
    for t in (
        TicketType.CONSULT,
        TicketType.HELP,
        TicketType.COMPLAINT,
        TicketType.REPORT,
    )
)
SERVICES += OTHER

BY_CODE: dict[str, Service] = {s.code: s for s in SERVICES}
CHOICES = [(s.code, s.name) for s in SERVICES]


def default_service(ticket_type: str) -> Service:
    """The category of a ticket filed by type alone: its type's "other"
    category (建议 and 表扬 have one category each)."""
    for s in (*OTHER, *SERVICES):
        if s.type == ticket_type:
            return s
    return SERVICES[0]
