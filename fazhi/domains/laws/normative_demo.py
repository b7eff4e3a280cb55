"""Demo normative documents of Huangshi, each at a different stage, dated
back from today so the queues show countdowns that are running, due soon
and overdue. Every step goes through the real services (clocks, audit,
publication into the query platform). Idempotent: loads only into a
database without normative documents. The titles are illustrative.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.org.models import Agency, Membership, User
from fazhi.kernel.org.services import membership_grant

from . import normative_workflow as wf
from .models import NormativeDocument
from .services import normative as ns
from .services import normative_cleanup as nc

TEMPLATE = (
    "第一条 为了{purpose}，根据{basis}等有关法律法规，结合本市实际，制定本办法。\n"
    "第二条 本办法适用于{scope}。\n"
    "第三条 {agency}负责本办法的组织实施，有关部门按照职责分工做好相关工作。\n"
    "第四条 {duty}\n"
    "第五条 违反本办法规定的，由有关部门依照法律、法规的规定处理。\n"
    "第六条 本办法自公布之日起施行，有效期5年。"
)

# (agency code, title, number, purpose, basis, scope, duty, stage, age in days)
DOCS: list[tuple[str, ...]] = [
    (
        "420200-CGW",
        "黄石市城市道路占用挖掘管理办法",
        "黄城管规〔{y}〕1号",
        "加强城市道路管理，保障城市道路完好和通行安全",
        "《城市道路管理条例》",
        "本市中心城区城市道路的占用、挖掘及其监督管理",
        "占用、挖掘城市道路的，应当按照批准的时间、范围和要求施工，并设置明显标志和安全防护设施。",
        "accepted",
        "75",
    ),
    (
        "420200-SCJ",
        "黄石市网络餐饮服务食品安全监督管理办法",
        "",
        "规范网络餐饮服务经营行为，保障餐饮食品安全",
        "《中华人民共和国食品安全法》",
        "本市行政区域内网络餐饮服务第三方平台、入网餐饮服务提供者的经营活动",
        "入网餐饮服务提供者应当在网上公示食品经营许可证，并如实公示菜品名称和主要原料。",
        "reviewing",
        "12",
    ),
    (
        "420200-ZJJ",
        "黄石市住宅小区物业服务管理办法",
        "黄建规〔{y}〕2号",
        "规范物业服务活动，维护业主和物业服务企业的合法权益",
        "《物业管理条例》",
        "本市行政区域内住宅小区的物业服务及其监督管理",
        "物业服务企业应当按照物业服务合同约定提供服务，每半年公示一次物业服务费收支情况。",
        "published",
        "40",
    ),
    (
        "420281",
        "大冶市农村村民住房建设管理办法",
        "冶政规〔{y}〕1号",
        "规范农村村民住房建设，节约集约利用土地",
        "《中华人民共和国土地管理法》",
        "大冶市行政区域内农村村民在集体土地上新建、改建、扩建住房",
        "农村村民一户只能拥有一处宅基地，新建住房应当符合村庄规划。",
        "supplementing",
        "30",
    ),
    (
        "420200-RSJ",
        "黄石市就业见习管理办法",
        "黄人社规〔{y}〕3号",
        "规范就业见习工作，促进高校毕业生等青年就业",
        "《中华人民共和国就业促进法》",
        "本市就业见习基地的认定、见习人员的管理和见习补贴的发放",
        "见习单位应当与见习人员签订见习协议，见习期限一般为3至12个月。",
        "correcting",
        "45",
    ),
    (
        "420200-HBJ",
        "黄石市餐饮业油烟污染防治管理办法",
        "黄环规〔{y}〕1号",
        "防治餐饮业油烟污染，改善城市环境空气质量",
        "《中华人民共和国大气污染防治法》",
        "本市中心城区餐饮服务经营者排放油烟的防治及其监督管理",
        "排放油烟的餐饮服务经营者应当安装油烟净化设施并保持正常使用。",
        "corrected",
        "90",
    ),
    (
        "420200-JTJ",
        "黄石市出租汽车经营服务管理办法",
        "黄交规〔{y}〕1号",
        "规范出租汽车经营服务行为，保障乘客和经营者合法权益",
        "《中华人民共和国道路运输条例》",
        "本市行政区域内巡游出租汽车的经营服务及其监督管理",
        "出租汽车驾驶员应当按照乘客要求的合理路线行驶，不得拒载、议价。",
        "expiring",
        "1770",
    ),
    (
        "420200-SCJ",
        "黄石市个体工商户名称登记管理办法（草案）",
        "",
        "规范个体工商户名称登记",
        "《个体工商户条例》",
        "本市个体工商户名称的登记及其管理",
        "个体工商户名称由行政区划、字号、行业、组织形式依次组成。",
        "drafting",
        "3",
    ),
]


def _ago(n: int) -> date:
    # Demo dates only, spread back from today; no statutory period is counted.
    return date.fromordinal(today().toordinal() - n)


def _text(agency: Agency, purpose: str, basis: str, scope: str, duty: str) -> str:
    return TEMPLATE.format(
        purpose=purpose, basis=basis, scope=scope, duty=duty, agency=agency.name
    )


def _advance(
    nd: NormativeDocument, stage: str, age: int, actors: dict[str, Any], number: str
) -> None:
    drafter, office = actors["drafter"], actors["office"]
    start = _ago(age)
    if stage == "drafting":
        return
    ns.normative_submit_review(actor=drafter, document=nd, on=start)
    if stage == "reviewing":
        return
    ns.normative_legality_opinion(
        actor=actors["reviewer"],
        document=nd,
        verdict="lawful",
        text="经审核，未发现违法内容，同意出台。",
        on=_ago(age - 5),
    )
    pub = _ago(age - 8)
    ns.normative_publish(
        actor=drafter,
        document=nd,
        doc_number=number.format(y=pub.year),
        published_on=pub,
        expires_on=ns.validity_end(pub),
    )
    if stage == "published":
        return
    filed_on = _ago(age - 20)
    ns.normative_file(actor=drafter, document=nd, filed_on=filed_on)
    if stage == "supplementing":
        ns.normative_request_supplement(
            actor=office,
            document=nd,
            on=_ago(max(age - 22, 0)),
            text="请补充报送起草说明、合法性审核意见书和制定依据。",
        )
        return
    decided = _ago(age - 25)
    if stage in ("accepted", "expiring"):
        ns.normative_accept(actor=office, document=nd, on=decided, text="准予备案。")
        return
    ns.normative_find_fault(
        actor=office,
        document=nd,
        result="unlawful",
        on=decided,
        text="第四条增设的义务缺乏上位法依据，违反《国务院办公厅关于加强行政规范性文件"
        "制定和监督管理工作的通知》关于不得违法增加义务的规定。",
    )
    if stage == "corrected":
        ns.normative_correct(
            actor=drafter,
            document=nd,
            method="amend",
            on=_ago(age - 40),
            text="已删除第四条相关内容并重新公布。",
            new_text=nd.text.replace("并保持正常使用", "并按规定使用"),
        )


def _government_reviewers() -> dict[str, Any]:
    """The justice bureaus review their government's own drafts (国办发〔2018〕
    115号): 大冶市司法局's reviewer and 市司法局's head are granted the review
    on their government only (本机构), not on its departments."""
    out = {}
    for username, code in (("dy_sfj", "420281"), ("sfj_leader", "420200")):
        user, agency = (
            User.objects.get(username=username),
            Agency.objects.get(code=code),
        )
        if not Membership.objects.filter(
            user=user, agency=agency, role=wf.GOVERNMENT_REVIEWER
        ).exists():
            membership_grant(
                actor=None, user=user, agency=agency, role=wf.GOVERNMENT_REVIEWER
            )
        out[code] = user
    return out


def load_normative_demo() -> int:
    if NormativeDocument.objects.exists():
        return 0
    office = User.objects.get(username="fzb")
    reviewers = _government_reviewers()
    handlers = {
        "420200-SCJ": User.objects.get(username="scj_handler"),
        "420281": User.objects.get(username="dy_handler"),
    }
    made = []
    for code, title, number, purpose, basis, scope, duty, stage, age in DOCS:
        agency = Agency.objects.get(code=code)
        drafter = handlers.get(code, office)
        nd = ns.normative_register(
            actor=drafter,
            agency=agency,
            title=title,
            text=_text(agency, purpose, basis, scope, duty),
            summary=f"依据{basis}起草，已征求有关部门和社会公众意见。",
            registered_on=_ago(int(age) + 2),
        )
        actors = {
            "drafter": drafter,
            "office": office,
            # A department's draft: its legal office, played here by the
            # city's office (the demo has no legal officer in each bureau).
            "reviewer": reviewers.get(code, office),
        }
        _advance(nd, stage, int(age), actors, number)
        made.append(nd)
    # A cleanup campaign of the city with one opinion given.
    campaign = nc.cleanup_campaign_create(
        actor=office,
        agency=Agency.objects.get(code="420200"),
        name=f"{today().year}年度规范性文件集中清理",
        basis="《黄石市法治政府建设实施方案（2021-2025年）》第6项",
        started_on=_ago(5),
        due_on=_ago(-60),
    )
    first = campaign.items.filter(document__case__state=wf.ACCEPTED).first()
    if first is not None:
        nc.cleanup_item_decide(actor=office, item=first, decision="keep", on=_ago(2))
    return len(made)
