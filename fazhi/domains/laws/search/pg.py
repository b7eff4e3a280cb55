"""The PostgreSQL backend: the same interface as `SqliteBackend`.

Articles: one tsvector per article (heading weight B, text D) under GIN, with
the document id beside it (btree) so "inside these documents" is an index
lookup. Titles: one tsvector per document (weight A) under GIN. Ranked by
ts_rank with normalisation 1 (divide by 1 + log(length)), which stands in
for bm25's length normalisation.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection

from .backends import Filters, IndexRow, _count, _titles
from .query import Group

PG_WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"  # D (body), C, B (heading), A (title)


# Within an import batch the added articles are counted once at its end: one
# upsert per lexeme instead of one per document, which inside one long
# transaction rewrote the same hot rows thousands of times (quadratic).
_deferred = threading.local()


@contextmanager
def terms_counted_at_end() -> Iterator[None]:
    if getattr(_deferred, "ids", None) is not None:
        yield  # already inside a batch
        return
    _deferred.ids = []
    try:
        yield
        ids = _deferred.ids
    finally:
        _deferred.ids = None
    if ids:
        with connection.cursor() as cur:
            PostgresBackend()._count_terms(cur, ids, +1)


class PostgresBackend:
    name = "postgresql"
    table = "laws_articletsv"
    title_table = "laws_doctsv"
    df_table = "laws_termdf"

    def create(self) -> None:
        with connection.cursor() as cur:
            cur.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} ("
                # No foreign key: Django's test flush truncates laws_article
                # without CASCADE; the services remove index rows themselves.
                "article_id integer PRIMARY KEY, document_id integer NOT NULL, "
                "tsv tsvector NOT NULL)"
            )
            cur.execute(
                f"CREATE INDEX IF NOT EXISTS {self.table}_gin "
                f"ON {self.table} USING gin (tsv)"
            )
            cur.execute(
                f"CREATE INDEX IF NOT EXISTS {self.table}_doc "
                f"ON {self.table} (document_id)"
            )
            cur.execute(
                f"CREATE TABLE IF NOT EXISTS {self.title_table} ("
                "document_id integer PRIMARY KEY, level text NOT NULL DEFAULT '', "
                "tsv tsvector NOT NULL)"
            )
            cur.execute(
                f"CREATE INDEX IF NOT EXISTS {self.title_table}_gin "
                f"ON {self.title_table} USING gin (tsv)"
            )
            cur.execute(
                f"CREATE TABLE IF NOT EXISTS {self.df_table} ("
                "word text PRIMARY KEY, ndoc integer NOT NULL)"
            )

    def drop(self) -> None:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {self.table}")
            cur.execute(f"DROP TABLE IF EXISTS {self.title_table}")
            cur.execute(f"DROP TABLE IF EXISTS {self.df_table}")

    def clear(self) -> None:
        """Empty before a full rebuild. The GIN indexes go too and are built
        once by `optimize`: maintaining them row by row made the rebuild
        several times slower."""
        with connection.cursor() as cur:
            cur.execute(f"TRUNCATE {self.table}, {self.title_table}, {self.df_table}")
            cur.execute(f"DROP INDEX IF EXISTS {self.table}_gin")
            cur.execute(f"DROP INDEX IF EXISTS {self.title_table}_gin")

    def add(self, rows: Iterable[IndexRow]) -> None:
        rows = list(rows)
        titles = _titles(rows)
        with connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {self.table} (article_id, document_id, tsv) VALUES "  # noqa: S608
                "(%s, %s, setweight(to_tsvector('simple', %s), 'B') || "
                "to_tsvector('simple', %s))",
                [(r.article_id, r.document_id, r.heading, r.body) for r in rows],
            )
            cur.executemany(
                f"INSERT INTO {self.title_table} (document_id, tsv, level) VALUES "  # noqa: S608
                "(%s, setweight(to_tsvector('simple', %s), 'A'), %s) "
                "ON CONFLICT (document_id) DO UPDATE "
                "SET tsv = EXCLUDED.tsv, level = EXCLUDED.level",
                [(did, title, level) for did, (title, level) in titles.items()],
            )
            self._count_terms(cur, [r.article_id for r in rows], +1)

    def _count_terms(self, cur: Any, ids: list[int], sign: int) -> None:
        """Keep `laws_termdf` (articles per lexeme) exact as rows come and go,
        so a query ranks the same before and after a rebuild."""
        if not ids:
            return
        pending = getattr(_deferred, "ids", None)
        if sign > 0 and pending is not None:
            pending.extend(ids)  # counted once when the batch ends
            return
        # ts_stat takes the query as text; the ids are integers.
        inner = (
            f"SELECT tsv FROM {self.table} WHERE article_id = ANY('{{"  # noqa: S608
            + ",".join(str(int(i)) for i in ids)
            + "}'::int[])"
        )
        cur.execute(
            f"INSERT INTO {self.df_table} AS t (word, ndoc) "  # noqa: S608
            f"SELECT word, {sign} * ndoc FROM ts_stat(%s) "
            "ON CONFLICT (word) DO UPDATE SET ndoc = t.ndoc + EXCLUDED.ndoc",
            [inner],
        )

    def remove(self, rows: Iterable[IndexRow]) -> None:
        rows = list(rows)
        ids = [r.article_id for r in rows]
        if ids:
            with connection.cursor() as cur:
                self._count_terms(cur, ids, -1)
                sql = f"DELETE FROM {self.table} WHERE article_id = ANY(%s)"  # noqa: S608
                cur.execute(sql, [ids])
                sql = f"DELETE FROM {self.title_table} WHERE document_id = ANY(%s)"  # noqa: S608
                cur.execute(sql, [list(_titles(rows))])

    def optimize(self) -> None:
        self.create()  # the indexes `clear` dropped
        with connection.cursor() as cur:
            cur.execute(f"ANALYZE {self.df_table}")
            cur.execute(f"ANALYZE {self.table}")
            cur.execute(f"ANALYZE {self.title_table}")

    # -- queries ----------------------------------------------------------

    @staticmethod
    def _group(g: Group, params: list[object]) -> str:
        params.append(g.word)
        if not g.parts and not g.alts:
            return "plainto_tsquery('simple', %s)"
        options = ["plainto_tsquery('simple', %s)"]
        for words in (g.parts, *g.alts):
            if words:
                params.append(" ".join(words))  # plainto_tsquery ANDs them
                options.append("plainto_tsquery('simple', %s)")
        return "(" + " || ".join(options) + ")"

    def tsquery(self, groups: Sequence[Group], need: int) -> tuple[str, list[object]]:
        """At least `need` of the groups (all: AND; one: OR)."""
        params: list[object] = []
        if need >= len(groups):
            return " && ".join(self._group(g, params) for g in groups), params
        if need <= 1:
            return " || ".join(self._group(g, params) for g in groups), params
        parts = [
            self.tsquery([*groups[:i], *groups[i + 1 :]], need)
            for i in range(len(groups))
        ]
        return (
            " || ".join(f"({expr})" for expr, _ in parts),
            [p for _, ps in parts for p in ps],
        )

    def title_count(self) -> int:
        return _count(self.title_table)

    def article_count(self) -> int:
        return _count("laws_article")

    def doc_freq(self, terms: Sequence[str]) -> dict[str, int]:
        """How many articles have each term (kept by `add` and `remove`)."""
        if not terms:
            return {}
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT word, ndoc FROM {self.df_table} WHERE word = ANY(%s)",  # noqa: S608
                [list(terms)],
            )
            return {t: int(n) for t, n in cur.fetchall()}

    def title_hits(
        self, groups: Sequence[Group], limit: int
    ) -> list[tuple[dict[int, tuple[float, str]], int]]:
        """As `SqliteBackend.title_hits`."""
        t = self.title_table
        queries: list[tuple[str, list[object]]] = []
        for g in groups:
            params: list[object] = []
            queries.append((self._group(g, params), params))
        with connection.cursor() as cur:
            dfs = []
            for expr, params in queries:
                cur.execute(f"SELECT count(*) FROM {t} WHERE tsv @@ ({expr})", params)  # noqa: S608
                dfs.append(int(cur.fetchone()[0]))
            rare = [q for q, df in zip(queries, dfs, strict=True) if df <= limit]
            rank = f"ts_rank('{PG_WEIGHTS}', tsv, q.q, 1)"
            out: list[tuple[dict[int, tuple[float, str]], int]] = []
            for (expr, params), df in zip(queries, dfs, strict=True):
                tail, args = "", list(params)
                if df <= limit:
                    score, cond = rank, "tsv @@ q.q"
                elif rare:
                    within = " || ".join(f"({e})" for e, _ in rare)
                    score, cond = "0.0", f"tsv @@ (q.q && ({within}))"
                    args += [p for _, ps in rare for p in ps]
                else:
                    score, cond = rank, "tsv @@ q.q"
                    tail, args = " ORDER BY 2 DESC LIMIT %s", [*args, limit]
                cur.execute(
                    f"WITH q AS (SELECT {expr} AS q) SELECT document_id, {score}, "  # noqa: S608
                    f"level FROM {t} CROSS JOIN q WHERE {cond}{tail}",
                    args,
                )
                out.append(({did: (float(r), lv) for did, r, lv in cur.fetchall()}, df))
        return out

    def body_hits(
        self,
        groups: Sequence[Group],
        need: int,
        limit: int,
        *,
        documents: Sequence[int] = (),
        filters: Filters | None = None,
    ) -> list[tuple[int, int | None, float]]:
        """(article id, document id, score) best first, higher better."""
        where, params = (filters or Filters()).sql()
        conds: list[str] = []
        args: list[object] = []
        if documents:
            conds.append("s.document_id = ANY(%s)")
            args.append(list(documents))
        if groups and need > 0:
            expr, qparams = self.tsquery(groups, need)
            head = f"WITH q AS (SELECT {expr} AS q) "
            rank = f"ts_rank('{PG_WEIGHTS}', s.tsv, q.q, 1)"
            source = f"{self.table} s CROSS JOIN q "
            conds.append("s.tsv @@ q.q")
            order = "r DESC"
        elif documents:
            head, qparams, rank = "", [], "0.0"
            source = f"{self.table} s "
            order = "s.article_id"  # the first articles of the document
        else:
            return []
        sql = (
            f"{head}SELECT s.article_id, s.document_id, {rank} AS r FROM {source}"  # noqa: S608
            + ("JOIN laws_document d ON d.id = s.document_id " if where else "")
            + "WHERE "
            + " AND ".join([*conds, *where])
            + f" ORDER BY {order} LIMIT %s"
        )
        with connection.cursor() as cur:
            cur.execute(sql, [*qparams, *args, *params, limit])
            return [(aid, did, float(r)) for aid, did, r in cur.fetchall()]

    def size_bytes(self) -> int:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT pg_total_relation_size(%s) + pg_total_relation_size(%s)",
                [self.table, self.title_table],
            )
            return int(cur.fetchone()[0])
