from django.urls import path

from .views import dashboard, plans, report, work

app_name = "plan"

urlpatterns = [
    path("", plans.plan_list, name="plan_list"),
    path("<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("<int:pk>/withdraw/", plans.plan_withdraw, name="plan_withdraw"),
    path("<int:pk>/nodes/<int:node_pk>/", plans.node_detail, name="node_detail"),
    path(
        "<int:pk>/nodes/<int:node_pk>/<slug:action>/",
        plans.node_action,
        name="node_action",
    ),
    path("<int:pk>/dashboard/", dashboard.dashboard, name="dashboard"),
    path("<int:pk>/units/<int:agency_pk>/", dashboard.unit_detail, name="unit_detail"),
    path(
        "<int:pk>/targets/<int:target_pk>/",
        dashboard.target_detail,
        name="target_detail",
    ),
    path("<int:pk>/campaigns/", report.campaigns, name="campaigns"),
    path(
        "<int:pk>/campaigns/visits/<int:visit_pk>/",
        report.visit_record,
        name="visit_record",
    ),
    path("<int:pk>/report/", report.report_default, name="report_default"),
    path("<int:pk>/report/<int:year>/", report.report_page, name="report_page"),
    path(
        "<int:pk>/report/<int:year>/generate/",
        report.report_generate,
        name="report_generate",
    ),
    path(
        "<int:pk>/report/<int:year>/versions/",
        report.report_versions,
        name="report_versions",
    ),
    path("<int:pk>/report/<int:year>/state/", report.report_state, name="report_state"),
    path(
        "<int:pk>/report/<int:year>/v<int:version>.<slug:fmt>",
        report.report_download,
        name="report_download",
    ),
    path("milestones/", work.milestone_list, name="milestone_list"),
    path("milestones/<int:pk>/", work.milestone_detail, name="milestone_detail"),
    path(
        "milestones/<int:pk>/<slug:action>/",
        work.milestone_action,
        name="milestone_action",
    ),
    path(
        "milestones/<int:pk>/evidence/<int:evidence_pk>/",
        work.evidence_download,
        name="evidence_download",
    ),
    path("reviews/", work.review_queue, name="review_queue"),
    path("supervisions/", work.supervision_list, name="supervision_list"),
    path("supervisions/<int:pk>/", work.supervision_detail, name="supervision_detail"),
    path(
        "supervisions/<int:pk>/notice.docx",
        work.supervision_docx,
        name="supervision_docx",
    ),
]
