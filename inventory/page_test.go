package inventory

import (
	"errors"
	"strings"
	"testing"
)

func TestPage_ResolveAppliesDefaultsAndRejectsBadValues(t *testing.T) {
	spec, err := Page{}.Resolve(RackListing)
	if err != nil || spec.Limit != DefaultLimit || spec.Order != (Order{Column: "name"}) || spec.After != nil {
		t.Fatalf("Resolve(zero) = %+v, %v; want limit 100 by name", spec, err)
	}
	for _, tt := range []struct {
		name string
		page Page
		want string
	}{
		{"a limit above the maximum", Page{Limit: 1001}, "limit 1001"},
		{"a negative limit", Page{Limit: -1}, "limit -1"},
		{"an unknown sort column", Page{OrderBy: "-colour"}, `order_by "-colour"`},
		{"a cursor that is not base64 JSON", Page{Cursor: "%%%"}, `cursor "%%%"`},
		{"a cursor made for another order", Page{OrderBy: "-name", Cursor: EncodeCursor(Order{Column: "name"}, "a", "b")}, `made for order_by "name"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.page.Resolve(RackListing)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Resolve(%+v) = %v, want ErrInvalid naming %q", tt.page, err, tt.want)
			}
		})
	}
}

func TestCursor_RoundTripsForItsOrder(t *testing.T) {
	o := Order{Column: "updated_at", Desc: true}
	c, err := DecodeCursor(EncodeCursor(o, "2026-01-01T00:00:00.000000Z", "id-1"), o)
	if err != nil || c.Value != "2026-01-01T00:00:00.000000Z" || c.ID != "id-1" {
		t.Fatalf("round trip = %+v, %v", c, err)
	}
}

func TestParseDeleted(t *testing.T) {
	for in, want := range map[string]Deleted{"": DeletedExclude, "false": DeletedExclude, "true": DeletedOnly, "all": DeletedAll} {
		if got, err := ParseDeleted(in); err != nil || got != want {
			t.Errorf("ParseDeleted(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseDeleted("yes"); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `"yes"`) {
		t.Errorf("ParseDeleted(yes) = %v, want ErrInvalid naming the value", err)
	}
}

func TestDriftQuery_ValidateNamesTheBadValue(t *testing.T) {
	for _, tt := range []struct {
		q    DriftQuery
		want string
	}{
		{DriftQuery{State: "closed"}, `"closed"`},
		{DriftQuery{Type: []DriftType{"gone"}}, `"gone"`},
		{DriftQuery{Field: []string{"colour"}}, `"colour"`},
		{DriftQuery{MinAge: -1}, "min_age"},
	} {
		if err := tt.q.Validate(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Validate(%+v) = %v, want ErrInvalid naming %s", tt.q, err, tt.want)
		}
	}
	if err := (DriftQuery{State: DriftStateAll, Type: []DriftType{Mismatch}, Field: []string{"slot_id"}}).Validate(); err != nil {
		t.Errorf("a valid query was refused: %v", err)
	}
}

func TestComponentQuery_NormalizesMACsAndRejectsBadOnes(t *testing.T) {
	got, err := ComponentQuery{BMCMAC: []string{"AA-BB-CC-00-00-01"}}.NormalizedMACs()
	if err != nil || len(got) != 1 || got[0] != "aa:bb:cc:00:00:01" {
		t.Fatalf("NormalizedMACs = %v, %v", got, err)
	}
	if err := (ComponentQuery{BMCMAC: []string{"nope"}}).Validate(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("Validate(bad mac) = %v", err)
	}
}
