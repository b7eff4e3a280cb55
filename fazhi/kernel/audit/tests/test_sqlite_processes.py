"""SQLite as deployed (a WAL file, IMMEDIATE transactions, busy timeout):
separate processes append to one record and seal at the same time."""

import os
import re
import subprocess  # our own interpreter with fixed arguments
import sys
from pathlib import Path

WORKER = """
import sys, django
django.setup()
from fazhi.kernel.audit.services import audit_record, checkpoint_seal
for n in range(int(sys.argv[1])):
    audit_record(actor=None, action="x", record_type="hot", record_id="1")
    if n % 10 == 0:
        checkpoint_seal()
checkpoint_seal()
"""


def _env(db: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DJANGO_SETTINGS_MODULE": "fazhi.settings",
    }


def test_sqlite_file_database_under_concurrent_processes(tmp_path):
    env = _env(tmp_path / "audit.sqlite3")
    fazhi = [sys.executable, "-m", "fazhi.cli"]
    subprocess.run([*fazhi, "migrate", "-v0", "--skip-checks"], env=env, check=True)
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, "40"], env=env)
        for _ in range(3)
    ]
    assert [w.wait(120) for w in workers] == [0, 0, 0]
    result = subprocess.run(
        [*fazhi, "audit", "verify", "--no-progress"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    events = re.search(r"(\d+) events in \d+ records verified", result.stdout)
    assert events and int(events.group(1)) >= 120  # 3 x 40, plus any seed data
    assert "not yet sealed" not in result.stdout  # every event sealed exactly once
