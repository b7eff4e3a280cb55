"""Every write of the disclosure app: one transaction and one audit event each.

State changes go through the workflow engine (`case_transition`), which also
runs the clocks the transition declares in `workflow.py`.
"""

from .fees import fee_lapse, fee_notice_issue, fee_paid_confirm, requests_this_month
from .handling import (
    application_abandon,
    application_extend,
    consultation_finish,
    consultation_start,
    correction_receive,
    correction_request,
    correction_respond,
    followup_record,
    followup_settle,
    reply_deliver,
    reply_issue,
)
from .intake import (
    APPLICANT,
    application_mark_duplicate,
    application_receive,
    application_submit,
    application_withdraw,
    attachment_add,
)
from .proactive import (
    catalogue_entry_create,
    catalogue_entry_review,
    proactive_figure_set,
    proactive_item_publish,
    proactive_item_register,
)

__all__ = [
    "APPLICANT",
    "application_abandon",
    "application_extend",
    "application_mark_duplicate",
    "application_receive",
    "application_submit",
    "application_withdraw",
    "attachment_add",
    "catalogue_entry_create",
    "catalogue_entry_review",
    "consultation_finish",
    "consultation_start",
    "correction_receive",
    "correction_request",
    "correction_respond",
    "fee_lapse",
    "fee_notice_issue",
    "fee_paid_confirm",
    "followup_record",
    "followup_settle",
    "proactive_figure_set",
    "proactive_item_publish",
    "proactive_item_register",
    "reply_deliver",
    "reply_issue",
    "requests_this_month",
]
