"""The period engine vectorised: many due dates at once with numpy.

Dates are proleptic Gregorian ordinals (`date.toordinal()`). The calendar is a
sorted array W of working-day ordinals; the k-th working day after s is
W[searchsorted(W, s, "right") + k - 1], so a million periods cost a few
array lookups each instead of a day-by-day walk (the searchsorted of every
day of the table is precomputed once: `CalendarTable.before`). Pauses are folded in one
column at a time: a pause that begins on or before the current candidate due
date pushes it on by the pause's countable days. Same semantics as
`engine.compute_due` (start day not counted, pauses inclusive, natural periods
roll over to the next working day); the tests check the two agree.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import numpy as np

from .calendar import CalendarTable, WorkCalendar

NO_PAUSE = 0  # ordinals start at 1, so 0 marks an empty pause slot


def pack_pauses(per_clock: Sequence[Iterable[tuple[int, int]]]) -> np.ndarray:
    """An (n, k, 2) array of merged, sorted inclusive pauses; empty slots are 0."""
    return pack_pauses_sparse(
        len(per_clock), {i: list(p) for i, p in enumerate(per_clock)}
    )


def pack_pauses_sparse(
    n: int, pauses_of: Mapping[int, Iterable[tuple[int, int]]]
) -> np.ndarray:
    """`pack_pauses` for n clocks of which only those in `pauses_of` paused."""
    merged_of: dict[int, list[tuple[int, int]]] = {}
    for i, pauses in pauses_of.items():
        merged: list[tuple[int, int]] = []
        for a, b in sorted(pauses):
            if merged and a <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        merged_of[i] = merged
    k = max((len(m) for m in merged_of.values()), default=0)
    out = np.full((n, k, 2), NO_PAUSE, dtype=np.int64)
    for i, merged in merged_of.items():
        if merged:
            out[i, : len(merged)] = merged
    return out


def _run(
    t: CalendarTable,
    s: np.ndarray,
    n: np.ndarray,
    natural: np.ndarray,
    pauses: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Due ordinals and provisional flags (the table must reach far enough)."""
    w, before, first = t.work, t.before, t.first
    top = len(before) - 1

    def rank_le(x: np.ndarray) -> np.ndarray:  # searchsorted(w, x, "right")
        return before[np.clip(x - first + 1, 0, top)]

    def rank_lt(x: np.ndarray) -> np.ndarray:  # searchsorted(w, x, "left")
        return before[np.clip(x - first, 0, top)]

    r = before[s - first + 1] + n  # rank of the working-unit due date
    c = s + n  # the natural-unit N-th day
    for j in range(pauses.shape[1]):
        a, b = pauses[:, j, 0], pauses[:, j, 1]
        lo = np.maximum(a, s + 1)
        live = (a != NO_PAUSE) & (b >= lo)
        cand = w[np.clip(r - 1, 0, len(w) - 1)]
        in_pause = rank_le(b) - rank_lt(lo)
        r = np.where(live & (a <= cand), r + in_pause, r)
        c = np.where(live & (a <= c), c + (b - lo + 1), c)
    assert r.max() <= len(w) and c.max() <= w[-1], "calendar table too short"
    # 民法典 art. 203: a natural period ending on a rest (or paused) day moves on.
    d = w[before[c - first]]
    for j in range(pauses.shape[1]):
        a, b = pauses[:, j, 0], pauses[:, j, 1]
        inside = (a != NO_PAUSE) & (a <= d) & (d <= b)
        d = np.where(inside, w[np.minimum(rank_le(b), len(w) - 1)], d)
    due = np.where(natural, d, w[r - 1])
    u = t.unknown_cum
    provisional = (u[due - first + 1] - u[s - first + 1]) > 0
    return due, provisional


def due_dates(
    calendar: WorkCalendar,
    starts: np.ndarray,
    budgets: np.ndarray,
    natural: np.ndarray,
    pauses: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Due-date ordinals and provisional flags for many periods.

    starts: int64 ordinals; budgets: total days (extensions included);
    natural: True for natural-day periods; pauses: `pack_pauses` output.
    """
    s = np.asarray(starts, dtype=np.int64)
    n = np.asarray(budgets, dtype=np.int64)
    nat = np.asarray(natural, dtype=bool)
    if len(s) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    p = np.zeros((len(s), 0, 2), dtype=np.int64) if pauses is None else pauses
    first_year = date.fromordinal(int(s.min())).year
    paused_days = int((p[:, :, 1] - p[:, :, 0] + 1).clip(0).sum(axis=1).max(initial=0))
    # Any 2N + 60 consecutive days hold at least N working days (the longest
    # rest run, 春节 with its weekends, is under 60 days), so this reaches.
    reach = int(s.max()) + int(n.max()) * 2 + paused_days + 60
    table = calendar.table(first_year, date.fromordinal(reach).year)
    return _run(table, s, n, nat, p)


def due_date_list(
    calendar: WorkCalendar,
    items: Sequence[tuple[date, int, bool, Sequence[tuple[date, date]]]],
) -> list[tuple[date, bool]]:
    """(start, total days, natural?, pauses) tuples in, (due, provisional) out."""
    starts = np.fromiter((i[0].toordinal() for i in items), dtype=np.int64)
    budgets = np.fromiter((i[1] for i in items), dtype=np.int64)
    natural = np.fromiter((i[2] for i in items), dtype=bool)
    pauses = pack_pauses(
        [[(a.toordinal(), b.toordinal()) for a, b in i[3]] for i in items]
    )
    due, prov = due_dates(calendar, starts, budgets, natural, pauses)
    return [(date.fromordinal(int(d)), bool(v)) for d, v in zip(due, prov, strict=True)]
