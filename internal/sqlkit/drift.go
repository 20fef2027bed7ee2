package sqlkit

import (
	"encoding/json"
	"fmt"

	"rackflow/inventory"
)

// driftRow is an open drift in a payload.
type driftRow struct {
	ID            string          `json:"id"`
	ComponentID   *string         `json:"component_id"`
	ExternalID    *string         `json:"external_id"`
	ComponentType string          `json:"component_type"`
	DriftType     string          `json:"drift_type"`
	Diffs         json.RawMessage `json:"diffs"`
	FirstSeenAt   string          `json:"first_seen_at"`
	CheckedAt     string          `json:"checked_at"`
}

// DriftRows encodes drifts for an insert or update payload.
func DriftRows(ds []inventory.Drift) ([]byte, error) {
	out := make([]driftRow, len(ds))
	for i, d := range ds {
		diffs, err := DiffsJSON(d.Diffs)
		if err != nil {
			return nil, err
		}
		out[i] = driftRow{ID: d.ID, ComponentID: d.ComponentID, ExternalID: d.ExternalID,
			ComponentType: string(d.ComponentType), DriftType: string(d.DriftType), Diffs: diffs,
			FirstSeenAt: FormatTime(d.FirstSeenAt), CheckedAt: FormatTime(d.CheckedAt)}
	}
	return json.Marshal(out)
}

// historyRow is a drift_history row in a payload.
type historyRow struct {
	CycleID       string          `json:"cycle_id"`
	At            string          `json:"at"`
	DriftID       string          `json:"drift_id"`
	ComponentType string          `json:"component_type"`
	DriftType     string          `json:"drift_type"`
	ComponentID   *string         `json:"component_id"`
	ExternalID    *string         `json:"external_id"`
	Event         string          `json:"event"`
	Diffs         json.RawMessage `json:"diffs"`
	Seq           int             `json:"seq"`
}

// HistoryRows encodes drift history for an insert payload; seq keeps order.
func HistoryRows(hs []inventory.DriftHistory) ([]byte, error) {
	out := make([]historyRow, len(hs))
	for i, h := range hs {
		diffs, err := DiffsJSON(h.Diffs)
		if err != nil {
			return nil, err
		}
		out[i] = historyRow{CycleID: h.CycleID, At: FormatTime(h.At), DriftID: h.DriftID,
			ComponentType: string(h.ComponentType), DriftType: string(h.DriftType), ComponentID: h.ComponentID,
			ExternalID: h.ExternalID, Event: string(h.Event), Diffs: diffs, Seq: i}
	}
	return json.Marshal(out)
}

// DiffsJSON encodes diffs as a JSON array; nil becomes [].
func DiffsJSON(ds []inventory.Diff) (json.RawMessage, error) {
	if ds == nil {
		ds = []inventory.Diff{}
	}
	b, err := json.Marshal(ds)
	if err != nil {
		return nil, fmt.Errorf("sqlkit: diffs: %w", err)
	}
	return b, nil
}

// DiffsFromJSON decodes stored diffs.
func DiffsFromJSON(b []byte) ([]inventory.Diff, error) {
	var ds []inventory.Diff
	if err := json.Unmarshal(b, &ds); err != nil {
		return nil, fmt.Errorf("sqlkit: diffs %s: %w", b, err)
	}
	return ds, nil
}
