package httpapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"rackflow/inventory"
)

func TestReads_AreOpenWithoutAReadToken(t *testing.T) {
	base := startServer(t, Config{Token: testToken}, &fakeTriggerer{})
	// No reader is configured: passing authentication reaches the 503.
	if code, body := call(t, "GET", base+"/v1/racks", "", ""); code != http.StatusServiceUnavailable || errCode(body) != "unavailable" {
		t.Fatalf("GET /v1/racks without a token: %d %v, want it past authentication", code, body)
	}
}

func TestReads_NeedTheReadOrWriteTokenWhenAReadTokenIsSet(t *testing.T) {
	base := startServer(t, Config{Token: testToken, ReadToken: "reader-1"}, &fakeTriggerer{})
	for _, tok := range []string{"", "wrong", "reader-1x"} {
		if code, body := call(t, "GET", base+"/v1/drift", tok, ""); code != http.StatusUnauthorized || errCode(body) != "unauthorized" {
			t.Errorf("token %q: %d %v, want 401", tok, code, body)
		}
	}
	for _, tok := range []string{"reader-1", testToken} {
		if code, _ := call(t, "GET", base+"/v1/drift", tok, ""); code != http.StatusServiceUnavailable {
			t.Errorf("token %q: %d, want it accepted (and 503 for the missing reader)", tok, code)
		}
	}
	if code, body := call(t, "POST", base+"/v1/cycles", "reader-1", ""); code != http.StatusUnauthorized {
		t.Errorf("a write with the read token: %d %v, want 401", code, body)
	}
	if code, _ := call(t, "GET", base+"/healthz", "", ""); code != http.StatusOK {
		t.Errorf("/healthz needs no token, got %d", code)
	}
}

func TestUI_ServesEverythingOutsideTheAPI(t *testing.T) {
	ui := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ui:"+r.URL.Path) })
	base := startServer(t, Config{UI: ui}, &fakeTriggerer{})
	for _, path := range []string{"/", "/racks/r-1", "/static/app.css"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != "ui:"+path {
			t.Errorf("GET %s = %q, want the UI", path, b)
		}
	}
	if code, body := call(t, "GET", base+"/v1/nope", "", ""); code != http.StatusNotFound || errCode(body) != "not_found" {
		t.Errorf("GET /v1/nope = %d %v, want the API's 404", code, body)
	}
	if code, body := call(t, "GET", base+"/healthz", "", ""); code != http.StatusOK || body["status"] != "ok" {
		t.Errorf("/healthz = %d %v, want the API's", code, body)
	}
}

func TestUI_NeedsTheReadTokenWhenOneIsSet(t *testing.T) {
	ui := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ui") })
	base := startServer(t, Config{UI: ui, ReadToken: "reader-1"}, &fakeTriggerer{})
	if code, _ := call(t, "GET", base+"/", "", ""); code != http.StatusUnauthorized {
		t.Errorf("GET / without the read token = %d, want 401", code)
	}
}

func TestReadyz_Answers503WithTheReason(t *testing.T) {
	var reason atomic.Value
	reason.Store("")
	base := startServer(t, Config{Ready: readyFunc(&reason)}, &fakeTriggerer{})
	if code, body := call(t, "GET", base+"/readyz", "", ""); code != http.StatusOK || body["status"] != "ready" {
		t.Fatalf("/readyz = %d %v, want 200 ready", code, body)
	}
	reason.Store("the last cycle started 3h0m0s ago")
	if code, body := call(t, "GET", base+"/readyz", "", ""); code != http.StatusServiceUnavailable || !strings.Contains(body["reason"].(string), "3h0m0s") {
		t.Fatalf("/readyz = %d %v, want 503 with the reason", code, body)
	}
}

func TestImport_RejectsMalformedBodiesWith400(t *testing.T) {
	base := startServer(t, Config{Token: testToken, Importer: refusingImporter{}, MaxImportBytes: 1 << 10}, &fakeTriggerer{})
	for _, tt := range []struct{ name, body, want string }{
		{"empty body", "", "empty"},
		{"not JSON", "racks:", "not valid JSON"},
		{"unknown field", `{"rackz": []}`, `unknown field "rackz"`},
		{"a wrong type names the field", `{"racks": [{"name": 7}]}`, `"racks.name" must be a string`},
		{"too large", `{"racks": [` + strings.Repeat(" ", 2000) + `]}`, "larger than 1024"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, body := call(t, "POST", base+"/v1/import", testToken, tt.body)
			if code != http.StatusBadRequest || !strings.Contains(errMessage(body), tt.want) {
				t.Fatalf("got %d %v, want 400 containing %q", code, body, tt.want)
			}
		})
	}
	if code, _ := call(t, "POST", base+"/v1/import", "", `{}`); code != http.StatusUnauthorized {
		t.Errorf("an import without the token = %d, want 401", code)
	}
}

func readyFunc(reason *atomic.Value) func(context.Context) error {
	return func(context.Context) error {
		if r := reason.Load().(string); r != "" {
			return errors.New(r)
		}
		return nil
	}
}

// refusingImporter fails every import it receives: these tests never reach
// it.
type refusingImporter struct{}

func (refusingImporter) Import(context.Context, inventory.ImportDocument) (inventory.ImportResult, error) {
	return inventory.ImportResult{}, errors.New("import reached the importer")
}
