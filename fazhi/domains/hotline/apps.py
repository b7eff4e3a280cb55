from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "fazhi.domains.hotline"
    label = "hotline"
    verbose_name = _("12345政务服务便民热线")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from fazhi.kernel.org.roles import extend_role

        from .indicators import register_hotline_indicators
        from .workflow import HOTLINE_DISPATCH, register_case_type

        register_case_type()
        register_hotline_indicators()
        # The centre's dispatchers act on tickets wherever they are; a grant of
        # the role at the centre with city scope makes a dispatcher (see
        # docs in workflow.py). Leaders and the rule-of-law office coordinate.
        for role in ("handler", "agency_leader", "rule_of_law_office"):
            extend_role(role, {HOTLINE_DISPATCH})
