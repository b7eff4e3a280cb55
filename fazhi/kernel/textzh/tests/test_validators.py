from datetime import date

import pytest
import time_machine
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from hypothesis import given
from hypothesis import strategies as st

from fazhi.kernel.textzh import (
    CreditCodeValidator,
    IdNumberValidator,
    PhoneValidator,
    validate_credit_code,
    validate_id_number,
    validate_phone,
)
from fazhi.kernel.textzh.forms import CreditCodeField, IdNumberField, PhoneField
from fazhi.kernel.textzh.validators import CREDIT_CHARSET, id_check_char

from .strategies import credit_codes, id_numbers, substitutions, transpositions

# Published examples: GB 11643-1999 annex and a real credit code (国家市场监督管理总局
# 公示系统 format); both verified by hand against the standards' algorithms.
ID_EXAMPLE = "11010519491231002X"
CREDIT_EXAMPLE = "91350100M000100Y43"


def codes(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return exc.value.code or ""


# --- ID numbers ---------------------------------------------------------------


def test_id_published_example_with_x_check_char_is_valid():
    assert validate_id_number(ID_EXAMPLE) == ID_EXAMPLE


@given(id_numbers())
def test_id_valid_numbers_come_back_unchanged(number):
    assert validate_id_number(number) == number


@given(id_numbers())
def test_id_every_single_substitution_is_rejected(number):
    for wrong in substitutions(number, "0123456789X"):
        with pytest.raises(ValidationError):
            validate_id_number(wrong)


@given(id_numbers())
def test_id_every_adjacent_transposition_is_rejected(number):
    for wrong in transpositions(number):
        with pytest.raises(ValidationError):
            validate_id_number(wrong)


@given(id_numbers(), st.sampled_from([" ", "\u3000", "\t", "\n"]))
def test_id_fullwidth_zero_width_lowercase_and_spaces_are_cleaned(number, space):
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert validate_id_number(fullwidth) == number
    assert validate_id_number(f"{space}{number}{space}") == number
    assert validate_id_number("\u200b".join(number) + "\ufeff") == number
    assert validate_id_number(number.lower()) == number


def test_id_lowercase_x_is_canonicalised_to_uppercase():
    assert validate_id_number(ID_EXAMPLE.lower()) == ID_EXAMPLE
    assert validate_id_number(ID_EXAMPLE[:-1] + "ｘ") == ID_EXAMPLE


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "required"),
        ("", "required"),
        ("  \u200b ", "required"),
        ("1101051949123100", "length"),
        ("11010519491231002XX", "length"),
        ("11010519491231X02X", "charset"),
        ("1101051949123100A", "length"),
        ("11010519491231002A", "charset"),
        ("990105194912310021", "region"),
        ("110105194913310021", "birth_date"),
        ("110105194902300021", "birth_date"),
        ("110105189912310021", "birth_date"),
        ("110105194912310021", "checksum"),
    ],
)
def test_id_bad_values_are_rejected_with_the_reason(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert codes(exc) == code


def test_id_birth_date_in_the_future_is_rejected():
    first17 = "42020220260101123"
    number = first17 + id_check_char(first17)
    with time_machine.travel(date(2025, 12, 31), tick=False):
        with pytest.raises(ValidationError) as exc:
            validate_id_number(number)
        assert codes(exc) == "birth_date"
    with time_machine.travel(date(2026, 1, 2), tick=False):
        assert validate_id_number(number) == number


def test_id_messages_are_chinese_and_name_the_problem():
    with pytest.raises(ValidationError) as exc:
        validate_id_number("123")
    assert "身份证号码应为18位，当前为3位" in exc.value.messages[0]


def test_id_non_string_input_is_read_as_text():
    with pytest.raises(ValidationError) as exc:
        validate_id_number(12345)
    assert codes(exc) == "length"


# --- Credit codes ---------------------------------------------------------------


def test_credit_published_example_is_valid():
    assert validate_credit_code(CREDIT_EXAMPLE) == CREDIT_EXAMPLE


@given(credit_codes())
def test_credit_valid_codes_come_back_unchanged(code):
    assert validate_credit_code(code) == code


@given(credit_codes())
def test_credit_every_single_substitution_is_rejected(code):
    for wrong in substitutions(code, CREDIT_CHARSET):
        with pytest.raises(ValidationError):
            validate_credit_code(wrong)


@given(credit_codes())
def test_credit_every_adjacent_transposition_is_rejected(code):
    for wrong in transpositions(code):
        with pytest.raises(ValidationError):
            validate_credit_code(wrong)


@given(credit_codes())
def test_credit_fullwidth_zero_width_lowercase_and_spaces_are_cleaned(code):
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert validate_credit_code(fullwidth) == code
    assert validate_credit_code(f"  {code.lower()}\u200d ") == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "required"),
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y433", "length"),
        ("91350100M000100I43", "charset"),  # I is not in the GB 32100 set
        ("91350100M000100O43", "charset"),
        ("9135010AM000100Y43", "charset"),  # positions 3-8 are a division code
        ("91350100M000100Y44", "checksum"),
    ],
)
def test_credit_bad_values_are_rejected_with_the_reason(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(value)
    assert codes(exc) == code


def test_credit_check_char_zero_when_sum_is_multiple_of_31():
    # 17 zeros sum to 0; 31 - 0 = 31 wraps to the character "0".
    assert validate_credit_code("00000000000000000" + "0") == "0" * 18


# --- Phone numbers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "13812345678"),
        (" 138 1234 5678 ", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("138\u200b1234\u200b5678", "13812345678"),
        ("19912345678", "19912345678"),
        ("0714-6222222", "0714-6222222"),
        ("（0714）6222222", "0714-6222222"),
        ("07146222222", "0714-6222222"),
        ("010-62345678", "010-62345678"),
        ("027 87654321", "027-87654321"),
    ],
)
def test_phone_accepted_forms_come_back_canonical(value, expected):
    assert validate_phone(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "12812345678",  # 12x is not a mobile prefix
        "1381234567",
        "138123456789",
        "6222222",  # no area code
        "0714-0222222",  # local numbers never start with 0
        "010-12345678",  # ... nor with 1
        "400-800-1234",
        "12345",
        "0714-6222222-8001",  # extensions are not accepted
        "abc",
    ],
)
def test_phone_rejected_forms(value):
    with pytest.raises(ValidationError) as exc:
        validate_phone(value)
    assert codes(exc) == "invalid"
    assert "固定电话" in exc.value.messages[0]


def test_phone_empty_is_required():
    with pytest.raises(ValidationError) as exc:
        validate_phone("  ")
    assert codes(exc) == "required"


def test_phone_mobile_only_refuses_fixed_lines_with_its_own_message():
    assert validate_phone("13812345678", allow_fixed=False) == "13812345678"
    with pytest.raises(ValidationError) as exc:
        validate_phone("0714-6222222", allow_fixed=False)
    assert exc.value.messages == ["请输入有效的11位手机号码。"]


# --- Validator classes and form fields ---------------------------------------------


def test_validator_classes_raise_and_pass():
    IdNumberValidator()(ID_EXAMPLE)
    CreditCodeValidator()(CREDIT_EXAMPLE)
    PhoneValidator()("0714-6222222")
    with pytest.raises(ValidationError):
        IdNumberValidator()("110105194912310021")
    with pytest.raises(ValidationError):
        CreditCodeValidator()("91350100M000100Y44")
    with pytest.raises(ValidationError):
        PhoneValidator(mobile_only=True)("0714-6222222")


def test_validator_classes_compare_and_hash_for_migrations():
    assert IdNumberValidator() == IdNumberValidator()
    assert IdNumberValidator() != CreditCodeValidator()
    assert CreditCodeValidator() == CreditCodeValidator()
    assert CreditCodeValidator() != PhoneValidator()
    assert PhoneValidator() == PhoneValidator(mobile_only=False)
    assert PhoneValidator() != PhoneValidator(mobile_only=True)
    assert len({IdNumberValidator(), IdNumberValidator()}) == 1
    assert len({CreditCodeValidator(), CreditCodeValidator()}) == 1
    assert len({PhoneValidator(True), PhoneValidator(True), PhoneValidator()}) == 2
    validator = PhoneValidator(mobile_only=True)
    path, _args, kwargs = validator.deconstruct()  # type: ignore[attr-defined]
    assert path == "fazhi.kernel.textzh.validators.PhoneValidator"
    assert kwargs == {"mobile_only": True}


def test_validators_work_on_model_fields():
    field = models.CharField(max_length=18, validators=[IdNumberValidator()])
    field.run_validators(ID_EXAMPLE)
    with pytest.raises(ValidationError):
        field.run_validators("110105194912310021")


class PersonForm(forms.Form):
    id_number = IdNumberField()
    credit_code = CreditCodeField(required=False)
    phone = PhoneField(mobile_only=True, required=False)


def test_form_fields_clean_to_the_canonical_form():
    form = PersonForm(
        data={
            "id_number": " 11010519491231002x ",
            "credit_code": "91350100m000100y43",
            "phone": "+86 138 1234 5678",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "id_number": ID_EXAMPLE,
        "credit_code": CREDIT_EXAMPLE,
        "phone": "13812345678",
    }


def test_form_fields_report_errors_on_the_field():
    form = PersonForm(
        data={
            "id_number": "110105194912310021",
            "credit_code": "x",
            "phone": "0714-6222222",
        }
    )
    assert not form.is_valid()
    assert set(form.errors) == {"id_number", "credit_code", "phone"}
    assert "校验位" in form.errors["id_number"][0]


def test_optional_form_fields_stay_empty():
    form = PersonForm(data={"id_number": ID_EXAMPLE, "credit_code": "", "phone": ""})
    assert form.is_valid()
    assert form.cleaned_data["credit_code"] == ""
    assert form.cleaned_data["phone"] == ""


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        ("hk_macao_permit", "h12345678", "H12345678"),
        ("hk_macao_permit", "M1234567890", "M1234567890"),
        ("taiwan_permit", "１２３４５６７８", "12345678"),
        ("passport", "E 1234 5678", "E12345678"),
        ("foreign_pr", "USA123456789012", "USA123456789012"),
    ],
)
def test_other_identity_documents_by_their_form(kind, value, stored):
    from fazhi.kernel.textzh import validate_id_document

    assert validate_id_document(kind, value) == stored


def test_identity_documents_refuse_bad_kind_empty_and_wrong_form():
    from fazhi.kernel.textzh import validate_id_document

    assert validate_id_document("resident_id", "11010519491231002X").endswith("X")
    for kind, value, code in (
        ("driving_licence", "123", "kind"),
        ("passport", "  ", "required"),
        ("taiwan_permit", "1234", "format"),
        ("hmt_residence", "123", "length"),
    ):
        with pytest.raises(ValidationError) as exc:
            validate_id_document(kind, value)
        assert exc.value.code == code
