"""From plan text to the tree of parts, sections, tasks and measures.

Levels follow the numbering of official documents (GB/T 9704): "一、" part,
"（一）" section, "1." task, "（1）" measure, "①" sub-measure; "第一部分" is a
part, "㈠" a section, "1.1" a measure. Full-width and half-width forms are the
same (the matching view folds them). A numbered line closes every open node
of its level or deeper and opens a node under the nearest shallower one, so a
plan that skips a level (parts with tasks directly) still nests correctly.

Unnumbered paragraphs:
- before any numbered line: the preamble (after a title line, if any);
- under a part or section (no task open): the part's or section's text, not
  measures: "一、总体要求" and "三、加强组织保障" are prose, not work items;
- after a heading-only task ("1.依法全面优化政府职能" with no sentence): its text;
- otherwise a measure of the open task, titled by its lead sentence: the
  reference plan's "加強事中事後監管。…" under task 2.
A line that does not end a sentence and reads as body text (a comma or period
inside, or 40+ characters) continues on the next line: PDF copies wrap lines.

"一是…；二是…" inside a task or measure paragraph become its measures
(numbered 一, 二 ...), in order and only from 一 on. Units ("责任单位：…" lines,
trailing "（…牵头）") and targets are read per paragraph; see units.py and
targets.py. Whatever cannot be placed is a Problem with its line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from .model import Node, ParsedPlan, PlanInputError, Problem, Unit
from .targets import find_targets
from .text import (
    CN_NUMERAL,
    clean_line,
    cn_to_int,
    lead_end,
    strip_trailing_punct,
    view,
)
from .units import trailing_units, unit_line

_PART = re.compile(
    rf"^(?:第\s*(?P<a>[{CN_NUMERAL}]+)\s*(?:部分|章|篇)|(?P<b>[{CN_NUMERAL}]+)\s*(?:、|\.(?!\d)))"
)
_SECTION = re.compile(rf"^(?:[(〔]\s*(?P<a>[{CN_NUMERAL}]+)\s*[)〕]|(?P<b>[㈠-㈩]))")
_TASK = re.compile(r"^(?P<a>\d{1,3})\s*[.、](?!\d)")
_MEASURE = re.compile(
    r"^(?:\(\s*(?P<a>\d{1,2})\s*\)|(?P<b>\d{1,2})\)(?!\d)|(?P<c>[①-⑳])|(?P<d>[⑴-⒇])"
    r"|(?P<e>\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)(?=\s*\D))"
)
_YISHI_LINE = re.compile(r"^(?P<a>[一二三四五六七八九十]{1,3})(?:是|要)(?=\S)")
_APPENDIX = re.compile(r"^附\s*(?:件|表)\s*[\d一二三四五六七八九十]*\s*(?::|$)")
# (pattern, kind, level); tried in this order.
_MARKERS = (
    (_SECTION, "section", 1),
    (_MEASURE, "measure", 3),
    (_TASK, "task", 2),
    (_PART, "part", 0),
    (_YISHI_LINE, "measure", 3),
)
_CIRCLED_LEVEL = 4
_SENTENCE_MARKS = "。!?;"
_TERMINAL = "。!?;:…)》】"
_TITLE_MAX = 60
_WRAP_MIN = 40
_CN_ORDINALS = "一二三四五六七八九十"


@dataclass
class _Para:
    lines: list[tuple[int, str, str]]  # (line number, original, view) joined by ""

    @property
    def o(self) -> str:
        return "".join(o for _, o, _ in self.lines)

    @property
    def v(self) -> str:
        return "".join(v for _, _, v in self.lines)


@dataclass
class _Open:
    node: Node
    level: int
    parent: _Open | None
    heading: _Para | None = None  # the heading when it is only a heading
    paras: list[_Para] = field(default_factory=list)
    ordinal: int | None = None  # the number as an int, for sequence checks


_CIRCLED = {chr(base + i): i + 1 for base in (0x2460, 0x2474) for i in range(20)}
_PAREN_CN = {chr(0x3220 + i): _CN_ORDINALS[i] for i in range(10)}


def _number(m: re.Match[str]) -> tuple[str, int | None]:
    """The number as shown ("一", "1") and as an int for sequence checks."""
    raw = next(g for g in m.groups() if g)
    if raw in _CIRCLED:
        return str(_CIRCLED[raw]), _CIRCLED[raw]
    if raw in _PAREN_CN:
        raw = _PAREN_CN[raw]
    if raw.isascii() and raw.isdigit():
        return str(int(raw)), int(raw)
    if "." in raw:
        return raw, None
    return raw, cn_to_int(raw)


_NOTICE_TITLE = re.compile(r"^关于(?:印发|转发|下发)(?P<t>.+?)的通知$")


def _title_of(o: str, v: str) -> str:
    """The plan's title from its title line: "关于印发《X》的通知" names X."""
    m = _NOTICE_TITLE.match(v)
    if not m:
        return o
    return o[m.start("t") : m.end("t")].strip("《》 ")


def _is_heading_only(v: str) -> bool:
    """A bare heading: no sentence, and nothing after a colon ("目标：…")."""
    if any(c in v for c in _SENTENCE_MARKS):
        return False
    return not v[lead_end(v) :].strip(" :")


def _continues(v: str) -> bool:
    """Does a body line go on in the next line (a wrapped PDF copy)?"""
    v = v.rstrip()
    if not v or v[-1] in _TERMINAL:
        return False
    return len(v) >= _WRAP_MIN or any(c in v for c in _SENTENCE_MARKS + ",")


class _Builder:
    def __init__(self) -> None:
        self.roots: list[_Open] = []
        self.stack: list[_Open] = []
        self.all: list[_Open] = []
        self.preamble_paras: list[_Para] = []
        self.title = ""
        self.title_open = False  # a title line was just read
        self.seen_text = False
        self.wrap: _Para | None = None  # paragraph a wrapped line continues
        self.problems: list[Problem] = []
        self.last_of: dict[tuple[int, str, int], int] = {}  # (parent, kind, level)
        self.global_last: dict[tuple[str, int], int] = {}
        self.appendix_line = 0
        self.appendix_count = 0
        self.appendix_text = ""

    # -- lines -----------------------------------------------------------------

    def line(self, no: int, o: str, v: str) -> None:
        if self.appendix_line:
            self.appendix_count += 1
            return
        if _APPENDIX.match(v) and self.all:
            self.appendix_line, self.appendix_count = no, 1
            self.appendix_text = o[:120]
            return
        if not self.seen_text:
            self.seen_text = True
            if self._is_title(v):
                self.title, self.title_open = _title_of(o, v), True
                return
        elif self.title_open and not self.all and not self.preamble_paras:
            self.title_open = False
            if v.startswith("(") and v.endswith(")") and len(v) <= 24:
                self.title += o
                return
        self.title_open = False

        for pattern, kind, level in _MARKERS:
            m = pattern.match(v)
            if m:
                self._numbered(no, o, v, m, kind, level)
                return
        units = unit_line(o, v)
        if units is not None:
            self._units_line(no, o, units)
            return
        if self.wrap is not None:
            para = self.wrap
            para.lines.append((no, o, v))
            self.wrap = para if _continues(v) else None
            return
        self._paragraph(no, o, v)

    def _is_title(self, v: str) -> bool:
        return (
            len(v) <= _TITLE_MAX
            and not any(p.match(v) for p, _, _ in _MARKERS)
            and not any(c in v for c in _SENTENCE_MARKS)
            and v[-1] not in ",:、"
            and unit_line(v, v) is None
            and re.search("[\u4e00-\u9fff]{4}", v) is not None
        )

    def _numbered(
        self, no: int, o: str, v: str, m: re.Match[str], kind: str, level: int
    ) -> None:
        number, ordinal = _number(m)
        if m.re is _MEASURE and m.group("c"):
            level = _CIRCLED_LEVEL
        rest = m.end()
        while m.re is not _YISHI_LINE and rest < len(v) and v[rest] in " 、.:":
            rest += 1
        body_o, body_v = o[rest:], v[rest:]
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        cut, _ = trailing_units(body_o, body_v)
        end = min(lead_end(body_v), cut)
        title = strip_trailing_punct(body_o[:end].strip())
        node = Node(kind=kind, number=number, title=title, text="", line=no)
        para = _Para([(no, body_o, body_v)])
        opened = _Open(node=node, level=level, parent=parent, ordinal=ordinal)
        if _is_heading_only(body_v):
            opened.heading = para
        else:
            opened.paras.append(para)
        self._check_sequence(no, o, opened)
        self._push(opened)
        self.wrap = para if opened.heading is None and _continues(body_v) else None

    def _push(self, opened: _Open) -> None:
        if opened.parent is None:
            self.roots.append(opened)
        else:
            opened.parent.node.children.append(opened.node)
        self.stack.append(opened)
        self.all.append(opened)

    def _check_sequence(self, no: int, o: str, opened: _Open) -> None:
        n = opened.ordinal
        if n is None:
            return
        node = opened.node
        key = (id(opened.parent), node.kind, opened.level)
        previous = self.last_of.get(key)
        global_key = (node.kind, opened.level)
        if previous is None:
            expected = {1, self.global_last.get(global_key, 0) + 1}
        else:
            expected = {previous + 1}
        if n not in expected:
            shown = "、".join(str(e) for e in sorted(expected))
            if previous is not None and n <= previous:
                what = (
                    f"编号重复或倒退（上一项为第{previous}项）；"
                    "如为另一份方案，请分开导入"
                )
            else:
                what = f"编号不连续（此处应为第{shown}项）"
            label = {"part": "部分", "section": "节", "task": "任务", "measure": "措施"}
            self.problems.append(
                Problem(no, o[:120], f"{label[node.kind]}“{node.number}”{what}")
            )
        self.last_of[key] = n
        self.global_last[global_key] = n

    def _units_line(self, no: int, o: str, units: list[Unit]) -> None:
        self.wrap = None
        if not self.all:
            self.problems.append(
                Problem(no, o[:120], "责任单位出现在任何任务之前，无法归属，请人工指定")
            )
            return
        self.all[-1].node.units.extend(units)

    def _paragraph(self, no: int, o: str, v: str) -> None:
        para = _Para([(no, o, v)])
        self.wrap = para if _continues(v) else None
        cur = self.stack[-1] if self.stack else None
        if cur is None:
            self.preamble_paras.append(para)
            return
        if cur.node.kind in ("part", "section"):
            cur.paras.append(para)
            return
        if cur.heading is not None and not cur.paras:
            cur.paras.append(para)
            return
        parent: _Open | None
        if cur.node.kind == "task":
            parent, level = cur, 3
        else:
            self.stack.pop()
            parent, level = cur.parent, cur.level
        end = lead_end(v)
        node = Node(
            kind="measure",
            number="",
            title=strip_trailing_punct(o[:end].strip()),
            text="",
            line=no,
        )
        opened = _Open(node=node, level=level, parent=parent)
        if _is_heading_only(v):
            opened.heading = para
        else:
            opened.paras.append(para)
        self._push(opened)

    # -- finishing -------------------------------------------------------------

    def finish(self, title: str) -> ParsedPlan:
        if not any(o.node.kind in ("part", "section", "task") for o in self.all):
            raise PlanInputError(
                "未识别出方案结构：没有找到“一、”“（一）”“1.”这样编号的部分、"
                "节或任务。请确认文件是实施方案的正文。"
            )
        for opened in self.all:
            _finish_node(opened, self.problems)
        if self.appendix_line:
            self.problems.append(
                Problem(
                    self.appendix_line,
                    self.appendix_text,
                    f"第{self.appendix_line}行起为附件（共{self.appendix_count}行），"
                    "未作为方案结构解析",
                )
            )
        self.problems.sort(key=lambda p: p.line)
        return ParsedPlan(
            title=self.title or title,
            preamble="\n".join(p.o for p in self.preamble_paras),
            nodes=[r.node for r in self.roots],
            problems=self.problems,
        )


def _finish_node(opened: _Open, problems: list[Problem]) -> None:
    node = opened.node
    paras = ([opened.heading] if opened.heading else []) + opened.paras
    o = "\n".join(p.o for p in paras)
    v = "\n".join(p.v for p in paras)
    starts: list[int] = []
    lines: list[int] = []
    pos = 0
    for p in paras:
        for no, lo, _ in p.lines:
            starts.append(pos)
            lines.append(no)
            pos += len(lo)
        pos += 1  # the "\n" between paragraphs

    def line_at(offset: int) -> int:
        return lines[max(0, bisect_right(starts, offset) - 1)]

    inline: list[Node] = []
    pos = 0
    for p in paras:
        a, b = pos, pos + len(p.o)
        pos = b + 1
        cut, units = trailing_units(o[a:b], v[a:b])
        b = a + cut
        b_own = b
        if node.kind in ("task", "measure"):
            measures, b_own = _enumerated(o, v, a, b, line_at, problems)
            # "一是…（甲局牵头）；二是…（乙局牵头）。": when the earlier measures
            # name their own units, the paragraph's last ones are the last
            # measure's; otherwise they are the whole task's.
            if units and any(m.units for m in measures[:-1]):
                measures[-1].units.extend(units)
                units = []
            inline.extend(measures)
        node.units.extend(units)
        targets, found = find_targets(o, v, a, b_own, line_at)
        node.targets.extend(targets)
        problems.extend(found)
    node.children[:0] = inline
    text_paras = opened.paras or ([opened.heading] if opened.heading else [])
    node.text = "\n".join(p.o for p in text_paras)
    if not node.title and node.text:
        first = text_paras[0]
        node.title = strip_trailing_punct(first.o[: lead_end(first.v)].strip())


def _markers(v: str, a: int, b: int) -> list[int]:
    """Offsets of "一是", "二是" ... in v[a:b], consecutive from 一, at clause starts.

    "一要…二要…" counts too, but not a mix of the two.
    """
    best: list[int] = []
    for verb in ("是", "要"):
        found: list[int] = []
        pos = a
        for numeral in _CN_ORDINALS:
            i = v.find(numeral + verb, pos, b)
            while i != -1 and i != a and v[i - 1] not in "。;,: \n":
                i = v.find(numeral + verb, i + 1, b)
            if i == -1:
                break
            found.append(i)
            pos = i + 2
        if len(found) > len(best):
            best = found
    return best if len(best) >= 2 else []


def _enumerated(
    o: str,
    v: str,
    a: int,
    b: int,
    line_at: Callable[[int], int],
    problems: list[Problem],
) -> tuple[list[Node], int]:
    """Measures of "一是…；二是…" in v[a:b]; returns (measures, end of the lead)."""
    markers = _markers(v, a, b)
    if not markers:
        return [], b
    measures: list[Node] = []
    for k, start in enumerate(markers):
        end = markers[k + 1] if k + 1 < len(markers) else b
        body = start + 2
        while end > body and v[end - 1] in " ;,。.\n":
            end -= 1
        cut, units = trailing_units(o[body:end], v[body:end])
        own_end = body + cut
        # "一是严格资格管理，每名…": the title is the first clause.
        title_end = min(lead_end(v[:own_end], body), own_end)
        comma = v.find(",", body, title_end)
        title_end = comma if comma != -1 else title_end
        measure = Node(
            kind="measure",
            number=_CN_ORDINALS[k],
            title=strip_trailing_punct(o[body:title_end].strip()),
            text=o[body:end].strip(),
            units=units,
            line=line_at(start),
        )
        measure.targets, found = find_targets(o, v, body, own_end, line_at)
        problems.extend(found)
        measures.append(measure)
    return measures, markers[0]


_DATE_LINE = re.compile(
    r"^[\d〇○零一二三四五六七八九]{4}\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
    r"\s*[\d一二三四五六七八九十]{1,3}\s*日(?:\s*印发)?$"
)
_RECORD_LINE = re.compile(
    r"^(?:抄送|抄报|主送|分送)\s*:|印发$|^\((?:此件|本件)[^()]*\)$"
)
_ISSUER_LINE = re.compile(
    r"^[^。,;:!?]{2,30}(?:人民政府|办公室|办公厅|委员会|领导小组|司法局|政府)$"
)


def _closing(lines: list[str]) -> int:
    """Index where the document's closing block starts (len(lines) if none).

    Official documents end with the issuer, the date, 抄送 and 印发 lines
    ("黄石市人民政府 / 2021年12月30日"); they are not plan content, and as
    unnumbered lines they would otherwise join the last part's text. Issuer
    lines count only in a block that also holds a date or 抄送/印发 line.
    """
    start = len(lines)
    anchored = False
    for i in range(len(lines) - 1, -1, -1):
        v = view(clean_line(lines[i]))
        if not v:
            continue
        if _DATE_LINE.match(v) or _RECORD_LINE.search(v):
            anchored = True
        elif not _ISSUER_LINE.match(v.replace(" ", "")):
            break
        start = i
    return start if anchored else len(lines)


def parse_plan(text: str, *, title: str = "") -> ParsedPlan:
    """Parse a plan's text (either script, any width) into its tree.

    `title` is used when the text has no title line of its own. Raises
    PlanInputError if the text has no numbered structure at all.
    """
    if not text or not text.strip():
        raise PlanInputError("方案文本是空的。")
    builder = _Builder()
    normalised_breaks = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = normalised_breaks.split("\n")
    closing = _closing(lines)
    for no, raw in enumerate(lines[:closing], start=1):
        o = clean_line(raw)
        if not o:
            builder.wrap = None
            continue
        builder.line(no, o, view(o))
    if closing < len(lines):
        shown = " ".join(clean_line(line) for line in lines[closing:] if line.strip())
        builder.problems.append(
            Problem(
                closing + 1,
                shown[:120],
                f"第{closing + 1}行起为文末落款和版记（发文机关、日期、抄送等），"
                "未作为方案内容",
            )
        )
    return builder.finish(title)
