"""The learner's store (SQLite): schema, files and backups, questions, reviews, settings, undo."""
