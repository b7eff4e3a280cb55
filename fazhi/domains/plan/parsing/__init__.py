"""Plan text to a tree of parts, sections, tasks and measures with targets.

Pure Python (no ORM): `fazhi plan parse` prints the result and the import
service stores it.

    from fazhi.domains.plan.parsing import parse_plan_file
    parsed = parse_plan_file("huangshi-2021-2025.txt")
    parsed.as_json()  # {"title", "preamble", "nodes": [...], "problems": [...]}

See structure.py (levels, unnumbered paragraphs), targets.py (target types),
units.py (responsible units) and decode.py (encodings).
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from .decode import read_plan_bytes
from .model import Node, ParsedPlan, PlanInputError, Problem, Target, Unit
from .structure import parse_plan

__all__ = [
    "Node",
    "ParsedPlan",
    "PlanInputError",
    "Problem",
    "Target",
    "Unit",
    "parse_plan",
    "parse_plan_file",
    "read_plan_bytes",
]


def parse_plan_file(path: str | PathLike[str], *, title: str = "") -> ParsedPlan:
    """Read and parse a plan file.

    The title is the text's own title line if it has one, else `title`, else
    the file name without its extension.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlanInputError(f"文件“{path}”不存在。") from None
    except IsADirectoryError:
        raise PlanInputError(f"“{path}”是目录，不是方案文件。") from None
    except OSError as exc:
        raise PlanInputError(
            f"无法读取文件“{path}”（{exc.strerror or exc}）。"
        ) from None
    text = read_plan_bytes(data, name=path.name)
    return parse_plan(text, title=title or path.stem)
