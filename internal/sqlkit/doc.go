// Package sqlkit holds what the PostgreSQL and SQLite stores share: reading
// numbered migration files, the fixed-width timestamp text, the JSON payloads
// that carry a whole batch of rows into one set-based statement
// (jsonb_to_recordset in PostgreSQL, json_each in SQLite), and the listings
// of the read contract, written once against a small Dialect (placeholders,
// casts, list parameters, column lists) while each store keeps its scanning.
package sqlkit
