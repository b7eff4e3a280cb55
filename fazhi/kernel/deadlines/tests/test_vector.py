"""The vectorised engine agrees with the scalar reference."""

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.kernel.deadlines.engine import Pause, compute_due
from fazhi.kernel.deadlines.vector import due_date_list, due_dates, pack_pauses

from .conftest import D, builtin_calendar

CAL = builtin_calendar()  # 2004-2026 known; 2027 provisional

dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
pause = st.tuples(dates, st.integers(min_value=0, max_value=40)).map(
    lambda t: (t[0], t[0] + timedelta(days=t[1]))
)
period = st.tuples(
    dates,
    st.integers(min_value=1, max_value=90),
    st.booleans(),
    st.lists(pause, max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(period, min_size=1, max_size=25))
def test_vectorised_and_scalar_paths_agree(periods):
    fast = due_date_list(CAL, periods)
    for (start, n, natural, pauses), (due, provisional) in zip(
        periods, fast, strict=True
    ):
        ref = compute_due(
            start=start,
            days=n,
            unit="natural" if natural else "working",
            calendar=CAL,
            pauses=[Pause(a, b) for a, b in pauses],
        )
        assert (due, provisional) == (ref.due, ref.provisional), (
            start,
            n,
            natural,
            pauses,
        )


def test_empty_input_gives_empty_arrays():
    due, prov = due_dates(CAL, np.array([], dtype=np.int64), np.array([]), np.array([]))
    assert due.shape == (0,) and prov.shape == (0,)


def test_pauses_are_optional():
    due, prov = due_dates(
        CAL, np.array([D("2026-02-10").toordinal()]), np.array([20]), np.array([False])
    )
    assert date.fromordinal(int(due[0])) == D("2026-03-16") and not prov[0]


def test_pack_pauses_merges_sorts_and_pads():
    packed = pack_pauses([[(10, 12), (1, 3), (4, 5)], [], [(7, 9), (8, 20)]])
    assert packed.shape == (3, 2, 2)
    assert packed[0].tolist() == [[1, 5], [10, 12]]
    assert packed[1].tolist() == [[0, 0], [0, 0]]
    assert packed[2].tolist() == [[7, 20], [0, 0]]


def test_a_million_due_dates_take_well_under_a_second():
    import time

    rng = np.random.default_rng(7)
    lo, hi = D("2025-01-01").toordinal(), D("2026-12-31").toordinal()
    starts = rng.integers(lo, hi + 1, 1_000_000)
    budgets = rng.integers(1, 61, 1_000_000)
    natural = np.zeros(1_000_000, dtype=bool)
    due_dates(CAL, starts[:10], budgets[:10], natural[:10])  # build the table
    t0 = time.perf_counter()
    due, _ = due_dates(CAL, starts, budgets, natural)
    assert time.perf_counter() - t0 < 2.0
    i = 12345
    ref = compute_due(
        start=date.fromordinal(int(starts[i])),
        days=int(budgets[i]),
        unit="working",
        calendar=CAL,
    )
    assert date.fromordinal(int(due[i])) == ref.due
