package dashboard_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"rackflow/inventory"
)

// get fetches a dashboard path and returns the status, headers and body.
func (s *site) get(t *testing.T, path string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(s.server.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

func (s *site) post(t *testing.T, path string, form url.Values, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.server.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// rackByName finds a rack of the site.
func (s *site) rackByName(t *testing.T, name string) inventory.RackView {
	t.Helper()
	l, err := s.store.ListRacks(context.Background(), inventory.RackQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range l.Items {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no rack %q", name)
	return inventory.RackView{}
}

// pages are every page of a site, one path each.
func (s *site) pages(t *testing.T) map[string]string {
	t.Helper()
	rk := s.rackByName(t, injectedName)
	cycles, err := s.store.Cycles(context.Background(), 1)
	if err != nil || len(cycles) == 0 {
		t.Fatalf("cycles: %v %v", cycles, err)
	}
	return map[string]string{
		"overview":  "/",
		"racks":     "/racks",
		"rack":      "/racks/" + rk.ID,
		"component": "/components/" + firstComponent(t, s, rk.ID),
		"drift":     "/drift",
		"cycles":    "/cycles",
		"cycle":     "/cycles/" + cycles[0].ID,
		"held":      "/held",
	}
}

func firstComponent(t *testing.T, s *site, rackID string) string {
	t.Helper()
	e, err := s.store.Elevation(context.Background(), rackID)
	if err != nil || len(e.Slots) == 0 {
		t.Fatalf("elevation of %s: %v", rackID, err)
	}
	return e.Slots[0].Expected.ID
}

func TestPages_AnswerWithStrictSecurityHeaders(t *testing.T) {
	s := newSite(t, openSQLite(t), 3)
	for name, path := range s.pages(t) {
		status, h, _ := s.get(t, path)
		if status != http.StatusOK {
			t.Errorf("%s (%s): status %d, want 200", name, path, status)
		}
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'none'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: Content-Security-Policy %q lacks %q", name, csp, want)
			}
		}
		if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options = %q", name, got)
		}
		if got := h.Get("Referrer-Policy"); got != "no-referrer" {
			t.Errorf("%s: Referrer-Policy = %q", name, got)
		}
		if got := h.Get("Content-Type"); got != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type = %q", name, got)
		}
	}
}

func TestPages_EscapeARackNameThatCarriesScript(t *testing.T) {
	s := newSite(t, openSQLite(t), 3)
	pages := s.pages(t)
	for _, name := range []string{"overview", "racks", "rack", "component"} {
		_, _, body := s.get(t, pages[name])
		if strings.Contains(body, "<script") {
			t.Errorf("%s: the page holds a <script> element:\n%s", name, excerpt(body, "pwned"))
		}
		if name != "overview" && !strings.Contains(body, "&lt;script&gt;window.__pwned=1;") {
			t.Errorf("%s: the escaped rack name is missing:\n%s", name, excerpt(body, "pwned"))
		}
	}
}

// excerpt shows the text around the first occurrence of word.
func excerpt(body, word string) string {
	i := strings.Index(body, word)
	if i < 0 {
		return "(" + word + " not found)"
	}
	return body[max(0, i-200):min(len(body), i+200)]
}

func TestRelease_RefusesAWrongToken(t *testing.T) {
	s := newSite(t, openSQLite(t), 2)
	status, body := s.post(t, "/held/release", url.Values{"token": {"not-the-token"}}, nil)
	if status != http.StatusForbidden || !strings.Contains(body, "token is wrong") {
		t.Errorf("wrong token: status %d, body:\n%s", status, excerpt(body, "release-result"))
	}
	if calls := s.release.Calls(); len(calls) != 0 {
		t.Errorf("Trigger calls after a wrong token = %v, want none", calls)
	}
}

func TestRelease_RightTokenAsksForACycleThatAppliesHeldDeletes(t *testing.T) {
	s := newSite(t, openSQLite(t), 2)
	status, body := s.post(t, "/held/release", url.Values{"token": {testToken}}, nil)
	if status != http.StatusAccepted || !strings.Contains(body, "Release accepted") {
		t.Errorf("right token: status %d, body:\n%s", status, excerpt(body, "release-result"))
	}
	if calls := s.release.Calls(); len(calls) != 1 || !calls[0] {
		t.Errorf("Trigger calls = %v, want one with allowMassDelete", calls)
	}
}

func TestRelease_RefusesACrossSitePostEvenWithTheToken(t *testing.T) {
	s := newSite(t, openSQLite(t), 2)
	status, _ := s.post(t, "/held/release", url.Values{"token": {testToken}}, map[string]string{"Sec-Fetch-Site": "cross-site"})
	if status != http.StatusForbidden {
		t.Errorf("cross-site post: status %d, want 403", status)
	}
	if calls := s.release.Calls(); len(calls) != 0 {
		t.Errorf("Trigger calls after a cross-site post = %v, want none", calls)
	}
}

func TestRelease_IsDisabledWithoutAToken(t *testing.T) {
	s := newSite(t, openSQLite(t), 2)
	s.server.Config.Handler = s.handler("")
	if _, _, body := s.get(t, "/held"); !strings.Contains(body, "Releases are disabled") || strings.Contains(body, `name="token"`) {
		t.Errorf("held page without a token offers a release form:\n%s", excerpt(body, "Release"))
	}
	for _, tok := range []string{"", "anything"} {
		if status, _ := s.post(t, "/held/release", url.Values{"token": {tok}}, nil); status != http.StatusForbidden {
			t.Errorf("release with token %q while disabled: status %d, want 403", tok, status)
		}
	}
	if calls := s.release.Calls(); len(calls) != 0 {
		t.Errorf("Trigger calls = %v, want none", calls)
	}
}

func TestUnknownPathsAndIDs_AreNotFound(t *testing.T) {
	s := newSite(t, openSQLite(t), 2)
	for _, path := range []string{"/nope", "/racks/no-such-rack", "/components/" + inventory.NewID(), "/cycles/" + inventory.NewID(), "/static/nope.css"} {
		status, h, _ := s.get(t, path)
		if status != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, status)
		}
		if h.Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: the 404 has no Content-Security-Policy", path)
		}
	}
}

func TestDrift_BadFilterIsABadRequestNamingTheValue(t *testing.T) {
	s := newSite(t, openSQLite(t), 2)
	for _, q := range []string{"state=sideways", "min_age=forever", "type=wobble"} {
		status, _, body := s.get(t, "/drift?"+q)
		value := strings.SplitN(q, "=", 2)[1]
		if status != http.StatusBadRequest || !strings.Contains(body, value) {
			t.Errorf("GET /drift?%s: status %d, want 400 naming %q:\n%s", q, status, value, excerpt(body, "notice"))
		}
	}
}

func TestDrift_ExportLinkCarriesTheFilters(t *testing.T) {
	s := newSite(t, openSQLite(t), 2)
	_, _, body := s.get(t, "/drift?type=mismatch&component_type=Compute")
	m := regexp.MustCompile(`id="csv-export"[^>]*|href="(/v1/drift\?[^"]*)"[^>]*id="csv-export"`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(m[0], "format=csv") || !strings.Contains(m[0], "type=mismatch") || !strings.Contains(m[0], "component_type=Compute") {
		t.Errorf("CSV export link = %q, want /v1/drift with format=csv and the filters", m)
	}
}

func TestCycle_ListsItsEventsPageByPage(t *testing.T) {
	s := newSite(t, openSQLite(t), 3)
	cycles, err := s.store.Cycles(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	first := cycles[len(cycles)-1] // the start-up cycle inserted every row
	_, _, page1 := s.get(t, "/cycles/"+first.ID)
	next := regexp.MustCompile(`rel="next" href="([^"]+)"`).FindStringSubmatch(page1)
	if next == nil {
		t.Fatalf("the first page of events has no next link")
	}
	if n := strings.Count(page1, "<tr><td class=\"num\">"); n != 100 {
		t.Errorf("first page shows %d events, want 100", n)
	}
	_, _, page2 := s.get(t, strings.ReplaceAll(next[1], "&amp;", "&"))
	ids := func(body string) []int {
		var out []int
		for _, m := range regexp.MustCompile(`<tr><td class="num">(\d+)</td>`).FindAllStringSubmatch(body, -1) {
			n, _ := strconv.Atoi(m[1])
			out = append(out, n)
		}
		return out
	}
	p1, p2 := ids(page1), ids(page2)
	if len(p1) == 0 || len(p2) == 0 || p2[0] <= p1[len(p1)-1] {
		t.Errorf("second page starts at event %v after the first page ended at %v", p2, p1[len(p1)-1])
	}
}

func TestRacks_FilterByNameAndByDrift(t *testing.T) {
	s := newSite(t, openSQLite(t), 8)
	cells := func(query string) int {
		t.Helper()
		status, _, body := s.get(t, "/racks"+query)
		if status != http.StatusOK {
			t.Fatalf("GET /racks%s: status %d", query, status)
		}
		return strings.Count(body, `<a class="d-`)
	}
	all, drifting, clean := cells(""), cells("?drift=yes"), cells("?drift=no")
	if all != 8 || drifting+clean != all || drifting == 0 {
		t.Errorf("grid cells: all %d, with drift %d, without %d; want 8 split between the two", all, drifting, clean)
	}
	for q, want := range map[string]int{"rack+000": 8, "RACK+0002": 1, "pwned": 1, "nothing-like-it": 0} {
		if n := cells("?q=" + q); n != want {
			t.Errorf("name contains %q: %d racks, want %d", q, n, want)
		}
	}
	if n := cells("?drift=mismatch"); n == 0 || n > drifting {
		t.Errorf("racks with a mismatch: %d, want between 1 and %d", n, drifting)
	}
	if status, _, _ := s.get(t, "/racks?drift=wobbly"); status != http.StatusBadRequest {
		t.Errorf("GET /racks?drift=wobbly: status %d, want 400", status)
	}
}

func TestHeld_ListsWhatTheGuardHoldsWithLinks(t *testing.T) {
	s := newSite(t, openSQLite(t), 3)
	// Core stops expecting all compute trays of the site but one: far more
	// than the guard lets one cycle delete. (An empty pull would delete
	// nothing at all.)
	m := *s.manifest
	m.Expected.Machines = m.Expected.Machines[:1]
	if err := s.sim.Reload(&m); err != nil {
		t.Fatal(err)
	}
	s.cycle(t, inventory.TriggerInterval)
	_, _, body := s.get(t, "/held")
	if n := strings.Count(body, `<a href="/components/`); n != 53 {
		t.Errorf("held page links %d components, want the 53 held compute trays:\n%s", n, excerpt(body, "held"))
	}
	if !strings.Contains(body, "53 soft deletes") || !strings.Contains(body, `name="token"`) {
		t.Errorf("held page lacks its count or the release form:\n%s", excerpt(body, "soft deletes"))
	}
	if _, _, ov := s.get(t, "/"); !strings.Contains(ov, `id="held-count">53<`) {
		t.Errorf("overview does not count 53 held deletes:\n%s", excerpt(ov, "held-count"))
	}
}

func TestComponent_ShowsExpectedAgainstActualAndSinceWhen(t *testing.T) {
	s := newSite(t, openSQLite(t), 8)
	l, err := s.store.ListDrift(context.Background(), inventory.DriftQuery{Type: []inventory.DriftType{inventory.Mismatch}})
	if err != nil || len(l.Items) == 0 {
		t.Fatalf("mismatches: %v, %v", l.Items, err)
	}
	for _, d := range l.Items {
		_, _, body := s.get(t, "/components/"+*d.ComponentID)
		diff := d.Diffs[0]
		row := regexp.MustCompile(`<tr class="row-mismatch"><td><code>` + regexp.QuoteMeta(fieldLabel(diff.FieldName)) +
			`</code></td><td>([^<]*)</td><td><b class="act">([^<]*)</b>`).FindStringSubmatch(body)
		if row == nil {
			t.Errorf("no differing %s row on the page of %s:\n%s", diff.FieldName, *d.SerialNumber, excerpt(body, "Expected vs actual"))
			continue
		}
		if !strings.Contains(row[1], diff.ExpectedValue) || row[2] != diff.ActualValue {
			t.Errorf("%s %s: expected %q, actual %q; want %q and %q", *d.SerialNumber, diff.FieldName, row[1], row[2], diff.ExpectedValue, diff.ActualValue)
		}
		if !strings.Contains(body, "open for <b>") || !strings.Contains(body, `<table id="timeline">`) {
			t.Errorf("the page of %s lacks the drift's age or its timeline:\n%s", *d.SerialNumber, excerpt(body, "open for"))
		}
	}
}

// fieldLabel is the name the component page gives a drift field.
func fieldLabel(f string) string {
	if f == inventory.ColRackID {
		return "rack"
	}
	return f
}
