"""Every write of the plan app: one transaction and one audit event each."""

from .oversight import (
    campaign_create,
    campaign_units,
    finding_add,
    supervision_answer,
    supervision_close,
    supervision_issue,
    visit_record,
)
from .report import (
    annual_report_finalise,
    annual_report_generate,
    annual_report_get_or_create,
    annual_report_publish,
    annual_report_texts_save,
    annual_report_version_render,
    annual_report_version_start,
    run_in_background,
)
from .targets import (
    suggest_metrics,
    target_define_indicator,
    target_link,
    target_update,
)
from .tree import (
    ImportResult,
    node_merge,
    node_reword,
    node_split,
    plan_import,
    plan_withdraw,
)
from .work import (
    Upload,
    milestone_create,
    milestone_open,
    progress_report_review,
    progress_report_submit,
    task_assign,
    task_unassign,
)

__all__ = [
    "ImportResult",
    "Upload",
    "annual_report_finalise",
    "annual_report_generate",
    "annual_report_get_or_create",
    "annual_report_publish",
    "annual_report_texts_save",
    "annual_report_version_render",
    "annual_report_version_start",
    "campaign_create",
    "campaign_units",
    "finding_add",
    "milestone_create",
    "milestone_open",
    "node_merge",
    "node_reword",
    "node_split",
    "plan_import",
    "plan_withdraw",
    "progress_report_review",
    "progress_report_submit",
    "run_in_background",
    "suggest_metrics",
    "supervision_answer",
    "supervision_close",
    "supervision_issue",
    "target_define_indicator",
    "target_link",
    "target_update",
    "task_assign",
    "task_unassign",
    "visit_record",
]
