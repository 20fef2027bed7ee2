package httpapi

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// fetchOpenAPI reads the served document.
func fetchOpenAPI(t *testing.T, base string) map[string]any {
	t.Helper()
	resp, err := http.Get(base + "/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /v1/openapi.json: %d, %v", resp.StatusCode, err)
	}
	return doc
}

func TestOpenAPI_DocumentsEveryRouteAndEveryQueryParameter(t *testing.T) {
	s := New(Config{}, &fakeTriggerer{})
	base := startServer(t, Config{}, &fakeTriggerer{})
	doc := fetchOpenAPI(t, base)
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi = %v, want 3.1.0", doc["openapi"])
	}
	paths, _ := doc["paths"].(map[string]any)
	for _, rt := range s.table() {
		op, ok := paths[rt.Pattern].(map[string]any)[strings.ToLower(rt.Method)].(map[string]any)
		if !ok {
			t.Errorf("%s %s is served but not documented", rt.Method, rt.Pattern)
			continue
		}
		var documented []string
		for _, p := range op["parameters"].([]any) {
			if pm := p.(map[string]any); pm["in"] == "query" {
				documented = append(documented, pm["name"].(string))
			}
		}
		var accepted []string
		for _, p := range rt.Params {
			accepted = append(accepted, p.Name)
		}
		slices.Sort(documented)
		slices.Sort(accepted)
		if !slices.Equal(documented, accepted) {
			t.Errorf("%s %s: documented parameters %v, accepted %v", rt.Method, rt.Pattern, documented, accepted)
		}
		resp := op["responses"].(map[string]any)
		for code, r := range resp {
			ref := r.(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)["$ref"].(string)
			name := strings.TrimPrefix(ref, "#/components/schemas/")
			if _, ok := doc["components"].(map[string]any)["schemas"].(map[string]any)[name]; !ok {
				t.Errorf("%s %s response %s refers to the missing schema %s", rt.Method, rt.Pattern, code, name)
			}
		}
	}
	for path, ops := range paths {
		for method := range ops.(map[string]any) {
			if !slices.ContainsFunc(s.table(), func(rt route) bool { return rt.Pattern == path && strings.ToLower(rt.Method) == method }) &&
				path != "/healthz" && path != "/readyz" && path != "/metrics" {
				t.Errorf("%s %s is documented but not served", method, path)
			}
		}
	}
}

func TestOpenAPI_DocumentsTheStepTimingsOfACycle(t *testing.T) {
	doc := fetchOpenAPI(t, startServer(t, Config{}, &fakeTriggerer{}))
	steps := doc["components"].(map[string]any)["schemas"].(map[string]any)["Cycle"].(map[string]any)["properties"].(map[string]any)["steps"].(map[string]any)
	for _, f := range []string{"duration_seconds", "pull_seconds", "plan_seconds", "apply_seconds"} {
		if !strings.Contains(steps["description"].(string), f) {
			t.Errorf("the steps schema does not document %s", f)
		}
	}
}

func TestRoutes_RejectAnUnknownQueryParameterNamingIt(t *testing.T) {
	s := New(Config{}, &fakeTriggerer{})
	base := startServer(t, Config{Token: testToken}, &fakeTriggerer{})
	for _, rt := range s.table() {
		path := strings.NewReplacer("{id}", "00000000-0000-4000-8000-000000000000").Replace(rt.Pattern)
		code, body := call(t, rt.Method, base+path+"?colour=blue", testToken, "")
		if code != http.StatusBadRequest || errCode(body) != "invalid" || !strings.Contains(errMessage(body), `"colour"`) {
			t.Errorf("%s %s?colour=blue: %d %v, want 400 naming colour", rt.Method, rt.Pattern, code, body)
		}
	}
}
