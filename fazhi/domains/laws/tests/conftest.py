import gzip
import json
from pathlib import Path

import pytest

from fazhi.domains.laws.services import laws_import
from fazhi.kernel.audit.services import Actor

FIXTURE = Path(__file__).parent / "fixtures" / "laws_sample.jsonl.gz"
ACTOR = Actor("test-import")


def fixture_records() -> list[dict]:
    with gzip.open(FIXTURE, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def write_jsonl(path: Path, records: list, extra_lines: dict[int, str] | None = None):
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    for at, raw in sorted((extra_lines or {}).items()):
        lines.insert(at - 1, raw)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _fresh_title_table():
    """Each test's database has its own titles; the suggestion table caches
    them for a few seconds, so start every test without it."""
    from fazhi.domains.laws.search.suggest import forget_titles

    forget_titles()
    yield
    forget_titles()


@pytest.fixture
def corpus(db):
    """The 29-document extract imported (search index included)."""
    return laws_import(actor=ACTOR, path=FIXTURE)
