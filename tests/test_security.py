"""Accounts and security baseline: argon2, lock-out, idle timeout, deploy settings."""

import os
import subprocess
import sys

import time_machine
from django.conf import settings

from fazhi.demo.huangshi import DEMO_PASSWORD


def test_passwords_are_hashed_with_argon2(people):
    assert people["fzb"].password.startswith("argon2$")


def test_account_locks_after_repeated_failures_and_unlocks(client, people):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/staff/login/", {"username": "dy_handler", "password": "wrong"})
    r = client.post(
        "/staff/login/", {"username": "dy_handler", "password": DEMO_PASSWORD}
    )
    assert r.status_code == 429  # locked: even the right password is refused
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked (lock by user name).
    r = client.post("/staff/login/", {"username": "fzb", "password": DEMO_PASSWORD})
    assert r.status_code == 302


def test_idle_session_ends(client, people):
    with time_machine.travel("2026-11-25 09:00 +0800", tick=False) as traveller:
        client.post("/staff/login/", {"username": "fzb", "password": DEMO_PASSWORD})
        assert client.get("/staff/").status_code == 200
        traveller.shift(settings.FAZHI_IDLE_TIMEOUT - 60)
        assert client.get("/staff/").status_code == 200
        traveller.shift(settings.FAZHI_IDLE_TIMEOUT + 60)
        r = client.get("/staff/")
        assert r.status_code == 302 and "/staff/login/" in r["Location"]


def test_cookies_are_http_only_and_frames_denied(client, org):
    assert settings.SESSION_COOKIE_HTTPONLY
    r = client.get("/")
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = dict(
        os.environ,
        FAZHI_ENV="production",
        FAZHI_SECRET_KEY="k" * 20 + "-not-a-real-secret-" + "z" * 30,
        FAZHI_ALLOWED_HOSTS="fazhi.example.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
    )
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "fazhi.cli",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = dict(
        os.environ,
        FAZHI_ENV="production",
        FAZHI_SECRET_KEY="",
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
    )
    out = subprocess.run(
        [sys.executable, "-m", "fazhi.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode != 0 and "FAZHI_SECRET_KEY" in out.stderr


def test_an_administrator_set_password_must_be_changed_first(client, people):
    from fazhi.kernel.audit.models import AuditEvent
    from fazhi.kernel.org.services import user_create

    user_create(
        actor=people["sysadmin"],
        username="newbie",
        full_name="新同事",
        password="Xk9#mq2!Lp7z",
    )
    client.post("/staff/login/", {"username": "newbie", "password": "Xk9#mq2!Lp7z"})
    r = client.get("/staff/")
    assert r.status_code == 302 and r["Location"] == "/staff/password/"
    assert client.get("/api/org/me").status_code == 403
    r = client.get("/staff/password/")
    assert "请先修改为只有您本人知道的密码" in r.content.decode()
    r = client.post(
        "/staff/password/",
        {
            "old_password": "Xk9#mq2!Lp7z",
            "new_password1": "short",
            "new_password2": "short",
        },
    )
    assert "密码太短" in r.content.decode()
    r = client.post(
        "/staff/password/",
        {
            "old_password": "Xk9#mq2!Lp7z",
            "new_password1": "Qw7$zx9!Mn3b",
            "new_password2": "Qw7$zx9!Mn3b",
        },
    )
    assert r.status_code == 302
    assert client.get("/staff/").status_code == 200  # still signed in
    assert AuditEvent.objects.filter(action="user.password_change").exists()


def test_user_names_are_unique_regardless_of_case(people):
    import pytest
    from django.core.exceptions import ValidationError

    from fazhi.kernel.org.services import user_create

    with pytest.raises(ValidationError):
        user_create(
            actor=people["sysadmin"],
            username="FZB",
            full_name="重名",
            password="Xk9#mq2!Lp7z",
        )


def test_disabled_account_cannot_sign_in_and_is_kept(client, people):
    client.force_login(people["sysadmin"])
    r = client.post("/staff/org/users/jinhu_clerk/active/", {"active": "0"})
    assert r.status_code == 302
    client.logout()
    r = client.post(
        "/staff/login/", {"username": "jinhu_clerk", "password": DEMO_PASSWORD}
    )
    assert r.status_code == 200 and "_auth_user_id" not in client.session
    client.force_login(people["sysadmin"])
    body = client.get("/staff/org/users/jinhu_clerk/").content.decode()
    assert "已停用" in body
    r = client.post("/staff/org/users/sysadmin/active/", {"active": "0"}, follow=True)
    assert "不能停用自己的账号" in r.content.decode()
    client.post("/staff/org/users/jinhu_clerk/active/", {"active": "1"})
    client.logout()
    r = client.post(
        "/staff/login/", {"username": "jinhu_clerk", "password": DEMO_PASSWORD}
    )
    assert r.status_code == 302
    client.force_login(people["secadmin"])
    assert (
        client.post("/staff/org/users/jinhu_clerk/active/", {"active": "0"}).status_code
        == 404
    )
