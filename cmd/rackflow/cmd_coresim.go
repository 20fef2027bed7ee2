package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"rackflow/coresim"
)

func init() {
	commands["core-sim"] = command{summary: "run the Core simulator, or generate a site: core-sim generate", run: runCoreSim}
}

// watchInterval is how often --watch looks at the manifest file.
const watchInterval = 500 * time.Millisecond

func runCoreSim(ctx context.Context, args []string, io IO) int {
	if len(args) > 0 && args[0] == "generate" {
		return runCoreSimGenerate(args[1:], io)
	}
	fs := newFlags("core-sim", io)
	site := fs.String("site", "", "site manifest (YAML) to serve (required)")
	listen := fs.String("listen", "127.0.0.1:50051", "address to listen on")
	watch := fs.Bool("watch", false, "reload the manifest when the file changes")
	tlsCert := fs.String("tls-cert", "", "serve TLS with this certificate file")
	tlsKey := fs.String("tls-key", "", "key file for --tls-cert")
	tlsClientCA := fs.String("tls-client-ca", "", "require client certificates signed by this CA (mutual TLS)")
	var logs logConfig
	logs.register(fs, io)
	if err := fs.Parse(args); err != nil {
		return usageError(io, fs, err)
	}
	if *site == "" || fs.NArg() > 0 {
		return usageError(io, fs, errors.New("usage: rackflow core-sim --site FILE [--listen ADDR] [--watch] | core-sim generate --racks N"))
	}
	opts, err := serverTLS(*tlsCert, *tlsKey, *tlsClientCA)
	if err != nil {
		return usageError(io, fs, err)
	}
	log, err := logs.logger(io.Err)
	if err != nil {
		return usageError(io, fs, err)
	}
	return serveSim(ctx, io, log, simOptions{site: *site, listen: *listen, watch: *watch, grpc: opts})
}

type simOptions struct {
	site, listen string
	watch        bool
	grpc         []grpc.ServerOption
}

// serveSim serves the manifest until ctx ends, reloading it on SIGHUP and,
// with watch, when the file changes.
func serveSim(ctx context.Context, io IO, log *slog.Logger, o simOptions) int {
	m, err := coresim.LoadManifest(o.site)
	if err != nil {
		return fail(io, "core-sim", err)
	}
	srv, err := coresim.New(m, log, o.grpc...)
	if err != nil {
		return fail(io, "core-sim", err)
	}
	lis, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fail(io, "core-sim", err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(lis) }()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go reloadOnSignal(ctx, log, srv, o.site)
	if o.watch {
		go reloadOnChange(ctx, log, srv, o.site)
	}
	select {
	case <-ctx.Done():
		stopWithin(srv, 5*time.Second)
		return 0
	case err := <-served:
		return fail(io, "core-sim", err)
	}
}

// stopWithin lets in-flight calls finish, but not for longer than d.
func stopWithin(srv *coresim.Server, d time.Duration) {
	done := make(chan struct{})
	go func() { srv.GracefulStop(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		srv.Stop()
	}
}

func reloadOnSignal(ctx context.Context, log *slog.Logger, srv *coresim.Server, path string) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			log.Info("core simulator reloading on SIGHUP", "site", path)
			reloadFile(log, srv, path)
		}
	}
}

// reloadOnChange polls the file's size and modification time; polling needs
// no extra dependency and is quick enough for a test tool.
func reloadOnChange(ctx context.Context, log *slog.Logger, srv *coresim.Server, path string) {
	last := fileStamp(path)
	t := time.NewTicker(watchInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if now := fileStamp(path); now != last {
				last = now
				log.Info("core simulator reloading on file change", "site", path)
				reloadFile(log, srv, path)
			}
		}
	}
}

func fileStamp(path string) string {
	st, err := os.Stat(path)
	if err != nil {
		return ""
	}
	return fmt.Sprint(st.Size(), st.ModTime().UnixNano())
}

// reloadFile swaps in the file's manifest; a bad file is logged and the old
// manifest keeps being served.
func reloadFile(log *slog.Logger, srv *coresim.Server, path string) {
	m, err := coresim.LoadManifest(path)
	if err != nil {
		log.Error("core simulator reload rejected, keeping the old manifest", "site", path, "error", err)
		return
	}
	_ = srv.Reload(m) // Reload logs its own outcome
}

// serverTLS builds TLS server options; none when no certificate is given.
func serverTLS(certFile, keyFile, clientCA string) ([]grpc.ServerOption, error) {
	if certFile == "" && keyFile == "" && clientCA == "" {
		return nil, nil
	}
	if certFile == "" || keyFile == "" {
		return nil, errors.New("--tls-cert and --tls-key go together")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("load TLS key pair: %w", err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if clientCA != "" {
		pem, err := os.ReadFile(clientCA)
		if err != nil {
			return nil, fmt.Errorf("read client CA: %w", err)
		}
		cfg.ClientCAs = x509.NewCertPool()
		if !cfg.ClientCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("client CA %s holds no PEM certificate", clientCA)
		}
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return []grpc.ServerOption{grpc.Creds(credentials.NewTLS(cfg))}, nil
}

func runCoreSimGenerate(args []string, io IO) int {
	fs := newFlags("core-sim generate", io)
	racks := fs.Int("racks", 0, "number of GB200 NVL72 racks (required)")
	seed := fs.Int64("seed", 1, "random seed; the same seed gives the same site")
	drift := fs.Float64("drift", 0, "fraction (0 to 1) of actual objects to perturb")
	if err := fs.Parse(args); err != nil {
		return usageError(io, fs, err)
	}
	if *racks <= 0 || fs.NArg() > 0 {
		return usageError(io, fs, errors.New("usage: rackflow core-sim generate --racks N [--seed S] [--drift F]"))
	}
	if *drift < 0 || *drift > 1 {
		return usageError(io, fs, errors.New("--drift: want a fraction between 0 and 1"))
	}
	m := coresim.Generate(coresim.GenerateOptions{Racks: *racks, Seed: *seed, Drift: *drift})
	w := bufio.NewWriterSize(io.Out, 1<<16)
	if err := coresim.MarshalManifest(w, m); err != nil {
		return fail(io, "core-sim generate", err)
	}
	if err := w.Flush(); err != nil {
		return fail(io, "core-sim generate", err)
	}
	return 0
}
