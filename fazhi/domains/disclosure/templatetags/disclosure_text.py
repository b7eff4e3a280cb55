"""`{{ text|private:masker }}`: free text an applicant or a handler typed,
masked unless the viewer chose to reveal personal data (an audited view).

`masker` is the Application whose name and numbers to hide, or None to show
the text as it is; ID and phone numbers typed into the text are masked too.
"""

from typing import Any

from django import template

register = template.Library()


@register.filter
def private(text: Any, masker: Any) -> str:
    value = "" if text is None else str(text)
    if masker is None or not value:
        return value
    return masker.mask_free(value)
