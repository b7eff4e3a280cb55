from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "fazhi.kernel.workflow"
    label = "workflow"
