package core

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"rackflow/coreproto"
	"rackflow/inventory"
)

// Defaults for Config.
const (
	DefaultTimeout = 60 * time.Second
	DefaultMaxRecv = 256 << 20
	// maxAttempts bounds the tries of one call, the first included.
	maxAttempts = 3
	// defaultBackoff is the wait before the first retry; it doubles after.
	defaultBackoff = 200 * time.Millisecond
)

// Config says how to reach Core.
type Config struct {
	// Addr is Core's gRPC address, host:port.
	Addr string
	// TLSCA, TLSCert and TLSKey are PEM file paths for mutual TLS.
	TLSCA, TLSCert, TLSKey string
	// Insecure asks for plaintext. It must be explicit: without it, Dial
	// requires the TLS files.
	Insecure bool
	// Timeout is the deadline of each attempt of each call; 0 means 60s.
	Timeout time.Duration
	// MaxRecv is the largest reply accepted, in bytes; 0 means 256 MiB.
	MaxRecv int
	// Concurrency bounds how many by-ids batches of one call are in flight at
	// once; 0 means DefaultConcurrency, 1 sends them one after another.
	Concurrency int
	// Logger receives the client's warnings; nil means slog.Default().
	Logger *slog.Logger
	// DialOptions are appended to the client's own, for example a bufconn
	// dialer in tests.
	DialOptions []grpc.DialOption
}

// Client talks to one Core. It is safe for concurrent use.
type Client struct {
	conn    *grpc.ClientConn
	rpc     coreproto.ForgeClient
	log     *slog.Logger
	timeout time.Duration
	backoff time.Duration
	// concurrency bounds the by-ids batches of one call in flight at once.
	concurrency int

	mu    sync.Mutex
	batch int // learned by-ids batch size; 0 until learned
}

var _ inventory.Core = (*Client)(nil)

// ErrBadReply marks a reply that does not match its request: an id nobody
// asked for, an id returned twice, or inventory entries out of step with
// the request.
var ErrBadReply = errors.New("reply does not match the request")

// Dial prepares a client for cfg.Addr. The connection is made lazily, on the
// first call; ctx is not retained.
func Dial(_ context.Context, cfg Config) (*Client, error) {
	if cfg.Addr == "" {
		return nil, fmt.Errorf("core: dial: %w: no address", inventory.ErrInvalid)
	}
	creds, err := transportCredentials(cfg)
	if err != nil {
		return nil, fmt.Errorf("core: dial %s: %w", cfg.Addr, err)
	}
	maxRecv := cfg.MaxRecv
	if maxRecv <= 0 {
		maxRecv = DefaultMaxRecv
	}
	opts := []grpc.DialOption{
		grpc.WithTransportCredentials(creds),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxRecv)),
	}
	conn, err := grpc.NewClient(cfg.Addr, append(opts, cfg.DialOptions...)...)
	if err != nil {
		return nil, fmt.Errorf("core: dial %s: %w", cfg.Addr, err)
	}
	return newClient(conn, cfg), nil
}

func newClient(conn *grpc.ClientConn, cfg Config) *Client {
	c := &Client{
		conn:        conn,
		rpc:         coreproto.NewForgeClient(conn),
		log:         cfg.Logger,
		timeout:     cfg.Timeout,
		backoff:     defaultBackoff,
		concurrency: cfg.Concurrency,
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.concurrency <= 0 {
		c.concurrency = DefaultConcurrency
	}
	return c
}

// Close releases the connection.
func (c *Client) Close() error { return c.conn.Close() }

// transportCredentials builds mutual TLS from the configured files, or
// plaintext when that was asked for explicitly.
func transportCredentials(cfg Config) (credentials.TransportCredentials, error) {
	if cfg.Insecure {
		return insecure.NewCredentials(), nil
	}
	if cfg.TLSCA == "" || cfg.TLSCert == "" || cfg.TLSKey == "" {
		return nil, fmt.Errorf("%w: mutual TLS needs a CA, a certificate and a key (or ask for plaintext explicitly)", inventory.ErrInvalid)
	}
	pem, err := os.ReadFile(cfg.TLSCA)
	if err != nil {
		return nil, fmt.Errorf("read TLS CA: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%w: TLS CA %s holds no PEM certificate", inventory.ErrInvalid, cfg.TLSCA)
	}
	cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
	if err != nil {
		return nil, fmt.Errorf("load TLS key pair: %w", err)
	}
	return credentials.NewTLS(&tls.Config{RootCAs: pool, Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}), nil
}

// call runs one RPC with a deadline per attempt, retrying UNAVAILABLE and
// DEADLINE_EXCEEDED with jittered exponential backoff while the caller's
// context lives. The error names the RPC and wraps the gRPC status, so
// status.Code still reports the code.
func (c *Client) call(ctx context.Context, rpc string, attempt func(ctx context.Context) error) error {
	var err error
	for try := 1; ; try++ {
		err = c.attempt(ctx, attempt)
		if err == nil {
			return nil
		}
		if try == maxAttempts || !retryable(err) || ctx.Err() != nil {
			break
		}
		wait := jitter(c.backoff << (try - 1))
		c.log.Warn("core call failed, retrying", "rpc", rpc, "attempt", try, "retry_in", wait, "error", err)
		if sleep(ctx, wait) != nil {
			break
		}
	}
	return wrapErr(rpc, err)
}

func (c *Client) attempt(ctx context.Context, fn func(ctx context.Context) error) error {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	return fn(actx)
}

func retryable(err error) bool {
	switch status.Code(err) {
	case codes.Unavailable, codes.DeadlineExceeded:
		return true
	}
	return false
}

// jitter spreads d over [d/2, 3d/2) so that clients retrying together do not
// stay in step.
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return d/2 + rand.N(d)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// wrapErr names the RPC and marks transport failures as ErrUnavailable, so
// callers can test either the domain error or the gRPC code.
func wrapErr(rpc string, err error) error {
	switch status.Code(err) {
	case codes.Unavailable, codes.DeadlineExceeded:
		return fmt.Errorf("core: %s: %w: %w", rpc, inventory.ErrUnavailable, err)
	}
	return fmt.Errorf("core: %s: %w", rpc, err)
}

// badReply builds the error for a reply that breaks the request's contract.
func badReply(rpc, format string, args ...any) error {
	return fmt.Errorf("core: %s: %w: %s", rpc, ErrBadReply, fmt.Sprintf(format, args...))
}
