from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "fazhi.domains.plan"
    label = "plan"
    verbose_name = _("法治政府建设实施方案")

    def ready(self) -> None:
        from fazhi.kernel.org.roles import extend_role

        from .indicators import register_plan_indicators
        from .workflow import PLAN_MANAGE, register_case_types

        register_case_types()
        register_plan_indicators()
        # The leading-group office runs the plan; nobody else edits it.
        extend_role("rule_of_law_office", {PLAN_MANAGE})
