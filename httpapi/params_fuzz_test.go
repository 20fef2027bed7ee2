package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"rackflow/inventory"
)

// listParser is one list endpoint's parameter parser, run on a query the
// route's declarations admitted. It returns the query's own Validate.
type listParser struct {
	name    string
	params  []Param
	listing inventory.Listing
	parse   func(r *http.Request, q *query) (page inventory.Page, validate func() error, err error)
}

var listParsers = []listParser{
	{"racks", rackParams, inventory.RackListing, func(r *http.Request, q *query) (inventory.Page, func() error, error) {
		rq, _, err := rackQuery(r, q)
		return rq.Page, rq.Validate, err
	}},
	{"components", componentParams, inventory.ComponentListing, func(_ *http.Request, q *query) (inventory.Page, func() error, error) {
		cq, err := componentQuery(q)
		return cq.Page, cq.Validate, err
	}},
	{"drift", driftParams, inventory.DriftListing, func(_ *http.Request, q *query) (inventory.Page, func() error, error) {
		dq, err := driftQuery(q)
		if err == nil {
			err = checkMinAge(q.one("min_age"), dq.MinAge)
		}
		return dq.Page, dq.Validate, err
	}},
	{"cycles", cycleParams, inventory.CycleListing, func(_ *http.Request, q *query) (inventory.Page, func() error, error) {
		cq, err := cycleQuery(q)
		return cq.Page, cq.Validate, err
	}},
	{"events", eventParams, inventory.EventListing, func(_ *http.Request, q *query) (inventory.Page, func() error, error) {
		eq, err := eventQuery(q)
		return eq.Page, eq.Validate, err
	}},
	{"cycle events", cycleEventParams, inventory.EventListing, func(_ *http.Request, q *query) (inventory.Page, func() error, error) {
		eq, err := cycleEventQuery(q, inventory.NewID())
		return eq.Page, eq.Validate, err
	}},
	{"held deletes", heldParams, inventory.HeldListing, func(_ *http.Request, q *query) (inventory.Page, func() error, error) {
		hq, err := heldQuery(q)
		return hq.Page, func() error { return oneOf("type", hq.Type, heldTypes) }, err
	}},
}

// errAccepted marks a wrong value the parser let through.
var errAccepted = errors.New("accepted a wrong value")

// checkMinAge checks that an accepted min_age is the duration the caller
// wrote: whole days never wrap around.
func checkMinAge(raw string, got time.Duration) error {
	if got < 0 {
		return fmt.Errorf("min_age %q became %v: %w", raw, got, errAccepted)
	}
	days, ok := strings.CutSuffix(raw, "d")
	n, err := strconv.ParseInt(days, 10, 64)
	if ok && err == nil && (got%(24*time.Hour) != 0 || int64(got/(24*time.Hour)) != n) {
		return fmt.Errorf("min_age %q became %v: %w", raw, got, errAccepted)
	}
	return nil
}

// namesOffender reports whether msg names one of the query's parameters or
// quotes one of its values (or its keys, for an unknown parameter).
func namesOffender(msg string, values url.Values) bool {
	for k, vs := range values {
		if strings.HasPrefix(msg, k+" ") || strings.HasPrefix(msg, k+":") || strings.Contains(msg, strconv.Quote(k)) {
			return true
		}
		for _, v := range vs {
			if strings.Contains(msg, strconv.Quote(v)) {
				return true
			}
		}
	}
	return false
}

// checkListQuery runs every list parser on one raw query string: no panic,
// every rejection wraps ErrInvalid and names the parameter or value, and an
// accepted query passes its own Validate and resolves its page.
func checkListQuery(t *testing.T, raw string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/v1/x", nil)
	r.URL.RawQuery = raw
	values, parseErr := url.ParseQuery(raw)
	for _, lp := range listParsers {
		q, err := parseQuery(r, lp.params)
		var page inventory.Page
		validate := func() error { return nil }
		if err == nil {
			page, validate, err = lp.parse(r, q)
		}
		if errors.Is(err, errAccepted) {
			t.Fatalf("%s: query %q: %v", lp.name, raw, err)
		}
		if err != nil {
			msg := err.Error()
			if !errors.Is(err, inventory.ErrInvalid) {
				t.Fatalf("%s: query %q: rejection %q does not wrap ErrInvalid", lp.name, raw, msg)
			}
			if parseErr != nil {
				if !strings.Contains(msg, parseErr.Error()) {
					t.Fatalf("%s: query %q: rejection %q does not say what does not parse (%v)", lp.name, raw, msg, parseErr)
				}
				continue
			}
			if !namesOffender(msg, values) {
				t.Fatalf("%s: query %q: rejection %q names no parameter or value", lp.name, raw, msg)
			}
			continue
		}
		if parseErr != nil {
			t.Fatalf("%s: query %q does not parse (%v) and was accepted", lp.name, raw, parseErr)
		}
		if err := validate(); err != nil {
			t.Fatalf("%s: query %q: accepted, but its Validate says %v", lp.name, raw, err)
		}
		if _, err := page.Resolve(lp.listing); err != nil {
			t.Fatalf("%s: query %q: accepted, but its page does not resolve: %v", lp.name, raw, err)
		}
	}
}

// listQuerySeeds are raw query strings: good and bad values of every
// parameter of every list, cursors, limits, orders, durations and times.
func listQuerySeeds() []string {
	rackCursor := inventory.EncodeCursor(inventory.Order{Column: "name"}, "Rack 0001", inventory.NewID())
	eventCursor := inventory.EncodeCursor(inventory.Order{Column: "id", Desc: true}, "17", inventory.NewID())
	return []string{
		"", "limit=1", "limit=1000", "limit=0", "limit=-1", "limit=1001", "limit=+0", "limit=abc", "limit=99999999999999999999",
		"limit=5&limit=6", "cursor=" + url.QueryEscape(rackCursor), "cursor=" + url.QueryEscape(eventCursor), "cursor=e30",
		"cursor=!!", "order_by=-name", "order_by=id", "order_by=-started_at", "order_by=--id", "order_by=",
		"format=csv", "format=xml", "name=Rack%200001&name=Rack%200002", "has_drift=true", "has_drift=maybe",
		"drift_type=mismatch", "drift_type=stale", "deleted=all", "deleted=yes", "include=components", "include=bmcs",
		"bmc_mac=AA-BB-CC-00-00-01", "bmc_mac=zz", "type=Compute", "type=rack", "state=resolved", "state=closed",
		"field=slot_id", "field=colour", "min_age=7d", "min_age=90m", "min_age=-1h", "min_age=106752d",
		"min_age=1x", "opened_after=2026-12-01T00:00:00Z", "opened_before=2026-13-01T00:00:00Z", "since=yesterday",
		"until=2026-12-01T00:00:00.123456789+02:00", "status=ok&status=partial", "status=done", "trigger=cron",
		"entity=bmc", "entity=rack&action=gc&source=import", "action=delete", "source=core", "cycle_id=123",
		"cycle_id=" + inventory.NewID(), "entity_id=aa:bb:cc:00:00:01", "colour=blue", "=x",
		"name=%00%ff", "name=", "limit=&cursor=",
	}
}

// FuzzListQueryParams is row 8 for the list parameter parsers; see
// checkListQuery.
func FuzzListQueryParams(f *testing.F) {
	for _, s := range listQuerySeeds() {
		f.Add(s, "", "")
	}
	f.Add("", "limit", "7")
	f.Add("order_by=-id", "cursor", "eyJvIjoiLWlkIiwidiI6IngiLCJpZCI6InkifQ")
	f.Add("state=all", "min_age", "3d")
	f.Fuzz(func(t *testing.T, raw, key, value string) {
		if key != "" {
			raw += "&" + url.Values{key: {value}}.Encode()
		}
		checkListQuery(t, raw)
	})
}
