"""A malformed API request is answered in Chinese, naming the field."""

import pytest

from fazhi.api_errors import chinese_message

pytestmark = pytest.mark.django_db


def test_a_malformed_query_is_answered_in_chinese_naming_the_field(client):
    r = client.get("/api/laws/search", {"q": "行政复议", "page": "abc"})
    assert r.status_code == 422
    [error] = r.json()["detail"]
    assert error["loc"][-1] == "page" and error["type"] == "int_parsing"
    assert error["msg"] == "应为整数"

    r = client.get("/api/laws/search", {"q": "行政复议", "per_page": 100})
    [error] = r.json()["detail"]
    assert (error["loc"][-1], error["msg"]) == ("per_page", "应不大于 30")

    r = client.get("/api/laws/search", {"q": "x", "date_from": "2020-13-01"})
    [error] = r.json()["detail"]
    assert error["loc"][-1] == "date_from"
    assert error["msg"] == "应为日期，格式 YYYY-MM-DD"
    assert "month" not in r.content.decode()  # no English detail left in

    # Our own validators' messages come through without pydantic's prefix.
    r = client.get("/api/laws/search", {"q": "x", "level": "法规x"})
    [error] = r.json()["detail"]
    assert error["msg"].startswith("效力层级应为以下之一：")


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ({"type": "missing", "msg": "Field required"}, "必填"),
        ({"type": "date_parsing"}, "应为日期，格式 YYYY-MM-DD"),
        ({"type": "greater_than_equal", "ctx": {"ge": 1}}, "应不小于 1"),
        ({"type": "string_too_long", "ctx": {"max_length": 9}}, "不能超过 9 个字符"),
        ({"type": "literal_error", "ctx": {"expected": "'a'"}}, "应为以下之一：'a'"),
        # No limit given: pydantic's own words rather than a blank.
        ({"type": "greater_than", "msg": "Input should be >"}, "Input should be >"),
        ({"type": "some_new_kind", "msg": "Something new"}, "Something new"),
    ],
)  # fmt: skip
def test_each_kind_of_error_reads_in_chinese_or_keeps_its_text(error, message):
    assert chinese_message(error) == message
