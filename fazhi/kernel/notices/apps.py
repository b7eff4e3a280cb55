from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "fazhi.kernel.notices"
    label = "notices"
