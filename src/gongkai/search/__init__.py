"""Chinese full-text search over published items (SQLite FTS5 / PostgreSQL tsvector); see ``index``."""
