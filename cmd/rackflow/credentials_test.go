package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"rackflow/coresim"
	"rackflow/postgres/pgtest"
	"rackflow/sqlite"
)

// withSecrets gives every expected component BMC credentials that occur
// nowhere else, and returns them.
func withSecrets(m *coresim.Manifest) []string {
	var secrets []string
	lists := []*[]coresim.ExpectedComponent{&m.Expected.Machines, &m.Expected.Switches, &m.Expected.PowerShelves}
	for _, list := range lists {
		for i := range *list {
			c := &(*list)[i]
			c.BMCUser = fmt.Sprintf("bmcuser-q7z-%d", len(secrets))
			c.BMCPassword = fmt.Sprintf("bmcpass-q7z-%d", len(secrets))
			secrets = append(secrets, c.BMCUser, c.BMCPassword)
		}
	}
	return secrets
}

// TestCredentials_BMCUserAndPasswordAppearNowhere is row 10 of the
// reliability matrix: the BMC user and password Core sends are in no table
// (pg_dump, sqlite3 .dump and a read of every row of every table), in no log
// line at debug level and in no command or HTTP output.
func TestCredentials_BMCUserAndPasswordAppearNowhere(t *testing.T) {
	for name, db := range map[string]func(*testing.T) string{"sqlite": migratedSQLite, "postgres": func(t *testing.T) string { pgtest.Open(t); return pgtest.URL(t) }} {
		t.Run(name, func(t *testing.T) {
			m := tiny(t)
			secrets := withSecrets(m)
			url := db(t)
			env := siteEnv(t, m, url)
			env["FLOW_EXPECTED_INVENTORY_SYNC_ENABLED"] = "true"
			env["RACKFLOW_LOG_LEVEL"] = "debug"
			var seen strings.Builder
			for _, args := range credentialCommands() {
				r := run(t, env, args...)
				if r.code != 0 && r.code != planPending {
					t.Fatalf("%v: exit %d\n%s", args, r.code, r.err)
				}
				fmt.Fprintf(&seen, "%s\n%s\n", r.out, r.err)
			}
			seen.WriteString(serveOutput(t, env))
			dump := dumpDatabase(t, url)
			if !strings.Contains(dump, "aa:bb:cc:00:00:01") {
				t.Fatalf("the dump holds no mirrored BMC; the check would prove nothing:\n%.2000s", dump)
			}
			if !strings.Contains(seen.String(), "level=DEBUG") {
				t.Fatalf("no debug line was logged; the check would prove nothing")
			}
			for _, s := range secrets {
				if strings.Contains(dump, s) {
					t.Errorf("the database holds the credential %q", s)
				}
				if i := strings.Index(seen.String(), s); i >= 0 {
					t.Errorf("the output shows the credential %q: …%s…", s, seen.String()[max(0, i-200):i+len(s)])
				}
			}
		})
	}
}

func credentialCommands() [][]string {
	cmds := [][]string{{"plan"}, {"plan", "--json"}, {"sync", "--once"}, {"sync", "--once"}, {"plan", "--json"}}
	for _, kind := range []string{"expected-machines", "expected-switches", "expected-power-shelves", "machines"} {
		cmds = append(cmds, []string{"core", "get", kind}, []string{"core", "get", kind, "-o", "json"})
	}
	return cmds
}

// credentialPaths are the HTTP answers checked for credentials: health,
// metrics, every API listing, the dry run and the dashboard's pages.
var credentialPaths = []string{"/healthz", "/readyz", "/metrics", "/v1/racks?include=components&limit=1000",
	"/v1/events?limit=1000", "/v1/cycles", "/v1/drift?state=all&limit=1000", "/v1/drift/summary", "/v1/held-deletes",
	"/v1/plan", "/", "/racks", "/drift", "/cycles", "/held"}

// listedIDs returns the ids of a list answer's items, failing when there are
// none, which would make the check prove nothing.
func listedIDs(t *testing.T, body string) []string {
	t.Helper()
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &page); err != nil || len(page.Items) == 0 {
		t.Fatalf("a list answer with no items (%v):\n%.400s", err, body)
	}
	ids := make([]string, len(page.Items))
	for i, it := range page.Items {
		ids[i] = it.ID
	}
	return ids
}

// credentialReads are the read commands checked for credentials, in their
// widest output.
func credentialReads() [][]string {
	var cmds [][]string
	for _, c := range []string{"racks", "components", "events", "drift", "cycles", "held"} {
		cmds = append(cmds, []string{c, "--all", "-o", "json"}, []string{c, "--all", "-o", "wide"}, []string{c, "--all", "-o", "csv"})
	}
	return cmds
}

// serveOutput runs serve at debug level through one cycle and returns its
// logs, the bodies of its HTTP endpoints and what rackflow trigger printed.
func serveOutput(t *testing.T, base map[string]string) string {
	t.Helper()
	env := map[string]string{"RACKFLOW_LISTEN": "127.0.0.1:0", "RACKFLOW_INTERVAL": "1h", "RACKFLOW_API_TOKEN": "test-token"}
	for k, v := range base {
		env[k] = v
	}
	p := startProc(t, env, "serve", "--instance", "creds")
	addr := listenAddr(t, p)
	eventually(t, 20*time.Second, "serve's first cycle", func() bool { return strings.Contains(p.err.String(), "msg=\"cycle finished\"") })
	var out strings.Builder
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s\n%s", path, resp.Status, b)
		}
		out.Write(b)
		return string(b)
	}
	for _, path := range credentialPaths {
		get(path)
	}
	// Every rack and component in detail, through the API and the dashboard.
	for _, id := range listedIDs(t, get("/v1/racks?limit=1000")) {
		get("/v1/racks/" + id)
		get("/v1/racks/" + id + "/elevation")
		get("/racks/" + id)
	}
	for _, id := range listedIDs(t, get("/v1/components?limit=1000")) {
		get("/v1/components/" + id)
		get("/components/" + id)
	}
	cli := map[string]string{"RACKFLOW_SERVER": "http://" + addr, "RACKFLOW_API_TOKEN": "test-token"}
	for _, args := range credentialReads() {
		r := run(t, cli, args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, r.code, r.err)
		}
		out.WriteString(r.out + r.err)
	}
	r := run(t, cli, "trigger")
	if r.code != 0 {
		t.Fatalf("trigger: %+v", r)
	}
	out.WriteString(r.out + r.err)
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.exitCode(t, 15*time.Second)
	return out.String() + p.out.String() + p.err.String()
}

// dumpDatabase is every row of every table, through the database's own dump
// tool when it is installed and always through a plain read in Go.
func dumpDatabase(t *testing.T, url string) string {
	t.Helper()
	if path, ok := strings.CutPrefix(url, "sqlite://"); ok {
		return toolDump(t, "sqlite3", path, ".dump") + sqliteRows(t, path)
	}
	return toolDump(t, "pg_dump", "--data-only", url) + postgresRows(t, url)
}

func toolDump(t *testing.T, tool string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Logf("%s is not installed; relying on the row read alone", tool)
		return ""
	}
	out, err := exec.Command(tool, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
	return string(out)
}

func sqliteRows(t *testing.T, path string) string {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out strings.Builder
	for _, n := range queryStrings(t, db, "SELECT name FROM sqlite_master WHERE type = 'table'") {
		fmt.Fprintf(&out, "%s\n%s", n, allRows(t, db, fmt.Sprintf("SELECT * FROM %q", n)))
	}
	return out.String()
}

func queryStrings(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// allRows prints every column of every row q returns, whatever its type.
func allRows(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			fmt.Fprintf(&out, "%s=%v ", cols[i], v)
		}
		out.WriteString("\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func postgresRows(t *testing.T, url string) string {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	rows, err := c.Query(ctx, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, n := range names {
		rows, err := c.Query(ctx, fmt.Sprintf("SELECT t::text FROM %s AS t", pgx.Identifier{n}.Sanitize()))
		if err != nil {
			t.Fatal(err)
		}
		vals, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&out, "%s %s\n", n, strings.Join(vals, "\n"))
	}
	return out.String()
}
