package sqlkit

import (
	"errors"
	"testing"
	"testing/fstest"
	"time"

	"rackflow/inventory"
)

func TestLoadMigrations_OrdersByNumberAndRejectsGaps(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0002_b.sql": {Data: []byte("B")},
		"m/0001_a.sql": {Data: []byte("A")},
		"m/README":     {Data: []byte("ignored")},
	}
	ms, err := LoadMigrations(fsys, "m")
	if err != nil || len(ms) != 2 || ms[0].Name != "0001_a" || ms[1].SQL != "B" {
		t.Fatalf("LoadMigrations = %+v, %v", ms, err)
	}
	fsys["m/0004_d.sql"] = &fstest.MapFile{Data: []byte("D")}
	if _, err := LoadMigrations(fsys, "m"); err == nil {
		t.Fatal("a gap in the numbers was accepted")
	}
	if _, err := LoadMigrations(fstest.MapFS{"m/x_a.sql": {}}, "m"); err == nil {
		t.Fatal("a file without a number was accepted")
	}
}

func TestCheckVersion(t *testing.T) {
	ms := []Migration{{Version: 1}, {Version: 2}}
	if err := CheckVersion(2, ms); err != nil {
		t.Errorf("current: %v", err)
	}
	if err := CheckVersion(1, ms); !errors.Is(err, inventory.ErrSchemaBehind) {
		t.Errorf("behind: %v", err)
	}
	if err := CheckVersion(3, ms); !errors.Is(err, inventory.ErrSchemaAhead) {
		t.Errorf("ahead: %v", err)
	}
}

func TestFormatTime_IsFixedWidthUTCMicroseconds(t *testing.T) {
	in := time.Date(2026, 1, 2, 3, 4, 5, 600, time.FixedZone("x", 3600))
	if got, want := FormatTime(in), "2026-01-02T02:04:05.000000Z"; got != want {
		t.Errorf("FormatTime = %s, want %s", got, want)
	}
	back, err := ParseTime("2026-01-02T02:04:05.123456Z")
	if err != nil || back.Nanosecond() != 123456000 || back.Location() != time.UTC {
		t.Errorf("ParseTime = %v, %v", back, err)
	}
}

func TestUpdatePayload_RejectsUnknownColumnsAndWrongTypes(t *testing.T) {
	if _, _, err := UpdatePayload(RackTable, []inventory.RowUpdate{{Key: "k", Changes: inventory.Changes{"status": {New: "x"}}}}); !errors.Is(err, inventory.ErrInvalid) {
		t.Errorf("unknown column: %v", err)
	}
	if _, _, err := UpdatePayload(RackTable, []inventory.RowUpdate{{Key: "k", Changes: inventory.Changes{"name": {New: 3.5}}}}); !errors.Is(err, inventory.ErrInvalid) {
		t.Errorf("float value: %v", err)
	}
	_, cols, err := UpdatePayload(ComponentTable, []inventory.RowUpdate{
		{Key: "a", Changes: inventory.Changes{"model": {New: "m"}}},
		{Key: "b", Changes: inventory.Changes{"external_id": {New: (*string)(nil)}}},
	})
	if err != nil || len(cols) != 2 || cols[0].Name != "model" || cols[1].Move != MoveToNull {
		t.Errorf("columns = %+v, %v; want model then external_id in table order", cols, err)
	}
}

func TestWhere_NumbersParametersInOrder(t *testing.T) {
	w := NewWhere(func(n int) string { return "$" + string(rune('0'+n)) })
	if got := w.String(); got != "1 = 1" {
		t.Errorf("empty Where = %q", got)
	}
	w.Add("a = %s", "x")
	w.Add("b > %s", 2)
	limit := w.Param(10)
	if got, want := w.String()+" LIMIT "+limit, "a = $1 AND b > $2 LIMIT $3"; got != want {
		t.Errorf("Where = %q, want %q", got, want)
	}
	if args := w.Args(); len(args) != 3 || args[0] != "x" || args[2] != 10 {
		t.Errorf("Args = %v", args)
	}
}
