package sqlite

import (
	"database/sql"
	"encoding/json"
	"time"

	"rackflow/internal/sqlkit"
)

// timeText scans a TEXT timestamp column.
type timeText struct{ t *time.Time }

func (s timeText) Scan(v any) error {
	str, ok := v.(string)
	if !ok {
		var ns sql.NullString
		if err := ns.Scan(v); err != nil {
			return err
		}
		str = ns.String
	}
	t, err := sqlkit.ParseTime(str)
	*s.t = t
	return err
}

// nullTimeText scans a nullable TEXT timestamp column.
type nullTimeText struct{ t **time.Time }

func (s nullTimeText) Scan(v any) error {
	if v == nil {
		*s.t = nil
		return nil
	}
	var t time.Time
	if err := (timeText{&t}).Scan(v); err != nil {
		return err
	}
	*s.t = &t
	return nil
}

// jsonText scans a nullable JSON TEXT column into raw JSON.
type jsonText struct{ b *json.RawMessage }

func (s jsonText) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*s.b = nil
	case string:
		*s.b = []byte(x)
	case []byte:
		*s.b = append([]byte(nil), x...)
	}
	return nil
}
