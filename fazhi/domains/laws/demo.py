"""The law library for the demo: the real corpus from ../shared when it is
there (3,471 documents, about a minute on first start, seconds after), else
the 29-document extract the tests use, so the public search is never empty.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from rich.progress import BarColumn, Progress, TimeRemainingColumn

from fazhi.kernel.audit.services import Actor

from .models import Document
from .services import laws_import

EXTRACT = Path(__file__).resolve().parent / "tests/fixtures/laws_sample.jsonl.gz"


def corpus_path() -> Path:
    shared = Path(settings.SHARED_DIR) / "corpus" / "laws.jsonl.gz"
    return shared if shared.is_file() else EXTRACT


def load_laws_demo(progress: bool = False, path: Path | None = None) -> int:
    """Import (idempotently) and return how many documents the library holds."""
    path = path or corpus_path()
    actor = Actor("laws-import")
    if not progress:
        laws_import(actor=actor, path=path)
        return Document.objects.count()
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        TimeRemainingColumn(),
    ) as bar:
        task = bar.add_task("法规库导入", total=path.stat().st_size)

        def step(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        laws_import(actor=actor, path=path, progress=step)
    return Document.objects.count()
