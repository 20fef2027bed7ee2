package inventory

import "errors"

// The error vocabulary shared by every package. Adapters wrap these with %w and
// a short context; transports map them to status codes.
var (
	// ErrNotFound means the addressed object does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid means the input was rejected; the wrapping message names the value.
	ErrInvalid = errors.New("invalid")
	// ErrConflict means the write would violate a uniqueness or ownership rule.
	ErrConflict = errors.New("conflict")
	// ErrUnavailable means a dependency (database, Core) could not be reached.
	ErrUnavailable = errors.New("unavailable")
	// ErrSchemaBehind means the database schema is older than this binary.
	ErrSchemaBehind = errors.New("database schema is behind this binary")
	// ErrSchemaAhead means the database schema is newer than this binary.
	ErrSchemaAhead = errors.New("database schema is ahead of this binary")
)
