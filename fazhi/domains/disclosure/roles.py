"""Who may approve a late reply: 条例 art. 33(2) says the extension needs the
consent of the head of the agency's disclosure office (政府信息公开工作机构
负责人). That is a person in the agency itself, so the permission goes to the
agency's leader and to a role of its own, never to a city-wide office that
supervises many agencies (the rule-of-law office can see and urge, not
consent on another agency's behalf).
"""

from django.utils.translation import gettext_lazy as _

from fazhi.kernel.org.roles import (
    CASE_VIEW,
    EXPORT,
    INDICATOR_VIEW,
    PERSONAL_DATA_VIEW,
    RESPONSIBILITY_VIEW,
    Role,
    extend_role,
    register_role,
)

from .workflow import DISCLOSURE_EXTEND

OFFICE_HEAD = "disclosure_office_head"

OFFICE_HEAD_ROLE = Role(
    OFFICE_HEAD,
    _("政府信息公开工作机构负责人"),
    # Consent, not handling: the office's staff handle the requests, so the
    # head is not paged for every case of the agency.
    frozenset(
        {CASE_VIEW, PERSONAL_DATA_VIEW, EXPORT, INDICATOR_VIEW}
        | {RESPONSIBILITY_VIEW, DISCLOSURE_EXTEND}
    ),
    _(
        "本机关政府信息公开工作机构负责人：查看申请，批准延期答复（条例第三十三条第二款）"
    ),
)


def register_disclosure_roles() -> None:
    register_role(OFFICE_HEAD_ROLE)
    extend_role("agency_leader", {DISCLOSURE_EXTEND})
