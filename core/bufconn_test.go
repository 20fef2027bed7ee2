package core

import (
	"context"
	"net"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/test/bufconn"

	"rackflow/coresim"
	"rackflow/coresim/simtest"
	"rackflow/inventory"
)

// TestDial_OverBufconn serves the simulator on an in-memory listener, the
// way other packages' tests can, and reads the inconsistent sample site.
func TestDial_OverBufconn(t *testing.T) {
	srv, err := coresim.New(simtest.Load(t, "../testdata/sites/inconsistent.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	lis := bufconn.Listen(1 << 20)
	go srv.Serve(lis)
	t.Cleanup(srv.Stop)
	dialer := grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) })
	c, err := Dial(ctxT(t), Config{Addr: "passthrough:///bufnet", Insecure: true, DialOptions: []grpc.DialOption{dialer}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	racks, err := c.ExpectedRacks(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []inventory.ExpectedRack{
		{RackID: "a12", ProfileID: "gb200-nvl72", Name: "Rack A12", Labels: map[string]string{"chassis.manufacturer": "Foxconn", "chassis.serial-number": "SN-A12"}},
		{RackID: "a12", ProfileID: "gb200-nvl72", Name: "Rack A12 again", Labels: map[string]string{"chassis.manufacturer": "Foxconn", "chassis.serial-number": "SN-A12-B"}},
		{ProfileID: "gb200-nvl72", Name: "Nameless rack"},
		{RackID: "b01", ProfileID: "gb200-nvl72", Name: "Rack B01", Labels: map[string]string{"chassis.manufacturer": "Wistron"}},
	}
	if diff := cmp.Diff(want, racks); diff != "" {
		t.Errorf("racks (-want +got):\n%s", diff)
	}
	machines, err := c.ExpectedComponents(ctxT(t), inventory.Compute)
	if err != nil {
		t.Fatal(err)
	}
	if got := machines[7].Labels["slot_id"]; got != "abc" {
		t.Errorf("malformed slot_id = %q, want it passed through as abc", got)
	}
	if _, ok := machines[9].Labels["model"]; ok {
		t.Error("a label with an unset value was kept")
	}
}
