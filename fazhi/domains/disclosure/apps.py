from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "fazhi.domains.disclosure"
    label = "disclosure"
    verbose_name = _("政府信息公开")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .indicators import register_disclosure_indicators
        from .roles import register_disclosure_roles
        from .workflow import register_case_type

        register_disclosure_roles()
        register_case_type()
        register_disclosure_indicators()
