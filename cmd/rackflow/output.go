package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Output formats of the read commands.
const (
	outTable = "table"
	outWide  = "wide"
	outJSON  = "json"
	outCSV   = "csv"
)

// outputFlag registers -o.
func outputFlag(fs *flag.FlagSet) *string {
	return fs.String("o", outTable, "output format: table, wide, json or csv")
}

func checkOutput(format string) error {
	switch format {
	case outTable, outWide, outJSON, outCSV:
		return nil
	}
	return fmt.Errorf("-o: want table, wide, json or csv, found %q", format)
}

// item is one JSON object of an API answer, decoded with json.Number so that
// ids and counters print exactly as sent.
type item map[string]any

// decodeItem decodes one raw JSON object.
func decodeItem(raw json.RawMessage) (item, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var it item
	if err := dec.Decode(&it); err != nil {
		return nil, fmt.Errorf("the server sent an item that is not a JSON object: %w", err)
	}
	return it, nil
}

// get returns the value at a dotted path ("location.region"), or nil.
func (it item) get(path string) any {
	var v any = map[string]any(it)
	for _, key := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[key]
	}
	return v
}

// text returns the value at path as text: "" for null or absent.
func (it item) text(path string) string { return valueText(it.get(path)) }

// obj returns the object at path, or nil.
func (it item) obj(path string) item {
	m, _ := it.get(path).(map[string]any)
	return m
}

// list returns the array at path, or nil.
func (it item) list(path string) []any {
	l, _ := it.get(path).([]any)
	return l
}

// number returns the number at path and whether there is one.
func (it item) number(path string) (float64, bool) {
	switch v := it.get(path).(type) {
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	case float64:
		return v, true
	}
	return 0, false
}

// valueText renders a JSON value for a table cell or a CSV field.
func valueText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case map[string]any:
		return pairsText(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = valueText(e)
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v)
}

// pairsText renders an object as k=v pairs in key order.
func pairsText(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		if s := valueText(m[k]); s != "" {
			parts = append(parts, k+"="+s)
		}
	}
	return strings.Join(parts, ",")
}

// timeText shows a timestamp in UTC RFC 3339, to the second; text that is not
// a timestamp is shown as it is.
func timeText(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return t.UTC().Format(time.RFC3339)
}

// ageText renders seconds as the two largest units: "3d4h", "5h12m", "12m3s",
// "42s".
func ageText(seconds float64) string {
	if seconds < 0 || math.IsNaN(seconds) {
		return "0s"
	}
	s := int64(seconds)
	d, h, m := s/86400, s/3600%24, s/60%60
	switch {
	case d > 0:
		return fmt.Sprintf("%dd%dh", d, h)
	case h > 0:
		return fmt.Sprintf("%dh%dm", h, m)
	case m > 0:
		return fmt.Sprintf("%dm%ds", m, s%60)
	}
	return fmt.Sprintf("%ds", s)
}

// durationText renders a step or cycle duration: milliseconds under a
// second, then seconds with two decimals, then the age form.
func durationText(seconds float64) string {
	switch {
	case seconds < 1:
		return fmt.Sprintf("%dms", int64(math.Round(seconds*1000)))
	case seconds < 60:
		return fmt.Sprintf("%.2fs", seconds)
	}
	return ageText(seconds)
}

// since is the age of a timestamp at now, or "" when s is not one.
func since(s string, now time.Time) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return ""
	}
	return ageText(now.Sub(t).Seconds())
}

// column is one column of a table: its header and how a cell is drawn from
// an item.
type column struct {
	header string
	cell   func(item) string
}

// field is a column showing the value at path.
func field(header, path string) column {
	return column{header, func(it item) string { return it.text(path) }}
}

// timeField is a column showing the timestamp at path in UTC.
func timeField(header, path string) column {
	return column{header, func(it item) string { return timeText(it.text(path)) }}
}

// table writes aligned rows to w. Rows are written as they come; the
// columns are aligned when the table is flushed.
type table struct {
	tw      *tabwriter.Writer
	columns []column
}

func newTable(w io.Writer, columns []column) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 4, 2, ' ', 0), columns: columns}
	headers := make([]string, len(columns))
	for i, c := range columns {
		headers[i] = c.header
	}
	fmt.Fprintln(t.tw, strings.Join(headers, "\t"))
	return t
}

func (t *table) row(it item) {
	values := make([]string, len(t.columns))
	for i, c := range t.columns {
		values[i] = tableCell(c.cell(it))
	}
	fmt.Fprintln(t.tw, strings.Join(values, "\t"))
}

func (t *table) flush() error { return t.tw.Flush() }

// tableCell keeps a cell on one line, tabs out, and shows empty as "-".
func tableCell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "-"
	}
	return s
}

// truncate cuts s to at most n runes, marking the cut with "…".
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n <= 1 {
		return string(r[:n])
	}
	return string(r[:n-1]) + "…"
}

// jsonArray streams items as one indented JSON array, without holding them.
type jsonArray struct {
	w     io.Writer
	count int
}

func (a *jsonArray) add(raw json.RawMessage) error {
	sep := ",\n  "
	if a.count == 0 {
		sep = "[\n  "
	}
	a.count++
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "  ", "  "); err != nil {
		return fmt.Errorf("the server sent invalid JSON: %w", err)
	}
	_, err := io.WriteString(a.w, sep+b.String())
	return err
}

func (a *jsonArray) close() error {
	end := "\n]\n"
	if a.count == 0 {
		end = "[]\n"
	}
	_, err := io.WriteString(a.w, end)
	return err
}

// writeObject prints one JSON value, indented.
func writeObject(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// jsonText renders a JSON value compactly, null included, as an event's old
// and new values read best.
func jsonText(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// spanText is the time from start to end, or "" when either is missing.
func spanText(start, end string) string {
	s, err1 := time.Parse(time.RFC3339Nano, start)
	e, err2 := time.Parse(time.RFC3339Nano, end)
	if err1 != nil || err2 != nil {
		return ""
	}
	return durationText(e.Sub(s).Seconds())
}
