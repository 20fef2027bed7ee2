package core

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"rackflow/coresim"
	"rackflow/coresim/simtest"
	"rackflow/inventory"
)

func TestClient_BatchesByIDsAtCoreLimit(t *testing.T) {
	m, ids := hosts(50, u32(7))
	c, srv, _ := startSim(t, m, nil)
	got, err := c.Machines(ctxT(t), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 50 {
		t.Errorf("got %d machines, want 50", len(got))
	}
	if n := srv.Calls("FindMachinesByIds"); n != 8 {
		t.Errorf("FindMachinesByIds calls = %d, want 8", n)
	}
	if n := srv.Calls("Version"); n != 1 {
		t.Errorf("Version calls = %d, want 1 (the limit is learned once)", n)
	}
}

func TestClient_BatchesEveryIDCarryingRequest(t *testing.T) {
	m, ids := hosts(20, u32(7))
	c, srv, _ := startSim(t, m, nil)
	ctx := ctxT(t)
	steps := map[string]func() error{
		"GetPowerOptions":        func() error { _, err := c.PowerOptions(ctx, ids); return err },
		"GetMachinePositionInfo": func() error { _, err := c.Positions(ctx, ids); return err },
		"GetComponentInventory":  func() error { _, err := c.ComponentInventory(ctx, inventory.Compute, ids); return err },
		"FindSwitchesByIds":      func() error { _, err := c.Switches(ctx, ids); return err },
		"FindPowerShelvesByIds":  func() error { _, err := c.PowerShelves(ctx, ids); return err },
	}
	for rpc, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("%s: %v", rpc, err)
		}
		if n := srv.Calls(rpc); n != 3 {
			t.Errorf("%s calls = %d, want 3 batches of at most 7", rpc, n)
		}
	}
}

func TestClient_ZeroOrLargeCoreLimitMeans100(t *testing.T) {
	for _, tt := range []struct {
		name  string
		limit *uint32
	}{
		{"zero", u32(0)},
		{"above 100", u32(500)},
		{"default", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, ids := hosts(250, tt.limit)
			c, srv, _ := startSim(t, m, nil)
			if _, err := c.Machines(ctxT(t), ids); err != nil {
				t.Fatal(err)
			}
			if n := srv.Calls("FindMachinesByIds"); n != 3 {
				t.Errorf("FindMachinesByIds calls = %d, want 3 batches of 100", n)
			}
		})
	}
}

func TestClient_EmptyIDListMakesNoCall(t *testing.T) {
	m, _ := hosts(1, nil)
	c, srv, _ := startSim(t, m, nil)
	ctx := ctxT(t)
	if got, err := c.PowerOptions(ctx, nil); err != nil || len(got) != 0 {
		t.Fatalf("PowerOptions(nil) = %v, %v; want nothing", got, err)
	}
	if _, err := c.Positions(ctx, []string{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ComponentInventory(ctx, inventory.NVSwitch, nil); err != nil {
		t.Fatal(err)
	}
	for _, rpc := range []string{"Version", "GetPowerOptions", "GetMachinePositionInfo", "GetComponentInventory"} {
		if n := srv.Calls(rpc); n != 0 {
			t.Errorf("%s calls = %d, want 0", rpc, n)
		}
	}
}

func TestClient_RejectsUnrequestedAndDuplicateIDs(t *testing.T) {
	for _, tt := range []struct {
		name  string
		fault coresim.Fault
		want  string
	}{
		{"an id nobody requested", coresim.Fault{RPC: "FindMachinesByIds", ExtraID: "m-ghost"}, `"m-ghost" was not requested`},
		{"an id returned twice", coresim.Fault{RPC: "FindMachinesByIds", DuplicateID: true}, "came back twice"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, ids := hosts(3, nil, tt.fault)
			c, _, _ := startSim(t, m, nil)
			_, err := c.Machines(ctxT(t), ids)
			if !errors.Is(err, ErrBadReply) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "FindMachinesByIds") {
				t.Fatalf("err = %v, want ErrBadReply naming the RPC and %s", err, tt.want)
			}
		})
	}
}

func TestClient_DropsOmittedIDWithWarning(t *testing.T) {
	m, ids := hosts(3, nil)
	c, _, logs := startSim(t, m, nil)
	got, err := c.Machines(ctxT(t), append(ids, "m-deleted"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Errorf("got %d machines, want the 3 that exist", len(got))
	}
	out := logs.String()
	if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "m-deleted") {
		t.Errorf("want a WARN naming m-deleted, logs:\n%s", out)
	}
}

func TestClient_ReceiveLimit(t *testing.T) {
	m := &coresim.Manifest{Version: 1, Expected: coresim.Expected{Racks: []coresim.ExpectedRack{
		{RackID: "big", Description: strings.Repeat("x", 2<<20)},
	}}}
	small, _, _ := startSim(t, m, func(c *Config) { c.MaxRecv = 1 << 20 })
	_, err := small.ExpectedRacks(ctxT(t))
	if status.Code(err) != codes.ResourceExhausted {
		t.Fatalf("with a 1 MiB limit: err = %v, want RESOURCE_EXHAUSTED", err)
	}
	large, _, _ := startSim(t, m, func(c *Config) { c.MaxRecv = 4 << 20 })
	racks, err := large.ExpectedRacks(ctxT(t))
	if err != nil || len(racks) != 1 {
		t.Fatalf("with a 4 MiB limit: %d racks, err %v", len(racks), err)
	}
}

func TestClient_RetriesUnavailableUntilItRecovers(t *testing.T) {
	m := &coresim.Manifest{Version: 1, Faults: []coresim.Fault{{RPC: "GetAllExpectedRacks", Error: "UNAVAILABLE", Times: 2}}}
	c, srv, _ := startSim(t, m, nil)
	if _, err := c.ExpectedRacks(ctxT(t)); err != nil {
		t.Fatalf("third try should succeed: %v", err)
	}
	if n := srv.Calls("GetAllExpectedRacks"); n != 3 {
		t.Errorf("calls = %d, want 3", n)
	}
}

func TestClient_GivesUpAfterThreeTries(t *testing.T) {
	m := &coresim.Manifest{Version: 1, Faults: []coresim.Fault{{RPC: "GetAllExpectedRacks", Error: "UNAVAILABLE"}}}
	c, srv, _ := startSim(t, m, nil)
	_, err := c.ExpectedRacks(ctxT(t))
	if status.Code(err) != codes.Unavailable || !errors.Is(err, inventory.ErrUnavailable) {
		t.Fatalf("err = %v, want UNAVAILABLE wrapped as ErrUnavailable", err)
	}
	if !strings.Contains(err.Error(), "GetAllExpectedRacks") {
		t.Errorf("err %q does not name the RPC", err)
	}
	if n := srv.Calls("GetAllExpectedRacks"); n != 3 {
		t.Errorf("calls = %d, want 3", n)
	}
}

func TestClient_DoesNotRetryOtherCodes(t *testing.T) {
	m := &coresim.Manifest{Version: 1, Faults: []coresim.Fault{{RPC: "FindSwitchIds", Error: "PERMISSION_DENIED"}}}
	c, srv, _ := startSim(t, m, nil)
	if _, err := c.SwitchIDs(ctxT(t)); status.Code(err) != codes.PermissionDenied {
		t.Fatalf("err = %v, want PERMISSION_DENIED", err)
	}
	if n := srv.Calls("FindSwitchIds"); n != 1 {
		t.Errorf("calls = %d, want 1", n)
	}
}

func TestClient_DeadlineAppliesPerAttempt(t *testing.T) {
	m, ids := hosts(2, nil, coresim.Fault{RPC: "FindMachinesByIds", Delay: coresim.Duration(10 * time.Second)})
	c, srv, _ := startSim(t, m, func(c *Config) { c.Timeout = 50 * time.Millisecond })
	start := time.Now()
	_, err := c.Machines(ctxT(t), ids)
	if status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("err = %v, want DEADLINE_EXCEEDED", err)
	}
	if n := srv.Calls("FindMachinesByIds"); n != 3 {
		t.Errorf("calls = %d, want 3 attempts", n)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v; the per-attempt deadline was not applied", d)
	}
}

func TestClient_StopsRetryingWhenContextEnds(t *testing.T) {
	m := &coresim.Manifest{Version: 1, Faults: []coresim.Fault{{RPC: "GetAllExpectedRacks", Error: "UNAVAILABLE"}}}
	c, srv, _ := startSim(t, m, nil)
	c.backoff = time.Hour // the backoff outlives the caller's context
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.ExpectedRacks(ctx)
	if err == nil {
		t.Fatal("want an error")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v, want to stop when the context ends", d)
	}
	if n := srv.Calls("GetAllExpectedRacks"); n != 1 {
		t.Errorf("calls = %d, want 1", n)
	}
}

func TestClient_FaultsShapeReplies(t *testing.T) {
	site := func(f coresim.Fault) *coresim.Manifest {
		m := simtest.Load(t, "../testdata/sites/tiny.yaml")
		m.Faults = []coresim.Fault{f}
		return m
	}
	for _, tt := range []struct {
		name  string
		fault coresim.Fault
		want  int
	}{
		{"empty succeeds with no rows", coresim.Fault{RPC: "GetAllExpectedMachines", Empty: true}, 0},
		{"keep truncates", coresim.Fault{RPC: "GetAllExpectedMachines", Keep: intp(3)}, 3},
		{"keep above the length keeps all", coresim.Fault{RPC: "GetAllExpectedMachines", Keep: intp(30)}, 4},
		{"a delay within the deadline is only slow", coresim.Fault{RPC: "GetAllExpectedMachines", Delay: coresim.Duration(20 * time.Millisecond)}, 4},
		{"faults of other RPCs do not apply", coresim.Fault{RPC: "GetAllExpectedSwitches", Error: "INTERNAL"}, 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, _, _ := startSim(t, site(tt.fault), nil)
			got, err := c.ExpectedComponents(ctxT(t), inventory.Compute)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want {
				t.Errorf("got %d machines, want %d", len(got), tt.want)
			}
		})
	}
}

func TestClient_ComponentInventoryEntriesInRequestOrder(t *testing.T) {
	m := simtest.Load(t, "../testdata/sites/tiny.yaml")
	m.Faults = []coresim.Fault{{RPC: "GetComponentInventory", IDs: []string{"sw-0002"}, Error: "UNAVAILABLE"}}
	c, _, logs := startSim(t, m, nil)
	got, err := c.ComponentInventory(ctxT(t), inventory.NVSwitch, []string{"sw-0002", "sw-missing", "sw-0001"})
	if err != nil {
		t.Fatal(err)
	}
	status := func(e inventory.InventoryEntry) string { return e.ComponentID + "=" + string(e.Status) }
	if diff := cmp.Diff([]string{"sw-0002=UNAVAILABLE", "sw-missing=NOT_FOUND", "sw-0001=SUCCESS"}, idsOf(got, status)); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if got[0].Report != nil || got[1].Report != nil || got[2].Report.BMCFirmware() != "1.0" {
		t.Errorf("reports = %+v", got)
	}
	if !strings.Contains(logs.String(), "sw-missing") {
		t.Errorf("want a WARN naming the entries without a report, logs:\n%s", logs)
	}
}

func TestClient_ComponentInventoryRejectsMisalignedEntries(t *testing.T) {
	for _, f := range []coresim.Fault{
		{RPC: "GetComponentInventory", Keep: intp(1)},
		{RPC: "GetComponentInventory", ExtraID: "sw-ghost"},
		{RPC: "GetComponentInventory", DuplicateID: true},
	} {
		m := simtest.Load(t, "../testdata/sites/tiny.yaml")
		m.Faults = []coresim.Fault{f}
		c, _, _ := startSim(t, m, nil)
		_, err := c.ComponentInventory(ctxT(t), inventory.NVSwitch, []string{"sw-0001", "sw-0002"})
		if !errors.Is(err, ErrBadReply) {
			t.Errorf("fault %+v: err = %v, want ErrBadReply", f, err)
		}
	}
}

func TestClient_NeverReturnsCredentials(t *testing.T) {
	c, _, logs := startSim(t, simtest.Load(t, "../testdata/sites/tiny.yaml"), nil)
	all := collectAll(t, c)
	raw, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"tiny-secret", "admin"} {
		if strings.Contains(string(raw), secret) || strings.Contains(logs.String(), secret) {
			t.Errorf("credential %q reached a domain value or a log line", secret)
		}
	}
}

// collectAll reads everything the client offers from one site.
func collectAll(t *testing.T, c *Client) []any {
	t.Helper()
	ctx := ctxT(t)
	must := func(v any, err error) any {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	machineIDs := must(c.MachineIDs(ctx)).([]string)
	switchIDs := must(c.SwitchIDs(ctx)).([]string)
	shelfIDs := must(c.PowerShelfIDs(ctx)).([]string)
	return []any{
		must(c.Version(ctx)),
		must(c.ExpectedRacks(ctx)),
		must(c.ExpectedComponents(ctx, inventory.Compute)),
		must(c.ExpectedComponents(ctx, inventory.NVSwitch)),
		must(c.ExpectedComponents(ctx, inventory.PowerShelf)),
		must(c.Machines(ctx, machineIDs)),
		must(c.PowerOptions(ctx, machineIDs)),
		must(c.Positions(ctx, machineIDs)),
		must(c.Switches(ctx, switchIDs)),
		must(c.PowerShelves(ctx, shelfIDs)),
		must(c.ComponentInventory(ctx, inventory.Compute, machineIDs)),
		must(c.ComponentInventory(ctx, inventory.NVSwitch, switchIDs)),
		must(c.ComponentInventory(ctx, inventory.PowerShelf, shelfIDs)),
	}
}

func TestClient_ConcurrentBatchesKeepRequestOrder(t *testing.T) {
	m, ids := hosts(60, u32(7))
	c, srv, _ := startSim(t, m, nil)
	c.concurrency = 4
	slices.Reverse(ids)
	got, err := c.Machines(ctxT(t), ids)
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.Calls("FindMachinesByIds"); n != 9 {
		t.Errorf("FindMachinesByIds calls = %d, want 9 batches of at most 7", n)
	}
	if len(got) != len(ids) {
		t.Fatalf("got %d machines, want %d", len(got), len(ids))
	}
	for i, mc := range got {
		if mc.ID != ids[i] {
			t.Fatalf("machine %d = %s, want %s: batches came back out of request order", i, mc.ID, ids[i])
		}
	}
}

func TestClient_OmittedIDsInSeveralBatchesLeaveNoGaps(t *testing.T) {
	m, ids := hosts(30, u32(7))
	c, _, _ := startSim(t, m, nil)
	c.concurrency = 3
	var asked, want []string
	for i, id := range ids {
		asked = append(asked, id)
		want = append(want, id)
		if i%4 == 0 { // a deleted id in most batches, the first and last included
			asked = append(asked, fmt.Sprintf("m-gone-%d", i))
		}
	}
	got, err := c.Machines(ctxT(t), asked)
	if err != nil {
		t.Fatal(err)
	}
	gotIDs := make([]string, len(got))
	for i, mc := range got {
		gotIDs[i] = mc.ID
	}
	if !slices.Equal(gotIDs, want) {
		t.Errorf("machines = %v, want every existing id in request order: %v", gotIDs, want)
	}
}
