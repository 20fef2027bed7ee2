package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"rackflow/coresim"
	"rackflow/coresim/simtest"
	"rackflow/postgres/pgtest"
)

// siteEnv is the environment of a command run against a simulated site.
func siteEnv(t *testing.T, m *coresim.Manifest, db string) map[string]string {
	t.Helper()
	addr, _ := simtest.Start(t, m)
	return map[string]string{"RACKFLOW_CORE_ADDR": addr, "RACKFLOW_CORE_INSECURE": "true", "RACKFLOW_DB": db,
		"RACKFLOW_CORE_TIMEOUT": "5s", "RACKFLOW_LOG_FORMAT": "text"}
}

func migratedSQLite(t *testing.T) string {
	t.Helper()
	url := "sqlite://" + filepath.Join(t.TempDir(), "r.db")
	if r := run(t, nil, "migrate", "--db", url); r.code != 0 {
		t.Fatalf("migrate: %+v", r)
	}
	return url
}

func tiny(t *testing.T) *coresim.Manifest { return simtest.Load(t, "../../testdata/sites/tiny.yaml") }

func TestPlanThenSync_PreviewsAppliesAndSettles(t *testing.T) {
	for name, db := range map[string]func(*testing.T) string{"sqlite": migratedSQLite, "postgres": func(t *testing.T) string { pgtest.Open(t); return pgtest.URL(t) }} {
		t.Run(name, func(t *testing.T) {
			env := siteEnv(t, tiny(t), db(t))
			if r := run(t, env, "plan"); r.code != planPending || !strings.Contains(r.out, "changes pending") || !strings.Contains(r.out, `external_id: null -> "a12"`) {
				t.Fatalf("plan on an empty database: code %d\n%s", r.code, r.out)
			}
			r := run(t, env, "plan", "--json")
			var report planReport
			if err := json.Unmarshal([]byte(r.out), &report); err != nil || !report.Pending || len(report.Types) != 4 {
				t.Fatalf("plan --json: %v\n%s", err, r.out)
			}
			if r := run(t, env, "sync", "--once"); r.code != 0 || !strings.Contains(r.out, "status: ok") || strings.Contains(r.out, "mirror rack") {
				t.Fatalf("sync with the gate off: code %d\n%s", r.code, r.out)
			}
			env["FLOW_EXPECTED_INVENTORY_SYNC_ENABLED"] = "TRUE"
			r = run(t, env, "sync", "--once")
			if r.code != 0 || !strings.Contains(r.out, "mirror rack       ok      inserted=2 pulled=2") || !strings.HasSuffix(r.out, "status: ok\n") {
				t.Fatalf("sync with the gate on: code %d\n%s\n%s", r.code, r.out, r.err)
			}
			if r := run(t, env, "plan"); r.code != planNoChanges || !strings.HasSuffix(r.out, "no changes\n") {
				t.Fatalf("plan after sync: code %d\n%s", r.code, r.out)
			}
			r = run(t, env, "sync", "--once", "--json")
			var c cycleJSON
			if err := json.Unmarshal([]byte(r.out), &c); err != nil || c.Status != "ok" || c.Trigger != "once" || !c.MirrorEnabled {
				t.Fatalf("sync --json: %v\n%s", err, r.out)
			}
		})
	}
}

func TestSync_PartialAndFailedExitCodes(t *testing.T) {
	m := tiny(t)
	m.Faults = []coresim.Fault{{RPC: "GetAllExpectedSwitches", Error: "UNAVAILABLE"}}
	env := siteEnv(t, m, migratedSQLite(t))
	env["FLOW_EXPECTED_INVENTORY_SYNC_ENABLED"] = "1"
	if r := run(t, env, "sync", "--once"); r.code != 3 || !strings.Contains(r.out, "mirror NVSwitch   failed") {
		t.Fatalf("sync with a failed switch pull: code %d\n%s", r.code, r.out)
	}
	if r := run(t, env, "plan"); r.code != planError || !strings.Contains(r.out, "pull failed") {
		t.Fatalf("plan with a failed pull: code %d\n%s", r.code, r.out)
	}
	env["RACKFLOW_CORE_ADDR"] = "127.0.0.1:1"
	env["RACKFLOW_CORE_TIMEOUT"] = "1s"
	if r := run(t, env, "sync", "--once"); r.code != 1 || !strings.Contains(r.out, "status: failed") {
		t.Fatalf("sync with Core unreachable: code %d\n%s", r.code, r.out)
	}
}

func TestSync_GateParsing(t *testing.T) {
	env := siteEnv(t, tiny(t), migratedSQLite(t))
	env["FLOW_EXPECTED_INVENTORY_SYNC_ENABLED"] = "yes"
	r := run(t, env, "sync", "--once")
	if r.code != 0 || strings.Contains(r.out, "mirror rack") {
		t.Fatalf("gate 'yes' ran the mirror: code %d\n%s", r.code, r.out)
	}
	if !strings.Contains(r.err, "level=WARN") || !strings.Contains(r.err, "FLOW_EXPECTED_INVENTORY_SYNC_ENABLED") || !strings.Contains(r.err, "value=yes") {
		t.Errorf("no WARN naming the variable and its value:\n%s", r.err)
	}
	if r := run(t, env, "sync", "--once", "--expected-sync"); !strings.Contains(r.out, "mirror rack") {
		t.Errorf("--expected-sync did not override the variable:\n%s", r.out)
	}
}

func TestSync_RefusesBehindSchemaAndBadSettings(t *testing.T) {
	env := siteEnv(t, tiny(t), "sqlite://"+filepath.Join(t.TempDir(), "new.db"))
	if r := run(t, env, "sync", "--once"); r.code != 1 || !strings.Contains(r.err, "rackflow migrate") || strings.Count(r.err, "\n") < 1 {
		t.Fatalf("sync on an unmigrated database: %+v", r)
	}
	env["RACKFLOW_DB"] = migratedSQLite(t)
	if r := run(t, env, "sync"); r.code != 1 || !strings.Contains(r.err, "--once") {
		t.Errorf("sync without --once: %+v", r)
	}
	env["RACKFLOW_DELETE_GUARD_RATIO"] = "lots"
	if r := run(t, env, "sync", "--once"); r.code != 1 || !strings.Contains(r.err, `RACKFLOW_DELETE_GUARD_RATIO="lots"`) {
		t.Errorf("sync with a malformed guard ratio: %+v", r)
	}
}

func TestSync_AFlagOverridesAMalformedVariable(t *testing.T) {
	env := siteEnv(t, tiny(t), migratedSQLite(t))
	env["RACKFLOW_DELETE_GUARD_RATIO"] = "lots"
	env["RACKFLOW_CYCLE_TIMEOUT"] = "forever"
	r := run(t, env, "sync", "--once", "--delete-guard-ratio", "0.2", "--cycle-timeout", "1m")
	if r.code != 0 {
		t.Fatalf("sync with flags over malformed variables: %+v", r)
	}
	if !strings.Contains(r.err, "delete_guard_ratio=0.2") {
		t.Errorf("the configuration line does not show the flag's value:\n%s", r.err)
	}
}

func TestPlan_HeldDeletesAloneAreNotPendingChanges(t *testing.T) {
	m := tiny(t)
	for i := range 30 {
		m.Expected.Machines = append(m.Expected.Machines, coresim.ExpectedComponent{
			BMCMAC: fmt.Sprintf("aa:bb:cc:00:10:%02x", i), Serial: fmt.Sprintf("SN-X-%02d", i),
			Labels: coresim.LabelMap(map[string]string{"manufacturer": "Foxconn"})})
	}
	addr, sim := simtest.Start(t, m)
	env := map[string]string{"RACKFLOW_CORE_ADDR": addr, "RACKFLOW_CORE_INSECURE": "true", "RACKFLOW_DB": migratedSQLite(t),
		"FLOW_EXPECTED_INVENTORY_SYNC_ENABLED": "true"}
	if r := run(t, env, "sync", "--once"); r.code != 0 {
		t.Fatalf("first sync: %+v", r)
	}
	m.Expected.Machines = m.Expected.Machines[:4] // Core stops reporting the 30 extra machines
	if err := sim.Reload(m); err != nil {
		t.Fatal(err)
	}
	r := run(t, env, "plan")
	if r.code != planNoChanges || !strings.Contains(r.out, "held: 30 soft deletes") {
		t.Fatalf("plan with only held deletes: code %d, want 0\n%s", r.code, r.out)
	}
	if r := run(t, env, "plan", "--delete-guard-ratio", "1"); r.code != planPending {
		t.Fatalf("plan with the guard off: code %d, want 2 (the deletes are pending)\n%s", r.code, r.out)
	}
}
