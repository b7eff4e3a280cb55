"""Applicant types and reply results as the national annual report counts them.

The classification is the one of 国办公开办函〔2021〕30号 (中华人民共和国政府
信息公开工作年度报告格式), table 三 "收到和处理政府信息公开申请情况"; each
reply result also names the article of 政府信息公开条例 it applies. Reports,
letters and forms all read this module, so one edit changes them together.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

REPORT_FORMAT = "国办公开办函〔2021〕30号"
_OGI = "《政府信息公开条例》"

# -- applicants: the columns of table 三 -------------------------------------

NATURAL = "natural"
COMMERCIAL = "commercial"
RESEARCH = "research"
WELFARE = "welfare"
LEGAL_SERVICE = "legal_service"
OTHER_ORG = "other_org"

APPLICANT_TYPES: tuple[tuple[str, object], ...] = (
    (NATURAL, _("自然人")),
    (COMMERCIAL, _("商业企业")),
    (RESEARCH, _("科研机构")),
    (WELFARE, _("社会公益组织")),
    (LEGAL_SERVICE, _("法律服务机构")),
    (OTHER_ORG, _("其他")),
)
ORG_TYPES = (COMMERCIAL, RESEARCH, WELFARE, LEGAL_SERVICE, OTHER_ORG)


# -- reply results: the rows of table 三 ------------------------------------


@dataclass(frozen=True)
class Result:
    code: str
    group: str  # the row group: disclose / partial / withhold / unable / ...
    label: str
    basis: str  # the article the reply letter cites
    # A phrase for the reply letter ("经审查，……").
    letter: str = ""


GROUPS: tuple[tuple[str, str], ...] = (
    ("disclose", "（一）予以公开"),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("withhold", "（三）不予公开"),
    ("unable", "（四）无法提供"),
    ("reject", "（五）不予处理"),
    ("other", "（六）其他处理"),
)
GROUP_LABELS = dict(GROUPS)

RESULTS: tuple[Result, ...] = (
    Result(
        "disclose",
        "disclose",
        "予以公开",
        f"{_OGI}第三十六条第（一）项、第（二）项",
        "您申请获取的政府信息属于公开范围，现予以公开。",
    ),
    Result(
        "partial",
        "partial",
        "部分公开",
        f"{_OGI}第三十七条",
        "您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理，"
        "现向您提供可以公开的部分，并说明不予公开部分的理由。",
    ),
    Result(
        "withhold.state_secret",
        "withhold",
        "属于国家秘密",
        f"{_OGI}第十四条、第三十六条第（三）项",
        "您申请获取的政府信息属于国家秘密，依法不予公开。",
    ),
    Result(
        "withhold.law_prohibits",
        "withhold",
        "其他法律行政法规禁止公开",
        f"{_OGI}第十四条、第三十六条第（三）项",
        "您申请获取的政府信息属于法律、行政法规禁止公开的信息，依法不予公开。",
    ),
    Result(
        "withhold.three_securities",
        "withhold",
        "危及“三安全一稳定”",
        f"{_OGI}第十四条、第三十六条第（三）项",
        "您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、"
        "社会稳定，依法不予公开。",
    ),
    Result(
        "withhold.third_party",
        "withhold",
        "保护第三方合法权益",
        f"{_OGI}第十五条、第三十二条、第三十六条第（三）项",
        "您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益"
        "造成损害，依法不予公开。",
    ),
    Result(
        "withhold.internal_affairs",
        "withhold",
        "属于三类内部事务信息",
        f"{_OGI}第十六条第一款、第三十六条第（三）项",
        "您申请获取的信息属于行政机关的内部事务信息，本机关决定不予公开。",
    ),
    Result(
        "withhold.process",
        "withhold",
        "属于四类过程性信息",
        f"{_OGI}第十六条第二款、第三十六条第（三）项",
        "您申请获取的信息属于行政机关在履行行政管理职能过程中形成的过程性信息，"
        "本机关决定不予公开。",
    ),
    Result(
        "withhold.enforcement_file",
        "withhold",
        "属于行政执法案卷",
        f"{_OGI}第十六条第二款、第三十六条第（三）项",
        "您申请获取的信息属于行政执法案卷信息，本机关决定不予公开。",
    ),
    Result(
        "withhold.query_matter",
        "withhold",
        "属于行政查询事项",
        f"{_OGI}第三十六条第（三）项",
        "您申请获取的信息属于法律、行政法规规定的行政查询事项，请按有关规定办理查询。",
    ),
    Result(
        "unable.not_held",
        "unable",
        "本机关不掌握相关政府信息",
        f"{_OGI}第三十六条第（四）项",
        "经检索查找，本机关未制作、获取您申请的政府信息。",
    ),
    Result(
        "unable.needs_creation",
        "unable",
        "没有现成信息需要另行制作",
        f"{_OGI}第三十八条",
        "您申请的信息需要本机关对现有政府信息进行加工、分析，本机关不予提供。",
    ),
    Result(
        "unable.still_unclear",
        "unable",
        "补正后申请内容仍不明确",
        f"{_OGI}第三十条、第三十六条",
        "经补正后，您的申请内容仍不明确，本机关无法确定您所需的政府信息。",
    ),
    Result(
        "reject.petition",
        "reject",
        "信访举报投诉类申请",
        f"{_OGI}第三十九条第一款",
        "您的申请实质是信访、投诉、举报等诉求，请通过相应渠道提出，"
        "本机关不作为政府信息公开申请处理。",
    ),
    Result(
        "reject.repeat",
        "reject",
        "重复申请",
        f"{_OGI}第三十六条第（六）项",
        "本机关已就您提出的相同政府信息公开申请作出答复，对您的重复申请不予重复处理。",
    ),
    Result(
        "reject.publication",
        "reject",
        "要求提供公开出版物",
        f"{_OGI}第三十九条第二款",
        "您申请获取的是公开出版物，现告知获取途径：",
    ),
    Result(
        "reject.mass_repeat",
        "reject",
        "无正当理由大量反复申请",
        f"{_OGI}第三十五条",
        "您的申请数量、频次明显超过合理范围且未说明理由，本机关不予处理。",
    ),
    Result(
        "reject.confirm_reissue",
        "reject",
        "要求行政机关确认或重新出具已获取信息",
        f"{_OGI}第三十九条第二款",
        "您要求本机关确认或者重新出具已获取的信息，本机关不作为政府信息公开申请处理。",
    ),
    Result(
        "other.abandoned",
        "other",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        f"{_OGI}第三十条",
        "您无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。",
    ),
    Result(
        "other.unpaid_fee",
        "other",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        f"{_OGI}第四十二条；国办函〔2020〕109号",
        "您逾期未按收费通知要求缴纳信息处理费，本机关不再处理该政府信息公开申请。",
    ),
    Result(
        "other.other",
        "other",
        "其他",
        _OGI,
        "",
    ),
)

BY_CODE: dict[str, Result] = {r.code: r for r in RESULTS}

# Results a staff member chooses when replying; abandonment is a workflow
# step of its own (the applicant's silence), not a reply chosen.
GROUP_SHORT = {
    "disclose": "予以公开",
    "partial": "部分公开",
    "withhold": "不予公开",
    "unable": "无法提供",
    "reject": "不予处理",
    "other": "其他处理",
}


def result_label(code: str) -> str:
    """予以公开 / 不予公开：属于国家秘密 — the way a list or a letter names it."""
    r = BY_CODE.get(code)
    if r is None:
        return code
    if r.group in ("disclose", "partial"):
        return r.label
    return f"{GROUP_SHORT[r.group]}：{r.label}"


# Results a staff member chooses when replying; abandonment is a workflow
# step of its own (the applicant's silence), not a reply chosen.
REPLY_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (r.code, result_label(r.code)) for r in RESULTS if r.code != "other.abandoned"
)


def result(code: str) -> Result:
    return BY_CODE[code]


# -- proactive disclosure: the plan's focus areas (task 19) -----------------

FOCUS_BUDGET = "budget"
FOCUS_RESOURCES = "resources"
FOCUS_PROJECTS = "projects"
FOCUS_WELFARE = "welfare"
FOCUS_OTHER = "other"

FOCUS_AREAS: tuple[tuple[str, object], ...] = (
    (FOCUS_BUDGET, _("财政预决算")),
    (FOCUS_RESOURCES, _("公共资源配置")),
    (FOCUS_PROJECTS, _("重大建设项目")),
    (FOCUS_WELFARE, _("社会公益事业")),
    (FOCUS_OTHER, _("其他")),
)


# -- follow-ups: table 四 ----------------------------------------------------

RECONSIDERATION = "reconsideration"
LITIGATION_DIRECT = "litigation_direct"
LITIGATION_AFTER = "litigation_after"

FOLLOWUP_KINDS: tuple[tuple[str, object], ...] = (
    (RECONSIDERATION, _("行政复议")),
    (LITIGATION_DIRECT, _("行政诉讼（未经复议直接起诉）")),
    (LITIGATION_AFTER, _("行政诉讼（复议后起诉）")),
)

MAINTAINED = "maintained"
CORRECTED = "corrected"
OTHER_OUTCOME = "other"
PENDING = "pending"

OUTCOMES: tuple[tuple[str, object], ...] = (
    (MAINTAINED, _("结果维持")),
    (CORRECTED, _("结果纠正")),
    (OTHER_OUTCOME, _("其他结果")),
    (PENDING, _("尚未审结")),
)
