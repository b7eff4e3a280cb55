"""12345 dashboard KPIs from the roll-up against the same GROUP BY over tickets.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x \\
        python bench/bench_hotline_kpi.py [--tickets 10000000] [--keep | --reuse]

PostgreSQL only. Works in a database of its own, `bench_hotline_kpi`, next to
the one DATABASE_URL names: created, filled, dropped at the end (--keep leaves
it, --reuse times a kept one again without rebuilding it).

The tickets are synthesised with generate_series in a few INSERT ... SELECT
statements, spread like a city hotline's year: a year of receiving days, the
Huangshi agency tree (city departments take most tickets, then the county
governments, then townships), six types (complaints and consultations most),
areas by district, most consultations answered by the centre, the rest
dispatched, signed, replied, closed and rated as their age allows, a few
returned to the centre, sent back (发回重办), merged, or rated and voided on
appeal; keywords from a topic list whose popular topics shift week to week.
The roll-up is then built by `rollup.rebuild` (the `fazhi hotline_rollup
--rebuild` code path) and every answer is checked against the ad-hoc one.

Timed, each as its p50/p95 over rounds:
  kpi       the five KPIs for the city over the year (what the dashboard and
            the indicator pages show), and for one county over a quarter
  dashboard queries.dashboard for a city-wide user and for a county handler:
            volumes by type, agency, area and week, and the hot topics
against indicators.adhoc_rate / queries.dashboard_adhoc over the tickets.
The issue's target: p95 <= 100 ms and >= 50x faster than the GROUP BY.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BENCH_DB = "bench_hotline_kpi"

TOPICS = [
    "噪音",
    "施工",
    "夜间",
    "拖欠工资",
    "劳动监察",
    "停水",
    "停电",
    "物业",
    "垃圾",
    "清运",
    "占道经营",
    "公交",
    "线路",
    "食品",
    "过期",
    "退款",
    "医保",
    "社保",
    "学位",
    "入学",
    "违建",
    "油烟",
    "路灯",
    "井盖",
    "积水",
    "内涝",
    "出租车",
    "拒载",
    "房产证",
    "公积金",
    "提取",
    "燃气",
    "电梯",
    "故障",
    "噪声",
    "广场舞",
    "流浪犬",
    "停车",
    "收费",
    "充电桩",
    "小区",
    "绿化",
    "树木",
    "修剪",
    "道路",
    "破损",
    "红绿灯",
    "养老金",
    "低保",
    "户籍",
    "身份证",
    "驾驶证",
    "网约车",
    "快递",
    "装修",
    "扰民",
    "消防通道",
    "电动车",
    "学校",
    "培训机构",
    "药店",
    "价格",
    "诈骗",
    "渣土车",
    "扬尘",
    "排污",
    "河道",
    "暖气",
    "空调",
    "外机",
    "漏水",
    "补贴",
    "营业执照",
    "税务",
    "发票",
]
PLACES = [
    "黄石港区",
    "西塞山区",
    "下陆区",
    "铁山区",
    "大冶",
    "阳新",
    "经开区",
    "磁湖",
    "湖滨大道",
    "杭州路",
    "颐阳路",
    "沈家营",
    "胜阳港",
    "八泉",
    "临江",
    "团城山",
    "东方山",
    "金湖",
    "东岳路",
    "陈贵",
    "还地桥",
    "兴国",
    "富池",
    "汪仁",
    "花湖",
    "黄石大道",
    "广场路",
    "延安路",
    "桂林路",
    "武汉路",
    "天津路",
    "青龙山",
    "江北",
]
OTHERS = [
    "反映",
    "投诉",
    "咨询",
    "要求",
    "处理",
    "解决",
    "希望",
    "尽快",
    "多次",
    "长期",
    "严重",
    "影响",
    "市民",
    "居民",
]


def _prepare_database(reuse: bool) -> tuple[str, str]:
    """Point DATABASE_URL at the bench database; return (admin url, bench url)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench_hotline_kpi needs DATABASE_URL=postgres://…")
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    if not reuse:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
    bench = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    os.environ["DATABASE_URL"] = bench
    return admin, bench


def _drop(admin: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def _sql(statement: str, params: Any = None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _step(name: str, fn: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    out = fn()
    print(f"  {name:<34} {time.perf_counter() - start:8.1f} s", flush=True)
    return out


def _weighted(pairs: list[tuple[int, int]]) -> list[int]:
    return [pk for pk, w in pairs for _ in range(w)]


def _synthesise(n: int) -> None:
    from datetime import timedelta

    from django.db import transaction

    from fazhi.domains.hotline.models import Rating, Ticket
    from fazhi.kernel.deadlines.calendar import today
    from fazhi.kernel.org.models import Agency
    from fazhi.kernel.workflow.models import Case

    by_code = dict(Agency.objects.values_list("code", "pk"))
    centre = by_code["420200-ZWJ"]
    leads: list[tuple[int, int]] = []
    for a in Agency.objects.filter(is_active=True).exclude(
        code__in=("420200", "420200-ZWJ")
    ):
        weight = {"department": 12 if a.code.startswith("420200-") else 3}.get(
            a.level, 4 if a.level == "county" else 1
        )
        if a.code in ("420200-CGW", "420200-SCJ", "420200-ZJJ", "420200-RSJ"):
            weight *= 3  # 城管, 市场监管, 住建, 人社 take most of a hotline's load
        leads.append((a.pk, weight))
    lead_ids = _weighted(leads)
    areas = _weighted(
        [(by_code[c], w) for c, w in (
            ("420202", 3), ("420203", 2), ("420204", 2), ("420205", 1),
            ("420222", 5), ("420281", 6), ("420271", 1),
        )]
    )  # fmt: skip
    end = today()
    start = end - timedelta(days=364)
    case_t, ticket_t, rating_t = (
        Case._meta.db_table,
        Ticket._meta.db_table,
        Rating._meta.db_table,
    )
    with transaction.atomic():
        # A throwaway database: no FK triggers while loading (rows are
        # consistent by construction), more memory for the index builds.
        _sql("SET LOCAL session_replication_role = replica")
        _sql("SET LOCAL work_mem = '256MB'")
        _sql("SET LOCAL maintenance_work_mem = '512MB'")
        _sql("SET LOCAL synchronous_commit = off")
        _sql("SELECT setseed(0.12345)")
        _step(
            "draw the tickets",
            lambda: _sql(
                """CREATE UNLOGGED TABLE bench_src AS
                SELECT g AS id,
                       %(start)s::date + floor(random() * 365)::int AS day,
                       random() AS r_type, random() AS r_lead, random() AS r_area,
                       random() AS r_state, random() AS r_sign, random() AS r_reply,
                       random() AS r_rate, random() AS r_grade,
                       random() AS r_t1, random() AS r_t2, random() AS r_t3
                FROM generate_series(1, %(n)s) g""",
                {"start": start, "n": n},
            ),
        )
        _step(
            "decide their states",
            lambda: _sql(
                """CREATE UNLOGGED TABLE bench_t AS
                SELECT s.*, x.kind,
                  x.kind = 'consult' AND s.r_state < 0.6 AS direct,
                  NOT (x.kind = 'consult' AND s.r_state < 0.6)
                    AND s.r_state > 0.985 AND s.id > 1 AS merged,
                  s.day >= %(end)s - 1 AND s.r_state > 0.5 AS waiting,
                  (%(leads)s::int[])[1 + floor(s.r_lead * %(nl)s)::int] AS lead,
                  CASE WHEN s.r_area < 0.1 THEN NULL ELSE
                    (%(areas)s::int[])[1 + floor(s.r_area * %(na)s)::int] END AS area,
                  %(end)s - s.day AS age
                FROM bench_src s, LATERAL (SELECT CASE
                    WHEN s.r_type < 0.25 THEN 'consult'
                    WHEN s.r_type < 0.45 THEN 'help'
                    WHEN s.r_type < 0.80 THEN 'complaint'
                    WHEN s.r_type < 0.88 THEN 'report'
                    WHEN s.r_type < 0.97 THEN 'suggest'
                    ELSE 'praise' END AS kind) x""",
                {
                    "end": end,
                    "leads": lead_ids,
                    "nl": len(lead_ids),
                    "areas": areas,
                    "na": len(areas),
                },
            ),
        )
        _step(
            "their steps and dates",
            lambda: _sql(
                """CREATE UNLOGGED TABLE bench_f AS
                SELECT t.*,
                  CASE WHEN t.direct OR t.merged OR t.waiting THEN NULL
                       WHEN t.r_sign < 0.02 THEN NULL  -- returned, at the centre
                       ELSE t.lead END AS owner_lead,
                  NOT (t.direct OR t.merged OR t.waiting) AND t.r_sign >= 0.02
                    AND (t.age >= 2 OR t.r_sign > 0.5) AS signed,
                  NOT (t.direct OR t.merged OR t.waiting) AND t.r_sign >= 0.02
                    AND t.kind <> 'praise'
                    AND (t.age >= 20 OR t.r_reply * 20 < t.age) AS replied
                FROM bench_t t"""
            ),
        )
        _step(
            "cases",
            lambda: _sql(
                f"""INSERT INTO {case_t} (id, case_type, number, state, agency_id,
                  title, opened_at, updated_at, closed_at)
                SELECT f.id, 'hotline', 'RX-B-' || lpad(f.id::text, 9, '0'),
                  CASE WHEN f.merged THEN 'merged' WHEN f.direct THEN 'closed'
                       WHEN f.waiting THEN 'received'
                       WHEN f.owner_lead IS NULL THEN 'returned'
                       WHEN f.replied AND f.age >= 16 THEN 'closed'
                       WHEN f.replied THEN 'replied'
                       WHEN f.signed THEN 'handling' ELSE 'dispatched' END,
                  COALESCE(f.owner_lead, %(centre)s), '市民诉求',
                  f.day + time '09:00', f.day + time '09:00', NULL
                FROM bench_f f""",
                {"centre": centre},
            ),
        )
        _sql(f"SELECT setval(pg_get_serial_sequence('{case_t}', 'id'), %s)", [n])
        topics, places, others = TOPICS, PLACES, OTHERS
        _step(
            "tickets",
            lambda: _sql(
                f"""INSERT INTO {ticket_t} (case_id, ticket_type, service_code,
                  urgency, channel, caller_name, phone, phone_tail, caller_key,
                  content, terms, location, area_id, received_on, merged_into_id,
                  suggestion, return_count, redo_count, direct_answer,
                  dispatched_on, signed_on, replied_on, reply_text, closed_on,
                  signed_on_time, handled_on_time, rectification_pending)
                SELECT f.id, f.kind, 'other',
                  CASE WHEN f.r_t3 < 0.05 THEN 'urgent' ELSE 'normal' END,
                  CASE WHEN f.r_t2 < 0.7 THEN 'phone' ELSE 'portal' END,
                  '', '', '', '', '市民诉求', w.terms, '', f.area, f.day,
                  CASE WHEN f.merged THEN f.id - 1 END, '{{}}'::jsonb,
                  CASE WHEN f.r_sign < 0.02 THEN 1 ELSE 0 END,
                  CASE WHEN f.replied AND f.r_reply < 0.03 THEN 1 ELSE 0 END,
                  f.direct,
                  CASE WHEN f.owner_lead IS NOT NULL THEN f.day END,
                  CASE WHEN f.signed THEN f.day END,
                  CASE WHEN f.direct THEN f.day
                       WHEN f.replied THEN f.day + floor(f.r_reply * 18)::int END,
                  '',
                  CASE WHEN f.direct THEN f.day
                       WHEN f.replied AND f.age >= 16 THEN f.day + 16 END,
                  CASE WHEN f.signed THEN f.r_sign < 0.975 END,
                  CASE WHEN f.direct THEN true
                       WHEN f.replied AND f.r_reply < 0.015 THEN NULL  -- redoing
                       WHEN f.replied THEN f.r_reply < 0.93 END,
                  false
                FROM bench_f f, LATERAL (SELECT concat_ws(' ',
                    (%(topics)s::text[])[1 + ((f.day - %(start)s) / 7
                        + floor(f.r_t1 * 12)::int) %% %(nt)s],
                    (%(topics)s::text[])[1 + floor(f.r_t2 ^ 2 * %(nt)s)::int],
                    (%(places)s::text[])[1 + floor(f.r_t3 * %(np)s)::int],
                    CASE WHEN f.r_t1 < 0.5 THEN
                      (%(others)s::text[])[1 + floor(f.r_t1 * 2 * %(no)s)::int]
                    END) AS terms) w""",
                {
                    "topics": topics,
                    "places": places,
                    "others": others,
                    "nt": len(topics),
                    "np": len(places),
                    "no": len(others),
                    "start": start,
                },
            ),
        )
        _step(
            "ratings",
            lambda: _sql(
                f"""INSERT INTO {rating_t} (ticket_id, grade, comment, channel,
                  rated_on, voided, appeal_reason, appeal_decision)
                SELECT f.id, g.grade, '', 'phone', f.day + 16,
                  g.grade <= 2 AND f.r_grade < 0.003, '', ''
                FROM bench_f f, LATERAL (SELECT CASE
                    WHEN f.r_grade < 0.55 THEN 5 WHEN f.r_grade < 0.80 THEN 4
                    WHEN f.r_grade < 0.90 THEN 3 WHEN f.r_grade < 0.96 THEN 2
                    ELSE 1 END AS grade) g
                WHERE (f.direct OR (f.replied AND f.age >= 16)) AND f.r_rate < 0.7"""
            ),
        )
        for t in ("bench_f", "bench_t", "bench_src"):
            _sql(f"DROP TABLE {t}")
    _step("analyze", lambda: _sql("ANALYZE"))


def _timed(fn: Callable[[], Any], rounds: int) -> tuple[list[float], Any]:
    out, times = None, []
    for _ in range(rounds):
        start = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - start) * 1000)
    return times, out


def _p(times: list[float], q: float) -> float:
    if len(times) == 1:
        return times[0]
    return statistics.quantiles(times, n=100, method="inclusive")[int(q) - 1]


def run(n: int, reuse: bool, rounds: int, adhoc_rounds: int) -> bool:
    from django.core.management import call_command

    from fazhi.demo.huangshi import build_org, build_people
    from fazhi.domains.hotline import indicators, queries
    from fazhi.domains.hotline.models import HotlineCount, HotlineDaily, Ticket
    from fazhi.domains.hotline.roles import DISPATCHER
    from fazhi.domains.hotline.rollup import rebuild
    from fazhi.kernel.deadlines.calendar import today
    from fazhi.kernel.indicators.registry import get_spec
    from fazhi.kernel.org.models import Agency, User
    from fazhi.kernel.org.services import membership_grant, user_create

    if not (reuse and Ticket.objects.exists()):
        print(f"building {n:,} tickets in {BENCH_DB}", flush=True)
        _step("migrate", lambda: call_command("migrate", verbosity=0))
        agencies = build_org()
        build_people(agencies)
        op = user_create(
            actor=None,
            username="bench_op",
            full_name="话务员",
            password="Fazhi@2026demo",
            default_agency=agencies["420200-ZWJ"],
            phone="13800138001",
        )
        membership_grant(
            actor=None, user=op, agency=agencies["420200-ZWJ"], role=DISPATCHER,
            scope="city",
        )  # fmt: skip
        _synthesise(n)
        _step("roll-up: rollup.rebuild()", lambda: rebuild(check=False))
        _step("analyze", lambda: _sql("ANALYZE"))
    n = Ticket.objects.count()
    print(
        f"{n:,} tickets; roll-up {HotlineDaily.objects.count():,} daily rows, "
        f"{HotlineCount.objects.count():,} type/area/keyword rows",
        flush=True,
    )
    city = Agency.objects.get(code="420200")
    county = Agency.objects.get(code="420281")
    city_user = User.objects.get(username="bench_op")
    county_user = User.objects.get(username="dy_handler")
    on = today()
    year, quarter = str(on.year), f"{on.year}-Q3"
    cases: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = []
    for code in indicators.RATIOS:
        cases.append(
            (
                f"{code.split('.')[1]} city {year}",
                lambda c=code: get_spec(c).compute(city, year),
                lambda c=code: indicators.adhoc_rate(city, year, c),
            )
        )
    cases.append(
        (
            f"5 KPIs 大冶 {quarter}",
            lambda: [get_spec(c).compute(county, quarter) for c in indicators.RATIOS],
            lambda: [
                indicators.adhoc_rate(county, quarter, c) for c in indicators.RATIOS
            ],
        )
    )
    for label, user in (("city", city_user), ("大冶 handler", county_user)):
        cases.append(
            (
                f"dashboard {label}",
                lambda u=user: queries.dashboard(u, on=on),
                lambda u=user: queries.dashboard_adhoc(u, on=on),
            )
        )
    print(
        f"\n{'query':<32}{'roll-up p50/p95 ms':>22}{'GROUP BY p50/p95 ms':>24}"
        f"{'ratio p95':>11}  same",
        flush=True,
    )
    ok = True
    worst, ratios = 0.0, []
    for name, fast, slow in cases:
        fast()  # warm the connection and the plan
        t_fast, a = _timed(fast, rounds)
        t_slow, b = _timed(slow, adhoc_rounds)
        same = a == b
        ok &= same
        f50, f95, s50, s95 = (
            _p(t_fast, 50), _p(t_fast, 95), _p(t_slow, 50), _p(t_slow, 95)
        )  # fmt: skip
        worst = max(worst, f95)
        ratios.append(s95 / f95)
        print(
            f"{name:<32}{f50:>10.1f} / {f95:>8.1f}{s50:>12.0f} / {s95:>8.0f}"
            f"{s95 / f95:>10.0f}x  {'yes' if same else 'NO'}",
            flush=True,
        )
    print(
        f"\nworst roll-up p95 {worst:.1f} ms (target <= 100); smallest ratio "
        f"{min(ratios):.0f}x (target >= 50); answers identical: {ok}"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10_000_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--adhoc-rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="leave the database")
    parser.add_argument(
        "--reuse", action="store_true", help="time a kept database again"
    )
    args = parser.parse_args()
    admin, _bench = _prepare_database(args.reuse)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    os.environ.setdefault("FAZHI_DEBUG", "0")
    import django

    django.setup()
    try:
        met = run(args.tickets, args.reuse, args.rounds, args.adhoc_rounds)
    finally:
        if not (args.keep or args.reuse):
            _drop(admin)
    sys.exit(0 if met else 1)  # only a wrong answer fails the run


if __name__ == "__main__":
    main()
