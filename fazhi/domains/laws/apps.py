from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LawsConfig(AppConfig):
    name = "fazhi.domains.laws"
    label = "laws"
    verbose_name = _("法规查询")

    def ready(self) -> None:
        from .normative_indicators import register_normative_indicators
        from .normative_workflow import register_case_type

        register_case_type()
        register_normative_indicators()
