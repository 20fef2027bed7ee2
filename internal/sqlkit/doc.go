// Package sqlkit holds what the PostgreSQL and SQLite stores share and that is
// not SQL: reading numbered migration files, the fixed-width timestamp text,
// and the JSON payloads that carry a whole batch of rows into one set-based
// statement (jsonb_to_recordset in PostgreSQL, json_each in SQLite).
package sqlkit
