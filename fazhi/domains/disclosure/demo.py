"""A year and more of disclosure requests for several Huangshi agencies, made
through the services like real work (so the audit record and the clocks are
real): replies of every kind, 补正 answered and abandoned, consultations of
third parties and co-producing agencies, extensions, processing fees paid
and unpaid, a few reconsiderations and lawsuits, and recent
requests still running. Deterministic (seeded) and idempotent.

    fazhi disclosure_demo            # or load_disclosure_demo() from the demo loader
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from fazhi.kernel.deadlines.calendar import WorkCalendar, today
from fazhi.kernel.org.models import Agency, User
from fazhi.kernel.textzh.validators import credit_check_char, id_check_char

from . import categories as cat
from . import services
from .models import Application

AGENCIES = ("420200-SCJ", "420200-HBJ", "420200-ZGJ", "420281", "420281-SCJ")
TOPICS = (
    "年度食品安全抽检结果",
    "建设项目环境影响评价批复文件",
    "国有土地使用权出让合同",
    "财政预算执行情况",
    "行政处罚决定书",
    "征收补偿安置方案",
    "企业排污许可证信息",
    "城市规划调整论证材料",
    "专项资金分配明细",
    "重大项目招标结果",
)
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军")
ORGS = {
    cat.COMMERCIAL: "黄石{}实业有限公司",
    cat.RESEARCH: "湖北{}研究院",
    cat.WELFARE: "黄石{}公益服务中心",
    cat.LEGAL_SERVICE: "湖北{}律师事务所",
    cat.OTHER_ORG: "黄石市{}协会",
}
# Weighted reply results: most requests are answered with the information.
RESULT_WEIGHTS = (
    ("disclose", 30),
    ("partial", 8),
    ("withhold.third_party", 3),
    ("withhold.process", 4),
    ("withhold.state_secret", 1),
    ("unable.not_held", 12),
    ("unable.needs_creation", 3),
    ("reject.petition", 3),
    ("reject.publication", 2),
    ("other.other", 1),
)


# What an office writes under 不予公开: the facts, not the category again.
WITHHOLD_REASONS = {
    "withhold.third_party": "所申请的企业检测报告载有该企业的生产工艺参数，"
    "经征求意见，企业不同意公开且理由成立。",
    "withhold.process": "所申请的会议纪要为研究讨论过程中形成的内部意见，"
    "相关事项尚在研究，未形成最终决定。",
    "withhold.state_secret": "所申请的文件已按规定定密，保密期限尚未届满。",
}


def _person(rng: random.Random, i: int) -> dict[str, Any]:
    kind = rng.choices([cat.NATURAL, *cat.ORG_TYPES], weights=[60, 15, 5, 5, 10, 5])[0]
    phone = f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"
    if kind == cat.NATURAL:
        born = date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
        first17 = f"420202{born:%Y%m%d}{i % 1000:03d}"
        return {
            "applicant_type": kind,
            "applicant_name": rng.choice(SURNAMES) + rng.choice(GIVEN),
            "id_number": first17 + id_check_char(first17),
            "phone": phone,
        }
    first17 = f"914202007{i:08d}"
    return {
        "applicant_type": kind,
        "applicant_name": ORGS[kind].format(
            rng.choice(("鑫源", "华新", "东楚", "磁湖", "楚天"))
        ),
        "credit_code": first17 + credit_check_char(first17),
        "phone": phone,
        "contact_name": rng.choice(SURNAMES) + rng.choice(GIVEN),
    }


def _working_days(first: date, last: date) -> list[date]:
    cal = WorkCalendar.load()
    out, d = [], first
    while d <= last:
        if cal.day(d).working:
            out.append(d)
        d += timedelta(days=1)
    return out


def _add(cal_days: list[date], d: date, n: int) -> date:
    """The n-th working day after d (for demo dates only; clocks use rules)."""
    later = [x for x in cal_days if x > d]
    if len(later) < n:
        return cal_days[-1] + timedelta(days=n)  # past the demo's end: skipped
    return later[n - 1]


CATALOGUE = (
    ("财政预决算", cat.FOCUS_BUDGET, "部门预算", "部门决算"),
    ("公共资源配置", cat.FOCUS_RESOURCES, "政府采购结果", "国有产权交易结果"),
    ("重大建设项目", cat.FOCUS_PROJECTS, "项目批准结果", "项目施工进展"),
    ("行政执法公示", cat.FOCUS_OTHER, "行政处罚决定", "行政许可决定"),
)


def load_disclosure_demo(*, per_agency: int = 30, seed: int = 2026) -> int:
    """Create the demo requests and catalogues; does nothing when they exist."""
    if Application.objects.filter(case__agency__code__in=AGENCIES).exists():
        return 0
    handler = User.objects.get(username="fzb")  # city-wide handle and supervise
    rng = random.Random(seed)
    end = today() - timedelta(days=1)
    days = _working_days(date(2025, 1, 2), end)
    with transaction.atomic():
        _catalogues(rng, handler, days, end)
        return _load(rng, handler, days, end, per_agency)


def _catalogues(rng: random.Random, h: Any, days: list[date], end: date) -> None:
    """Each agency's catalogue; one review overdue; a year of items, the
    recent ones still waiting (some late) so the countdowns show."""
    for code in AGENCIES:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            continue
        for n, (name, focus, *titles) in enumerate(CATALOGUE):
            entry = services.catalogue_entry_create(
                actor=h,
                agency=agency,
                name=name,
                focus=focus,
                basis="《政府信息公开条例》第二十条",
                review_on=end + timedelta(days=90 + 30 * n),
            )
            if n == 0:  # one category whose review date has come
                entry.review_on = end - timedelta(days=10)
                entry.save(update_fields=["review_on"])
            for title in titles:
                for year in (2025, 2026):
                    formed = rng.choice([d for d in days if d.year == year])
                    item = services.proactive_item_register(
                        actor=h,
                        entry=entry,
                        title=f"{agency.short_name or agency.name}{year}年{title}",
                        formed_on=formed,
                    )
                    published = _add(days, formed, rng.randint(2, 24))
                    if published <= end:
                        services.proactive_item_publish(
                            actor=h, item=item, on=published
                        )


def _load(
    rng: random.Random, handler: Any, days: list[date], end: date, per_agency: int
) -> int:
    created = 0
    for code in AGENCIES:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            continue
        for _i in range(per_agency):
            created += 1
            _one(rng, handler, agency, rng.choice(days), days, end, created)
    return created


def _one(
    rng: random.Random,
    h: Any,
    agency: Agency,
    received: date,
    days: list[date],
    end: date,
    i: int,
) -> None:
    channel = rng.choice(("in_person", "registered_mail", "online", "online"))
    extra: dict[str, Any] = {}
    if channel == "registered_mail":
        extra["signed_on"] = received
    elif channel == "online":
        extra["confirmed_on"] = received
    app = services.application_submit(
        actor=h,
        agency=agency,
        channel=channel,
        submitted_on=received,
        content=f"{received.year - 1}年{rng.choice(TOPICS)}",
        **extra,
        **_person(rng, i),
    )
    roll = rng.random()
    reply_on = _add(days, received, rng.randint(3, 18))
    if roll < 0.1:
        asked = _add(days, received, 3)
        if asked > end:
            return
        services.correction_request(
            actor=h,
            application=app,
            text="请写明所需信息的名称或文号",
            days=10,
            on=asked,
        )
        if rng.random() < 0.4:
            late = _add(days, asked, 12)
            if late <= end:
                services.application_abandon(actor=h, application=app, on=late)
            return
        back = _add(days, asked, 4)
        if back > end:
            return
        services.correction_receive(
            actor=h, application=app, received_on=back, text="补正：所需信息的文号"
        )
        reply_on = _add(days, back, rng.randint(3, 15))
    elif roll < 0.16:
        sent = _add(days, received, 4)
        if sent > end:
            return
        # Now and then the information was made with another agency (art. 34).
        agency_kind = rng.random() < 0.3
        services.consultation_start(
            actor=h,
            application=app,
            kind="agency" if agency_kind else "third_party",
            third_party="黄石市财政局" if agency_kind else "相关企业",
            sent_on=sent,
        )
        answered = _add(days, sent, 10)
        if answered > end:
            return
        services.consultation_finish(
            actor=h,
            application=app,
            answered_on=answered,
            opinion="同意公开" if agency_kind else "不同意公开",
        )
        reply_on = _add(days, answered, 5)
    elif roll < 0.22 and agency.code == "420200-SCJ":
        # Consent is the agency's own office head's (art. 33(2)); the demo has
        # one at the market regulator.
        services.application_extend(
            actor=User.objects.get(username="scj_gk_head"),
            application=app,
            reason="涉及档案检索，需调取多年案卷",
        )
        reply_on = _add(days, received, rng.randint(20, 35))
    elif roll < 0.24:
        # A bulk request charged by the page (art. 42); most applicants pay.
        noticed = _add(days, received, 3)
        if noticed > end:
            return
        services.fee_notice_issue(
            actor=h,
            application=app,
            method="per_page",
            quantity=rng.randint(60, 160),
            reason="申请提供的信息数量明显超过合理范围",
            pay_by="凭本通知书到本机关开具非税收入缴款书，通过银行缴纳。",
            on=noticed,
        )
        if rng.random() < 0.3:
            lapsed = _add(days, noticed, 21)
            if lapsed <= end:
                services.fee_lapse(actor=h, application=app, on=lapsed)
            return
        paid = _add(days, noticed, rng.randint(2, 8))
        if paid > end:
            return
        services.fee_paid_confirm(actor=h, application=app, paid_on=paid)
        reply_on = _add(days, paid, rng.randint(3, 12))
    if reply_on > end:
        return  # still running: carried forward
    codes, weights = zip(*RESULT_WEIGHTS, strict=True)
    code = rng.choices(codes, weights=weights)[0]
    reply = services.reply_issue(
        actor=h,
        application=app,
        result_code=code,
        body=(
            "涉及第三方商业秘密的部分不予公开"
            if code == "partial"
            else WITHHOLD_REASONS.get(code, "")
            if code.startswith("withhold")
            else "可在黄石市图书馆地方文献阅览室查阅，或向出版单位购买。"
            if code == "reject.publication"
            else ""
        ),
        doc_number=f"公开〔{reply_on.year}〕{i}号",
        replied_on=reply_on,
    )
    services.reply_deliver(
        actor=h,
        reply=reply,
        method=rng.choice(("mail", "email", "in_person")),
        delivered_on=min(_add(days, reply_on, 1), end),
    )
    if code.startswith(("withhold", "unable")) and rng.random() < 0.3:
        filed = min(_add(days, reply_on, 20), end)
        kind = rng.choice([k for k, _ in cat.FOLLOWUP_KINDS])
        f = services.followup_record(
            actor=h,
            reply=reply,
            kind=kind,
            number=f"黄政复〔{filed.year}〕{i}号",
            filed_on=filed,
        )
        settle = _add(days, filed, 40)
        if settle <= end:
            services.followup_settle(
                actor=h,
                followup=f,
                outcome=rng.choice(("maintained", "maintained", "corrected", "other")),
                outcome_on=settle,
            )
