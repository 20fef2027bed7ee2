package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func mustItem(t *testing.T, s string) item {
	t.Helper()
	it, err := decodeItem(json.RawMessage(s))
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func TestAgeText_ShowsTheTwoLargestUnits(t *testing.T) {
	for _, c := range []struct {
		name    string
		seconds float64
		want    string
	}{
		{"seconds alone under a minute", 42, "42s"},
		{"minutes and seconds under an hour", 12*60 + 3, "12m3s"},
		{"hours and minutes under a day", 5*3600 + 12*60 + 59, "5h12m"},
		{"days and hours from a day on", 3*86400 + 4*3600 + 59*60, "3d4h"},
		{"a negative age (clock skew) as zero", -5, "0s"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := ageText(c.seconds); got != c.want {
				t.Errorf("ageText(%v) = %q, want %q", c.seconds, got, c.want)
			}
		})
	}
}

func TestDurationText_MillisecondsThenSecondsThenAge(t *testing.T) {
	for seconds, want := range map[float64]string{0.0123: "12ms", 1.234: "1.23s", 75: "1m15s"} {
		if got := durationText(seconds); got != want {
			t.Errorf("durationText(%v) = %q, want %q", seconds, got, want)
		}
	}
}

func TestTimeText_ShowsUTCToTheSecondAndLeavesOtherTextAlone(t *testing.T) {
	if got, want := timeText("2026-03-01T10:20:30.123456+02:00"), "2026-03-01T08:20:30Z"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := timeText("soon"); got != "soon" {
		t.Errorf("got %q, want the text unchanged", got)
	}
}

func TestTable_AlignsColumnsAndShowsEmptyCellsAsDash(t *testing.T) {
	var b bytes.Buffer
	tb := newTable(&b, racksCommand.table)
	tb.row(mustItem(t, `{"name":"rack-a","manufacturer":"Foxconn","serial_number":"SN1","description":{"model":"GB200"},"status":"new","location":{"region":"eu","room":"r1"},"drift":{"total":2}}`))
	tb.row(mustItem(t, `{"name":"rack-long-name","manufacturer":"Wiwynn","serial_number":"SN22","description":null,"status":"new","location":null}`))
	if err := tb.flush(); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"NAME            MANUFACTURER  SERIAL_NUMBER  MODEL  STATUS  LOCATION  DRIFT\n" +
		"rack-a          Foxconn       SN1            GB200  new     eu/r1     2\n" +
		"rack-long-name  Wiwynn        SN22           -      new     -         -\n"
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestTableCell_KeepsEveryRowOnOneLine(t *testing.T) {
	if got := tableCell("a\tb\nc"); got != "a b c" {
		t.Errorf("got %q", got)
	}
}

func TestDriftColumns_ShowAgeComponentAndEachDiff(t *testing.T) {
	it := mustItem(t, `{"age_seconds": 273600, "component_id": "c-1", "external_id": "m-7",
		"diffs": [{"field_name":"slot_id","expected_value":"3","actual_value":"4"},
		          {"field_name":"serial_number","expected_value":"SN1","actual_value":"<missing>"}]}`)
	if got, want := driftAge(it), "3d4h"; got != want {
		t.Errorf("age = %q, want %q", got, want)
	}
	if got, want := componentRef(it), "m-7"; got != want {
		t.Errorf("component = %q, want the Core id when there is no serial number", got)
	}
	if got, want := diffsText(it), "slot_id: 3 -> 4; serial_number: SN1 -> <missing>"; got != want {
		t.Errorf("diffs = %q, want %q", got, want)
	}
}

func TestEventColumns_ListChangedFieldsAndTheirOldAndNewValues(t *testing.T) {
	it := mustItem(t, `{"changes": {"slot_id": {"old": null, "new": 3}, "name": {"old": "a", "new": "b"}}}`)
	if got, want := changedFields(it), "name,slot_id"; got != want {
		t.Errorf("fields = %q, want %q", got, want)
	}
	if got, want := changesText(it), `name: "a" -> "b"; slot_id: null -> 3`; got != want {
		t.Errorf("changes = %q, want %q", got, want)
	}
}

func TestComponentColumns_NamePowerStatesAndPreferTheRackName(t *testing.T) {
	for state, want := range map[string]string{"0": "unknown", "1": "off", "2": "on", "3": "disabled", "null": ""} {
		if got := powerText(mustItem(t, `{"power_state": `+state+`}`)); got != want {
			t.Errorf("power_state %s shown as %q, want %q", state, got, want)
		}
	}
	if got := rackRef(mustItem(t, `{"rack_id": "r-1", "rack_name": "rack-a"}`)); got != "rack-a" {
		t.Errorf("rack = %q, want the name", got)
	}
	if got := rackRef(mustItem(t, `{"rack_id": "r-1"}`)); got != "r-1" {
		t.Errorf("rack = %q, want the id without a name", got)
	}
}

func TestJSONArray_StreamsItemsAsOneArray(t *testing.T) {
	for name, items := range map[string][]string{"no items": nil, "two items": {`{"a":1}`, `{"b":[2]}`}} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			a := &jsonArray{w: &b}
			for _, it := range items {
				if err := a.add(json.RawMessage(it)); err != nil {
					t.Fatal(err)
				}
			}
			if err := a.close(); err != nil {
				t.Fatal(err)
			}
			var got []map[string]any
			if err := json.Unmarshal(b.Bytes(), &got); err != nil || len(got) != len(items) {
				t.Fatalf("output %q: %v, want an array of %d", b.String(), err, len(items))
			}
		})
	}
}

func TestParseInstant_AcceptsRFC3339OrAnAgeBeforeNow(t *testing.T) {
	now := time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]string{
		"2026-03-01T10:00:00+01:00": "2026-03-01T09:00:00Z",
		"24h":                       "2026-03-04T12:00:00Z",
		"2d":                        "2026-03-03T12:00:00Z",
	} {
		if got, err := parseInstant(in, now); err != nil || got != want {
			t.Errorf("parseInstant(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := parseInstant("yesterday", now); err == nil || !strings.Contains(err.Error(), `"yesterday"`) {
		t.Errorf("parseInstant(yesterday) = %v, want an error naming the value", err)
	}
}
