"""Public entry points: report data in, document bytes out.

    render_annual_docx(data) -> bytes     the annual report, editable (Word/WPS)
    render_annual_pdf(data) -> bytes      the same report, fonts embedded
    render_supervision_docx(data) -> bytes  a 督办通知

What the annual report *says* is decided once, here, as a list of blocks
(`annual_outline`); docx_annual and pdf_annual only decide how each block
looks, so the two formats cannot drift apart. The layout follows GB/T
9704-2012 (党政机关公文格式): A4, 37/35 mm top/bottom and 28/26 mm
left/right margins, title in 二号 小标宋, body in 三号 仿宋, headings in
黑体 (一、), 楷体 (（一）) and bold 仿宋 (1.), page numbers "— 1 —" in 四号.

The backends are imported inside the functions so that importing this
module (e.g. from a view) does not load fpdf2 or python-docx.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from .data import AnnualReportData, IndicatorRow, SupervisionNoticeData

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
PLACEHOLDER = "（待填写）"  # printed where an entered section is still empty
NO_RESULTS = "本年度暂无经审核的进展报告。"
NO_TASKS = "本部分暂无分解任务。"
DRAFT_MARK = "征求意见稿"
STATUSES = ("green", "amber", "red", "none")
INDICATOR_HEADER = ("指标", "单位", "目标", "实际", "完成情况", "责任单位", "依据")
# relative widths of the indicator columns (the PDF scales them to the page)
INDICATOR_WIDTHS = (42, 11, 20, 14, 18, 24, 27)

SECTION_TITLES = (
    "一、主要举措和成效",
    "二、主要指标完成情况",
    "三、存在的不足和原因",
    "四、党政主要负责人履行推进法治建设第一责任人职责情况",
    "五、下一年度推进法治政府建设的主要安排",
)


# --- blocks -----------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Subtitle:
    text: str


@dataclass(frozen=True)
class Note:
    """A boxed note for the office (due dates); removed before sending."""

    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Heading:
    level: Literal[1, 2, 3]
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    placeholder: bool = False  # shown in red so nobody sends it up unfilled


@dataclass(frozen=True)
class TableRow:
    cells: tuple[str, ...]
    status: str  # one of STATUSES


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    widths: tuple[int, ...]
    rows: tuple[TableRow, ...]


@dataclass(frozen=True)
class Signature:
    lines: tuple[str, ...]


Block = Title | Subtitle | Note | Heading | Para | Table | Signature


@dataclass
class Outline:
    title: str
    blocks: list[Block] = field(default_factory=list)
    header: str = ""  # on every page (the draft marker), "" for none
    footer: str = ""  # version and generation time, on every page
    watermark: str = ""  # diagonal, behind the text (PDF)


# --- formatting helpers -----------------------------------------------------

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九 (headings)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def cn_date(d: date | datetime) -> str:
    """2026年11月25日 (GB/T 9704: Arabic numerals, no leading zeros)."""
    if isinstance(d, datetime):
        d = local(d).date()
    return f"{d.year}年{d.month}月{d.day}日"


def local(dt: datetime) -> datetime:
    """Aware datetimes shown in Asia/Shanghai; naive ones taken as local."""
    return dt.astimezone(LOCAL_TZ) if dt.tzinfo else dt


def cn_datetime(dt: datetime) -> str:
    return f"{cn_date(dt)} {local(dt):%H:%M}"


def paragraphs(text: str) -> list[str]:
    """Entered text -> paragraphs; indentation is the renderer's job."""
    return [p.strip(" \t\u3000") for p in text.splitlines() if p.strip(" \t\u3000")]


def _joined(names: list[str]) -> str:
    return "、".join(n for n in names if n) or "无"


def _unquoted(title: str) -> str:
    return title.strip().strip("《》")


def target_text(row: IndicatorRow) -> str:
    if row.target:
        return f"{row.comparator_label}{row.target}"
    return row.comparator_label or "—"


def days_left(due: date, today: date) -> str:
    left = (due - today).days
    return f"尚余{left}天" if left >= 0 else f"已逾期{-left}天"


def em_width(text: str) -> float:
    """Width in ems, for layouts that cannot measure: CJK 1, ASCII 1/2."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def balanced_lines(text: str, per_line: float, count: int = 0) -> list[str]:
    """A title too long for one line, cut into lines of even length (GB/T
    9704 7.3.3: a trapezoid, not a full line and a stub) and, where one is
    near, at a phrase boundary so no word is split (词意完整)."""
    total = em_width(text)
    # `count` lets a caller that measured real glyph widths say how many
    # lines the text needs; em_width only estimates
    count = count or int(-(-total // per_line))
    if count <= 1:
        return [text]
    phrases = _phrase_breaks(text)
    cuts: list[int] = []
    for k in range(1, count):
        goal = total * k / count
        allowed = [
            i
            for i in range(max(cuts, default=0) + 1, len(text))
            if text[i] not in _NO_LINE_START and em_width(text[:i]) <= per_line * k
        ]
        if not allowed:
            break
        near = [i for i in allowed if i in phrases]
        pick = min(near or allowed, key=lambda i: abs(em_width(text[:i]) - goal))
        if near and abs(em_width(text[:pick]) - goal) > 0.3 * goal:
            pick = min(allowed, key=lambda i: abs(em_width(text[:i]) - goal))
        cuts.append(pick)
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


_NO_LINE_START = set("，。、；：？！）》”’")
_PHRASE = re.compile(
    r"(?<=^关于)|(?=[“《])|(?<=[”》])|(?<=\d年)|(?<=人民政府)|(?<=办公室)"
    r"|(?=的(?:通知|报告|意见|决定|通报|函)$)"
)


def _phrase_breaks(text: str) -> set[int]:
    return {m.start() for m in _PHRASE.finditer(text)} - {0, len(text)}


def signature_indents(issuer: str, day: str) -> tuple[float, float]:
    """Right indents in ems for the 发文机关署名 and 成文日期 of a sealed
    document (GB/T 9704 7.3.5.1): the date 右空四字, the issuer centred on it."""
    return max(0.0, 4 + (em_width(day) - em_width(issuer)) / 2), 4.0


# --- the annual report --------------------------------------------------------


def annual_outline(data: AnnualReportData) -> Outline:
    version = f"第{data.version}版"
    state = DRAFT_MARK if data.draft else "定稿"
    out = Outline(
        title=data.title,
        header=f"{DRAFT_MARK}（{version}）" if data.draft else "",
        footer=f"{version} · {state} · 生成于{cn_datetime(data.generated_at)}",
        watermark=DRAFT_MARK if data.draft else "",
    )
    add = out.blocks.append
    add(Title(data.title))
    if data.draft:
        add(Subtitle(f"（{DRAFT_MARK}）"))
    if data.draft:  # the reminder box is for the office, never for the public
        add(_cover_note(data, version, state))
    add(
        Para(
            f"{data.year}年，{data.city_name}按照《{_unquoted(data.plan_title)}》"
            "部署，统筹推进法治政府建设各项任务。现将"
            f"{data.year}年度法治政府建设工作情况报告如下。"
        )
    )

    add(Heading(1, SECTION_TITLES[0]))
    if not data.parts:
        add(Para(PLACEHOLDER, placeholder=True))
    for i, part in enumerate(data.parts, start=1):
        add(Heading(2, f"（{cn_number(i)}）{part.title}"))
        if not part.tasks:
            add(Para(NO_TASKS))
        for task in part.tasks:
            add(
                Heading(3, f"{task.number}.{task.title}" if task.number else task.title)
            )
            add(
                Para(
                    f"牵头单位：{_joined(task.lead_units)}；"
                    f"配合单位：{_joined(task.co_units)}。"
                    f"进展情况：{task.status_label}，"
                    f"完成进度{max(0, min(100, task.progress_percent))}%。"
                )
            )
            texts = [p for result in task.results for p in paragraphs(result)]
            for text in texts or [NO_RESULTS]:
                add(Para(text))

    add(Heading(1, SECTION_TITLES[1]))
    if data.indicators:
        add(Para(_indicator_summary(data.indicators)))
        add(indicator_table(data.indicators))
        add(
            Para(
                "注：红色底纹为未达标指标，黄色底纹为预警指标；“依据”列为"
                "目标在实施方案中的出处。"
            )
        )
    else:
        add(Para(PLACEHOLDER, placeholder=True))

    for title, text in zip(
        SECTION_TITLES[2:],
        (data.shortcomings, data.leaders_duties, data.next_year_plan),
        strict=True,
    ):
        add(Heading(1, title))
        texts = paragraphs(text)
        if not texts:
            add(Para(PLACEHOLDER, placeholder=True))
        for p in texts:
            add(Para(p))

    add(Signature((data.city_name, cn_date(data.generated_at))))
    return out


def _cover_note(data: AnnualReportData, version: str, state: str) -> Note:
    today = local(data.generated_at).date()
    submit = (
        f"报送上级：{cn_date(data.submit_due)}前（{days_left(data.submit_due, today)}）"
    )
    publish = (
        f"向社会公开：{cn_date(data.publish_due)}前"
        f"（{days_left(data.publish_due, today)}）"
    )
    lines = [
        submit + (f"。依据：{data.submit_basis}" if data.submit_basis else ""),
        publish + (f"。依据：{data.publish_basis}" if data.publish_basis else ""),
        f"本稿为{version}{state}，生成于{cn_datetime(data.generated_at)}。",
    ]
    return Note("报送提示（正式报送前删除本框）", tuple(lines))


def _indicator_summary(rows: list[IndicatorRow]) -> str:
    count = {s: 0 for s in STATUSES}
    for row in rows:
        count[_status(row)] += 1
    names = len({row.name for row in rows})
    return (
        f"纳入监测的指标共{names}项、数值{len(rows)}个，其中达标{count['green']}个、"
        f"预警{count['amber']}个、未达标{count['red']}个、"
        f"未填报{count['none']}个。"
    )


def _status(row: IndicatorRow) -> str:
    return row.status if row.status in STATUSES else "none"


def indicator_table(rows: list[IndicatorRow]) -> Table:
    return Table(
        header=INDICATOR_HEADER,
        widths=INDICATOR_WIDTHS,
        rows=tuple(
            TableRow(
                cells=(
                    row.name,
                    row.unit or "—",
                    target_text(row),
                    row.actual or "—",
                    row.status_label,
                    row.agency_name,
                    row.basis or "—",
                ),
                status=_status(row),
            )
            for row in rows
        ),
    )


# --- entry points -------------------------------------------------------------


def render_annual_docx(data: AnnualReportData) -> bytes:
    from .docx_annual import write_docx

    return write_docx(annual_outline(data), generated_at=data.generated_at)


def render_annual_pdf(data: AnnualReportData) -> bytes:
    from .pdf_annual import write_pdf

    return write_pdf(annual_outline(data), generated_at=data.generated_at)


def render_supervision_docx(data: SupervisionNoticeData) -> bytes:
    from .docx_notice import write_notice

    return write_notice(data)
