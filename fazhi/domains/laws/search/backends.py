"""The two search backends behind one interface.

Both index the same pre-tokenised text (kernel normalise + tokenize, tokens
joined by spaces) in two places:

- a document-level title index, one row per document (a few thousand rows);
- an article-level index of the chapter/section heading and the text.

The title is not repeated in every article's row. It used to be (as a
boosted column), and then a common title word (条例, 中华人民共和国) matched
~150,000 rows that all had to be ranked: the slow queries of the judgment
set were those. Now a query first finds the documents whose title matches
(`title_hits`, cheap), then ranks articles by their own text (`body_hits`),
either over every article or only inside chosen documents; `rank.py` joins
the two.

- SQLite: FTS5. The article table is contentless (rowid = article id) with a
  third column holding one token per document ("d123"), so "inside these
  documents" is an FTS5 expression too and FTS5 intersects the tiny posting
  lists itself. A contentless row is removed with FTS5's 'delete' command
  given the tokens it was indexed with, which we recompute from the stored
  text (a changed dictionary means `fazhi search reindex` anyway). The title
  table keeps its content (it is small) so rows delete by rowid.
- PostgreSQL: tsvector ('simple' configuration: no stemming, no stop words,
  the tokens are already words) under GIN indexes; see `pg.py`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import connection

from .query import Group

# bm25 column weights of the article table: heading, body, document token.
SQLITE_WEIGHTS = (3.0, 1.0, 0.0)


@dataclass(frozen=True)
class IndexRow:
    article_id: int
    document_id: int
    title: str  # space-joined tokens
    heading: str
    body: str
    level: str = ""  # the document's, kept beside its title (ties prefer 法律)


@dataclass(frozen=True)
class Filters:
    level: str = ""
    status: str = ""
    issuer: str = ""
    region: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def lookups(self) -> dict[str, object]:
        """The conditions on laws_document, as ORM lookups: the one place
        that says what each filter means (`sql` is built from it)."""
        out: dict[str, object] = {
            column: getattr(self, column)
            for column in ("level", "status", "region")
            if getattr(self, column)
        }
        if self.issuer:
            out["issuer__contains"] = _like_escape(self.issuer)
        if self.date_from:
            out["published__gte"] = self.date_from
        if self.date_to:
            out["published__lte"] = self.date_to
        return out

    def sql(self) -> tuple[list[str], list[object]]:
        """`lookups` as raw conditions on `laws_document d`, for the
        backends' own SQL."""
        where: list[str] = []
        params: list[object] = []
        for lookup, value in self.lookups().items():
            column, _, op = lookup.partition("__")
            if op == "contains":
                where.append(f"d.{column} LIKE %s")
                value = f"%{value}%"
            else:
                where.append(f"d.{column} {_SQL_OPS[op]} %s")
            params.append(value)
        return where, params

    @property
    def active(self) -> bool:
        return bool(self.sql()[0])


_SQL_OPS = {"": "=", "gte": ">=", "lte": "<="}


def _like_escape(value: str) -> str:
    # Django's backends declare no ESCAPE for raw LIKE, so drop the wildcards.
    return value.replace("%", "").replace("_", "")


def _titles(rows: Iterable[IndexRow]) -> dict[int, tuple[str, str]]:
    return {r.document_id: (r.title, r.level) for r in rows}


_COUNT_TTL = 30.0  # seconds; the number of documents only weighs title words
_counted: dict[str, tuple[float, int]] = {}


def cached_count(key: str, count: Callable[[], int]) -> int:
    now = time.monotonic()
    hit = _counted.get(key)
    if hit is None or now - hit[0] > _COUNT_TTL:
        hit = (now, count())
        _counted[key] = hit
    return hit[1]


def _count(table: str) -> int:
    def count() -> int:
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            return int(cur.fetchone()[0])

    db = connection.settings_dict["NAME"]
    return cached_count(f"{connection.alias}:{db}:{table}", count)


def id_in(column: str, ids: Iterable[int]) -> tuple[str, list[object]]:
    """`column` is one of `ids`, with the list as one parameter: a few
    hundred "%s" cost more to prepare than the lookup itself. PostgreSQL
    gets = ANY (an IN over unnest() made it scan a million articles)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [[int(i) for i in ids]]
    values = json.dumps([int(i) for i in ids])
    return f"{column} IN (SELECT value FROM json_each(%s))", [values]  # noqa: S608


def documents_of(article_ids: Sequence[int]) -> dict[int, int]:
    """article id -> document id, in one query (SQLite's contentless index
    does not give it back; PostgreSQL's rows carry it)."""
    if not article_ids:
        return {}
    cond, params = id_in("id", article_ids)
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, document_id FROM laws_article WHERE {cond}", params)  # noqa: S608
        return dict(cur.fetchall())


def document_info(document_ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    """document id -> (level, title, status), in one query."""
    ids = list(document_ids)
    if not ids:
        return {}
    cond, params = id_in("id", ids)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT id, level, title, status FROM laws_document WHERE {cond}",  # noqa: S608
            params,
        )
        return {did: (level, title, status) for did, level, title, status in cur}


def filtered_documents(filters: Filters, ids: Iterable[int]) -> set[int]:
    """The documents among `ids` that pass the filters."""
    ids = list(ids)
    if not ids or not filters.active:
        return set(ids)
    where, params = filters.sql()
    cond, id_params = id_in("d.id", ids)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT d.id FROM laws_document d WHERE {cond} "  # noqa: S608
            + "".join(f"AND {c} " for c in where),
            [*id_params, *params],
        )
        return {row[0] for row in cur.fetchall()}


class SqliteBackend:
    name = "sqlite"
    table = "laws_fts"
    title_table = "laws_fts_title"

    def create(self) -> None:
        with connection.cursor() as cur:
            cur.execute("SELECT sql FROM sqlite_master WHERE name = %s", [self.table])
            row = cur.fetchone()
            if row and "doc" not in row[0]:  # the old layout (title per article)
                cur.execute(f"DROP TABLE {self.table}")
            cur.execute(
                "SELECT sql FROM sqlite_master WHERE name = %s", [self.title_table]
            )
            row = cur.fetchone()
            if row and "level" not in row[0]:
                cur.execute(f"DROP TABLE {self.title_table}")
            cur.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table} USING fts5("
                "heading, body, doc, content='', "
                "tokenize='unicode61 remove_diacritics 0')"
            )
            cur.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table}_vocab "
                f"USING fts5vocab({self.table}, 'row')"
            )
            cur.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.title_table} USING fts5("
                "title, level UNINDEXED, tokenize='unicode61 remove_diacritics 0')"
            )

    def drop(self) -> None:
        with connection.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {self.table}_vocab")
            cur.execute(f"DROP TABLE IF EXISTS {self.table}")
            cur.execute(f"DROP TABLE IF EXISTS {self.title_table}")

    def clear(self) -> None:
        with connection.cursor() as cur:
            cur.execute(f"INSERT INTO {self.table}({self.table}) VALUES('delete-all')")
            cur.execute(f"DELETE FROM {self.title_table}")  # noqa: S608

    def add(self, rows: Iterable[IndexRow]) -> None:
        rows = list(rows)
        titles = _titles(rows)
        with connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {self.table}(rowid, heading, body, doc) "  # noqa: S608
                "VALUES (%s, %s, %s, %s)",
                [(r.article_id, r.heading, r.body, f"d{r.document_id}") for r in rows],
            )
            cur.executemany(
                f"DELETE FROM {self.title_table} WHERE rowid = %s",  # noqa: S608
                [(did,) for did in titles],
            )
            cur.executemany(
                f"INSERT INTO {self.title_table}(rowid, title, level) "  # noqa: S608
                "VALUES (%s, %s, %s)",
                [(did, title, level) for did, (title, level) in titles.items()],
            )

    def remove(self, rows: Iterable[IndexRow]) -> None:
        rows = list(rows)
        with connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO {self.table}({self.table}, rowid, heading, body, doc)"  # noqa: S608
                " VALUES ('delete', %s, %s, %s, %s)",
                [(r.article_id, r.heading, r.body, f"d{r.document_id}") for r in rows],
            )
            cur.executemany(
                f"DELETE FROM {self.title_table} WHERE rowid = %s",  # noqa: S608
                [(did,) for did in _titles(rows)],
            )

    def optimize(self) -> None:
        with connection.cursor() as cur:
            cur.execute(f"INSERT INTO {self.table}({self.table}) VALUES('optimize')")
            cur.execute(
                f"INSERT INTO {self.title_table}({self.title_table}) VALUES('optimize')"
            )

    # -- queries ----------------------------------------------------------

    @staticmethod
    def _quote(token: str) -> str:
        return '"' + token.replace('"', '""') + '"'

    def _group(self, g: Group) -> str:
        if not g.parts and not g.alts:
            return self._quote(g.word)
        options = [self._quote(g.word)] + [
            "(" + " AND ".join(self._quote(t) for t in words) + ")"
            for words in (g.parts, *g.alts)
            if words
        ]
        return "(" + " OR ".join(options) + ")"

    def match(self, groups: Sequence[Group], need: int) -> str:
        """At least `need` of the groups (all of them: AND; one: OR)."""
        if need >= len(groups):
            return " AND ".join(self._group(g) for g in groups)
        if need <= 1:
            return " OR ".join(self._group(g) for g in groups)
        # all but one, any one: a union of intersections
        return " OR ".join(
            "(" + self.match([*groups[:i], *groups[i + 1 :]], need) + ")"
            for i in range(len(groups))
        )

    def title_count(self) -> int:
        return _count(self.title_table)

    def article_count(self) -> int:
        return _count("laws_article")

    def doc_freq(self, terms: Sequence[str]) -> dict[str, int]:
        """How many articles have each term (FTS5's own vocabulary, live)."""
        if not terms:
            return {}
        marks = ", ".join(["%s"] * len(terms))
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT term, doc FROM {self.table}_vocab WHERE term IN ({marks})",  # noqa: S608
                list(terms),
            )
            return {t: int(n) for t, n in cur.fetchall()}

    def title_hits(
        self, groups: Sequence[Group], limit: int
    ) -> list[tuple[dict[int, tuple[float, str]], int]]:
        """Per group: ({document id: (title bm25, level)}, how many titles
        have it). A word in more than `limit` titles (条例) is read only for
        the titles that also have a rarer query word, without bm25 (or, when
        every word is that common, for the best `limit` titles): it says
        little, and reading thousands of titles was most of this step."""
        t = self.title_table
        exprs = ["title : (" + self._group(g) + ")" for g in groups]
        with connection.cursor() as cur:
            dfs = []
            for expr in exprs:
                cur.execute(f"SELECT count(*) FROM {t} WHERE {t} MATCH %s", [expr])  # noqa: S608
                dfs.append(int(cur.fetchone()[0]))
            rare = [e for e, df in zip(exprs, dfs, strict=True) if df <= limit]
            out: list[tuple[dict[int, tuple[float, str]], int]] = []
            for expr, df in zip(exprs, dfs, strict=True):
                head = f"SELECT rowid, %s, level FROM {t} WHERE {t} MATCH %%s"  # noqa: S608
                if df <= limit:
                    sql, args = head % f"-bm25({t})", [expr]
                elif rare:
                    within = " OR ".join(f"({e})" for e in rare)
                    sql, args = head % "0.0", [f"({expr}) AND ({within})"]
                else:
                    sql = head % f"-bm25({t})" + " ORDER BY rank LIMIT %s"
                    args = [expr, limit]
                cur.execute(sql, args)
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
        """(article id, document id or None, score) best first, higher better:
        articles whose heading/text match at least `need` groups (need 0:
        every article), inside `documents` when given."""
        expr = ""
        if groups and need > 0:
            expr = "{heading body} : (" + self.match(groups, need) + ")"
        if documents:
            docs = " OR ".join(f"d{int(d)}" for d in documents)
            expr = f"doc : ({docs})" + (f" AND {expr}" if expr else "")
        if not expr:
            return []
        where, params = (filters or Filters()).sql()
        w = ", ".join(str(x) for x in SQLITE_WEIGHTS)
        if need <= 0:  # every article of the documents: the first ones
            with connection.cursor() as cur:
                cur.execute(
                    f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s "  # noqa: S608
                    "LIMIT %s",
                    [expr, limit],
                )
                return [(aid, None, 0.0) for (aid,) in cur.fetchall()]
        if where:
            sql = (
                f"SELECT f.rowid, a.document_id, bm25({self.table}, {w}) AS r "  # noqa: S608
                f"FROM {self.table} f JOIN laws_article a ON a.id = f.rowid "
                "JOIN laws_document d ON d.id = a.document_id "
                f"WHERE {self.table} MATCH %s "
                + "".join(f"AND {c} " for c in where)
                + "ORDER BY r LIMIT %s"
            )
            args = [expr, *params, limit]
        else:
            # No join before the LIMIT: FTS5 ranks its own rows, the document
            # of the few kept rows is looked up afterwards.
            sql = (
                f"SELECT rowid, NULL, bm25({self.table}, {w}) AS r "  # noqa: S608
                f"FROM {self.table} WHERE {self.table} MATCH %s ORDER BY r LIMIT %s"
            )
            args = [expr, limit]
        with connection.cursor() as cur:
            cur.execute(sql, args)
            return [(aid, did, -float(r)) for aid, did, r in cur.fetchall()]

    def size_bytes(self) -> int:
        with connection.cursor() as cur:
            cur.execute("PRAGMA page_size")
            page = cur.fetchone()[0]
            total = 0
            for table in (self.table, self.title_table):
                for suffix in ("data", "idx", "docsize", "config", "content"):
                    try:
                        cur.execute(
                            "SELECT count(*) FROM dbstat WHERE name = %s",
                            [f"{table}_{suffix}"],
                        )
                    except Exception:  # dbstat is an optional SQLite module
                        return -1
                    total += cur.fetchone()[0] * page
            return total


def current_backend() -> SqliteBackend | PostgresBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SqliteBackend()


# At the bottom: pg.py imports the names above.
from .pg import PostgresBackend  # noqa: E402

__all__ = [
    "Filters",
    "IndexRow",
    "PostgresBackend",
    "SqliteBackend",
    "current_backend",
    "documents_of",
    "filtered_documents",
]
