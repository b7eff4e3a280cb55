from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fazhi.kernel.audit"
    label = "audit"
