"""Laws, rules and normative documents: the unified query platform.

- models: Document (level, 文号, issuer, dates, status, region, versions),
  Article (第X条 with its chapter/section path), Relation (修改/废止/解释).
- services: `laws_import` (fazhi laws import PATH, idempotent), and
  `relations_rebuild` (versions → statuses and relations).
- search: one interface over SQLite FTS5 and PostgreSQL tsvector/GIN
  (search/backends.py); `search()` returns article-level hits with
  highlighted snippets, filters, pagination and "did you mean".
  `fazhi search "查询词" --json`, `fazhi search reindex`.
- pages: /laws/ (public search), /laws/<id>/ (reading view, ?on=DATE for
  the version in force), /staff/laws/; API GET /api/laws/search.
- relevance: judgments.json, scored by relevance.py (test + bench).
"""
