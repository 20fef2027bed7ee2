package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestImportDocument_ConvertsYAMLToTheSameJSON(t *testing.T) {
	yml := "racks:\n  - name: rack-a\n    slot: 7\n    ratio: 0.5\n    ok: true\n    note: null\n    at: 2026-01-02T03:04:05Z\n"
	got, err := importDocument("site.yaml", strings.NewReader(yml))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string][]map[string]any
	if err := json.Unmarshal(got, &doc); err != nil {
		t.Fatal(err)
	}
	r := doc["racks"][0]
	if r["name"] != "rack-a" || r["slot"] != 7.0 || r["ratio"] != 0.5 || r["ok"] != true || r["note"] != nil || r["at"] != "2026-01-02T03:04:05Z" {
		t.Errorf("converted %s", got)
	}
}

func TestImportDocument_ChoosesTheFormatByExtensionElseByContent(t *testing.T) {
	for _, c := range []struct{ name, file, body string }{
		{"json by extension", "a.json", `{"racks": []}`},
		{"json sniffed without an extension", "a", ` {"racks": []}`},
		{"yaml sniffed without an extension", "a", "racks: []\n"},
		{"yaml by extension even when it looks like json", "a.yml", `{"racks": []}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := importDocument(c.file, strings.NewReader(c.body))
			if err != nil || !json.Valid(got) || !strings.Contains(string(got), `"racks"`) {
				t.Errorf("got %s, %v", got, err)
			}
		})
	}
}

func TestImportDocument_RejectsWhatWouldLoseOrRenameARecord(t *testing.T) {
	for _, c := range []struct{ name, file, body, want string }{
		{"a duplicate key in YAML", "a.yaml", "racks:\n  - name: a\n    name: b\n", `"name"`},
		{"a number as a YAML key", "a.yaml", "racks:\n  - 1: a\n", `key "1" is not a string`},
		{"a boolean as a YAML key", "a.yaml", "true: 1\n", "line 1"},
		{"a duplicate key in JSON", "a.json", `{"racks": [{"name": "a", "name": "b"}]}`, `duplicate key "name" at $.racks[0]`},
		{"two JSON values", "a.json", `{} {}`, "more than one value"},
		{"two YAML documents", "a.yaml", "a: 1\n---\nb: 2\n", "more than one document"},
		{"an empty file", "a.yaml", "", "empty"},
		{"broken JSON", "a.json", `{"racks": [}`, "invalid JSON"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := importDocument(c.file, strings.NewReader(c.body))
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.file) {
				t.Errorf("got %v, want an error naming the file and %s", err, c.want)
			}
		})
	}
}
