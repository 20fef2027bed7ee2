package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// authorize checks the bearer token of a write and writes the refusal when
// it fails.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) bool {
	if s.cfg.Token == "" {
		writeError(w, CodeForbidden, "write endpoints are disabled: RACKFLOW_API_TOKEN is not set on the server")
		return false
	}
	got, ok := bearerToken(r)
	if !ok || !tokensEqual(got, s.cfg.Token) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="rackflow"`)
		writeError(w, CodeUnauthorized, "missing or wrong bearer token")
		return false
	}
	return true
}

// authorizeRead checks the bearer token of a read when the server has a read
// token: the read token or the write token is accepted. Without a read token,
// reads are open.
func (s *Server) authorizeRead(w http.ResponseWriter, r *http.Request) bool {
	if s.cfg.ReadToken == "" {
		return true
	}
	got, ok := bearerToken(r)
	if ok && (tokensEqual(got, s.cfg.ReadToken) || s.cfg.Token != "" && tokensEqual(got, s.cfg.Token)) {
		return true
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="rackflow"`)
	writeError(w, CodeUnauthorized, "reads need a bearer token: the server has RACKFLOW_API_READ_TOKEN set")
	return false
}

// requireRead wraps a handler (the dashboard) in the read check.
func (s *Server) requireRead(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.authorizeRead(w, r) {
			h.ServeHTTP(w, r)
		}
	})
}

// bearerToken extracts the token of an "Authorization: Bearer …" header; the
// scheme is case-insensitive (RFC 9110).
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// tokensEqual compares in constant time. Hashing first makes the time
// independent of the lengths too, so a wrong guess reveals nothing.
func tokensEqual(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}
