"""Statutory periods as data, each with the article it comes from.

A rule marked `configurable` is one the law leaves to the locality (12345
limits, the province's filing period, double-random publicity); a city sets it
with `period_rule_override` (audited) and the override's own citation is shown
next to the national one. A rule marked `verify` still needs to be checked
against the text before anyone relies on it; the citation says where to look.

Periods of 行政处罚法 art. 85 (二日、三日、五日、七日) and 行政复议法 art. 88
(三日、五日、七日、十日) are working days; other 日 are natural days, which
民法典 art. 203 rolls over to the next working day when they end on a rest day.
A period in years (YEARS) ends on the corresponding day of its last year, or on
the last day of that month when it has no such day (29 February; 民法典 art.
202). A rule with `rolls_over=False` is a term (有效期) rather than a time to
act: its last day stays where art. 202 puts it, rest day or not.
"""

from dataclasses import dataclass, replace

WORKING = "working"
NATURAL = "natural"
YEARS = "years"

UNIT_LABELS = {WORKING: "个工作日", NATURAL: "日", YEARS: "年"}

MAX_DAYS = 3650  # ten years: more than any administrative period; stops typos
MAX_YEARS = 10  # the same ten years, for a period counted in years

CIVIL_CODE_201 = "《民法典》第二百零一条"
CIVIL_CODE_202 = "《民法典》第二百零二条"
CIVIL_CODE_203 = "《民法典》第二百零三条"

_OGI = "《政府信息公开条例》（国务院令第711号）"
_RECON = "《行政复议法》（2023年修订）"
_PENALTY = "《行政处罚法》（2021年修订）"
_GB37 = (
    "《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》"
    "（国办发〔2018〕37号）"
)
_DECISION = "《重大行政决策程序暂行条例》（国务院令第713号）"
_HOTLINE = (
    "国办发〔2020〕53号（办理时限由地方规定）；默认值参照广东省12345热线工单办理时限"
)


@dataclass(frozen=True)
class PeriodRule:
    id: str
    name: str
    days: int  # the count, in `unit` (years for a YEARS rule)
    unit: str  # WORKING, NATURAL or YEARS
    citation: str
    note: str = ""
    min_days: int | None = None
    max_days: int | None = None
    verify: bool = False
    configurable: bool = False
    # The rule `clock_extend` applies when it is given neither rule nor days.
    extension: str | None = None
    # Set when a local override replaced the national default.
    local_citation: str = ""
    # False for a term (有效期) whose end is not moved off a rest day.
    rolls_over: bool = True

    @property
    def label(self) -> str:
        return f"{self.days}{UNIT_LABELS[self.unit]}"

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "days": self.days,
            "unit": self.unit,
            "citation": self.citation,
            "note": self.note,
            "min_days": self.min_days,
            "max_days": self.max_days,
            "verify": self.verify,
            "configurable": self.configurable,
            "extension": self.extension,
            "local_citation": self.local_citation,
            "rolls_over": self.rolls_over,
        }


RULES: tuple[PeriodRule, ...] = (
    # 政府信息公开
    PeriodRule(
        "disclosure.reply",
        "依申请公开答复",
        20,
        WORKING,
        f"{_OGI}第三十三条第二款",
        "自收到申请之日起计算；征求第三方和其他机关意见所需时间不计算在内（暂停计时）",
        extension="disclosure.extension",
    ),
    PeriodRule(
        "disclosure.extension",
        "依申请公开答复延期",
        20,
        WORKING,
        f"{_OGI}第三十三条第二款",
        "经政府信息公开工作机构负责人同意并告知申请人，延长最长不超过20个工作日",
    ),
    PeriodRule(
        "disclosure.correction_notice",
        "补正告知",
        7,
        WORKING,
        f"{_OGI}第三十条",
        "一次性告知补正；答复期限自收到补正的申请之日起重新计算",
    ),
    PeriodRule(
        "disclosure.correction_reply",
        "申请人补正期限",
        15,
        WORKING,
        f"{_OGI}第三十条",
        "“合理的补正期限”由行政机关确定；本平台默认15个工作日，可在1至60个工作日内"
        "按事项确定；无正当理由逾期不补正的视为放弃申请",
        min_days=1,
        max_days=60,
        configurable=True,
    ),
    PeriodRule(
        "disclosure.third_party",
        "第三方提出意见",
        15,
        WORKING,
        f"{_OGI}第三十二条",
        "自第三方收到征求意见书之日起计算",
    ),
    PeriodRule(
        "disclosure.co_producer",
        "共同制作机关提出意见",
        15,
        WORKING,
        f"{_OGI}第三十四条",
        "逾期未提出意见的视为同意公开",
    ),
    PeriodRule(
        "disclosure.fee_payment",
        "缴纳信息处理费",
        20,
        WORKING,
        "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
        "自申请人收到收费通知的次日起计算；逾期未缴纳的视为放弃申请；"
        "发出收费通知至缴费的时间不计算在答复期限内",
        verify=True,
    ),
    PeriodRule(
        "disclosure.proactive",
        "主动公开",
        20,
        WORKING,
        f"{_OGI}第二十六条",
        "自政府信息形成或者变更之日起计算",
    ),
    # 行政复议
    PeriodRule(
        "reconsideration.acceptance",
        "复议申请受理审查",
        5,
        WORKING,
        f"{_RECON}第三十条、第八十八条",
    ),
    PeriodRule(
        "reconsideration.correction_notice",
        "复议申请补正通知",
        5,
        WORKING,
        f"{_RECON}第三十一条、第八十八条",
    ),
    PeriodRule(
        "reconsideration.copy_to_respondent",
        "发送申请书副本",
        7,
        WORKING,
        f"{_RECON}第四十八条、第八十八条",
        "自受理之日起计算",
    ),
    PeriodRule(
        "reconsideration.respondent_reply",
        "被申请人书面答复",
        10,
        WORKING,
        f"{_RECON}第四十八条、第八十八条",
        "自收到申请书副本之日起计算",
    ),
    PeriodRule(
        "reconsideration.simplified_copy",
        "简易程序发送副本",
        3,
        WORKING,
        f"{_RECON}第五十四条、第八十八条",
    ),
    PeriodRule(
        "reconsideration.simplified_reply",
        "简易程序书面答复",
        5,
        WORKING,
        f"{_RECON}第五十四条、第八十八条",
    ),
    PeriodRule(
        "reconsideration.decision",
        "复议决定（普通程序）",
        60,
        NATURAL,
        f"{_RECON}第六十二条第一款",
        "自受理之日起计算；法律规定少于六十日的除外",
        extension="reconsideration.decision_extension",
    ),
    PeriodRule(
        "reconsideration.decision_extension",
        "复议决定延期",
        30,
        NATURAL,
        f"{_RECON}第六十二条第一款",
        "经行政复议机构负责人批准并书面告知当事人，最多不超过三十日",
    ),
    PeriodRule(
        "reconsideration.simplified_decision",
        "复议决定（简易程序）",
        30,
        NATURAL,
        f"{_RECON}第六十二条第二款",
    ),
    # 行政处罚
    PeriodRule(
        "penalty.decision",
        "作出处罚决定",
        90,
        NATURAL,
        f"{_PENALTY}第六十条",
        "自立案之日起计算；法律、法规、规章另有规定的，从其规定",
    ),
    PeriodRule(
        "penalty.delivery_absent",
        "当事人不在场时送达决定书",
        7,
        WORKING,
        f"{_PENALTY}第六十一条、第八十五条",
    ),
    PeriodRule(
        "penalty.hearing_request",
        "当事人要求听证",
        5,
        WORKING,
        f"{_PENALTY}第六十四条第一项、第八十五条",
        "自行政机关告知之日起计算",
    ),
    PeriodRule(
        "penalty.hearing_notice",
        "听证通知",
        7,
        WORKING,
        f"{_PENALTY}第六十四条第二项、第八十五条",
        "应在举行听证的七日前通知：自通知之日起算，本期限届满后方可举行听证",
    ),
    PeriodRule(
        "penalty.withdraw_changed",
        "撤回已变更的处罚决定信息",
        3,
        WORKING,
        f"{_PENALTY}第四十八条第二款、第八十五条",
    ),
    PeriodRule(
        "penalty.fine_payment",
        "缴纳罚款",
        15,
        NATURAL,
        f"{_PENALTY}第六十七条第三款",
        "自收到行政处罚决定书之日起计算",
    ),
    # 行政执法公示（双公示）与双随机一公开
    PeriodRule(
        "publicity.penalty_licence",
        "行政许可、行政处罚决定公示",
        7,
        WORKING,
        "国办发〔2018〕118号“加强事后公开”部分",
        "自执法决定作出之日起计算",
    ),
    PeriodRule(
        "publicity.other_enforcement",
        "其他行政执法决定公示",
        20,
        WORKING,
        "国办发〔2018〕118号“加强事后公开”部分",
        "自执法决定作出之日起计算",
    ),
    PeriodRule(
        "inspection.results_publicity",
        "双随机抽查结果公示",
        20,
        WORKING,
        "国发〔2019〕5号；具体时限由地方实施办法规定",
        "自抽查检查结束之日起计算；按本地实施办法配置",
        configurable=True,
    ),
    # 规范性文件与规章
    PeriodRule(
        "normative.legality_review",
        "规范性文件合法性审核",
        15,
        WORKING,
        "国办发〔2018〕115号“明确审核时限”部分",
        "审核时间一般不少于5个工作日，最长不超过15个工作日",
        min_days=5,
        max_days=15,
    ),
    PeriodRule(
        "rule.filing",
        "规章报送备案",
        30,
        NATURAL,
        "《法规规章备案审查条例》（国务院令第789号）第四条",
        "自公布之日起计算",
    ),
    PeriodRule(
        "normative.filing",
        "规范性文件报送备案",
        30,
        NATURAL,
        # verify: the period is the province's (湖北: 省政府令第379号); the
        # duty to file is national. The flag, not the text, says "check".
        "国办发〔2018〕37号（规范性文件报送备案）；期限依本省规定",
        "默认30日，以本省规定为准",
        verify=True,
        configurable=True,
    ),
    PeriodRule(
        "normative.filing_review",
        "规范性文件备案审查",
        30,
        NATURAL,
        "《湖北省行政规范性文件管理办法》（省政府令第379号）备案审查一章",
        "自备案审查机关收到备案材料之日起计算；补正期间不计入；以本省规定为准",
        verify=True,
        configurable=True,
    ),
    PeriodRule(
        "normative.supplement",
        "规范性文件备案材料补正",
        5,
        WORKING,
        "《湖北省行政规范性文件管理办法》（省政府令第379号）备案审查一章",
        "制定机关自收到补正通知之日起补充报送；以本省规定为准",
        verify=True,
        configurable=True,
    ),
    PeriodRule(
        "normative.correction",
        "规范性文件自行纠正",
        30,
        NATURAL,
        "国办发〔2018〕37号“强化备案监督”部分；《湖北省行政规范性文件管理办法》"
        "（省政府令第379号）",
        "制定机关自收到纠错通知之日起自行纠正并报告结果；以本省规定为准",
        verify=True,
        configurable=True,
    ),
    # Platform setting, not law: how early a drafter is told that a
    # document's 有效期 (国办发〔2018〕37号: 一般不超过5年) runs out.
    PeriodRule(
        "normative.expiry_notice",
        "规范性文件有效期届满提醒提前量",
        90,
        NATURAL,
        "本平台设置（非法定期限）；有效期届满前评估依据国办发〔2018〕37号",
        "有效期届满前该数量日内提醒制定机关评估是否继续施行",
        configurable=True,
        min_days=1,
        max_days=365,
    ),
    # A term, not a time to act: the latest 有效期 a document may be given,
    # counted from the day it takes effect. Clocks do not run in years.
    PeriodRule(
        "normative.validity",
        "规范性文件有效期上限",
        5,
        YEARS,
        f"{_GB37}“建立健全规范性文件有效期制度”（有效期一般不超过5年）",
        "自施行之日起计算；第5年的对应日为最后一日（没有对应日的为该月末日），"
        "不因休息日顺延",
        verify=True,
        rolls_over=False,
    ),
    # 重大行政决策
    PeriodRule(
        "decision.public_comment",
        "重大行政决策公开征求意见",
        30,
        NATURAL,
        f"{_DECISION}第十五条",
        "一般不少于30日；情况紧急缩短期限的应当说明",
        min_days=1,
    ),
    PeriodRule(
        "decision.legality_review",
        "重大行政决策合法性审查",
        7,
        WORKING,
        f"{_DECISION}第二十六条",
        "一般不少于7个工作日",
        min_days=7,
        max_days=MAX_DAYS,
    ),
    # 行政诉讼
    PeriodRule(
        "litigation.answer",
        "被告提交答辩状",
        15,
        NATURAL,
        "《行政诉讼法》（2017年修正）第六十七条",
        "自收到起诉状副本之日起计算",
    ),
    # 12345 热线（国办发〔2020〕53号 leaves limits to localities）
    PeriodRule(
        "hotline.consult",
        "12345咨询类工单",
        2,
        WORKING,
        _HOTLINE,
        verify=True,
        configurable=True,
    ),
    PeriodRule(
        "hotline.help",
        "12345求助类工单",
        10,
        WORKING,
        _HOTLINE,
        verify=True,
        configurable=True,
    ),
    PeriodRule(
        "hotline.suggest",
        "12345建议类工单",
        10,
        WORKING,
        _HOTLINE,
        verify=True,
        configurable=True,
    ),
    PeriodRule(
        "hotline.complaint",
        "12345投诉类工单",
        15,
        WORKING,
        _HOTLINE,
        verify=True,
        configurable=True,
    ),
    PeriodRule(
        "hotline.report",
        "12345举报类工单",
        15,
        WORKING,
        _HOTLINE,
        verify=True,
        configurable=True,
    ),
    PeriodRule(
        "hotline.sign_for",
        "12345工单签收",
        1,
        WORKING,
        _HOTLINE,
        "承办单位自派单之日起签收或退回",
        verify=True,
        configurable=True,
    ),
    PeriodRule(
        "hotline.rectification",
        "12345差评整改",
        15,
        WORKING,
        "国办发〔2019〕51号（政务服务“好差评”制度：差评整改反馈）",
        "自差评核实之日起整改并反馈",
        verify=True,
        configurable=True,
    ),
    # 法治政府建设督办、督察（期限由本级领导小组办公室规定）
    PeriodRule(
        "plan.supervision_reply",
        "督办事项反馈",
        10,
        WORKING,
        "《法治政府建设与责任落实督察工作规定》（2019年）；反馈时限由本级法治政府建设"
        "领导小组办公室在督办通知中规定",
        "自督办通知发出之日起计算；默认10个工作日，按本地督办办法配置",
        verify=True,
        configurable=True,
    ),
    PeriodRule(
        "plan.rectification",
        "督察发现问题整改",
        30,
        NATURAL,
        "《法治政府建设与责任落实督察工作规定》（2019年）；整改时限由督察组在督察意见中"
        "规定",
        "自督察意见送达之日起计算；默认30日，可在督察意见中另定",
        verify=True,
        configurable=True,
    ),
    # Platform setting, not law: how early a running clock turns yellow.
    PeriodRule(
        "alert.due_soon",
        "临期预警提前量",
        3,
        WORKING,
        "本平台督办设置（非法定期限）",
        "到期前该数量工作日内标黄",
        configurable=True,
        min_days=0,
        max_days=30,
    ),
)

BY_ID: dict[str, PeriodRule] = {r.id: r for r in RULES}


class UnknownRule(LookupError):
    pass


def national_rule(rule_id: str) -> PeriodRule:
    """The rule as the national text sets it, without local override."""
    try:
        return BY_ID[rule_id]
    except KeyError:
        raise UnknownRule(rule_id) from None


def apply_override(rule: PeriodRule, days: int, citation: str) -> PeriodRule:
    return replace(rule, days=days, local_citation=citation)


def get_rule(rule_id: str) -> PeriodRule:
    """The rule in force here: the national one with any local override applied."""
    from .models import PeriodRuleOverride

    rule = national_rule(rule_id)
    override = PeriodRuleOverride.objects.filter(rule_id=rule_id).first()
    if override is None:
        return rule
    return apply_override(rule, override.days, override.citation)


def all_rules() -> list[PeriodRule]:
    from .models import PeriodRuleOverride

    overrides = {o.rule_id: o for o in PeriodRuleOverride.objects.all()}
    out = []
    for rule in RULES:
        o = overrides.get(rule.id)
        out.append(apply_override(rule, o.days, o.citation) if o else rule)
    return out
