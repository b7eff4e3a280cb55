"""`fazhi deadline` and `fazhi calendar`: the command-line contract."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.deadlines.models import CalendarYear, PeriodRuleOverride

from .conftest import YEAR_2027

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_json_contract_with_days():
    body = json.loads(
        run("deadline", "--start", "2026-02-10", "--days", "20", "--working", "--json")
    )
    assert body == {
        "due": "2026-03-16",
        "provisional": False,
        "rule": None,
        "citation": None,
        "explain": body["explain"],
    }
    assert body["explain"][0].startswith("起算日2026年2月10日")


def test_json_contract_with_rule_and_pause():
    body = json.loads(
        run(
            "deadline",
            "--start",
            "2026-03-02",
            "--rule",
            "disclosure.reply",
            "--pause",
            "2026-03-04:2026-03-05",
            "--json",
        )
    )
    assert body["rule"] == "disclosure.reply" and "第三十三条" in body["citation"]
    assert body["due"] == "2026-04-01"


def test_natural_and_text_output_with_explain():
    out = run(
        "deadline", "--start", "2026-09-03", "--days", "30", "--natural", "--explain"
    )
    assert out.startswith("到期日：2026-10-08\n")
    assert "顺延至其后第一个工作日" in out


def test_text_output_shows_rule_and_provisional_warning_without_asking():
    out = run("deadline", "--start", "2026-12-20", "--rule", "disclosure.reply")
    assert out.startswith("到期日：2027-01-18（暂定）")
    assert "规则：disclosure.reply" in out and "暂定：2027年" in out
    plain = run("deadline", "--start", "2026-02-10", "--days", "3", "--working")
    assert plain == "到期日：2026-02-13\n"


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--start", "2026-13-01", "--days", "3", "--working"], "--start"),
        (["--start", "yesterday", "--days", "3", "--working"], "--start"),
        (["--start", "1900-01-01", "--days", "3", "--working"], "--start"),
        (["--days", "3", "--working"], "--start"),
        (["--start", "2026-01-05", "--days", "-3", "--working"], "--days"),
        (["--start", "2026-01-05", "--days", "abc", "--working"], "--days"),
        (["--start", "2026-01-05", "--days", "3"], "--working/--natural"),
        # The first mistake is named, not the missing unit behind it.
        (["--start", "2026-13-01", "--days", "3"], "--start"),
        (["--start", "2026-01-05", "--days", "-3"], "--days"),
        (["--start", "2026-01-05"], "--days"),
        (["--start", "2026-01-05", "--rule", "nope"], "--rule"),
        (
            ["--start", "2026-01-05", "--rule", "disclosure.reply", "--days", "3"],
            "--rule",
        ),
        (
            [
                "--start",
                "2026-01-05",
                "--days",
                "3",
                "--natural",
                "--pause",
                "2026-01-09:2026-01-07",
            ],
            "--pause",
        ),
        (
            [
                "--start",
                "2026-01-05",
                "--days",
                "3",
                "--natural",
                "--pause",
                "2026-01-09",
            ],
            "--pause",
        ),
    ],
)
def test_bad_input_names_the_option(args, option):
    with pytest.raises(CommandError) as exc:
        run("deadline", *args)
    assert str(exc.value).startswith(option)


def test_bad_input_from_the_shell_exits_non_zero_without_traceback():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fazhi.settings"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "fazhi.cli",
            "deadline",
            "--start",
            "2026-02-30",
            "--days",
            "3",
            "--working",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode != 0
    assert "--start" in proc.stderr and "Traceback" not in proc.stderr


def test_rules_listing_text_and_json():
    out = run("deadline", "--rules")
    assert "disclosure.reply" in out and "第三十三条" in out
    assert "[待核实]" in out and "[可本地设置]" in out
    rules = json.loads(run("deadline", "--rules", "--json"))
    assert {r["id"] for r in rules} >= {"disclosure.reply", "litigation.answer"}


def test_rules_listing_shows_local_citation():
    run("calendar", "rule", "hotline.consult", "--days", "1", "--citation", "本地办法")
    assert "本地规定：本地办法" in run("deadline", "--rules")


def test_calendar_load_show_and_reload(tmp_path):
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(YEAR_2027, ensure_ascii=False), encoding="utf-8")
    out = run("calendar", "load", str(path))
    assert "已载入 2027 年日历：节假日 29 天，调休上班 3 天" in out
    assert "已替换" in run("calendar", "load", str(path))
    shown = run("calendar", "show", "2027")
    assert "2027-02-20 周六 调休上班 春节" in shown
    exported = json.loads(run("calendar", "show", "2027", "--json"))
    assert exported["known"] is True and len(exported["workdays"]) == 3
    event = AuditEvent.objects.filter(
        record_type="calendar", record_id="2027"
    ).earliest("seq")
    assert event.actor_label.startswith("cli:")


def test_calendar_show_of_an_unloaded_year_is_the_provisional_statutory_list():
    out = run("calendar", "show", "2028")
    assert "未载入" in out and "春节" in out
    data = json.loads(run("calendar", "show", "2028", "--json"))
    assert data["known"] is False and data["workdays"] == []


def test_calendar_load_errors(tmp_path):
    with pytest.raises(CommandError, match=r"^FILE：无法读取"):
        run("calendar", "load", str(tmp_path / "missing.json"))
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match=r"^FILE：JSON 格式错误"):
        run("calendar", "load", str(bad))
    old = tmp_path / "old.json"
    old.write_text(json.dumps({**YEAR_2027, "year": 1800}), encoding="utf-8")
    with pytest.raises(CommandError, match=r"^year："):
        run("calendar", "load", str(old))
    assert not CalendarYear.objects.filter(year__in=[1800, 2027]).exists()


def test_calendar_seed_and_rule_commands():
    assert "无（均已存在）" in run("calendar", "seed")
    out = run(
        "calendar", "rule", "hotline.consult", "--days", "3", "--citation", "本地"
    )
    assert "本地设置为 3个工作日" in out
    assert PeriodRuleOverride.objects.get().days == 3
    assert "恢复为 2个工作日" in run("calendar", "rule", "hotline.consult", "--clear")
    with pytest.raises(CommandError, match=r"^--days"):
        run("calendar", "rule", "hotline.consult")
    with pytest.raises(CommandError, match=r"^--days"):
        run("calendar", "rule", "hotline.consult", "--days", "x")
    with pytest.raises(CommandError, match=r"^--citation"):
        run("calendar", "rule", "hotline.consult", "--days", "3")


def test_cli_actor_when_the_login_name_is_unknown(monkeypatch):
    from fazhi.kernel.deadlines.management.commands import _cli

    def boom():
        raise KeyError("uid")

    monkeypatch.setattr(_cli.getpass, "getuser", boom)
    assert _cli.cli_actor().audit_label == "cli:unknown"
