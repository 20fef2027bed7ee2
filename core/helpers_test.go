package core

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"rackflow/coresim"
	"rackflow/coresim/simtest"
)

// logBuffer collects a client's log output for assertions.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// startSim serves m and returns a client connected to it over loopback, the
// server and the client's log output. cfg may adjust the client's Config.
func startSim(t *testing.T, m *coresim.Manifest, cfg func(*Config)) (*Client, *coresim.Server, *logBuffer) {
	t.Helper()
	addr, srv := simtest.Start(t, m)
	logs := &logBuffer{}
	c := Config{
		Addr:     addr,
		Insecure: true,
		Timeout:  5 * time.Second,
		Logger:   slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if cfg != nil {
		cfg(&c)
	}
	client, err := Dial(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	client.backoff = time.Millisecond // keep retry tests fast
	t.Cleanup(func() { client.Close() })
	return client, srv, logs
}

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func u32(n uint32) *uint32 { return &n }
func intp(n int) *int      { return &n }

// hosts builds a manifest with n host machines, the given by-ids limit and
// faults.
func hosts(n int, limit *uint32, faults ...coresim.Fault) (*coresim.Manifest, []string) {
	m := &coresim.Manifest{Version: 1, Core: coresim.CoreConfig{BuildVersion: "sim", MaxFindByIDs: limit}, Faults: faults}
	ids := make([]string, n)
	for i := range n {
		ids[i] = machineName(i)
		p := int32(i)
		m.Actual.Machines = append(m.Actual.Machines, coresim.ActualMachine{
			ID: ids[i], Type: coresim.TypeHost, BMCMAC: "aa:bb:cc:00:00:01", Power: coresim.PowerOn,
			Firmware: "1.0", ChassisSerial: "SN-" + ids[i], Position: &coresim.Position{Slot: &p},
		})
	}
	return m, ids
}

func machineName(i int) string {
	return "m-" + string(rune('a'+i/26%26)) + string(rune('a'+i%26)) + "-" + string(rune('0'+i/676))
}
