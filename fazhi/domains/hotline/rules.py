"""Hotline limits and windows as data, each with where it comes from.

The handling periods themselves are kernel period rules (hotline.*), which a
city overrides with `period_rule_override`; this module maps ticket types to
them and holds the centre's own operating parameters.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketType(models.TextChoices):
    CONSULT = "consult", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGEST = "suggest", _("建议")
    PRAISE = "praise", _("表扬")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")


class Channel(models.TextChoices):
    PORTAL = "portal", _("网站")
    PHONE = "phone", _("电话")
    API = "api", _("接口")


# 国办发〔2020〕53号 leaves limits to localities; defaults follow Guangdong.
HANDLE_RULE: dict[str, str | None] = {
    TicketType.CONSULT: "hotline.consult",
    TicketType.HELP: "hotline.help",
    TicketType.SUGGEST: "hotline.suggest",
    TicketType.COMPLAINT: "hotline.complaint",
    TicketType.REPORT: "hotline.report",
    # A praise is forwarded for information; nothing is due.
    TicketType.PRAISE: None,
}
SIGN_RULE = "hotline.sign_for"
RECTIFICATION_RULE = "hotline.rectification"

# A ticket returned this many times goes up to the centre's coordinator (提级).
RETURNS_BEFORE_ESCALATION = 3

# Same caller, similar text, within this many days: a possible duplicate.
DUPLICATE_WINDOW_DAYS = 7
DUPLICATE_SIMILARITY = 0.5  # Jaccard overlap of the keyword sets

# 好差评: 5 非常满意 .. 1 非常不满意; 1 and 2 are 差评 (国办发〔2019〕51号).
GRADES = {
    5: _("非常满意"),
    4: _("满意"),
    3: _("基本满意"),
    2: _("不满意"),
    1: _("非常不满意"),
}
BAD_GRADES = frozenset({1, 2})

TEXT_MAX = 2000
TITLE_MAX = 60
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

# The 12345 centre: tickets are received here and dispatched from here.
CENTRE_AGENCY_CODE = "420200-ZWJ"
