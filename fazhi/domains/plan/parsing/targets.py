"""Measurable targets in a paragraph: rates, per-person quantities, counts,
ratios, deadlines, and vague amounts typed as qualitative.

Works on the matching view (`text.view`, same length as the original), one
sentence and clause at a time, so the cost is linear in the text and every
regex is anchored on a literal cue (a %, a unit after a number, 年, 每名) with
bounded gaps: no backtracking over a whole paragraph.

Typing rules, in the order they are tried on a clause:

- a percentage: "占…的" or "…总数的5%" is a ratio, otherwise a rate
  ("出庭应诉率100%", "答复率达100%", "百分之九十五");
- 每名/每位/人均 + a quantity is per_person ("每名执法人员每年接受不少于60学时的
  业务知识和法律法规培训": subject 执法人员 + 业务知识和法律法规培训);
- a number + count unit with a comparator (不少于, 至少, 以上) or a period
  (每年, 任期内) is a count ("每年应当举办2期以上法治专题讲座");
- "一定比例/一定数量" is qualitative (value None: placed and typed, to be
  quantified by the office);
- "…全覆盖" is a rate of 100% ("督察全覆盖" is how plans state coverage);
- "到2025年", "2024年前", "2025年底前" are dates (comparator "by"), unless the
  same sentence holds one of the above, which then carries the deadline_year.

A clause with a number and a comparator or a % that none of these consumed is
reported as a problem rather than dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from fazhi.kernel.textzh import normalise

from .model import Problem, Target
from .text import CN_DIGITS, CN_NUMERAL, number_value, sentence_spans

_GE = (
    "不得少于|不得低于|不应少于|不应低于|不少于|不低于|不小于|至少|最少|达到|"
    "提高到|提高至|提升到|提升至|超过|高于|达"
)
_LE = "不得超过|不得高于|不超过|不高于|不大于|不多于|控制在|低于|少于|最多"
_EQ = "保持在|稳定在|保持|为|是"
_CMP_AT_END = re.compile(rf"(?P<w>{_GE}|{_LE}|{_EQ})\s*$")
_GE_SET = set(_GE.split("|"))
_LE_SET = set(_LE.split("|"))
_POST = re.compile(r"\s*(?P<w>及以上|以上|以下|以内|左右)")
_POST_CMP = {"及以上": ">=", "以上": ">=", "以下": "<=", "以内": "<=", "左右": "="}

_NUM = rf"\d+(?:\.\d+)?|[{CN_NUMERAL}]+"
_PCT = re.compile(
    r"(?:(?P<num>\d+(?:\.\d+)?)\s*%"
    rf"|百分之(?P<cn>[{CN_NUMERAL}点]+|\d+(?:\.\d+)?))"
)
_PER_PERSON = re.compile(r"每一名|每一位|每名|每位|每个|每人|人均")
_PP_UNITS = "学时|课时|小时|学分|分钟|天|日|次|篇|件|期|场|门|项|个"
_COUNT_UNITS = (
    "学时|课时|小时|期|次|场|个|项|件|批|家|名|人|篇|部|所|轮|门|套|处|份|条|堂|天|日"
)
_QUANTITY = re.compile(
    rf"(?<![\d{CN_NUMERAL}第.])(?P<num>{_NUM})\s*(?P<unit>{_COUNT_UNITS})"
)
_PP_QUANTITY = re.compile(
    rf"(?<![\d{CN_NUMERAL}第.])(?P<num>{_NUM})\s*(?P<unit>{_PP_UNITS})"
)
_QUALITATIVE = re.compile(
    r"(?P<verb>(?:应|要|须)?(?:占有|占|保持|达到|有))?一定(?P<what>比例|比重|数量|规模)"
)
_COVERAGE = re.compile(r"全覆盖")
_DATE = re.compile(
    r"(?P<pre>力争到|力争在|争取到|争取在|截至|截止到|截止|到|至|于|在)?\s*"
    rf"(?P<year>(?:19|20)\d{{2}}|[{CN_DIGITS}]{{4}})\s*年\s*"
    r"(?:(?P<mon>\d{1,2})\s*月)?\s*"
    r"(?P<post>年底前|年末前|年底|年末|底前|末前|底|末|以前|之前|前)?"
)
_YEAR_ANY = re.compile(r"(?:19|20)\d{2}\s*年")
_CUE = re.compile(
    r"\d+(?:\.\d+)?\s*%|百分之"
    rf"|(?:{_GE}|{_LE})\s*(?:\d|[{CN_DIGITS}十百]+\s*(?:{_COUNT_UNITS}|%))"
)
_PERIODS = (
    (re.compile(r"任期内|任期"), "term"),
    (re.compile(r"每半年|半年度"), "halfyear"),
    (re.compile(r"每季度|每季|季度"), "quarter"),
    (re.compile(r"每月|月度"), "month"),
    (re.compile(r"每年|年度|每一年|年均|一年"), "year"),
    (re.compile(r"期间|规划期内|实施期内|方案期内|五年内"), "plan"),
)
_FILLER = re.compile(
    r"(?:\s|并且|并|且|同时|要|应当|应该|应|须|必须|需要|需|确保|保证|力争|争取|"
    r"努力|原则上|其中|实现|使|此外|另外|要求)+"
)
_COVER_FILLER = re.compile(
    r"(?:\s|有序推进|推进|推动|推行|实行|实现对|实现|对|确保|要)+"
)
# Where the actor of a per-person clause ends and the activity begins.
_WHO_END = re.compile(
    r"每年|每季度|每月|每半年|年度|年均|任期内|每|应当|应|须|要|需|必须|参加|接受|"
    rf"参与|完成|学习|培训|{_GE}|\d"
)
_VERB_ONLY = re.compile(r"^(?:接受|参加|参与|完成|开展|举办|组织)")
_TRIM = " ,;:、。的"
_CLAUSE_SEP = re.compile("[,;]+")
_ANY_NUMBER = re.compile(f"[0-9{CN_NUMERAL}]")
_CMP_WORD = re.compile(f"{_GE}|{_LE}")
# A comparator a few characters before a count: "至少向县委、县政府报告两次".
_CMP_BEFORE = re.compile(rf"(?P<w>{_GE}|{_LE})[^,;]{{0,12}}$")
_PERIOD_WORD = re.compile("每年|每季度|每月|每半年|任期内|年度")


@dataclass
class _Clause:
    o: str  # the paragraph, original
    v: str  # its view
    start: int
    end: int


def _comparator(word: str | None, post: str | None, default: str = "=") -> str:
    if post:
        return _POST_CMP[post]
    if word in _GE_SET:
        return ">="
    if word in _LE_SET:
        return "<="
    if word:
        return "="
    return default


def _period(v: str) -> str:
    for pattern, period in _PERIODS:
        if pattern.search(v):
            return period
    return ""


def _simplified(
    o: str, v: str, a: int, b: int, filler: re.Pattern[str] = _FILLER
) -> str:
    """Normalised text of o[a:b] without leading fillers or edge punctuation."""
    while a < b and v[a] in _TRIM:
        a += 1
    m = filler.match(v, a, b)
    if m:
        a = m.end()
    while b > a and v[b - 1] in _TRIM:
        b -= 1
    return normalise(o[a:b]).strip(_TRIM) if b > a else ""


def _span_text(o: str, a: int, b: int) -> str:
    return o[a:b].strip(" ，,；;。、")


class _Finder:
    """Targets of one paragraph; spans consumed so cues can be checked after."""

    def __init__(self, o: str, v: str, line_at: Callable[[int], int]) -> None:
        self.o, self.v, self.line_at = o, v, line_at
        self.targets: list[tuple[int, Target]] = []  # (position, target)
        self.consumed: list[tuple[int, int]] = []
        self.problems: list[Problem] = []

    def add(self, pos: int, span: tuple[int, int], target: Target) -> None:
        self.targets.append((pos, target))
        self.consumed.append(span)

    def taken(self, a: int, b: int) -> bool:
        return any(a < e and s < b for s, e in self.consumed)

    # -- clause finders ------------------------------------------------------

    def percentages(self, c: _Clause) -> None:
        o, v = self.o, self.v
        left = c.start
        for m in _PCT.finditer(v, c.start, c.end):
            raw = m.group("num") or m.group("cn") or ""
            value = number_value(raw)
            if value is None:
                continue
            pre_end = m.start()
            cmp_m = _CMP_AT_END.search(v, left, pre_end)
            word = cmp_m.group("w") if cmp_m else None
            cut = cmp_m.start() if cmp_m else pre_end
            post_m = _POST.match(v, m.end(), c.end)
            comparator = _comparator(word, post_m.group("w") if post_m else None)
            end = post_m.end() if post_m else m.end()
            kind, subject = self._rate_or_ratio(left, cut, m.end(), c.end)
            if kind == "ratio" and subject[1]:
                comparator = subject[1]
            if not subject[0]:
                left = end
                continue
            target = Target(
                kind=kind,
                comparator=comparator,
                value=value,
                unit="%",
                period=_period(v[c.start : c.end]),
                subject=subject[0],
                text=_span_text(o, c.start, c.end),
            )
            self.add(m.start(), (left, end), target)
            left = end

    def _rate_or_ratio(
        self, a: int, cut: int, after: int, clause_end: int
    ) -> tuple[str, tuple[str, str | None]]:
        o, v = self.o, self.v
        while a < cut and v[a] in _TRIM:
            a += 1
        pre = v[a:cut]
        zhan = pre.rfind("占")
        if zhan != -1:
            who = _simplified(o, v, a, a + zhan)
            base_end = cut
            tail = re.search(r"(?:的)?(?:比例|比重|比率)?(?:的)?$", pre)
            if tail:
                base_end = a + tail.start()
            base = _simplified(o, v, a + zhan + 1, base_end)
            # "占比不低于20%": no base named, the share itself is the subject.
            subject = f"{who}占{base}的比例" if base not in ("", "比") else f"{who}占比"
            return "ratio", (subject, None)
        if re.search(r"(?:总数|总量|总额|总人数|人数|数量|总和|总编制)的\s*$", pre):
            inner = _last(_CMP_WORD, pre)
            if inner:
                who = _simplified(o, v, a, a + inner.start())
                base = _simplified(o, v, a + inner.end(), cut)
                cmp = _comparator(inner.group(), None)
                return "ratio", (f"{who}占{base}的比例", cmp)
        subject = _simplified(o, v, a, cut)
        if not subject:
            subject = _simplified(o, v, after, clause_end)
        return "rate", (subject, None)

    def per_person(self, c: _Clause) -> None:
        o, v = self.o, self.v
        for lead in _PER_PERSON.finditer(v, c.start, c.end):
            q = _PP_QUANTITY.search(v, lead.end(), c.end)
            if not q or self.taken(q.start(), q.end()):
                continue
            value = number_value(q.group("num"))
            if value is None:
                continue
            who_m = _WHO_END.search(v, lead.end(), q.start())
            who_end = who_m.start() if who_m else q.start()
            who = _simplified(o, v, lead.end(), who_end)
            cmp_m = _CMP_AT_END.search(v, who_end, q.start())
            post_m = _POST.match(v, q.end(), c.end)
            end = post_m.end() if post_m else q.end()
            what = _simplified(o, v, end, c.end)
            if not what:
                gap_start = who_end
                per = re.compile(r"每年|每季度|每月|每半年|年度|任期内").match(
                    v, who_end
                )
                if per:
                    gap_start = per.end()
                gap_end = cmp_m.start() if cmp_m else q.start()
                what = _simplified(o, v, gap_start, gap_end)
                verb = _VERB_ONLY.match(what)
                if verb and len(what) > verb.end():
                    what = what[verb.end() :]
            target = Target(
                kind="per_person",
                comparator=_comparator(
                    cmp_m.group("w") if cmp_m else None,
                    post_m.group("w") if post_m else None,
                ),
                value=value,
                unit=q.group("unit"),
                period=_period(v[c.start : c.end]),
                subject=f"{who}{what}",
                text=_span_text(o, c.start, c.end),
            )
            self.add(q.start(), (lead.start(), c.end), target)

    def counts(self, c: _Clause) -> None:
        o, v = self.o, self.v
        left = c.start
        for q in _QUANTITY.finditer(v, c.start, c.end):
            if self.taken(q.start(), q.end()):
                left = max(left, q.end())
                continue
            value = number_value(q.group("num"))
            window = v[max(left, q.start() - 16) : q.start()]
            cmp_m = _CMP_BEFORE.search(window)
            post_m = _POST.match(v, q.end(), c.end)
            period = _period(v[c.start : c.end])
            if value is None or not (cmp_m or post_m or period):
                continue
            end = post_m.end() if post_m else q.end()
            subject = _simplified(o, v, end, c.end)
            if not subject:
                before_end = q.start() - (len(window) - cmp_m.start() if cmp_m else 0)
                a = left
                per = _last(_PERIOD_WORD, v[a:before_end])
                if per:
                    a += per.end()
                subject = _simplified(o, v, a, before_end)
            if not subject:
                continue
            target = Target(
                kind="count",
                comparator=_comparator(
                    cmp_m.group("w") if cmp_m else None,
                    post_m.group("w") if post_m else None,
                ),
                value=value,
                unit=q.group("unit"),
                period=period,
                subject=subject,
                text=_span_text(o, c.start, c.end),
            )
            self.add(q.start(), (left, c.end), target)
            left = c.end

    def qualitative(self, c: _Clause) -> None:
        o, v = self.o, self.v
        for m in _QUALITATIVE.finditer(v, c.start, c.end):
            if self.taken(m.start(), m.end()):
                continue
            who = _simplified(o, v, c.start, m.start())
            what = m.group("what")
            ratio = what in ("比例", "比重")
            target = Target(
                kind="qualitative",
                comparator=">=",
                value=None,
                unit="%" if ratio else "",
                period=_period(v[c.start : c.end]),
                subject=f"{who}{'比例' if ratio else what}",
                text=_span_text(o, c.start, c.end),
            )
            self.add(m.start(), (c.start, m.end()), target)

    def coverage(self, c: _Clause) -> None:
        o, v = self.o, self.v
        left = c.start
        for m in _COVERAGE.finditer(v, c.start, c.end):
            if self.taken(m.start(), m.end()):
                continue
            subject = _simplified(o, v, left, m.start(), _COVER_FILLER)
            left = m.end()
            if not subject:
                continue
            target = Target(
                kind="rate",
                comparator="=",
                value="100",
                unit="%",
                period=_period(v[c.start : c.end]),
                subject=f"{subject}覆盖率",
                text=_span_text(o, c.start, c.end),
            )
            self.add(m.start(), (m.start(), m.end()), target)

    # -- sentences -----------------------------------------------------------

    def sentence(self, start: int, end: int) -> None:
        o, v = self.o, self.v
        before = len(self.targets)
        clauses = []
        pos = start
        for sep in _CLAUSE_SEP.finditer(v, start, end):
            if sep.start() > pos:
                clauses.append(_Clause(o, v, pos, sep.start()))
            pos = sep.end()
        if end > pos:
            clauses.append(_Clause(o, v, pos, end))
        # Each finder needs a literal cue; most sentences have none, and a
        # substring test is far cheaper than running the patterns.
        text = v[start:end]
        has_digit = _ANY_NUMBER.search(text) is not None
        finders = [
            (self.percentages, "%" in text or "百分之" in text),
            (self.per_person, has_digit and _PER_PERSON.search(text) is not None),
            (self.counts, has_digit),
            (self.qualitative, "一定" in text),
            (self.coverage, "全覆盖" in text),
        ]
        for clause in clauses:
            for finder, wanted in finders:
                if wanted:
                    finder(clause)
        found = self.targets[before:]
        dates = [
            d
            for d in (_DATE.finditer(v, start, end) if "年" in text else ())
            if (d.group("pre") or d.group("post")) and not _is_range(v, d)
        ]
        if dates:
            year = _year(dates[0].group("year"))
            if found:
                for _, target in found:
                    target.deadline_year = target.deadline_year or year
            else:
                for d in dates:
                    self._date(d, start, end)
        for clause in clauses if has_digit or "百分之" in text else ():
            for cue in _CUE.finditer(v, clause.start, clause.end):
                if not self.taken(cue.start(), cue.end()):
                    self.problems.append(
                        Problem(
                            line=self.line_at(clause.start),
                            text=_span_text(o, clause.start, clause.end)[:120],
                            message="疑似量化指标未能识别（含数字和比较词），请人工确认",
                        )
                    )
                    break

    def _date(self, d: re.Match[str], start: int, end: int) -> None:
        o, v = self.o, self.v
        year = _year(d.group("year"))
        if year is None:
            return
        # The clause holding the date starts the span; the subject runs to the
        # sentence end or to the next clause naming another year ("为2035年…").
        clause_start = max(v.rfind(",", start, d.start()), start - 1) + 1
        scope_end = end
        pos = d.end()
        while pos < end:
            comma = v.find(",", pos, end)
            nxt = end if comma == -1 else comma
            if pos > d.end() and _YEAR_ANY.search(v, pos, nxt):
                scope_end = pos - 1
                break
            pos = nxt + 1
        subject = _simplified(o, v, d.end(), scope_end)
        if not subject:
            subject = _simplified(o, v, clause_start, d.start())
        target = Target(
            kind="date",
            comparator="by",
            value=str(year),
            unit="年",
            period="",
            subject=subject,
            text=_span_text(o, clause_start, scope_end),
            deadline_year=year,
        )
        self.add(d.start(), (d.start(), d.end()), target)


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    last = None
    for last in pattern.finditer(text):  # noqa: B007 - the last one is wanted
        pass
    return last


def _year(raw: str) -> int | None:
    value = number_value(raw) if not raw.isdigit() else raw
    return int(value) if value and value.isdigit() else None


def _is_range(v: str, d: re.Match[str]) -> bool:
    """ "2021年至2025年", "2021-2025年": a span of years, not a deadline."""
    i = d.start()
    before = v[max(0, i - 3) : i]
    if d.group("pre") in ("至", "到") and re.search(r"\d\s*年?\s*$", before):
        return True
    return bool(re.search(r"\d\s*[-—–~〜]\s*$", before))


def find_targets(
    o: str, v: str, start: int, end: int, line_at: Callable[[int], int]
) -> tuple[list[Target], list[Problem]]:
    """Targets in o[start:end] (v its view), in text order, and the problems."""
    finder = _Finder(o, v, line_at)
    for a, b in sentence_spans(v, start, end):
        finder.sentence(a, b)
    finder.targets.sort(key=lambda pair: pair[0])
    return [t for _, t in finder.targets], finder.problems
