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
