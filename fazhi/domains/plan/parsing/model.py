"""What the plan parser returns: a tree of nodes with targets and units.

Plain dataclasses (no ORM): the import service maps them onto models, and
`ParsedPlan.as_json()` is the contract of `fazhi plan parse --json`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

TARGET_KINDS = ("rate", "per_person", "count", "ratio", "date", "qualitative")
COMPARATORS = (">=", "<=", "=", "by")
# "" when the text names no period; quarter/month/halfyear are rarer but real
# ("每季度至少召开1次").
PERIODS = ("year", "term", "plan", "quarter", "month", "halfyear", "")
NODE_KINDS = ("part", "section", "task", "measure")
UNIT_ROLES = ("lead", "co", "responsible")


class PlanInputError(ValueError):
    """The input is not a plan text we can read; `message` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Target:
    kind: str  # one of TARGET_KINDS
    comparator: str  # one of COMPARATORS; "by" is a deadline
    value: str | None  # decimal string ("100", "60", "5"); the year for dates
    unit: str  # Simplified: "%", "学时", "期", "次", "年"
    period: str  # one of PERIODS
    subject: str  # what is measured, Simplified (normalised for matching)
    text: str  # the span of the plan it was read from, original script
    deadline_year: int | None = None


@dataclass
class Unit:
    name: str  # Simplified, normalised: it is matched against agency names
    role: str  # one of UNIT_ROLES


@dataclass
class Node:
    kind: str  # one of NODE_KINDS
    number: str  # "一" for parts and sections, "1" for tasks, "" if unnumbered
    title: str  # the heading or lead sentence, original script
    text: str  # the paragraph(s), original script
    targets: list[Target] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    line: int = 0  # 1-based line of the source where the node starts

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "targets": [asdict(t) for t in self.targets],
            "units": [asdict(u) for u in self.units],
            "children": [c.as_json() for c in self.children],
        }

    def walk(self) -> list[Node]:
        """This node and its descendants in document order."""
        out: list[Node] = []
        stack = [self]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out


@dataclass
class Problem:
    line: int
    text: str  # the source text concerned, original script (shortened)
    message: str  # Chinese: what could not be placed or read, and why


@dataclass
class ParsedPlan:
    title: str
    preamble: str
    nodes: list[Node]
    problems: list[Problem]

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "preamble": self.preamble,
            "nodes": [n.as_json() for n in self.nodes],
            "problems": [asdict(p) for p in self.problems],
        }

    def walk(self) -> list[Node]:
        """Every node in document order."""
        return [n for top in self.nodes for n in top.walk()]

    def of_kind(self, kind: str) -> list[Node]:
        return [n for n in self.walk() if n.kind == kind]
