package sqlkit

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"rackflow/inventory"
)

// Migration is one numbered, embedded SQL file.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// LoadMigrations reads every NNNN_name.sql file in dir of fsys, ordered by
// number. Numbers must be unique and start at 1 without gaps, so that the two
// dialects' directories can be checked to match.
func LoadMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("sqlkit: reading migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		m, err := parseMigration(fsys, dir, e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("sqlkit: migration %s: want number %d (numbers start at 1 without gaps)", m.Name, i+1)
		}
	}
	return ms, nil
}

func parseMigration(fsys fs.FS, dir, file string) (Migration, error) {
	num, _, ok := strings.Cut(file, "_")
	v, err := strconv.Atoi(num)
	if !ok || err != nil || v <= 0 {
		return Migration{}, fmt.Errorf("sqlkit: migration file %q: want NNNN_name.sql", file)
	}
	b, err := fs.ReadFile(fsys, path.Join(dir, file))
	if err != nil {
		return Migration{}, fmt.Errorf("sqlkit: reading migration %s: %w", file, err)
	}
	return Migration{Version: v, Name: strings.TrimSuffix(file, ".sql"), SQL: string(b)}, nil
}

// CheckVersion compares the highest applied migration with the binary's. It
// returns an error wrapping inventory.ErrSchemaBehind or ErrSchemaAhead, with a
// message an operator can act on.
func CheckVersion(applied int, ms []Migration) error {
	latest := len(ms)
	switch {
	case applied < latest:
		return fmt.Errorf("%w (database at version %d, binary needs %d): run 'rackflow migrate'",
			inventory.ErrSchemaBehind, applied, latest)
	case applied > latest:
		return fmt.Errorf("%w (database at version %d, binary knows %d): upgrade rackflow",
			inventory.ErrSchemaAhead, applied, latest)
	}
	return nil
}

// Migrator is what a dialect provides to apply its migrations.
type Migrator interface {
	// EnsureVersionTable creates schema_migrations if it is missing.
	EnsureVersionTable(ctx context.Context) error
	// SchemaVersion returns the highest applied migration, 0 for none.
	SchemaVersion(ctx context.Context) (int, error)
	// ApplyMigration runs one migration and records it, in one transaction.
	ApplyMigration(ctx context.Context, m Migration) error
}

// Migrate applies every migration after the database's version, in order,
// and returns how many it applied. A database ahead of ms is refused.
func Migrate(ctx context.Context, d Migrator, ms []Migration) (int, error) {
	if err := d.EnsureVersionTable(ctx); err != nil {
		return 0, err
	}
	applied, err := d.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	if applied > len(ms) {
		return 0, CheckVersion(applied, ms)
	}
	for i, m := range ms[applied:] {
		if err := d.ApplyMigration(ctx, m); err != nil {
			return i, err
		}
	}
	return len(ms) - applied, nil
}

// CheckSchema compares the database's version with ms; see CheckVersion.
func CheckSchema(ctx context.Context, d Migrator, ms []Migration) error {
	applied, err := d.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	return CheckVersion(applied, ms)
}
