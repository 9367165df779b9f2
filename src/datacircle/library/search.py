"""Full-text search of modules on SQLite (FTS5) and PostgreSQL (tsvector), with the same rules:
every word of the query must appear (as a word or the start of one), accents and case ignored,
best matches first. The index itself is made by migration 0002."""

from __future__ import annotations

import re
import unicodedata

from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)
TITLE_WEIGHT = 3  # the title is written this many times into the index: it counts more


def fold(text: str) -> str:
    """Lower case without accents (é→e, ñ→n; Arabic diacritics dropped), for index and query."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


# The query text only ever travels as a parameter; terms are \w+ words.
PG_IDS = "SELECT id FROM library_module WHERE search_vector @@ to_tsquery('simple', %s)"
# Ranked on title and summary (rank_vector, small): modules matching only elsewhere tie.
PG_SCORED = (
    "SELECT id, -ts_rank(rank_vector, to_tsquery('simple', %s)) FROM library_module "
    "WHERE search_vector @@ to_tsquery('simple', %s)"
)
SQLITE_IDS = "SELECT rowid FROM library_module_fts WHERE library_module_fts MATCH %s"
SQLITE_SCORED = (
    "SELECT rowid, bm25(library_module_fts) FROM library_module_fts "
    "WHERE library_module_fts MATCH %s"
)


def _match_sql(query: str) -> tuple[str, str, list] | None:
    """(SQL selecting matching ids, SQL selecting (id, score) best first, params)."""
    terms = list(dict.fromkeys(words(query)))[:12]
    if not terms:
        return None
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{term}:*" for term in terms)
        return PG_IDS, PG_SCORED, [tsquery]
    fts = " AND ".join(f'"{term}"*' for term in terms)
    return SQLITE_IDS, SQLITE_SCORED, [fts]


def search(queryset: QuerySet, query: str) -> list[int]:
    """Ids of the modules of `queryset` that match `query`, best first (ties by id). An empty
    query matches nothing."""
    found = _match_sql(query)
    if found is None:
        return []
    ids_sql, scored_sql, params = found
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, scored_sql, params)
    matching = RawSQL(ids_sql, params)  # noqa: S611 (fixed SQL, the query is a parameter)
    allowed = list(queryset.filter(pk__in=matching).values_list("pk", flat=True))
    if not allowed:
        return []
    with connection.cursor() as cursor:
        cursor.execute(scored_sql, params)
        score = dict(cursor.fetchall())
    return sorted(allowed, key=lambda pk: (score.get(pk, 0.0), pk))


def _search_postgresql(queryset: QuerySet, scored_sql: str, params: list) -> list[int]:
    """Matches and their scores straight from the GIN index, then the reader's visibility as a
    set: joining the two in one query makes PostgreSQL read every module's stored vector."""
    with transaction.atomic(), connection.cursor() as cursor:
        # For a word in nearly every module the planner would otherwise scan the table.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(scored_sql, params * 2)
        score = dict(cursor.fetchall())
    if not score:
        return []
    visible = set(queryset.values_list("pk", flat=True))
    return sorted((pk for pk in score if pk in visible), key=lambda pk: (score[pk], pk))
