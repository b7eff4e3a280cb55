"""Simplified by default, Traditional on request, from the committed catalogue."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from fazhi.web.management.commands.i18n_hant import fill, missing, parse_po, render_po

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "zh_Hant" / "LC_MESSAGES"


def test_catalogue_is_committed_compiled_and_complete():
    assert (CATALOGUE / "django.mo").exists()
    po = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    assert missing(parse_po(po)) == []


@pytest.mark.django_db
def test_switching_to_traditional_translates_the_staff_pages(login_as):
    c = login_as("fzb")
    assert "工作台" in c.get(reverse("web:home")).content.decode()
    c.post("/i18n/setlang/", {"language": "zh-hant", "next": "/staff/"})
    body = c.get(reverse("web:home")).content.decode()
    assert 'lang="zh-Hant"' in body
    assert "工作臺" in body and "審計" not in body  # fzb has no audit module
    assert "機構與權責清單" in body


@pytest.mark.django_db
def test_portal_in_traditional(client):
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    body = client.get("/").content.decode()
    assert "政府信息公開申請" in body and "網站標識碼" in body
    assert "資訊" not in body  # mainland vocabulary kept, only the script changes


def test_fill_converts_untranslated_and_fuzzy_entries_only():
    po = "\n".join(
        [
            'msgid ""',
            'msgstr ""',
            '"Content-Type: text/plain; charset=UTF-8\\n"',
            "",
            'msgid "规范性文件"',
            'msgstr ""',
            "",
            "#, fuzzy",
            '#| msgid "旧的"',
            'msgid "退出登录"',
            'msgstr "退出"',
            "",
            'msgid "审核"',
            'msgstr "人工校對的譯文"',
            "",
            "#, python-format",
            'msgid "剩余 %(n)d 日"',
            'msgid_plural "剩余 %(n)d 日"',
            'msgstr[0] ""',
        ]
    )
    entries = parse_po(po)
    assert fill(entries) == 3
    out = render_po(entries)
    assert 'msgstr "規範性文件"' in out  # never s2twp's 規範性檔案
    assert 'msgstr "退出登錄"' in out and "fuzzy" not in out and "#|" not in out
    assert 'msgstr "人工校對的譯文"' in out  # a reviewer's edit survives
    assert 'msgstr[0] "剩餘 %(n)d 日"' in out  # placeholders untouched
    assert "Plural-Forms: nplurals=1; plural=0;" in out


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_check_mode_passes_on_the_committed_catalogue():
    call_command("i18n_hant", "--check")


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_command_generates_a_complete_compiled_catalogue(tmp_path):
    # makemessages writes beside the sources; keep the committed files intact.
    saved = {p.name: p.read_bytes() for p in CATALOGUE.iterdir()}
    try:
        call_command("i18n_hant")
        entries = parse_po((CATALOGUE / "django.po").read_text(encoding="utf-8"))
        assert missing(entries) == []
        assert (CATALOGUE / "django.mo").stat().st_size > 0
        by_id = {e.text("msgid"): e.text("msgstr") for e in entries}
        assert by_id["工作台"] == "工作臺"
        assert by_id["退出登录"] == "退出登錄"
        call_command("i18n_hant", "--check")
    finally:
        for name, data in saved.items():
            (CATALOGUE / name).write_bytes(data)


@pytest.mark.django_db
def test_traditional_view_converts_data_but_not_form_values(client, people):
    from fazhi.kernel.org.models import Agency

    client.force_login(people["qz_editor"])
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/staff/"})
    body = client.get("/staff/org/").content.decode()
    assert "黃石市市場監督管理局" in body  # agency names are data, converted too
    assert "黄石市市场监督管理局" not in body
    body = client.get("/staff/org/responsibility/", {"q": "食品经营"}).content.decode()
    assert 'value="食品经营"' in body  # what the person typed stays as typed
    assert Agency.objects.filter(name="黄石市市场监督管理局").exists()
