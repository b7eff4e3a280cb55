"""`countdown_html`: the shared countdown badge (fazhi_ui's `countdown`,
empty when there is no clock) for the tables disclosure/views.py builds in
Python. Templates load fazhi_ui and use `{% countdown %}` directly."""

from fazhi.web.templatetags.fazhi_ui import countdown as countdown_html

__all__ = ["countdown_html"]
