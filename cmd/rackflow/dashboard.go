package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"sync"
	"time"

	"rackflow/dashboard"
	"rackflow/inventory"
)

// newDashboard builds the dashboard over the daemon's database, with its
// trigger for releases and a probe of its Core.
func newDashboard(svc *service, release dashboard.Releaser, token string) http.Handler {
	return dashboard.New(dashboard.Config{Reader: svc.db, Releaser: release, Token: token,
		Core: newCoreProbe(svc.core), Logger: svc.log})
}

// coreProbe tells the dashboard whether Core answers: a Version call with a
// short deadline, its answer kept for a while so that page loads do not
// each cost a round trip to Core.
type coreProbe struct {
	core    inventory.Core
	timeout time.Duration
	ttl     time.Duration

	mu      sync.Mutex
	checked time.Time
	err     error
}

func newCoreProbe(c inventory.Core) *coreProbe {
	return &coreProbe{core: c, timeout: 2 * time.Second, ttl: 15 * time.Second}
}

// CheckCore returns nil when Core answered its last Version call.
func (p *coreProbe) CheckCore(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.checked.IsZero() && time.Since(p.checked) < p.ttl {
		return p.err
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	_, p.err = p.core.Version(ctx)
	p.checked = time.Now()
	return p.err
}

// newToken makes a random write token for the demo.
func newToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generating a write token: %w", err)
	}
	return hex.EncodeToString(b), nil
}
