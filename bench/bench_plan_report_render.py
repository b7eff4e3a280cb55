"""Annual report rendering time for a full plan year.

    python bench/bench_plan_report_render.py [--tasks 25] [--results 4]
                                             [--indicators 40] [--repeat 3]

Builds report data by hand the size of a real year (25 tasks with 4 accepted
progress reports each, 40 indicator rows) and renders it as DOCX and PDF.
Each format is compared with a baseline measured in the same run on the same
text: python-docx writing every paragraph plainly, and fpdf2 writing it with
one embedded CJK font in a single multi_cell. The ratio is the cost of the
公文 layout (headings, line rules, tables, furniture) over the library's own
floor, so it compares across machines. The whole annual report (database
reads included) has a 10 s budget; rendering should take a small part of it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")

from fazhi.domains.plan.reports.fonts import find_fonts
from fazhi.domains.plan.reports.render import (
    annual_outline,
    render_annual_docx,
    render_annual_pdf,
)
from fazhi.domains.plan.reports.tests import samples

PLAN = (
    Path(os.environ.get("FAZHI_SHARED_DIR", "/work/shared"))
    / "plans/huangshi-2021-2025.txt"
)
BUDGET = 10.0  # seconds for the whole annual report (issue 5)


CPU: dict[str, float] = {}  # label -> best process CPU time, beside wall time


def best_of(repeat: int, fn: Callable[[], object]) -> tuple[float, object]:
    """Best wall time; the CPU time of the same call is kept in CPU[fn]."""
    best, out = float("inf"), None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        out = fn()
        elapsed = time.perf_counter() - start
        if elapsed < best:
            best, CPU[fn.__name__] = elapsed, time.process_time() - cpu
    return best, out


def row(label: str, seconds: float, baseline: float, size: int | None = None) -> None:
    kb = f"{size / 1024:6.0f} KB" if size is not None else " " * 9
    cpu = CPU.pop("<lambda>", None)
    cpu_text = f"cpu {cpu:6.3f} s" if cpu is not None else " " * 12
    ratio = seconds / baseline
    print(f"  {label:<36} {seconds:7.3f} s  {cpu_text} {kb}  x{ratio:6.2f}")


def plain_text(data) -> list[str]:
    out = [data.title]
    for part in data.parts:
        out.append(part.title)
        for task in part.tasks:
            out += [task.title, *task.results]
    rows = data.indicators
    out += [" ".join((r.name, r.target, r.actual, r.status_label)) for r in rows]
    return out


def real_results(data) -> None:
    """Replace the sample's repetitive result texts with sentences of the
    reference plan (in Simplified script), so the PDF subsets as many
    distinct glyphs as a real year's report does."""
    if not PLAN.is_file():
        return
    from opencc import OpenCC

    text = OpenCC("t2s").convert(PLAN.read_text(encoding="utf-8"))
    sentences = [s + "。" for s in text.replace("\n", "").split("。") if len(s) > 20]
    k = 0
    for part in data.parts:
        for task in part.tasks:
            for i in range(len(task.results)):
                task.results[i] = "".join(
                    sentences[(k + j) % len(sentences)] for j in range(3)
                )
                k += 3


def docx_baseline(texts: list[str]) -> bytes:
    import io

    import docx

    doc = docx.Document()
    for text in texts:
        doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def pdf_baseline(texts: list[str]) -> bytes:
    from fpdf import FPDF

    face = find_fonts().song
    pdf = FPDF()
    pdf.add_font("body", "", str(face.path), collection_font_number=face.index)
    pdf.add_page()
    pdf.set_font("body", size=16)
    pdf.multi_cell(0, 10, "\n".join(texts), wrapmode="CHAR")
    return bytes(pdf.output())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=25)
    parser.add_argument("--results", type=int, default=4)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    parts = 5
    data = samples.annual(
        parts=parts,
        tasks_per_part=max(1, args.tasks // parts),
        results=args.results,
        indicator_count=args.indicators,
        leaders_duties="市政府主要负责人带头学法，主持召开常务会议专题研究法治政府建设。",
        next_year_plan="一是深化行政执法体制改革。\n二是推进行政复议规范化建设。",
    )
    real_results(data)
    texts = plain_text(data)
    tasks = sum(len(p.tasks) for p in data.parts)
    results = sum(len(t.results) for p in data.parts for t in p.tasks)
    chars = sum(map(len, texts))
    print(
        f"report: {tasks} tasks, {results} accepted reports, "
        f"{len(data.indicators)} indicator rows, {chars:,} chars, "
        f"{len(set(''.join(texts)))} distinct characters"
    )
    fonts = find_fonts()
    used = (f"{r}={f.path.name}#{f.index}" for r, f in fonts.roles().items())
    print("fonts: " + ", ".join(used))

    start = time.perf_counter()
    render_annual_pdf(data)
    cold = time.perf_counter() - start
    print(f"load average (wall times stretch on a busy machine): {os.getloadavg()}")

    outline_s, outline = best_of(args.repeat, lambda: annual_outline(data))
    blocks = len(outline.blocks)
    print(f"outline (what the report says): {outline_s * 1000:.1f} ms, {blocks} blocks")

    print(f"DOCX (best of {args.repeat}; ratio vs plain python-docx in this run):")
    base, out = best_of(args.repeat, lambda: docx_baseline(texts))
    row("python-docx plain paragraphs", base, base, len(out))
    docx_s, out = best_of(args.repeat, lambda: render_annual_docx(data))
    row("render_annual_docx", docx_s, base, len(out))

    print(f"PDF (best of {args.repeat}; ratio vs fpdf2 one font, one multi_cell):")
    base, out = best_of(args.repeat, lambda: pdf_baseline(texts))
    row("fpdf2 plain text, one CJK font", base, base, len(out))
    pdf_s, out = best_of(args.repeat, lambda: render_annual_pdf(data))
    row("render_annual_pdf", pdf_s, base, len(out))
    row("render_annual_pdf, first in process", cold, base)

    total = docx_s + pdf_s
    print(
        f"both formats: {total:.2f} s of the {BUDGET:.0f} s report budget "
        f"({100 * total / BUDGET:.0f}%); first call in a process {docx_s + cold:.2f} s"
    )


if __name__ == "__main__":
    main()
