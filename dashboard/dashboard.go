// Package dashboard is rackflow's operator web UI: server-rendered pages on
// html/template with embedded templates and stylesheet, no JavaScript, that
// answer "what differs from Core, where, and since when?". It reads through
// inventory.Reader, asks for releases of held deletes through a Releaser,
// and knows nothing of storage or transport beyond net/http.
package dashboard

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"rackflow/inventory"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Releaser asks for a cycle now; with allowMassDelete it applies the deletes
// the mass-delete guard holds. It must not block for long.
type Releaser interface {
	Trigger(allowMassDelete bool) error
}

// CoreChecker reports whether Core answers. It is called on every page, so
// implementations bound their own time and may cache.
type CoreChecker interface {
	CheckCore(ctx context.Context) error
}

// Reader is what the dashboard reads: the read contract, plus one cycle by
// id (which inventory.Store also provides).
type Reader interface {
	inventory.Reader
	Cycle(ctx context.Context, id string) (inventory.Cycle, error)
}

// Config is what the dashboard needs.
type Config struct {
	// Reader serves every page's data.
	Reader Reader
	// Releaser receives releases of held deletes; nil disables them.
	Releaser Releaser
	// Token is the write token the release form must carry; empty disables
	// releases from the dashboard.
	Token string
	// Core reports Core's reachability; nil shows it as not checked.
	Core CoreChecker
	// Logger receives render and read failures; nil discards them.
	Logger *slog.Logger
	// Now is the clock for ages; nil means time.Now.
	Now func() time.Time
}

// handler serves the dashboard.
type handler struct {
	cfg   Config
	log   *slog.Logger
	pages map[string]*template.Template
	mux   *http.ServeMux
}

// New returns the dashboard's handler. It serves GET / and the pages below
// it, and answers 404 for any other path it is given.
func New(cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	h := &handler{cfg: cfg, log: cfg.Logger, pages: parsePages()}
	h.mux = h.routes()
	return h
}

func (h *handler) routes() *http.ServeMux {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", cacheFor(time.Hour, http.FileServerFS(static))))
	mux.HandleFunc("GET /{$}", h.overview)
	mux.HandleFunc("GET /racks", h.racks)
	mux.HandleFunc("GET /racks/{id}", h.rack)
	mux.HandleFunc("GET /components/{id}", h.component)
	mux.HandleFunc("GET /drift", h.drift)
	mux.HandleFunc("GET /cycles", h.cycles)
	mux.HandleFunc("GET /cycles/{id}", h.cycle)
	mux.HandleFunc("GET /held", h.held)
	mux.Handle("POST /held/release", http.NewCrossOriginProtection().Handler(http.HandlerFunc(h.release)))
	mux.HandleFunc("/", h.notFound)
	return mux
}

// contentSecurityPolicy allows nothing but our own stylesheet: no script at
// all, no framing, forms posting only to us.
const contentSecurityPolicy = "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// ServeHTTP sets the security headers on every answer, then routes.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", contentSecurityPolicy)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Frame-Options", "DENY")
	h.mux.ServeHTTP(w, r)
}

func cacheFor(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(d.Seconds())))
		next.ServeHTTP(w, r)
	})
}

// page is what the layout renders around every page's own data.
type page struct {
	Nav   string
	Title string
	Core  coreView
	Data  any
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 rather than half a page.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name, nav, title string, data any) {
	t, ok := h.pages[name]
	if !ok {
		panic("dashboard: no page template " + name)
	}
	var buf bytes.Buffer
	p := page{Nav: nav, Title: title, Core: h.coreState(r.Context()), Data: data}
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		h.log.Error("cannot render dashboard page", "page", name, "error", err)
		http.Error(w, "internal error rendering the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorView is the data of the error page.
type errorView struct {
	Status  int
	Heading string
	Message string
}

func (h *handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.renderError(w, r, http.StatusNotFound, "Not found", fmt.Sprintf("There is no page at %s.", r.URL.Path))
}

func (h *handler) renderError(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	h.render(w, r, status, "error", "", heading, errorView{Status: status, Heading: heading, Message: msg})
}

// fail answers a failed read: the domain error picks the status, and users
// see a fixed message, never the internal error text.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, what string, err error) {
	switch {
	case errors.Is(err, inventory.ErrNotFound):
		h.renderError(w, r, http.StatusNotFound, "Not found", fmt.Sprintf("No %s with that id.", what))
	case errors.Is(err, inventory.ErrInvalid):
		h.renderError(w, r, http.StatusBadRequest, "Bad request", invalidMessage(err))
	case errors.Is(err, inventory.ErrUnavailable):
		h.log.Warn("dashboard read failed", "what", what, "error", err)
		h.renderError(w, r, http.StatusServiceUnavailable, "Database unavailable", "The database did not answer; try again shortly.")
	default:
		h.log.Error("dashboard read failed", "what", what, "error", err)
		h.renderError(w, r, http.StatusInternalServerError, "Internal error", "Reading "+what+" failed; the server log has the details.")
	}
}

// invalidMessage is the text of an ErrInvalid: it names the caller's own
// bad value, so it is fit to show.
func invalidMessage(err error) string { return err.Error() }

// tokenMatches compares the submitted token with the configured one in
// constant time; comparing digests keeps the time independent of the
// lengths too. An unset token never matches.
func (h *handler) tokenMatches(got string) bool {
	if h.cfg.Token == "" {
		return false
	}
	a, b := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(h.cfg.Token))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}
