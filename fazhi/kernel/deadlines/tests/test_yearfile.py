import json
import sys
import types

import pytest
from django.core.exceptions import ValidationError

from fazhi.kernel.deadlines.yearfile import parse_year_file

from .conftest import YEAR_2027, D


def test_ranges_expand_to_days_and_bom_is_accepted(year_2027_json):
    data = parse_year_file(b"\xef\xbb\xbf" + year_2027_json, "2027.json")
    assert data.year == 2027 and data.source.startswith("测试用")
    assert (D("2027-02-09"), "春节") in data.holidays
    assert len(data.holidays) == 29 and len(data.workdays) == 3


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"\xff\xfe", "UTF-8"),
        (b"x" * (256 * 1024 + 1), "过大"),
        ("{", "JSON 格式错误"),
        ("[]", "应为一个对象"),
        (json.dumps({**YEAR_2027, "year": "2027"}), "year"),
        (json.dumps({**YEAR_2027, "year": True}), "year"),
        (json.dumps({**YEAR_2027, "source": ""}), "source"),
        (json.dumps({**YEAR_2027, "holidays": {}}), "应为列表"),
        (json.dumps({**YEAR_2027, "holidays": ["2027-01-01"]}), "应为对象"),
        (json.dumps({**YEAR_2027, "holidays": [{"name": "x"}]}), "缺少 date"),
        (json.dumps({**YEAR_2027, "holidays": [{"date": "2027-02-30"}]}), "YYYY-MM-DD"),
        (
            json.dumps(
                {**YEAR_2027, "holidays": [{"from": "2027-02-03", "to": "2027-02-01"}]}
            ),
            "from 晚于 to",
        ),
        (
            json.dumps(
                {**YEAR_2027, "holidays": [{"from": "2027-12-31", "to": "2028-01-01"}]}
            ),
            "同一年",
        ),
    ],
)
def test_bad_files_are_refused_with_a_message_on_the_file_field(content, needle):
    with pytest.raises(ValidationError) as exc:
        parse_year_file(content)
    assert needle in exc.value.message_dict["file"][0]


def test_yaml_needs_pyyaml(monkeypatch):
    monkeypatch.setitem(sys.modules, "yaml", None)
    with pytest.raises(ValidationError, match="PyYAML"):
        parse_year_file("year: 2027", "2027.yaml")


def test_yaml_is_read_when_pyyaml_is_installed(monkeypatch):
    class YAMLError(Exception):
        pass

    def safe_load(text):
        if "bad" in text:
            raise YAMLError("bad")
        return {**YEAR_2027}

    fake = types.SimpleNamespace(safe_load=safe_load, YAMLError=YAMLError)
    monkeypatch.setitem(sys.modules, "yaml", fake)
    assert parse_year_file("year: 2027", "2027.yml").year == 2027
    with pytest.raises(ValidationError, match="YAML 格式错误"):
        parse_year_file("bad", "2027.yaml")
