package dashboard

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"time"

	"rackflow/inventory"
)

// pageNames are the page templates; each is parsed together with the layout.
var pageNames = []string{"overview", "racks", "rack", "component", "drift", "cycles", "cycle", "held", "release", "error"}

// parsePages parses every page with the layout. The templates are embedded,
// so a parse error is a build defect and panics at start-up (and in tests).
func parsePages() map[string]*template.Template {
	out := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		t := template.New(name).Funcs(funcs)
		out[name] = template.Must(t.ParseFS(templateFS, "templates/layout.html", "templates/parts.html", "templates/"+name+".html"))
	}
	return out
}

// navItem is one entry of the top navigation.
type navItem struct{ Key, Path, Label string }

var nav = []navItem{
	{"overview", "/", "Overview"},
	{"racks", "/racks", "Racks"},
	{"drift", "/drift", "Drift"},
	{"cycles", "/cycles", "Cycles"},
	{"held", "/held", "Held deletes"},
}

// driftTypes lists the drift types in the order every page shows them.
var driftTypes = []inventory.DriftType{inventory.MissingInActual, inventory.Mismatch, inventory.MissingInExpected}

// driftLabel is how a drift type reads on a page.
func driftLabel(t inventory.DriftType) string {
	switch t {
	case inventory.MissingInActual:
		return "missing in actual"
	case inventory.MissingInExpected:
		return "missing in expected"
	case inventory.Mismatch:
		return "mismatch"
	}
	return string(t)
}

// driftGlyph marks a drift type by shape as well as colour, for readers
// who cannot tell the colours apart.
func driftGlyph(t inventory.DriftType) string {
	switch t {
	case inventory.MissingInActual:
		return "✕"
	case inventory.MissingInExpected:
		return "+"
	case inventory.Mismatch:
		return "≠"
	}
	return ""
}

// driftClass is the CSS class that gives a drift type its colour; "" is no
// drift.
func driftClass(t inventory.DriftType) string {
	if t == "" {
		return "d-ok"
	}
	return "d-" + string(t)
}

// statusClass colours a cycle status.
func statusClass(s inventory.CycleStatus) string {
	switch s {
	case inventory.CycleOK, inventory.CyclePartial, inventory.CycleFailed, inventory.CycleRunning:
		return "s-" + string(s)
	}
	return "s-unknown"
}

// styleURL names the stylesheet by its content, so that a browser never
// keeps a stale copy across an upgrade however long it caches it.
var styleURL = func() string {
	b, err := staticFS.ReadFile("static/style.css")
	if err != nil {
		panic("dashboard: the stylesheet is not embedded: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return "/static/style.css?v=" + hex.EncodeToString(sum[:6])
}()

var funcs = template.FuncMap{
	"styleURL":    func() string { return styleURL },
	"navItems":    func() []navItem { return nav },
	"list":        func(s ...string) []string { return s },
	"count":       count,
	"driftLabel":  driftLabel,
	"driftClass":  driftClass,
	"driftGlyph":  driftGlyph,
	"statusClass": statusClass,
	"driftTypes":  func() []inventory.DriftType { return driftTypes },
}

// coreView is Core's reachability as the header shows it.
type coreView struct {
	State  string
	Class  string
	Detail string
}

// coreState asks the CoreChecker, bounded by a short deadline.
func (h *handler) coreState(ctx context.Context) coreView {
	if h.cfg.Core == nil {
		return coreView{State: "not checked", Class: "s-unknown", Detail: "no Core check is configured"}
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := h.cfg.Core.CheckCore(ctx); err != nil {
		return coreView{State: "unreachable", Class: "s-failed", Detail: err.Error()}
	}
	return coreView{State: "reachable", Class: "s-ok", Detail: "Core answered"}
}
