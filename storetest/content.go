package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"rackflow/inventory"
)

// Content is the content of the rack, component and bmc tables in a form that
// two databases can be compared by: one line per row, keyed by natural keys
// instead of the random uuids, sorted.
//
// Every column the store reads is included, with these exceptions, because
// they depend on when a cycle ran rather than on what it wrote: the uuids
// themselves (rack.id, component.id; references to them are replaced by the
// referenced row's natural key), rack.created_at, and updated_at everywhere.
// ingested_at and deleted_at are reduced to whether they are set. JSON
// columns are compared after decoding, so key order and spacing do not count.
// bmc.user and bmc.password are not read by the store at all; the credentials
// tests check that they stay empty.
type Content struct {
	Lines []string
}

// Sum is the SHA-256 of the content's lines, in hex.
func (c Content) Sum() string {
	h := sha256.New()
	for _, l := range c.Lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Diff lists the lines only in a ("-") or only in b ("+"), empty when the
// contents are equal.
func Diff(a, b Content) string {
	var out strings.Builder
	for _, l := range a.Lines {
		if !slices.Contains(b.Lines, l) {
			fmt.Fprintf(&out, "- %s\n", l)
		}
	}
	for _, l := range b.Lines {
		if !slices.Contains(a.Lines, l) {
			fmt.Fprintf(&out, "+ %s\n", l)
		}
	}
	return out.String()
}

// Rows is one full read of the mirrored tables.
type Rows struct {
	Racks      []inventory.Rack
	Components []inventory.Component
	BMCs       []inventory.BMC
}

// ReadRows reads every rack, component and bmc row in one read transaction.
func ReadRows(ctx context.Context, s inventory.Store) (Rows, error) {
	var rows Rows
	err := s.View(ctx, func(tx inventory.ReadTx) error {
		var err error
		if rows.Racks, err = tx.Racks(ctx); err != nil {
			return err
		}
		if rows.Components, err = tx.Components(ctx); err != nil {
			return err
		}
		rows.BMCs, err = tx.BMCs(ctx)
		return err
	})
	if err != nil {
		return Rows{}, fmt.Errorf("storetest: read rows: %w", err)
	}
	return rows, nil
}

// ReadContent reads the store's mirrored tables as a Content.
func ReadContent(ctx context.Context, s inventory.Store) (Content, error) {
	rows, err := ReadRows(ctx, s)
	if err != nil {
		return Content{}, err
	}
	return rows.Content(), nil
}

// Content turns the rows into their comparable form.
func (r Rows) Content() Content {
	rackKey := map[string]string{}
	for _, x := range r.Racks {
		rackKey[x.ID] = x.Chassis().String()
	}
	compKey := map[string]string{}
	for _, x := range r.Components {
		compKey[x.ID] = x.Key().String()
	}
	var lines []string
	for _, x := range r.Racks {
		lines = append(lines, "rack "+x.Chassis().String()+" "+fields(
			"name", x.Name, "description", canonJSON(x.Description), "location", canonJSON(x.Location),
			"nvldomain_id", x.NVLDomainID, "status", x.Status, "external_id", x.ExternalID,
			"ingested", x.IngestedAt != nil, "deleted", x.DeletedAt != nil))
	}
	for _, x := range r.Components {
		lines = append(lines, "component "+x.Key().String()+" "+fields(
			"type", x.Type, "name", x.Name, "model", x.Model, "description", canonJSON(x.Description),
			"firmware_version", x.FirmwareVersion, "rack", keyOf(rackKey, x.RackID), "slot_id", x.SlotID,
			"tray_index", x.TrayIndex, "host_id", x.HostID, "external_id", x.ExternalID, "power_state", x.PowerState,
			"ingested", x.IngestedAt != nil, "deleted", x.DeletedAt != nil))
	}
	for _, x := range r.BMCs {
		lines = append(lines, "bmc "+x.MAC+" "+fields(
			"type", x.Type, "component", keyOf(compKey, &x.ComponentID), "ip_address", x.IPAddress))
	}
	slices.Sort(lines)
	return Content{Lines: lines}
}

// fields renders name/value pairs as JSON, so that a NULL and an empty string
// differ.
func fields(kv ...any) string {
	var b strings.Builder
	for i := 0; i < len(kv); i += 2 {
		v, _ := json.Marshal(kv[i+1])
		fmt.Fprintf(&b, "%s=%s ", kv[i], v)
	}
	return strings.TrimSuffix(b.String(), " ")
}

func keyOf(keys map[string]string, id *string) any {
	if id == nil {
		return nil
	}
	if k, ok := keys[*id]; ok {
		return k
	}
	return "dangling:" + *id
}

// canonJSON decodes a JSON column so that it marshals canonically (sorted
// keys, no spacing); text that is not JSON is kept as text.
func canonJSON(raw json.RawMessage) any {
	if raw == nil {
		return nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "invalid json: " + string(raw)
	}
	return v
}
