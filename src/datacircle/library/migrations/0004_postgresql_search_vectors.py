"""Search indexes after 0003 changed the table.

SQLite: changing a table's columns rebuilds the table, which drops its triggers; the triggers
that keep the FTS5 index in step are made again and the index rebuilt (any later migration
that changes library_module's columns must do the same).

PostgreSQL: keep the words of each module as stored vectors instead of recomputing them.

The expression index of 0002 let PostgreSQL find matches, but ranking rebuilt every matching
module's vector from its text (about 1 ms each, seconds for a common word). Stored, generated
columns fix that: `search_vector` (everything, for matching, GIN-indexed) and `rank_vector`
(title and summary, small, for ranking). SQLite keeps its FTS5 table from 0002.
"""

import importlib

from django.db import migrations

SQLITE_TRIGGERS = [
    statement
    for statement in importlib.import_module(
        "datacircle.library.migrations.0002_search_index"
    ).SQLITE
    if statement.startswith("CREATE TRIGGER") or "'rebuild'" in statement
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS library_module_fts_insert",
    "DROP TRIGGER IF EXISTS library_module_fts_delete",
    "DROP TRIGGER IF EXISTS library_module_fts_update",
]

FORWARD = [
    "ALTER TABLE library_module ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple'::regconfig, search_text)) STORED",
    "ALTER TABLE library_module ADD COLUMN rank_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple'::regconfig, rank_text)) STORED",
    "CREATE INDEX library_module_search_vector ON library_module USING gin (search_vector)",
    "DROP INDEX IF EXISTS library_module_search",
]
BACKWARD = [
    "DROP INDEX IF EXISTS library_module_search_vector",
    "ALTER TABLE library_module DROP COLUMN IF EXISTS rank_vector",
    "ALTER TABLE library_module DROP COLUMN IF EXISTS search_vector",
    "CREATE INDEX library_module_search ON library_module "
    "USING gin (to_tsvector('simple'::regconfig, search_text))",
]


def run(postgresql, sqlite):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for statement in {"postgresql": postgresql, "sqlite": sqlite}.get(vendor, ()):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("library", "0003_ranking_and_listing")]

    operations = [
        migrations.RunPython(
            run(FORWARD, SQLITE_DROP + SQLITE_TRIGGERS), run(BACKWARD, SQLITE_DROP)
        )
    ]
