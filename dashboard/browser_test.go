package dashboard_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath finds the Chromium binary the browser tests drive:
// RACKFLOW_CHROMIUM when set, else chromium on PATH. Its absence fails the
// test with instructions, because skipping would hide that the dashboard
// was never tested in a browser.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("RACKFLOW_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("Chromium is not installed, and the dashboard tests need a real browser: " +
		"install it with `apt-get install -y chromium` (Debian; .ci/run does this), " +
		"or point RACKFLOW_CHROMIUM at a Chromium binary")
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile, isolated from
// the network beyond what the test serves, and returns a tab's context. The
// browser stops when the test ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1400, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	// Start the browser now, so that a broken install fails here, clearly.
	// This first Run must get the tab's own context: cancelling the context
	// of the run that starts the browser would stop the browser.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// do runs browser steps with a deadline and fails the test on error.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// get runs one browser action that reads a value, with a deadline.
func get[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// TestBrowser_OperatorFollowsDriftFromOverviewToComponent loads every page of
// a demo-sized site in Chromium, clicks from the overview to the rack with
// the most drift and on to a drifting component, checks that a rack name
// carrying script shows as text and never runs, and submits the release form.
func TestBrowser_OperatorFollowsDriftFromOverviewToComponent(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := newSite(t, b.open(t), 8)
			ctx := newBrowser(t)
			for name, path := range s.pages(t) {
				do(t, ctx, "load "+name, chromedp.Navigate(s.server.URL+path), chromedp.WaitVisible(chromedp.CSS("main h1")))
				if title := get(t, ctx, "title of "+name, chromedp.Title()); !strings.HasSuffix(title, "· rackflow") {
					t.Errorf("%s: title %q", name, title)
				}
				assertNotPwned(t, ctx, name)
			}
			followDrift(t, ctx, s)
			checkInjectedNameIsText(t, ctx, s)
			releaseFromTheBrowser(t, ctx, s)
			if dir := os.Getenv("RACKFLOW_SCREENSHOTS"); dir != "" {
				screenshots(t, ctx, s, dir)
			}
		})
	}
}

// followDrift clicks overview → top drifting rack → its first drifting
// component, checking what each page says.
func followDrift(t *testing.T, ctx context.Context, s *site) {
	t.Helper()
	do(t, ctx, "overview", chromedp.Navigate(s.server.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#top-racks")))
	open := get(t, ctx, "open drift", chromedp.Text(chromedp.CSS("#open-drift")))
	if open == "0" || open == "" {
		t.Fatalf("the overview shows %q open drift; the generated site drifts", open)
	}
	rackName := get(t, ctx, "top rack", chromedp.Text(chromedp.CSS("#top-racks tbody a")))
	do(t, ctx, "click the top rack", chromedp.Click(chromedp.CSS("#top-racks tbody a")), chromedp.WaitVisible(chromedp.CSS("#elevation")))
	if got := get(t, ctx, "rack heading", chromedp.Text(chromedp.CSS("#rack-name"))); got != rackName {
		t.Errorf("rack page heading %q, want the clicked rack %q", got, rackName)
	}
	driftRow := `#elevation tr[class^="row-m"] a`
	serial := get(t, ctx, "drifting component", chromedp.Text(chromedp.CSS(driftRow)))
	do(t, ctx, "click the drifting component", chromedp.Click(chromedp.CSS(driftRow)), chromedp.WaitVisible(chromedp.CSS("#fields")))
	if got := get(t, ctx, "component heading", chromedp.Text(chromedp.CSS("#component-name"))); !strings.Contains(got, serial) || !strings.Contains(got, rackName) {
		t.Errorf("component heading %q, want %q in rack %q", got, serial, rackName)
	}
	if got := get(t, ctx, "open drift notice", chromedp.Text(chromedp.CSS("main .notice"))); !strings.Contains(got, "open for") {
		t.Errorf("component page notice %q, want the drift's age", got)
	}
	if n := get(t, ctx, "timeline rows", chromedp.Evaluate[int](`document.querySelectorAll("#timeline tbody tr").length`)); n == 0 {
		t.Errorf("the drifting component's timeline is empty")
	}
}

// checkInjectedNameIsText finds the rack whose name carries script in the
// grid, and on its own page, as literal text.
func checkInjectedNameIsText(t *testing.T, ctx context.Context, s *site) {
	t.Helper()
	do(t, ctx, "grid", chromedp.Navigate(s.server.URL+"/racks?q=pwned"), chromedp.WaitVisible(chromedp.CSS(".grid a")))
	if got := get(t, ctx, "grid name", chromedp.Text(chromedp.CSS(".grid a .name"))); got != injectedName {
		t.Errorf("grid shows %q, want the literal name %q", got, injectedName)
	}
	do(t, ctx, "its rack page", chromedp.Click(chromedp.CSS(".grid a")), chromedp.WaitVisible(chromedp.CSS("#rack-name")))
	if got := get(t, ctx, "rack name", chromedp.Text(chromedp.CSS("#rack-name"))); got != injectedName {
		t.Errorf("rack page shows %q, want the literal name %q", got, injectedName)
	}
	assertNotPwned(t, ctx, "the injected rack's page")
}

// releaseFromTheBrowser submits the release form, first with a wrong token
// and then with the right one, as a person would.
func releaseFromTheBrowser(t *testing.T, ctx context.Context, s *site) {
	t.Helper()
	for _, c := range []struct {
		token, want string
		calls       int
	}{{"wrong", "token is wrong", 0}, {testToken, "Release accepted", 1}} {
		do(t, ctx, "held page", chromedp.Navigate(s.server.URL+"/held"), chromedp.WaitVisible(chromedp.CSS("#release")),
			chromedp.SendKeys(chromedp.CSS(`input[name="token"]`), c.token),
			chromedp.Click(chromedp.CSS("#release")), chromedp.WaitVisible(chromedp.CSS("#release-result")))
		if got := get(t, ctx, "release result", chromedp.Text(chromedp.CSS("#release-result"))); !strings.Contains(got, c.want) {
			t.Errorf("release with token %q shows %q, want %q", c.token, got, c.want)
		}
		if calls := s.release.Calls(); len(calls) != c.calls {
			t.Errorf("after a release with token %q: Trigger calls %v, want %d", c.token, calls, c.calls)
		}
	}
}

// assertNotPwned checks that no injected script ran (it would set
// window.__pwned and make the title exactly "pwned") and that the page holds
// no script element at all.
func assertNotPwned(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	state := get(t, ctx, "page state", chromedp.Evaluate[string](
		`String(typeof window.__pwned) + "|" + document.title + "|" + document.scripts.length`))
	if parts := strings.Split(state, "|"); parts[0] != "undefined" || parts[1] == "pwned" || parts[2] != "0" {
		t.Errorf("%s: injected script ran or was parsed (typeof __pwned | title | scripts) = %s", page, state)
	}
}

// screenshots saves the overview and a drifting rack's page as PNGs in dir,
// for a person to look at; they are not part of the assertions.
func screenshots(t *testing.T, ctx context.Context, s *site, dir string) {
	t.Helper()
	rk := s.rackByName(t, "Rack 0002")
	for name, path := range map[string]string{"overview": "/", "racks": "/racks", "rack": "/racks/" + rk.ID, "drift": "/drift", "cycle": s.pages(t)["cycle"], "component": s.pages(t)["component"]} {
		do(t, ctx, "load "+name, chromedp.Navigate(s.server.URL+path), chromedp.WaitVisible(chromedp.CSS("main h1")))
		png := get(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
		if err := os.WriteFile(filepath.Join(dir, t.Name()[strings.LastIndex(t.Name(), "/")+1:]+"-"+name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
