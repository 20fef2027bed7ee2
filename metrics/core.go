package metrics

import (
	"context"
	"fmt"
	"path"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
)

// rpcBuckets spans a fast by-ids batch up to the default 60 s attempt deadline.
var rpcBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// CoreRPC holds the latency and errors of calls to Core, by method. The
// Core client knows nothing of it: it is a gRPC interceptor that cmd passes
// to the client's dial options.
type CoreRPC struct {
	duration *prometheus.HistogramVec
	errors   *prometheus.CounterVec
}

// NewCoreRPC creates the metrics without registering them, so that the
// client can be dialled before the registry exists; see Register.
func NewCoreRPC() *CoreRPC {
	return &CoreRPC{
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Name: "core_rpc_duration_seconds",
			Help:    "Latency of each attempt of a Core RPC, by method, errors included.",
			Buckets: rpcBuckets,
		}, []string{"method"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "core_rpc_errors_total",
			Help: "Core RPC attempts that failed, by method and gRPC status code.",
		}, []string{"method", "code"}),
	}
}

// Register registers the metrics on reg.
func (m *CoreRPC) Register(reg prometheus.Registerer) error {
	for _, c := range []prometheus.Collector{m.duration, m.errors} {
		if err := reg.Register(c); err != nil {
			return fmt.Errorf("metrics: registering core rpc metrics: %w", err)
		}
	}
	return nil
}

// Interceptor observes every unary call; the method label is the RPC's
// name without its service.
func (m *CoreRPC) Interceptor() grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		start := time.Now()
		err := invoker(ctx, method, req, reply, cc, opts...)
		m.Observe(path.Base(method), time.Since(start), err)
		return err
	}
}

// DialOption is Interceptor as a dial option.
func (m *CoreRPC) DialOption() grpc.DialOption {
	return grpc.WithChainUnaryInterceptor(m.Interceptor())
}

// Observe records one attempt of method.
func (m *CoreRPC) Observe(method string, d time.Duration, err error) {
	m.duration.WithLabelValues(method).Observe(d.Seconds())
	if err != nil {
		m.errors.WithLabelValues(method, status.Code(err).String()).Inc()
	}
}
