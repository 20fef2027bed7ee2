package httpapi

import "net/http"

// healthz answers as long as the process serves HTTP. It deliberately does
// not check the database or leadership: a follower and a leader between cycles
// are both healthy, and cycle health is in /metrics.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
