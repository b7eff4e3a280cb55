from django import template

from fazhi.kernel.audit.labels import action_label, record_label

register = template.Library()
register.filter("action_label", action_label)
register.filter("record_label", record_label)
