package core

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"

	pb "rackflow/coreproto"
	"rackflow/coresim"
	"rackflow/coresim/simtest"
	"rackflow/inventory"
)

// BenchmarkGetAllExpectedMachines2000Racks measures the whole-site reply of a
// 2,000-rack site (36,000 expected machines): its size on the wire
// (reply_bytes), the client's decode time alone (decode_ms/op: protobuf
// unmarshal plus conversion to domain values), and, as ns/op, a full call
// over loopback including the simulator's encoding.
func BenchmarkGetAllExpectedMachines2000Racks(b *testing.B) {
	m := coresim.Generate(coresim.GenerateOptions{Racks: 2000, Seed: 1})
	addr, _ := simtest.Start(b, m)
	ctx := context.Background()
	c, err := Dial(ctx, Config{Addr: addr, Insecure: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	reply, err := c.rpc.GetAllExpectedMachines(ctx, &emptypb.Empty{})
	if err != nil {
		b.Fatal(err)
	}
	raw, err := proto.Marshal(reply)
	if err != nil {
		b.Fatal(err)
	}
	var decode time.Duration
	b.ResetTimer()
	for b.Loop() {
		got, err := c.ExpectedComponents(ctx, inventory.Compute)
		if err != nil || len(got) != 2000*coresim.ComputeTraysPerRack {
			b.Fatalf("got %d machines, err %v", len(got), err)
		}
		start := time.Now()
		var list pb.ExpectedMachineList
		if err := proto.Unmarshal(raw, &list); err != nil {
			b.Fatal(err)
		}
		_ = convertAll(list.GetExpectedMachines(), expectedMachine)
		decode += time.Since(start)
	}
	b.ReportMetric(float64(len(raw)), "reply_bytes")
	b.ReportMetric(float64(decode.Microseconds())/1000/float64(b.N), "decode_ms/op")
}
