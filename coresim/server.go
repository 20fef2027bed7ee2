package coresim

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync/atomic"

	"google.golang.org/grpc"

	pb "rackflow/coreproto"
)

// rpcNames lists every RPC the simulator serves.
var rpcNames = []string{
	"GetAllExpectedRacks", "GetAllExpectedMachines", "GetAllExpectedSwitches", "GetAllExpectedPowerShelves",
	"Version", "FindMachineIds", "FindMachinesByIds", "GetPowerOptions", "GetMachinePositionInfo",
	"FindSwitchIds", "FindSwitchesByIds", "FindPowerShelfIds", "FindPowerShelvesByIds", "GetComponentInventory",
}

// Server serves one manifest over gRPC as Core would. It is safe for
// concurrent use, including Reload while calls are in flight.
type Server struct {
	pb.UnimplementedForgeServer

	log   *slog.Logger
	grpc  *grpc.Server
	site  atomic.Pointer[site]
	calls map[string]*atomic.Int64
}

// New validates m and returns a server for it. opts are passed to the gRPC
// server, for example TLS credentials. A nil logger discards logs.
func New(m *Manifest, logger *slog.Logger, opts ...grpc.ServerOption) (*Server, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{log: logger, calls: make(map[string]*atomic.Int64, len(rpcNames))}
	for _, n := range rpcNames {
		s.calls[n] = new(atomic.Int64)
	}
	s.site.Store(newSite(m))
	s.grpc = grpc.NewServer(opts...)
	pb.RegisterForgeServer(s.grpc, s)
	return s, nil
}

// Serve accepts connections on lis until Stop.
func (s *Server) Serve(lis net.Listener) error {
	s.log.Info("core simulator serving", "addr", lis.Addr().String())
	if err := s.grpc.Serve(lis); err != nil {
		return fmt.Errorf("coresim: serve: %w", err)
	}
	return nil
}

// Stop closes the listeners and ends in-flight calls at once.
func (s *Server) Stop() { s.grpc.Stop() }

// GracefulStop stops accepting calls and waits for those in flight.
func (s *Server) GracefulStop() { s.grpc.GracefulStop() }

// Reload switches to m. A manifest that does not validate is rejected with an
// error, logged, and the old state keeps being served. Fault counts
// (`times`) restart from zero.
func (s *Server) Reload(m *Manifest) error {
	if err := m.Validate(); err != nil {
		s.log.Error("core simulator reload rejected, keeping the old manifest", "error", err)
		return fmt.Errorf("coresim: reload: %w", err)
	}
	s.site.Store(newSite(m))
	s.log.Info("core simulator reloaded", "expected_racks", len(m.Expected.Racks), "actual_machines", len(m.Actual.Machines))
	return nil
}

// Calls returns how many calls of rpc the server has received, rejected ones
// included. Tests use it to count batches.
func (s *Server) Calls(rpc string) int {
	if c, ok := s.calls[rpc]; ok {
		return int(c.Load())
	}
	return 0
}

// begin counts a call, checks the by-ids limit and applies the RPC's faults.
// ids is the request's id list for by-ids calls, nil otherwise.
func (s *Server) begin(ctx context.Context, rpc string, ids []string, byIDs bool) (*site, effects, error) {
	s.calls[rpc].Add(1)
	st := s.site.Load()
	if byIDs && st.limit > 0 && len(ids) > int(st.limit) {
		return nil, effects{}, invalidArgument("%d ids exceed max_find_by_ids %d", len(ids), st.limit)
	}
	e, err := applyFaults(ctx, st.faults[rpc], ids)
	if err != nil {
		s.log.Debug("core simulator injected a failure", "rpc", rpc, "error", err)
		return nil, effects{}, err
	}
	return st, e, nil
}
