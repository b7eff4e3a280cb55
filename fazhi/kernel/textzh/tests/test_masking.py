import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.kernel.textzh import mask_id_number, mask_name, mask_phone, mask_text

from .strategies import id_numbers


def test_id_number_keeps_first_three_and_last_four():
    assert mask_id_number("420202199001011234") == "420***********1234"
    assert mask_id_number("11010519491231002x") == "110***********002X"
    assert (
        mask_id_number("４２０２０２１９９００１０１１２３４") == "420***********1234"
    )


def test_id_number_masking_never_raises_on_junk():
    assert mask_id_number("") == ""
    assert mask_id_number(None) == ""  # type: ignore[arg-type]
    assert mask_id_number("1234567") == "*******"
    assert mask_id_number("12345678") == "123*5678"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "138****5678"),
        ("+86 138-1234-5678", "138****5678"),
        ("008613812345678", "138****5678"),
        ("0714-6222222", "0714-***2222"),
        ("010-62345678", "010-****5678"),
        ("12345", "*****"),
        ("400-800-1234", "400***1234"),
        ("", ""),
    ],
)
def test_phone_masks(value, expected):
    assert mask_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ""),
        ("张", "*"),
        ("李四", "李*"),
        ("张晓三", "张*三"),
        ("欧阳娜娜", "欧**娜"),
        (" 王五 ", "王*"),
        ("买买提·艾力", "买**·*力"),
    ],
)
def test_name_masks(value, expected):
    assert mask_name(value) == expected


def test_mask_text_masks_ids_and_mobiles_in_free_text():
    text = (
        "来电人张三，身份证号420202199001011234，手机13812345678；"
        "另留电话 +86 139-0013-9000 和 137 0013 7000。"
    )
    assert mask_text(text) == (
        "来电人张三，身份证号420***********1234，手机138****5678；"
        "另留电话 139****9000 和 137****7000。"
    )


def test_mask_text_sees_through_fullwidth_and_zero_width_characters():
    text = (
        "身份证：４２０２０２１９９００１０１１２３ｘ，电话１３８\u200b1234\u200b5678。"
    )
    assert mask_text(text) == "身份证：420***********123X，电话138****5678。"


def test_mask_text_zero_width_elsewhere_keeps_indexes_right():
    text = "\u200b备注\u200b：13812345678 结束"
    assert mask_text(text) == "\u200b备注\u200b：138****5678 结束"


def test_mask_text_leaves_other_numbers_alone():
    text = (
        "案号（2024）鄂0281行初123号，金额12345678.00元，"
        "编号12345678901234567890，年份2026。"
    )
    assert mask_text(text) == text


def test_mask_text_leaves_fixed_lines_unless_asked():
    text = "联系电话：0714-6222222，(027)87654321"
    assert mask_text(text) == text
    assert mask_text(text, fixed_lines=True) == "联系电话：0714-***2222，027-****4321"


def test_mask_text_does_not_mask_a_number_twice():
    # An ID number contains mobile-shaped digits; it is masked once, as an ID.
    text = "42013819900101138X"
    assert mask_text(text) == "420***********138X"


def test_mask_text_empty():
    assert mask_text("") == ""
    assert mask_text(None) == ""  # type: ignore[arg-type]


@given(id_numbers(), st.text(alphabet="行政复议，。 ", max_size=10))
def test_mask_text_never_leaves_an_id_number_visible(number, around):
    masked = mask_text(f"{around}{number}{around}")
    assert number not in masked
    assert number[:3] + "*" * 11 + number[-4:] in masked
