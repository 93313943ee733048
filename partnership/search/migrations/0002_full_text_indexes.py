"""The databases' own full-text indexes over the search entries and words.

SQLite: FTS5 tables reading their text from the entry and word tables (external content),
kept in step by triggers: `search_fulltext` over every word of an entry, `search_names`
over its names alone, and `search_word_trigrams`, the vocabulary cut into trigrams, for
correcting misspelt words. The word tables split at spaces only (the words are made in
Python, search/text.py), keeping letters, digits and marks of every script as they are.

PostgreSQL: a GIN index on the entries' words as a tsvector (`simple` configuration: the
words as given), and pg_trgm's trigram GIN index on the vocabulary.

Search reads these through search/backends.py, which repeats the expressions indexed here.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

WORDS = "tokenize = \"unicode61 remove_diacritics 0 categories 'L* N* M* Co'\""

SQLITE = [
    f"""CREATE VIRTUAL TABLE search_fulltext USING fts5(
        words, content='search_entry', content_rowid='id', {WORDS})""",
    f"""CREATE VIRTUAL TABLE search_names USING fts5(
        name_words, content='search_entry', content_rowid='id', {WORDS})""",
    """CREATE TRIGGER search_entry_added AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_fulltext (rowid, words) VALUES (new.id, new.words);
        INSERT INTO search_names (rowid, name_words) VALUES (new.id, new.name_words);
    END""",
    """CREATE TRIGGER search_entry_removed AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_fulltext (search_fulltext, rowid, words)
            VALUES ('delete', old.id, old.words);
        INSERT INTO search_names (search_names, rowid, name_words)
            VALUES ('delete', old.id, old.name_words);
    END""",
    """CREATE TRIGGER search_entry_changed AFTER UPDATE ON search_entry BEGIN
        INSERT INTO search_fulltext (search_fulltext, rowid, words)
            VALUES ('delete', old.id, old.words);
        INSERT INTO search_names (search_names, rowid, name_words)
            VALUES ('delete', old.id, old.name_words);
        INSERT INTO search_fulltext (rowid, words) VALUES (new.id, new.words);
        INSERT INTO search_names (rowid, name_words) VALUES (new.id, new.name_words);
    END""",
    """CREATE VIRTUAL TABLE search_word_trigrams USING fts5(
        word, content='search_word', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER search_word_added AFTER INSERT ON search_word BEGIN
        INSERT INTO search_word_trigrams (rowid, word) VALUES (new.id, new.word);
    END""",
    """CREATE TRIGGER search_word_removed AFTER DELETE ON search_word BEGIN
        INSERT INTO search_word_trigrams (search_word_trigrams, rowid, word)
            VALUES ('delete', old.id, old.word);
    END""",
    """CREATE TRIGGER search_word_changed AFTER UPDATE ON search_word BEGIN
        INSERT INTO search_word_trigrams (search_word_trigrams, rowid, word)
            VALUES ('delete', old.id, old.word);
        INSERT INTO search_word_trigrams (rowid, word) VALUES (new.id, new.word);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER search_word_changed",
    "DROP TRIGGER search_word_removed",
    "DROP TRIGGER search_word_added",
    "DROP TABLE search_word_trigrams",
    "DROP TRIGGER search_entry_changed",
    "DROP TRIGGER search_entry_removed",
    "DROP TRIGGER search_entry_added",
    "DROP TABLE search_names",
    "DROP TABLE search_fulltext",
]

POSTGRESQL = [
    # Every word of an entry (search/backends.py repeats this expression to use it).
    """CREATE INDEX search_entry_fulltext ON search_entry
        USING gin (to_tsvector('simple'::regconfig, words))""",
    "CREATE INDEX search_word_trigrams ON search_word USING gin (word gin_trgm_ops)",
]
POSTGRESQL_REVERSE = ["DROP INDEX search_word_trigrams", "DROP INDEX search_entry_fulltext"]

STATEMENTS = {
    "sqlite": (SQLITE, SQLITE_REVERSE),
    "postgresql": (POSTGRESQL, POSTGRESQL_REVERSE),
}


def run(direction):
    def operation(apps, schema_editor):
        for statement in STATEMENTS.get(schema_editor.connection.vendor, ([], []))[direction]:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(run(0), run(1)),
    ]
