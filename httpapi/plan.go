package httpapi

import "net/http"

// getPlan answers the dry run of the mirror, computed afresh: four pulls
// from Core and a read of the inventory, nothing written.
func (s *Server) getPlan(w http.ResponseWriter, r *http.Request, _ *query) error {
	if s.cfg.Planner == nil {
		return errNotConfigured("dry runs")
	}
	p, err := s.cfg.Planner.Plan(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}
