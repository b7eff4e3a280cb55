from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "fazhi.kernel.org"
    label = "org"
