package httpapi

import (
	"strings"
	"testing"
)

type csvItem struct {
	Name  string            `json:"name"`
	Tags  map[string]string `json:"tags"`
	Count *int              `json:"count"`
	Extra []string          `json:"extra,omitempty"`
}

func TestCSV_OneRowPerItemWithNestedValuesAsJSON(t *testing.T) {
	n := 3
	got, err := csvOf([]csvItem{
		{Name: "a,b", Tags: map[string]string{"k": "v"}, Count: &n},
		{Name: "plain", Extra: []string{"x"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "name,tags,count,extra\n\"a,b\",\"{\"\"k\"\":\"\"v\"\"}\",3,\nplain,,,\"[\"\"x\"\"]\"\n"
	if string(got) != want {
		t.Fatalf("csv =\n%s\nwant\n%s", got, want)
	}
	empty, _ := csvOf([]csvItem{})
	if !strings.HasPrefix(string(empty), "name,tags,count\n") {
		t.Errorf("an empty list gives %q, want the header", empty)
	}
}
