package main

import (
	"database/sql"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"rackflow/postgres/pgtest"
)

// freePort returns a loopback address nothing listens on.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// aheadSQLite is a migrated SQLite database whose schema is one migration
// newer than this binary knows.
func aheadSQLite(t *testing.T) string {
	t.Helper()
	url := migratedSQLite(t)
	execSQLite(t, strings.TrimPrefix(url, "sqlite://"), "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')")
	return url
}

// TestBadConfiguration_OneLineExit1AndNothingStarted is row 12 of the
// reliability matrix: each bad setting makes serve and sync --once exit 1
// with one line naming the bad value, and nothing starts: no new database
// file or lock file, no cycle row, no listener, no advisory lock.
func TestBadConfiguration_OneLineExit1AndNothingStarted(t *testing.T) {
	dir := t.TempDir()
	fresh := "sqlite://" + filepath.Join(dir, "fresh.db")
	cases := []struct {
		name string
		env  map[string]string
		want string // in the one line
	}{
		{"malformed database URL", map[string]string{"RACKFLOW_DB": "mysql://db.example/rackflow"}, "mysql"},
		{"database URL with a bad port", map[string]string{"RACKFLOW_DB": "postgres://postgres@127.0.0.1:notaport/x"}, "notaport"},
		{"unreachable database", map[string]string{"RACKFLOW_DB": "postgres://postgres@" + freePort(t) + "/rackflow?sslmode=disable&connect_timeout=2"}, "cannot reach"},
		{"database file that does not exist", map[string]string{"RACKFLOW_DB": fresh}, "fresh.db does not exist"},
		{"schema newer than the binary", map[string]string{"RACKFLOW_DB": aheadSQLite(t)}, "ahead of this binary"},
		{"invalid interval", map[string]string{"RACKFLOW_DB": fresh, "RACKFLOW_INTERVAL": "soon"}, "soon"},
		{"negative interval", map[string]string{"RACKFLOW_DB": fresh, "RACKFLOW_INTERVAL": "-5s"}, "-5s"},
		{"invalid shutdown timeout", map[string]string{"RACKFLOW_DB": fresh, "RACKFLOW_SHUTDOWN_TIMEOUT": "30"}, "30"},
		{"invalid cycle timeout", map[string]string{"RACKFLOW_DB": fresh, "RACKFLOW_CYCLE_TIMEOUT": "1 hour"}, "1 hour"},
		{"invalid Core timeout", map[string]string{"RACKFLOW_DB": fresh, "RACKFLOW_CORE_TIMEOUT": "fast"}, "fast"},
		{"invalid event retention", map[string]string{"RACKFLOW_DB": fresh, "RACKFLOW_EVENT_RETENTION": "90d"}, "90d"},
		{"invalid guard ratio", map[string]string{"RACKFLOW_DB": fresh, "RACKFLOW_DELETE_GUARD_RATIO": "2"}, "2"},
		{"invalid log level", map[string]string{"RACKFLOW_DB": fresh, "RACKFLOW_LOG_LEVEL": "loud"}, "loud"},
		{"malformed listen address", map[string]string{"RACKFLOW_DB": migratedSQLite(t), "RACKFLOW_LISTEN": "127.0.0.1:http-ish"}, "http-ish"},
	}
	for _, tc := range cases {
		for _, cmd := range [][]string{{"serve"}, {"sync", "--once"}} {
			if cmd[0] == "sync" && strings.Contains(tc.name, "listen") || cmd[0] == "sync" && strings.Contains(tc.name, "interval") ||
				cmd[0] == "sync" && strings.Contains(tc.name, "shutdown") || cmd[0] == "sync" && strings.Contains(tc.name, "retention") {
				continue // settings of serve alone
			}
			t.Run(tc.name+"/"+cmd[0], func(t *testing.T) {
				env := map[string]string{"RACKFLOW_CORE_ADDR": freePort(t), "RACKFLOW_CORE_INSECURE": "true",
					"RACKFLOW_LISTEN": freePort(t), "RACKFLOW_LOG_FORMAT": "text"}
				for k, v := range tc.env {
					env[k] = v
				}
				r := run(t, env, cmd...)
				if r.code != 1 || !oneErrorLine(r.err, tc.want) {
					t.Errorf("got exit %d, stdout %q, stderr %q; want exit 1 and one line naming %q", r.code, r.out, r.err, tc.want)
				}
				assertNothingStarted(t, env, dir)
			})
		}
	}
}

// startupLogs are the only log lines a refused start may print before its
// error: the configuration it read.
var startupLogs = []string{"msg=configuration ", `msg="expected-inventory mirror gate"`}

// oneErrorLine reports whether stderr holds exactly one error line, naming
// want, besides the start-up configuration log lines.
func oneErrorLine(stderr, want string) bool {
	var errs []string
	for _, l := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		if !slices.ContainsFunc(startupLogs, func(s string) bool { return strings.Contains(l, s) }) {
			errs = append(errs, l)
		}
	}
	return len(errs) == 1 && strings.HasPrefix(errs[0], "rackflow ") && strings.Contains(errs[0], want)
}

// assertNothingStarted checks that a refused start left no trace.
func assertNothingStarted(t *testing.T, env map[string]string, dir string) {
	t.Helper()
	for _, name := range []string{"fresh.db", "fresh.db.lock", "fresh.db-wal"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("a refused start created %s", name)
			os.Remove(filepath.Join(dir, name))
		}
	}
	if path, ok := strings.CutPrefix(env["RACKFLOW_DB"], "sqlite://"); ok {
		if _, err := os.Stat(path); err == nil {
			if n := countSQLite(t, path, "SELECT count(*) FROM sync_cycle"); n != 0 {
				t.Errorf("a refused start recorded %d cycles", n)
			}
		}
	}
	if c, err := net.Dial("tcp", env["RACKFLOW_LISTEN"]); err == nil {
		c.Close()
		t.Errorf("something still listens on %s", env["RACKFLOW_LISTEN"])
	}
}

// TestBadConfiguration_PostgresRefusedStartRunsNoCycle checks the PostgreSQL
// side of row 12: a bad interval is refused before the election or a cycle
// (the one line is all serve logged).
func TestBadConfiguration_PostgresRefusedStartRunsNoCycle(t *testing.T) {
	s := pgtest.Open(t)
	env := map[string]string{"RACKFLOW_DB": pgtest.URL(t), "RACKFLOW_CORE_ADDR": freePort(t), "RACKFLOW_CORE_INSECURE": "true",
		"RACKFLOW_LISTEN": freePort(t), "RACKFLOW_INTERVAL": "-1s", "RACKFLOW_LOG_FORMAT": "text"}
	r := run(t, env, "serve")
	if r.code != 1 || !oneErrorLine(r.err, "-1s") {
		t.Fatalf("got %+v, want exit 1 and one line naming -1s", r)
	}
	if n := len(cyclesOf(t, s)); n != 0 {
		t.Errorf("a refused start recorded %d cycles", n)
	}
}

func execSQLite(t *testing.T, path, stmt string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

func countSQLite(t *testing.T, path, q string) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}
