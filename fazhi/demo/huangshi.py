"""The demo city: Huangshi (黄石市), its districts, townships, departments and people.

Codes of the city, districts and county-level units are the national
administrative-division codes (GB/T 2260); department codes are local.
Everything goes through the kernel services, so the demo's history is in the
audit record like any real data. Loading twice changes nothing.
"""

from dataclasses import dataclass

from fazhi.kernel.org.models import Agency, Membership, User
from fazhi.kernel.org.services import agency_create, membership_grant, user_create

DEMO_PASSWORD = "Fazhi@2026demo"  # noqa: S105 - printed on purpose for the demo

CITY = ("420200", "黄石市人民政府", "黄石市")

COUNTIES = [
    (
        "420202",
        "黄石港区人民政府",
        "黄石港区",
        [("420202001", "黄石港街道"), ("420202002", "胜阳港街道")],
    ),
    (
        "420203",
        "西塞山区人民政府",
        "西塞山区",
        [("420203001", "八泉街道"), ("420203002", "临江街道")],
    ),
    (
        "420204",
        "下陆区人民政府",
        "下陆区",
        [("420204001", "东方山街道"), ("420204002", "团城山街道")],
    ),
    ("420205", "铁山区人民政府", "铁山区", [("420205001", "铁山街道")]),
    (
        "420222",
        "阳新县人民政府",
        "阳新县",
        [("420222100", "兴国镇"), ("420222101", "富池镇")],
    ),
    (
        "420281",
        "大冶市人民政府",
        "大冶市",
        [
            ("420281001", "东岳路街道"),
            ("420281002", "金湖街道"),
            ("420281100", "陈贵镇"),
            ("420281101", "还地桥镇"),
        ],
    ),
    ("420271", "黄石经济技术开发区管理委员会", "黄石经开区", [("420271001", "汪仁镇")]),
]

CITY_DEPARTMENTS = [
    ("SFJ", "黄石市司法局", "市司法局"),
    ("ZWJ", "黄石市政务服务和大数据管理局", "市政务和大数据局"),
    ("SCJ", "黄石市市场监督管理局", "市市场监管局"),
    ("HBJ", "黄石市生态环境局", "市生态环境局"),
    ("CGW", "黄石市城市管理执法委员会", "市城管执法委"),
    ("ZGJ", "黄石市自然资源和规划局", "市自然资源和规划局"),
    ("ZJJ", "黄石市住房和城乡建设局", "市住建局"),
    ("RSJ", "黄石市人力资源和社会保障局", "市人社局"),
    ("JTJ", "黄石市交通运输局", "市交通运输局"),
    ("YJJ", "黄石市应急管理局", "市应急管理局"),
    ("GAJ", "黄石市公安局", "市公安局"),
    ("JYJ", "黄石市教育局", "市教育局"),
]

COUNTY_DEPARTMENTS = {
    "420281": [
        ("SFJ", "大冶市司法局", "大冶市司法局"),
        ("SCJ", "大冶市市场监督管理局", "大冶市市场监管局"),
    ],
    "420222": [("SFJ", "阳新县司法局", "阳新县司法局")],
}


@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    agency_code: str
    role: str | None
    scope: str
    what: str


PERSONAS = [
    Persona(
        "fzb",
        "王法治",
        "420200-SFJ",
        "rule_of_law_office",
        "city",
        "市法治办（全市范围）",
    ),
    Persona(
        "sfj_leader", "李局长", "420200-SFJ", "agency_leader", "own", "市司法局负责人"
    ),
    Persona(
        "scj_handler", "赵承办", "420200-SCJ", "handler", "own", "市市场监管局承办人"
    ),
    Persona(
        "scj_gk_head",
        "吴公开",
        "420200-SCJ",
        "disclosure_office_head",
        "own",
        "市市场监管局政府信息公开工作机构负责人（批准延期答复）",
    ),
    Persona(
        "dy_handler", "陈办理", "420281", "handler", "subtree", "大冶市承办人（含下级）"
    ),
    Persona(
        "dy_sfj",
        "周审核",
        "420281-SFJ",
        "legal_reviewer",
        "own",
        "大冶市司法局法制审核",
    ),
    Persona(
        "rx_operator",
        "钱话务",
        "420200-ZWJ",
        "hotline_dispatcher",
        "city",
        "12345热线中心话务派单员",
    ),
    Persona("jinhu_clerk", "刘经办", "420281002", "clerk", "own", "金湖街道经办员"),
    Persona(
        "qz_editor",
        "孙清单",
        "420200-SCJ",
        "responsibility_editor",
        "own",
        "权责清单维护员",
    ),
    Persona("outsider", "路人甲", "420200", None, "own", "没有任何角色"),
    Persona(
        "sysadmin",
        "系统管理员",
        "420200-ZWJ",
        "system_admin",
        "city",
        "三员：系统管理员",
    ),
    Persona(
        "secadmin",
        "安全管理员",
        "420200-ZWJ",
        "security_admin",
        "city",
        "三员：安全管理员",
    ),
    Persona(
        "auditadmin",
        "审计管理员",
        "420200-ZWJ",
        "audit_admin",
        "city",
        "三员：审计管理员",
    ),
]


def _agency(
    code: str, name: str, short: str, level: str, parent: Agency | None
) -> Agency:
    existing = Agency.objects.filter(code=code).first()
    if existing:
        return existing
    return agency_create(
        actor=None, code=code, name=name, short_name=short, level=level, parent=parent
    )


def build_org() -> dict[str, Agency]:
    """Create the agency tree (idempotent); returns agencies by code."""
    city = _agency(*CITY, level="city", parent=None)
    out = {city.code: city}
    for code, name, short in CITY_DEPARTMENTS:
        a = _agency(f"{city.code}-{code}", name, short, "department", city)
        out[a.code] = a
    for code, name, short, towns in COUNTIES:
        county = _agency(code, name, short, "county", city)
        out[code] = county
        for tcode, tname in towns:
            out[tcode] = _agency(tcode, tname, tname, "township", county)
        for dcode, dname, dshort in COUNTY_DEPARTMENTS.get(code, []):
            a = _agency(f"{code}-{dcode}", dname, dshort, "department", county)
            out[a.code] = a
    return out


def build_people(agencies: dict[str, Agency]) -> list[Persona]:
    """Create the demo personas with their roles (idempotent)."""
    for p in PERSONAS:
        agency = agencies[p.agency_code]
        user = User.objects.filter(username=p.username).first() or user_create(
            actor=None,
            username=p.username,
            full_name=p.full_name,
            password=DEMO_PASSWORD,
            default_agency=agency,
            phone="13800138000",
        )
        if (
            p.role
            and not Membership.objects.filter(
                user=user, agency=agency, role=p.role
            ).exists()
        ):
            membership_grant(
                actor=None, user=user, agency=agency, role=p.role, scope=p.scope
            )
    return PERSONAS
