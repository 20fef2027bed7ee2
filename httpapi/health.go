package httpapi

import "net/http"

// healthz answers as long as the process serves HTTP. It deliberately does
// not check the database or leadership: a follower and a leader between cycles
// are both healthy, and cycle health is in /metrics.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readiness is the body of /readyz.
type readiness struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// readyz answers 200 when the configured check passes (database reachable,
// schema current, last cycle recent) and 503 with the reason otherwise.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Ready != nil {
		if err := s.cfg.Ready(r.Context()); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, readiness{Status: "not_ready", Reason: err.Error()})
			return
		}
	}
	writeJSON(w, http.StatusOK, readiness{Status: "ready"})
}
