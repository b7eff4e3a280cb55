"""Responsible units: "责任单位：…" lines and trailing "（市司法局牵头）".

Plans name units in three ways, all handled here on the matching view:

- a labelled line or clause: "责任单位：市司法局、市政务服务和大数据管理局",
  "牵头单位：市司法局；配合单位：市委编办、市财政局";
- a trailing parenthetical with roles: "（市司法局牵头，市委编办配合）";
- a trailing parenthetical that is only unit names: "（市司法局、市财政局）".

Roles: 牵头/主办 -> lead, 配合/协办/参与 -> co, otherwise responsible. A
role word ends a group ("市委编办、市财政局配合": both co). The note
"列第一位的为牵头单位" makes the first unit lead and the others co.
Names are normalised to Simplified: they are matched against agency names.
"""

from __future__ import annotations

import re

from fazhi.kernel.textzh import normalise

from .model import Unit

_LABELS = {
    "lead": ("牵头单位", "牵头部门", "主办单位", "主责单位", "牵头"),
    "co": ("配合单位", "配合部门", "协办单位", "参与单位", "协同单位", "配合"),
    "responsible": ("责任单位", "责任部门", "责任主体", "实施单位", "负责单位"),
}
_LABEL_ROLE = {label: role for role, labels in _LABELS.items() for label in labels}
# Bare 牵头/配合 are labels only before a colon ("牵头：市司法局").
_LABEL_RE = re.compile(
    "(" + "|".join(sorted(_LABEL_ROLE, key=len, reverse=True)) + r")\s*[:：]\s*"
)
_ROLE_SUFFIX = re.compile(
    r"(?:\(\s*)?(按职责分工负责|按职责负责|分别负责|共同负责|负责|牵头|主办|"
    r"配合|协办|参与|协助|协同)(?:\s*\))?$"
)
_SUFFIX_ROLE = {
    "牵头": "lead",
    "主办": "lead",
    "配合": "co",
    "协办": "co",
    "参与": "co",
    "协助": "co",
    "协同": "co",
}
_FIRST_IS_LEAD = re.compile(r"\(?(?:列|排)?(?:第一位|首位|排名第一)[^()]*牵头[^()]*\)?")
# How an agency name ends; used only for an unlabelled parenthetical.
_AGENCY_END = re.compile(
    r"(局|委|办|厅|院|部|会|府|中心|室|处|署|站|所|队|组|团|社|行|司|馆|台|"
    r"公司|集团|联|协|校|委员会|办公室|管委会|街道|乡镇)$"
)
_TOP_SEP = ",;、 /"
_GROUP_SEP = ",;"


def _split_top(text: str, seps: str) -> list[tuple[int, int]]:
    """Spans of text split on seps outside parentheses: 各县(市、区)政府 stays."""
    spans, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c in "(〔":
            depth += 1
        elif c in ")〕" and depth:
            depth -= 1
        elif depth == 0 and c in seps:
            if i > start:
                spans.append((start, i))
            start = i + 1
    if len(text) > start:
        spans.append((start, len(text)))
    return spans


def _name(original: str) -> str:
    name = normalise(original).strip(" 。.:：")
    name = re.sub(r"等$", "", name)
    return name.strip()


def units_from(original: str, v: str, default_role: str = "responsible") -> list[Unit]:
    """Units named in a list ("市司法局牵头，市委编办、市财政局配合")."""
    units: list[Unit] = []
    first_is_lead = False
    m = _FIRST_IS_LEAD.search(v)
    if m:
        first_is_lead = True
        v = v[: m.start()] + " " * (m.end() - m.start()) + v[m.end() :]
    for gs, ge in _split_top(v, _GROUP_SEP):
        group_v = v[gs:ge]
        role = default_role
        suffix = _ROLE_SUFFIX.search(group_v.rstrip())
        if suffix and suffix.start() > 0:
            role = _SUFFIX_ROLE.get(suffix.group(1), "responsible")
            group_v = group_v[: suffix.start()]
        group_o = original[gs : gs + len(group_v)]
        for s, e in _split_top(group_v, _TOP_SEP):
            piece_v, piece_o = group_v[s:e], group_o[s:e]
            piece_role = role
            own = _ROLE_SUFFIX.search(piece_v.rstrip())
            if own and own.start() > 0:
                piece_role = _SUFFIX_ROLE.get(own.group(1), "responsible")
                piece_o = piece_o[: own.start()]
            name = _name(piece_o)
            if name:
                units.append(Unit(name=name, role=piece_role))
    if first_is_lead and units:
        units = [Unit(u.name, "lead" if i == 0 else "co") for i, u in enumerate(units)]
    return units


def _strip_tail(v: str) -> str:
    """Trailing punctuation off, and a ")" only if it closes nothing inside."""
    v = v.rstrip(" ;,。.")
    if v.endswith(")") and v.count(")") > v.count("("):
        v = v[:-1].rstrip(" ;,。.")
    return v


def labelled_units(original: str, v: str) -> list[Unit] | None:
    """Units of a labelled text "责任单位：…；配合单位：…"; None if no label."""
    labels = list(_LABEL_RE.finditer(v))
    if not labels:
        return None
    units: list[Unit] = []
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(v)
        role = _LABEL_ROLE[m.group(1)]
        body_v = _strip_tail(v[m.end() : end])
        units.extend(
            units_from(original[m.end() : m.end() + len(body_v)], body_v, role)
        )
    return units


def unit_line(original: str, v: str) -> list[Unit] | None:
    """A line that only names units: "责任单位：…" or "（市司法局牵头）"."""
    stripped = v.strip()
    inner_start, inner_end = 0, len(v)
    if stripped.startswith("(") and stripped.endswith(")"):
        inner_start, inner_end = v.index("(") + 1, v.rindex(")")
    body_v, body_o = v[inner_start:inner_end], original[inner_start:inner_end]
    m = _LABEL_RE.match(body_v.lstrip())
    if m:
        return labelled_units(body_o, body_v)
    if inner_start:
        return _unlabelled(body_o, body_v)
    return None


def _unlabelled(original: str, v: str) -> list[Unit] | None:
    """Units of an unlabelled parenthetical, or None if it is not one."""
    body = v.strip()
    if not body or len(body) > 120 or any(c.isdigit() for c in body):
        return None
    has_role = any(
        _ROLE_SUFFIX.search(v[s:e].strip()) for s, e in _split_top(v, _GROUP_SEP)
    )
    if not has_role:
        pieces = [v[s:e].strip() for s, e in _split_top(v, _TOP_SEP + _GROUP_SEP)]
        if not pieces or not all(
            _AGENCY_END.search(re.sub("等$", "", p)) for p in pieces if p
        ):
            return None
    units = units_from(original, v)
    return units or None


def trailing_units(original: str, v: str) -> tuple[int, list[Unit]]:
    """Units at the end of a paragraph; returns (where the paragraph ends, units).

    Recognises "…。（市司法局牵头）", "…制度（责任单位：市司法局）。" and
    "…。责任单位：市司法局。"; the returned end excludes the units part so
    targets are not looked for in it. No units: (len(v), []).
    """
    end = len(v.rstrip(" 。."))
    if end and v[end - 1] == ")":
        depth, i = 0, end - 1
        while i >= 0:
            if v[i] == ")":
                depth += 1
            elif v[i] == "(":
                depth -= 1
                if depth == 0:
                    break
            i -= 1
        if i >= 0:
            inner_v, inner_o = v[i + 1 : end - 1], original[i + 1 : end - 1]
            found = (
                labelled_units(inner_o, inner_v)
                if _LABEL_RE.match(inner_v.lstrip())
                else _unlabelled(inner_o, inner_v)
            )
            if found:
                return i, found
    # A label after the last sentence: "…。责任单位：市司法局。"
    for m in _LABEL_RE.finditer(v):
        if m.start() > 0 and v[m.start() - 1] in "。.;; (":
            found = labelled_units(original[m.start() :], v[m.start() :])
            if found:
                return m.start(), found
    return len(v), []
