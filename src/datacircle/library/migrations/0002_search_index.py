"""The full-text index of modules: FTS5 kept in step by triggers on SQLite, a GIN index over
`to_tsvector('simple', search_text)` on PostgreSQL. `search_text` is already folded (lower case,
no accents) in Python, so neither needs a language-specific dictionary."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE library_module_fts USING fts5("
    "search_text, content='library_module', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER library_module_fts_insert AFTER INSERT ON library_module BEGIN "
    "INSERT INTO library_module_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER library_module_fts_delete AFTER DELETE ON library_module BEGIN "
    "INSERT INTO library_module_fts(library_module_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER library_module_fts_update AFTER UPDATE OF search_text ON library_module BEGIN "
    "INSERT INTO library_module_fts(library_module_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO library_module_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO library_module_fts(library_module_fts) VALUES ('rebuild')",
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS library_module_fts_update",
    "DROP TRIGGER IF EXISTS library_module_fts_delete",
    "DROP TRIGGER IF EXISTS library_module_fts_insert",
    "DROP TABLE IF EXISTS library_module_fts",
]
POSTGRES = [
    "CREATE INDEX library_module_search ON library_module "
    "USING gin (to_tsvector('simple'::regconfig, search_text))"
]
POSTGRES_UNDO = ["DROP INDEX IF EXISTS library_module_search"]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            run({"sqlite": SQLITE_UNDO, "postgresql": POSTGRES_UNDO}),
        )
    ]
