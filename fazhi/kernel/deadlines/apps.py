from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "fazhi.kernel.deadlines"
    label = "deadlines"
