"""The two search backends behind one interface.

Both index the same pre-tokenised text (kernel normalise + tokenize, tokens
joined by spaces) in three weighted fields: the document's title, the
article's chapter/section heading, and the article's text.

- SQLite: a contentless FTS5 table (rowid = article id), ranked by bm25 with
  column weights. Contentless keeps the index small; the price is that a row
  is removed with FTS5's 'delete' command given the tokens it was indexed
  with, which we recompute from the stored text (a changed dictionary means
  `fazhi search reindex` anyway).
- PostgreSQL: a tsvector per article built with the 'simple' configuration
  (no stemming, no stop words: the tokens are already words) under a GIN
  index, weights A/B/D, ranked by ts_rank.

A query runs in "and" mode (every query word); when that finds too little,
"most" mode (all words but one, any one: a union of intersections, cheap to
rank because common words alone do not match), and last "or" mode (any
word, ranked over every match). Each backend quotes tokens itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import connection

from .query import Group, QueryPlan

SQLITE_WEIGHTS = (10.0, 3.0, 1.0)  # title, heading, body
PG_WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"  # D (body), C, B (heading), A (title)
# ts_rank normalisation 1 (divide by 1 + log(length)) stands in for bm25's
# length normalisation: on the judgment set it lifts recall@10 from 0.84 to
# 0.86 (nDCG@10 0.80 → 0.78).


@dataclass(frozen=True)
class IndexRow:
    article_id: int
    document_id: int
    title: str  # space-joined tokens
    heading: str
    body: str


@dataclass(frozen=True)
class Filters:
    level: str = ""
    status: str = ""
    issuer: str = ""
    region: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def sql(self) -> tuple[list[str], list[object]]:
        where: list[str] = []
        params: list[object] = []
        for column, value in (
            ("level", self.level),
            ("status", self.status),
            ("region", self.region),
        ):
            if value:
                where.append(f"d.{column} = %s")
                params.append(value)
        if self.issuer:
            where.append("d.issuer LIKE %s")
            params.append(f"%{_like_escape(self.issuer)}%")
        if self.date_from:
            where.append("d.published >= %s")
            params.append(self.date_from)
        if self.date_to:
            where.append("d.published <= %s")
            params.append(self.date_to)
        return where, params

    @property
    def active(self) -> bool:
        return bool(self.sql()[0])


def _like_escape(value: str) -> str:
    # Django's backends declare no ESCAPE for raw LIKE, so drop the wildcards.
    return value.replace("%", "").replace("_", "")


class SqliteBackend:
    name = "sqlite"
    table = "laws_fts"

    def create(self) -> None:
        with connection.cursor() as cur:
            cur.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table} USING fts5("
                "title, heading, body, content='', "
                "tokenize='unicode61 remove_diacritics 0')"
            )

    def drop(self) -> None:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {self.table}")

    def clear(self) -> None:
        with connection.cursor() as cur:
            cur.execute(f"INSERT INTO {self.table}({self.table}) VALUES('delete-all')")

    def add(self, rows: Iterable[IndexRow]) -> None:
        with connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {self.table}(rowid, title, heading, body) "  # noqa: S608
                "VALUES (%s, %s, %s, %s)",
                [(r.article_id, r.title, r.heading, r.body) for r in rows],
            )

    def remove(self, rows: Iterable[IndexRow]) -> None:
        with connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {self.table}({self.table}, rowid, title, heading, body)"  # noqa: S608
                " VALUES ('delete', %s, %s, %s, %s)",
                [(r.article_id, r.title, r.heading, r.body) for r in rows],
            )

    def optimize(self) -> None:
        with connection.cursor() as cur:
            cur.execute(f"INSERT INTO {self.table}({self.table}) VALUES('optimize')")

    @staticmethod
    def _quote(token: str) -> str:
        return '"' + token.replace('"', '""') + '"'

    def _group(self, g: Group) -> str:
        if not g.parts:
            return self._quote(g.word)
        parts = " AND ".join(self._quote(p) for p in g.parts)
        return f"({self._quote(g.word)} OR ({parts}))"

    def match(self, groups: Sequence[Group], mode: str) -> str:
        if mode == "most" and len(groups) > 2:
            return " OR ".join(
                "(" + self.match([*groups[:i], *groups[i + 1 :]], "and") + ")"
                for i in range(len(groups))
            )
        joiner = " AND " if mode == "and" else " OR "
        return joiner.join(self._group(g) for g in groups)

    def candidates(
        self, plan: QueryPlan, filters: Filters, mode: str, limit: int
    ) -> list[tuple[int, int, float]]:
        """(article id, document id, score) best first; higher scores are better."""
        where, params = filters.sql()
        w = ", ".join(str(x) for x in SQLITE_WEIGHTS)
        sql = (
            f"SELECT f.rowid, a.document_id, bm25({self.table}, {w}) AS r "  # noqa: S608
            f"FROM {self.table} f JOIN laws_article a ON a.id = f.rowid "
            + ("JOIN laws_document d ON d.id = a.document_id " if where else "")
            + f"WHERE {self.table} MATCH %s "
            + "".join(f"AND {c} " for c in where)
            + "ORDER BY r LIMIT %s"
        )
        with connection.cursor() as cur:
            cur.execute(sql, [self.match(plan.groups, mode), *params, limit])
            return [(aid, did, -float(r)) for aid, did, r in cur.fetchall()]

    def size_bytes(self) -> int:
        with connection.cursor() as cur:
            cur.execute("PRAGMA page_size")
            page = cur.fetchone()[0]
            total = 0
            for suffix in ("data", "idx", "docsize", "config"):
                try:
                    cur.execute(
                        "SELECT count(*) FROM dbstat WHERE name = %s",
                        [f"{self.table}_{suffix}"],
                    )
                except Exception:  # dbstat is an optional SQLite module
                    return -1
                total += cur.fetchone()[0] * page
            return total


class PostgresBackend:
    name = "postgresql"
    table = "laws_articletsv"

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

    def drop(self) -> None:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {self.table}")

    def clear(self) -> None:
        with connection.cursor() as cur:
            cur.execute(f"TRUNCATE {self.table}")

    def add(self, rows: Iterable[IndexRow]) -> None:
        with connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {self.table} (article_id, document_id, tsv) VALUES "  # noqa: S608
                "(%s, %s, setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'B') || "
                "to_tsvector('simple', %s))",
                [
                    (r.article_id, r.document_id, r.title, r.heading, r.body)
                    for r in rows
                ],
            )

    def remove(self, rows: Iterable[IndexRow]) -> None:
        ids = [r.article_id for r in rows]
        if ids:
            with connection.cursor() as cur:
                sql = f"DELETE FROM {self.table} WHERE article_id = ANY(%s)"  # noqa: S608
                cur.execute(sql, [ids])

    def optimize(self) -> None:
        with connection.cursor() as cur:
            cur.execute(f"ANALYZE {self.table}")

    @staticmethod
    def _group(g: Group, params: list[object]) -> str:
        params.append(g.word)
        if not g.parts:
            return "plainto_tsquery('simple', %s)"
        params.append(" ".join(g.parts))  # plainto_tsquery ANDs the parts
        return "(plainto_tsquery('simple', %s) || plainto_tsquery('simple', %s))"

    def tsquery(self, groups: Sequence[Group], mode: str) -> tuple[str, list[object]]:
        if mode == "most" and len(groups) > 2:
            parts = [
                self.tsquery([*groups[:i], *groups[i + 1 :]], "and")
                for i in range(len(groups))
            ]
            return (
                " || ".join(f"({expr})" for expr, _ in parts),
                [p for _, params in parts for p in params],
            )
        params: list[object] = []
        joiner = " && " if mode == "and" else " || "
        return joiner.join(self._group(g, params) for g in groups), params

    def candidates(
        self, plan: QueryPlan, filters: Filters, mode: str, limit: int
    ) -> list[tuple[int, int, float]]:
        expr, qparams = self.tsquery(plan.groups, mode)
        where, params = filters.sql()
        sql = (
            f"WITH q AS (SELECT {expr} AS q) "  # noqa: S608
            f"SELECT s.article_id, s.document_id, "
            f"ts_rank('{PG_WEIGHTS}', s.tsv, q.q, 1) AS r "
            f"FROM {self.table} s CROSS JOIN q "
            + ("JOIN laws_document d ON d.id = s.document_id " if where else "")
            + "WHERE s.tsv @@ q.q "
            + "".join(f"AND {c} " for c in where)
            + "ORDER BY r DESC LIMIT %s"
        )
        with connection.cursor() as cur:
            cur.execute(sql, [*qparams, *params, limit])
            return [(aid, did, float(r)) for aid, did, r in cur.fetchall()]

    def size_bytes(self) -> int:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_total_relation_size(%s)", [self.table])
            return int(cur.fetchone()[0])


def current_backend() -> SqliteBackend | PostgresBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SqliteBackend()
