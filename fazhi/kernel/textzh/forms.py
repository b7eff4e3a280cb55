"""Form fields that validate and store the canonical form of an identifier."""

from typing import Any

from django import forms

from .validators import validate_credit_code, validate_id_number, validate_phone


class IdNumberField(forms.CharField):
    """Resident ID number; cleans to upper-case X, half-width digits."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return validate_id_number(value) if value else value


class CreditCodeField(forms.CharField):
    """Unified social credit code; cleans to upper case."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return validate_credit_code(value) if value else value


class PhoneField(forms.CharField):
    """Mainland phone number; cleans to 13812345678 or 0714-6222222."""

    def __init__(self, *, mobile_only: bool = False, **kwargs: Any) -> None:
        self.mobile_only = mobile_only
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return (
            validate_phone(value, allow_fixed=not self.mobile_only) if value else value
        )
