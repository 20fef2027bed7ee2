// Package httpapi is rackflow's HTTP surface on the standard library: the
// read API (/v1), cycle triggers, import, the dry run, health, readiness,
// Prometheus metrics and the OpenAPI document. It owns routing, query
// parsing, authentication, the list envelope and CSV, and the JSON error
// format. It knows nothing of storage or Core: it reads through
// inventory.Reader and reaches the rest through the small interfaces of
// Config, which cmd/rackflow wires.
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"rackflow/inventory"
)

// DefaultShutdownTimeout bounds a graceful shutdown when Config leaves it zero.
const DefaultShutdownTimeout = 10 * time.Second

// Triggerer asks for an inventory cycle. It must not block for long: the
// scheduler merges requests into one pending run. It refuses a request it
// cannot honour with an error wrapping inventory.ErrConflict (another
// instance must take it; the message says which) or another error when the
// instance cannot tell.
type Triggerer interface {
	Trigger(allowMassDelete bool) error
}

// Config is what the server needs from the process configuration.
type Config struct {
	// Listen is the TCP address, for example 127.0.0.1:8080; port 0 picks one.
	Listen string
	// Token is the bearer token write endpoints require. Empty disables them.
	Token string
	// Logger receives request-level logs; nil discards them.
	Logger *slog.Logger
	// Registry is scraped by GET /metrics; nil serves an empty registry.
	Registry *prometheus.Registry
	// ShutdownTimeout bounds graceful shutdown; zero means DefaultShutdownTimeout.
	ShutdownTimeout time.Duration

	// ReadToken, when set, makes every read under /v1 (and the UI) require a
	// bearer token: this one or Token.
	ReadToken string
	// Reader serves the read endpoints; nil answers them 503.
	Reader inventory.Reader
	// Planner serves GET /v1/plan; nil answers it 503.
	Planner Planner
	// Importer serves POST /v1/import; nil answers it 503.
	Importer Importer
	// Ready is the readiness check of /readyz: nil when ready, otherwise an
	// error whose message is the reason. Nil Ready means always ready.
	Ready func(ctx context.Context) error
	// UI, when set, serves GET / and every path outside /v1/, /healthz,
	// /readyz and /metrics (the dashboard).
	UI http.Handler
	// MaxImportBytes bounds the body of POST /v1/import; zero means
	// DefaultMaxImportBytes.
	MaxImportBytes int64
}

// Planner computes the dry run of the mirror. The answer is served as JSON
// as it is.
type Planner interface {
	Plan(ctx context.Context) (any, error)
}

// Importer validates and applies an import document in one transaction.
type Importer interface {
	Import(ctx context.Context, doc inventory.ImportDocument) (inventory.ImportResult, error)
}

// DefaultMaxImportBytes bounds an import body when Config leaves it zero.
const DefaultMaxImportBytes = 32 << 20

// Server serves the HTTP API. Create it with New, then Listen (optional) and
// Start.
type Server struct {
	cfg     Config
	log     *slog.Logger
	trigger Triggerer
	http    *http.Server

	mu       sync.Mutex
	listener net.Listener
}

// New returns a server that hands cycle requests to t.
func New(cfg Config, t Triggerer) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = DefaultShutdownTimeout
	}
	if cfg.MaxImportBytes <= 0 {
		cfg.MaxImportBytes = DefaultMaxImportBytes
	}
	s := &Server{cfg: cfg, log: cfg.Logger, trigger: t}
	s.http = &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
	return s
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	methods := map[string][]string{}
	for _, rt := range s.table() {
		mux.Handle(rt.Method+" "+rt.Pattern, s.handle(rt))
		methods[rt.Pattern] = append(methods[rt.Pattern], rt.Method)
	}
	for pattern, ms := range methods {
		mux.Handle(pattern, methodNotAllowed(strings.Join(ms, ", ")))
	}
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("/healthz", methodNotAllowed(http.MethodGet))
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("/readyz", methodNotAllowed(http.MethodGet))
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.cfg.Registry, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelError),
	}))
	mux.Handle("/metrics", methodNotAllowed(http.MethodGet))
	mux.Handle("/", s.fallback())
	return mux
}

// fallback serves the UI outside /v1, and a JSON 404 everywhere else.
func (s *Server) fallback() http.Handler {
	notFound := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, CodeNotFound, "no such endpoint")
	})
	if s.cfg.UI == nil {
		return notFound
	}
	ui := s.requireRead(s.cfg.UI)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1" || strings.HasPrefix(r.URL.Path, "/v1/") {
			notFound(w, r)
			return
		}
		ui.ServeHTTP(w, r)
	})
}

// Listen binds the configured address. Start calls it when it has not been
// called; callers that need Addr before serving (tests, start-up messages) call
// it first, which also surfaces a port conflict before anything else starts.
func (s *Server) Listen() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listener != nil {
		return nil
	}
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("httpapi: listening on %s: %w", s.cfg.Listen, err)
	}
	s.listener = ln
	return nil
}

// Addr returns the bound address (host:port), or "" before Listen.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listener == nil {
		return ""
	}
	return s.listener.Addr().String()
}

// Start serves until ctx is cancelled, then shuts down gracefully within the
// configured bound, closing connections that outlast it. It returns nil after
// a shutdown that ctx asked for.
func (s *Server) Start(ctx context.Context) error {
	if err := s.Listen(); err != nil {
		return err
	}
	s.log.Info("http server listening", "addr", s.Addr(), "write_endpoints", s.cfg.Token != "", "read_token", s.cfg.ReadToken != "")
	served := make(chan error, 1)
	go func() { served <- s.http.Serve(s.listener) }()
	select {
	case err := <-served:
		return fmt.Errorf("httpapi: serving on %s: %w", s.Addr(), err)
	case <-ctx.Done():
	}
	return s.shutdown(served)
}

func (s *Server) shutdown(served <-chan error) error {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := s.http.Shutdown(ctx)
	if err != nil {
		// Requests outlived the bound; drop them rather than hang the exit.
		s.log.Warn("http shutdown timed out, closing connections", "error", err)
		s.http.Close()
	}
	if serr := <-served; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return fmt.Errorf("httpapi: serving: %w", serr)
	}
	s.log.Info("http server stopped")
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	// The client may be gone; there is no one left to tell.
	_ = json.NewEncoder(w).Encode(v)
}

func methodNotAllowed(allow string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeError(w, CodeMethodNotAllowed, fmt.Sprintf("method %s not allowed: use %s", r.Method, allow))
	})
}
